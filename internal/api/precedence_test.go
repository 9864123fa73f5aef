package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/sqlite"
	"github.com/scoutdev/scout/internal/testdb"
)

// withPrecedence ranks enrichers in the test store. Options are applied
// before the server starts, so no request can see the store unranked.
func withPrecedence(names ...string) envOption {
	return func(o *Options) { o.Store.(*sqlite.Store).Precedence = names }
}

func TestRankedEnrichersSetTheFacetListsFilterOn(t *testing.T) {
	e := newEnv(t, withPrecedence("ai-facts", "rules/1", "ai-guess"))
	u := e.mustUser("ada@example.org", false)
	ai := e.mustKey(u, scout.ScopeRead, scout.ScopeEnrich)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	now := time.Now().UTC().Truncate(time.Second)
	g := grantItem("g", "Film grant", now.Add(-time.Hour))
	g.Opportunity.Provenance = map[string]scout.Provenance{"deadline": {Source: "rules/1", Span: "due in ten days", Confidence: 0.9}}
	id := itoa(e.mustItems(src, g)[0].ID)
	after := "deadline_after=" + url.QueryEscape(now.Add(30*24*time.Hour).Format(time.RFC3339))
	put := func(enricher string, deadline time.Time) {
		t.Helper()
		r := e.do(http.MethodPut, "/v1/items/"+id+"/enrichments/"+enricher, ai, map[string]any{"deadline": deadline, "confidence": 0.8})
		wantStatus(t, r, http.StatusOK, "put "+enricher)
	}

	put("ai-guess", now.Add(60*24*time.Hour))
	if got := e.allItems(u.token, after); len(got) != 0 {
		t.Fatalf("a lower-ranked enricher moved the deadline: %+v", got[0].Opportunity)
	}
	put("ai-facts", now.Add(45*24*time.Hour))
	got := e.allItems(u.token, after)
	if len(got) != 1 {
		t.Fatalf("%s found %d items, want the one ai-facts moved", after, len(got))
	}
	o := got[0].Opportunity
	if !o.Deadline.Equal(now.Add(45*24*time.Hour)) || o.Provenance["deadline"] != (Provenance{Source: "ai-facts", Confidence: 0.8}) ||
		o.Extractor != "rules/1" || o.Status != "open" {
		t.Errorf("opportunity = %+v", o)
	}
	r := e.do(http.MethodGet, "/v1/items/"+id, u.token, nil)
	var it Item
	r.json(t, &it)
	if len(it.Enrichments) != 2 || it.Opportunity.Provenance["deadline"].Source != "ai-facts" {
		t.Errorf("item = %s", r.raw)
	}
}

func TestUnrankedEnrichersLeaveTheExtractorsFacet(t *testing.T) {
	e := newEnv(t) // the default precedence: rules/1 only
	u := e.mustUser("ada@example.org", false)
	ai := e.mustKey(u, scout.ScopeRead, scout.ScopeEnrich)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	g := grantItem("g", "Film grant", time.Now().Add(-time.Hour))
	g.Opportunity.Provenance = map[string]scout.Provenance{"kind": {Source: "rules/1", Span: "grant", Confidence: 0.9}}
	id := itoa(e.mustItems(src, g)[0].ID)
	r := e.do(http.MethodPut, "/v1/items/"+id+"/enrichments/ai-facts", ai, map[string]any{"kind": "residency", "deadline": "2030-01-01T00:00:00Z"})
	wantStatus(t, r, http.StatusOK, "put")
	var it Item
	e.do(http.MethodGet, "/v1/items/"+id, u.token, nil).json(t, &it)
	if o := it.Opportunity; o.Kind != "grant" || o.Provenance["kind"].Source != "rules/1" || o.Deadline.Year() == 2030 {
		t.Errorf("an unranked enricher changed the facet: %+v", o)
	}
}

// TestConcurrentEnrichersProcessEveryItemOnce is the enrichment contract's
// promise: workers looping claim → write back never get an item another
// worker holds, and together they drain the queue.
func TestConcurrentEnrichersProcessEveryItemOnce(t *testing.T) {
	e := newEnv(t)
	admin := e.mustUser("ai@example.org", true)
	key := e.mustKey(admin, scout.ScopeRead, scout.ScopeEnrich)
	src := e.mustSource(0, "https://example.org/public", scout.VisibilityPublic)
	var items []scout.Item
	for i := range 60 {
		items = append(items, grantItem(fmt.Sprintf("g%d", i), fmt.Sprintf("Grant %d", i), time.Now().Add(-time.Duration(i)*time.Minute)))
	}
	e.mustItems(src, items...)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for round := 0; round < 100; round++ {
				batch, err := claimBatch(e, key, 3)
				if err != nil {
					t.Errorf("worker %d: %v", w, err)
					return
				}
				if len(batch) == 0 {
					return
				}
				for _, it := range batch {
					mu.Lock()
					seen[it.ID]++
					mu.Unlock()
					if err := writeBack(e, key, it.ID, w); err != nil {
						t.Errorf("worker %d: %v", w, err)
						return
					}
				}
			}
			t.Errorf("worker %d: the queue never drained", w)
		})
	}
	wg.Wait()
	if len(seen) != len(items) {
		t.Errorf("%d items processed, want %d", len(seen), len(items))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("item %d was handed out %d times", id, n)
		}
	}
}

// claimBatch and writeBack speak to the server directly: they run on worker
// goroutines, where the test may not stop.
func claimBatch(e *env, key string, n int) ([]Item, error) {
	var out struct{ Items []Item }
	err := call(e, http.MethodPost, "/v1/enrichment/claim", key, map[string]any{"enricher": "ai-summary", "limit": n, "lease_seconds": 60}, &out)
	return out.Items, err
}

func writeBack(e *env, key string, id int64, worker int) error {
	return call(e, http.MethodPut, "/v1/items/"+itoa(id)+"/enrichments/ai-summary", key,
		map[string]any{"summary": fmt.Sprintf("written by worker %d", worker)}, nil)
}

func call(e *env, method, path, key string, body, out any) error {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", method, path, res.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}

func TestEnrichersSendTheRecordRankedPerFieldGroup(t *testing.T) {
	for name, mk := range map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store {
			s := testdb.SQLite(t, nil)
			s.Precedence, s.GroupPrecedence = []string{"ai-facts", "rules/1"}, map[string][]string{"funding": {"rules/1", "ai-facts"}}
			return s
		},
		"postgres": func(t *testing.T) store.Store {
			s := testdb.Postgres(t, nil)
			s.Precedence, s.GroupPrecedence = []string{"ai-facts", "rules/1"}, map[string][]string{"funding": {"rules/1", "ai-facts"}}
			return s
		},
	} {
		t.Run(name, func(t *testing.T) {
			testEnrichersSendTheRecord(t, newEnv(t, func(o *Options) { o.Store = mk(t) }))
		})
	}
}

func testEnrichersSendTheRecord(t *testing.T, e *env) {
	u := e.mustUser("ada@example.org", false)
	ai := e.mustKey(u, scout.ScopeRead, scout.ScopeEnrich)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	id := itoa(e.mustItems(src, extractedItem("f", "Glen fellowship", fellowshipText, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)))[0].ID)
	at := time.Date(2027, 3, 10, 17, 0, 0, 0, time.UTC)
	body := map[string]any{"confidence": 0.8,
		"key_dates": map[string]any{"deadline": map[string]any{"label": "deadline", "date": "2027-03-10", "time": "17:00", "zone": "Europe/London", "at": at}},
		"funding": map[string]any{"entry_fee": map[string]any{"amount": 25, "currency": "EUR"},
			"in_kind": map[string]any{"amount": 500, "currency": "GBP"}},
		"eligibility_criteria": map[string]any{"applicant_types": []string{"collective"}, "countries": []string{"GB"}}}
	wantStatus(t, e.do(http.MethodPut, "/v1/items/"+id+"/enrichments/ai-facts", ai, body), http.StatusOK, "put the record")

	var it Item
	e.do(http.MethodGet, "/v1/items/"+id, u.token, nil).json(t, &it)
	o := it.Opportunity
	if d := o.KeyDates.Deadline; d == nil || d.Date != "2027-03-10" || d.Zone != "Europe/London" || !d.At.Equal(at) || o.Deadline == nil || !o.Deadline.Equal(at) {
		t.Errorf("deadline = %+v (instant %v), want ai-facts' 2027-03-10 17:00 Europe/London: it outranks rules/1 for dates", d, o.Deadline)
	}
	if c := o.Criteria; fmt.Sprint(c.ApplicantTypes, c.Countries) != "[collective] [GB]" {
		t.Errorf("eligibility = %+v, want ai-facts' predicates as a whole", c)
	}
	if f := o.Funding; f.EntryFee == nil || f.EntryFee.Amount != 0 || f.TotalAvailable == nil || f.TotalAvailable.Amount != 72000 {
		t.Errorf("funding = %+v, want the rules' free entry and pool kept: rules/1 outranks ai-facts for funding", f)
	}
	if f := o.Funding; f.InKind == nil || f.InKind.Amount != 500 {
		t.Errorf("in kind = %+v, want ai-facts' 500 GBP: it fills what the rules left empty", f.InKind)
	}
	if o.Provenance["deadline"].Source != "ai-facts" || o.Provenance["funding.entry_fee"].Source != "rules/1" {
		t.Errorf("provenance = %+v, want the deadline from ai-facts and the fee from rules/1", o.Provenance)
	}
}
