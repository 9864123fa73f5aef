package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

func TestItemsAreListedFilteredSearchedAndPaged(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	// 01:00 UTC two days ago: the seven items, an hour apart, fall on one
	// day whatever the time the test runs, as the date filters below assume.
	base := time.Now().UTC().Add(-48 * time.Hour).Truncate(24 * time.Hour).Add(time.Hour)
	var in []scout.Item
	for i := range 7 {
		it := grantItem(fmt.Sprintf("g%d", i), fmt.Sprintf("Film grant %d", i), base.Add(time.Duration(i)*time.Hour))
		if i%2 == 1 {
			it.Title, it.Opportunity.Kind = fmt.Sprintf("Music residency %d", i), scout.KindResidency
			it.ContentText, it.Summary = it.Title, it.Title
		}
		in = append(in, it)
	}
	e.mustItems(src, in...)
	tests := []struct {
		query string
		want  int
	}{
		{"", 7},
		{"kind=residency", 3},
		{"q=film", 4},
		{"q=film+-3", 4},
		{"q=%22music+residency%22+OR+film", 7},
		{"q=music&sort=relevance", 3},
		{"sort=deadline&deadline_after=" + url.QueryEscape(base.Add(10*24*time.Hour+2*time.Hour).Format(time.RFC3339)), 5},
		{"published_before=" + url.QueryEscape(base.Add(2*time.Hour).Format(time.RFC3339)), 2},
		{"published_before=" + base.AddDate(0, 0, 3).Format(time.DateOnly), 7},
		{"published_after=" + base.AddDate(0, 0, 1).Format(time.DateOnly), 0},
		{"published_after=" + base.Format("2006-01-02T15:04"), 7},
		{"published_after=" + url.QueryEscape(base.Add(2*time.Hour).In(time.FixedZone("", 2*3600)).Format(time.RFC3339)), 5},
		{"published_after=" + strings.Replace(base.Add(2*time.Hour).In(time.FixedZone("", 2*3600)).Format(time.RFC3339), "+", "%20", 1), 5},
		{"amount_min=5000&amount_max=1000&tag=arts", 7},
		{"amount_min=5001", 0},
		{"source_id=" + itoa(src.ID) + "&updated_since=" + url.QueryEscape(base.Format(time.RFC3339)), 7},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := e.allItems(u.token, tt.query); len(got) != tt.want {
				t.Errorf("%d items, want %d", len(got), tt.want)
			}
		})
	}
	for _, bad := range []string{"limit=0", "limit=201", "sort=random", "kind=lottery", "published_after=yesterday", "sort=relevance", "q=-only"} {
		r := e.do(http.MethodGet, "/v1/items?"+bad, u.token, nil)
		wantStatus(t, r, http.StatusUnprocessableEntity, bad)
		if p := r.problem(t); p.Type != problemBase+"validation" {
			t.Errorf("%s: %s", bad, r.raw)
		}
	}
	for _, param := range []string{"published_after", "published_before", "deadline_after", "deadline_before", "updated_since"} {
		r := e.do(http.MethodGet, "/v1/items?"+param+"=01/02/2027", u.token, nil)
		wantStatus(t, r, http.StatusUnprocessableEntity, param)
		if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Location != "query."+param || !strings.Contains(p.Errors[0].Message, "2027-01-01T09:00:00Z") {
			t.Errorf("%s: the error does not name the accepted formats: %s", param, r.raw)
		}
	}
	for _, bad := range []string{"closing_within=7", "closing_within=1w", "closing_within=0d"} {
		r := e.do(http.MethodGet, "/v1/items?"+bad, u.token, nil)
		wantStatus(t, r, http.StatusUnprocessableEntity, bad)
		if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Location != "query.closing_within" || !strings.Contains(p.Errors[0].Message, "7d or 48h") {
			t.Errorf("%s: the error does not name the accepted forms: %s", bad, r.raw)
		}
	}
	r := e.do(http.MethodGet, "/v1/digest?since=01/02/2027", u.token, nil)
	wantStatus(t, r, http.StatusUnprocessableEntity, "digest since")
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Location != "query.since" || !strings.Contains(p.Errors[0].Message, "2027-01-01T09:00:00Z") {
		t.Errorf("digest since: the error does not name the accepted formats: %s", r.raw)
	}
}

// allItems follows cursors two items at a time and returns every item.
func (e *env) allItems(token, query string) []Item {
	e.t.Helper()
	var all []Item
	cursor := ""
	for range 50 {
		r := e.do(http.MethodGet, "/v1/items?limit=2&"+query+"&cursor="+url.QueryEscape(cursor), token, nil)
		wantStatus(e.t, r, http.StatusOK, query)
		var page struct {
			Items []Item
			Next  string
		}
		r.json(e.t, &page)
		all = append(all, page.Items...)
		if cursor = page.Next; cursor == "" {
			return all
		}
	}
	e.t.Fatal("pagination does not end")
	return nil
}

func TestItemDetailEntitiesAndEnrichment(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	ai := e.mustKey(u, scout.ScopeRead, scout.ScopeEnrich)
	reader := e.mustKey(u, scout.ScopeRead)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	items := e.mustItems(src, grantItem("a", "Film grant", time.Now().Add(-time.Hour)), grantItem("b", "Other grant", time.Now().Add(-2*time.Hour)))
	id := itoa(items[0].ID)
	r := e.do(http.MethodPost, "/v1/enrichment/claim", ai, map[string]any{"enricher": "ai-summary", "limit": 1, "lease_seconds": 60})
	wantStatus(t, r, http.StatusOK, "claim")
	var claim struct{ Items []Item }
	r.json(t, &claim)
	if len(claim.Items) != 1 {
		t.Fatalf("claimed %s", r.raw)
	}
	r = e.do(http.MethodPost, "/v1/enrichment/claim", ai, map[string]any{"enricher": "ai-summary", "limit": 5})
	r.json(t, &claim)
	if len(claim.Items) != 1 {
		t.Fatalf("second claim got %d items, want only the one not leased", len(claim.Items))
	}
	body := map[string]any{"summary": "A grant for film makers.", "kind": "grant", "deadline": "2026-06-01T00:00:00Z",
		"amounts": []map[string]any{{"min": 1000, "max": 5000, "currency": "USD", "type": "award"}}, "relevance": 0.9,
		"tags": []string{"film"}, "attributes": map[string]any{"model": "test"}}
	wantStatus(t, e.do(http.MethodPut, "/v1/items/"+id+"/enrichments/ai-summary", reader, body), http.StatusForbidden, "enrich without the scope")
	r = e.do(http.MethodPut, "/v1/items/"+id+"/enrichments/ai-summary", ai, body)
	wantStatus(t, r, http.StatusOK, "put enrichment")
	for _, bad := range []struct {
		name, path string
		body       map[string]any
	}{
		{"relevance over 1", "ai-summary", map[string]any{"relevance": 2}},
		{"unknown kind", "ai-summary", map[string]any{"kind": "lottery"}},
		{"bad currency", "ai-summary", map[string]any{"amounts": []map[string]any{{"currency": "dollars"}}}},
		{"unknown field", "ai-summary", map[string]any{"score": 1}},
		{"built-in enricher name", "RULES", map[string]any{"summary": "x"}},
	} {
		r := e.do(http.MethodPut, "/v1/items/"+id+"/enrichments/"+bad.path, ai, bad.body)
		wantStatus(t, r, http.StatusUnprocessableEntity, bad.name)
		if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Location == "" {
			t.Errorf("%s: no error location: %s", bad.name, r.raw)
		}
	}
	r = e.do(http.MethodGet, "/v1/items/"+id, u.token, nil)
	wantStatus(t, r, http.StatusOK, "get item")
	var it Item
	r.json(t, &it)
	if len(it.Entities) != 1 || len(it.Enrichments) != 1 || it.Enrichments[0].Data.Summary == "" || it.ContentHTML == "" {
		t.Fatalf("item = %s", r.raw)
	}
	if it.Opportunity.Kind != "grant" || it.Opportunity.Status != "closing_soon" || it.Opportunity.Deadline == nil {
		t.Errorf("opportunity = %+v", it.Opportunity)
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/items/"+id+"/entities", u.token, nil), http.StatusOK, "item entities")
	wantStatus(t, e.do(http.MethodGet, "/v1/items/999999", u.token, nil), http.StatusNotFound, "missing item")
	r = e.do(http.MethodGet, "/v1/entities?type=organization&prefix=arts", u.token, nil)
	wantStatus(t, r, http.StatusOK, "entities")
	var ents struct{ Entities []Entity }
	r.json(t, &ents)
	if len(ents.Entities) != 2 {
		t.Fatalf("entities = %s", r.raw)
	}
	r = e.do(http.MethodGet, "/v1/entities/"+itoa(it.Entities[0].Entity.ID), u.token, nil)
	wantStatus(t, r, http.StatusOK, "entity")
	wantStatus(t, e.do(http.MethodGet, "/v1/entities/999999", u.token, nil), http.StatusNotFound, "missing entity")
}

func TestStatsCountWhatTheCallerSees(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	e.mustItems(src, grantItem("a", "Film grant", time.Now().Add(-time.Hour)), grantItem("b", "Old grant", time.Now().Add(-40*24*time.Hour)))
	r := e.do(http.MethodGet, "/v1/stats", u.token, nil)
	wantStatus(t, r, http.StatusOK, "stats")
	var st StatsOutput
	r.json(t, &st.Body)
	b := st.Body
	if b.ItemsLast30Days != 1 || b.ItemsLast90Days != 2 || len(b.PerSource) != 1 || b.Deadlines.Next30Days != 1 || b.Fetches.Total != 1 {
		t.Fatalf("stats = %s", r.raw)
	}
}

func TestDiscoverFindsFeedsThroughTheGuardedClient(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" title="Calls" href="/calls.xml"></head></html>`)
		case "/plain":
			fmt.Fprint(w, `<html><body>no feeds</body></html>`)
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	host := site.Listener.Addr().String()
	e := newEnv(t, func(o *Options) { o.Fetch = mustFetchClient(t, []string{host}) })
	u := e.mustUser("ada@example.org", false)
	for _, tt := range []struct {
		path, want string
	}{{"/", site.URL + "/calls.xml"}, {"/feed", site.URL + "/feed"}, {"/plain", site.URL + "/feed"}} {
		r := e.do(http.MethodPost, "/v1/discover", u.token, map[string]any{"url": site.URL + tt.path})
		wantStatus(t, r, http.StatusOK, "discover "+tt.path)
		var out struct{ Candidates []Candidate }
		r.json(t, &out)
		if len(out.Candidates) == 0 || out.Candidates[0].URL != tt.want {
			t.Errorf("discover %s = %s", tt.path, r.raw)
		}
	}
	r := e.do(http.MethodPost, "/v1/discover", u.token, map[string]any{"url": site.URL + "/missing"})
	wantStatus(t, r, http.StatusUnprocessableEntity, "page that answers 404")
	guarded := newEnv(t)
	gu := guarded.mustUser("ada@example.org", false)
	r = guarded.do(http.MethodPost, "/v1/discover", gu.token, map[string]any{"url": site.URL + "/"})
	wantStatus(t, r, http.StatusUnprocessableEntity, "loopback without an allow entry")
}

func TestEnrichingItemsOfOthersNeedsAnAdminAccount(t *testing.T) {
	e := newEnv(t)
	ada := e.mustUser("ada@example.org", false)
	svc := e.mustUser("ai-module@example.org", true)
	adaKey := e.mustKey(ada, scout.ScopeRead, scout.ScopeEnrich)
	svcKey := e.mustKey(svc, scout.ScopeRead, scout.ScopeEnrich) // narrow key of an admin account
	public := e.mustSource(0, "https://public.example/feed", scout.VisibilityPublic)
	own := e.mustSource(ada.ID, "https://ada.example/feed", scout.VisibilityPrivate)
	pub := e.mustItems(public, grantItem("p", "Public grant", time.Now().Add(-time.Hour)))
	mine := e.mustItems(own, grantItem("m", "Ada's grant", time.Now().Add(-time.Hour)))
	body := map[string]any{"summary": "rewritten"}

	wantStatus(t, e.do(http.MethodPut, "/v1/items/"+itoa(pub[0].ID)+"/enrichments/ai-summary", adaKey, body),
		http.StatusForbidden, "a user rewriting a public item")
	wantStatus(t, e.do(http.MethodPut, "/v1/items/"+itoa(mine[0].ID)+"/enrichments/ai-summary", adaKey, body),
		http.StatusOK, "a user enriching an item of their own source")
	wantStatus(t, e.do(http.MethodPut, "/v1/items/"+itoa(pub[0].ID)+"/enrichments/ai-summary", svcKey, body),
		http.StatusOK, "the service account enriching a public item")

	var claim struct{ Items []Item }
	r := e.do(http.MethodPost, "/v1/enrichment/claim", adaKey, map[string]any{"enricher": "tagger", "limit": 10})
	wantStatus(t, r, http.StatusOK, "user claim")
	r.json(t, &claim)
	if len(claim.Items) != 1 || claim.Items[0].ID != mine[0].ID {
		t.Fatalf("a user's claim returned %+v, want only the item of their own source", claim.Items)
	}
	r = e.do(http.MethodPost, "/v1/enrichment/claim", svcKey, map[string]any{"enricher": "tagger", "limit": 10})
	wantStatus(t, r, http.StatusOK, "service claim")
	r.json(t, &claim)
	if len(claim.Items) != 1 || claim.Items[0].ID != pub[0].ID {
		t.Fatalf("the service account's claim returned %+v, want the public item (the other is leased)", claim.Items)
	}
}

func TestDiscoverLeavesOutCandidatesAtBlockedAddresses(t *testing.T) {
	links := []string{"http://127.0.0.1:9/a.xml", "http://169.254.169.254/latest.xml", "http://2130706433/b.xml",
		"http://0x7f.1/c.xml", "http://localhost:9/d.xml", "http://[::1]/e.xml", "http://10.0.0.5/f.xml", "http://8.8.8.8/ok.xml", "/calls.xml"}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head>")
		for _, l := range links {
			fmt.Fprintf(w, `<link rel="alternate" type="application/rss+xml" href="%s">`, l)
		}
		fmt.Fprint(w, "</head></html>")
	}))
	defer site.Close()
	e := newEnv(t, func(o *Options) { o.Fetch = mustFetchClient(t, []string{site.Listener.Addr().String()}) })
	u := e.mustUser("ada@example.org", false)
	r := e.do(http.MethodPost, "/v1/discover", u.token, map[string]any{"url": site.URL + "/"})
	wantStatus(t, r, http.StatusOK, "discover")
	var out struct{ Candidates []Candidate }
	r.json(t, &out)
	var got []string
	for _, c := range out.Candidates {
		got = append(got, c.URL)
	}
	want := []string{"http://8.8.8.8/ok.xml", site.URL + "/calls.xml"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("candidates = %v, want %v", got, want)
	}
}
