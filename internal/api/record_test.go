package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/testdb"
)

// onBothEngines runs test on an API over SQLite and over PostgreSQL.
func onBothEngines(t *testing.T, test func(*testing.T, *env)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, newEnv(t, func(o *Options) { o.Store = testdb.Postgres(t, nil) })) })
}

// extractedItem is an item whose opportunity the built-in rules read from text.
func extractedItem(guid, title, text string, published time.Time) scout.Item {
	it := scout.Item{GUID: guid, URL: "https://example.org/" + guid, Title: title, ContentText: text, Summary: text,
		ContentHTML: "<p>" + text + "</p>", PublishedAt: published, ContentHash: guid + text}
	extract.Rules{}.Enrich(&it)
	return it
}

const fellowshipText = "The Glen Trust fellowship: fellows receive £1,200 a month for six months. Free to enter. " +
	"A total of £72,000 is available for 10 fellowships. Open to individual artists based in Scotland aged 18-30. " +
	"Applications close 11:59 pm Pacific, March 3, 2027."

func TestItemServesTheRecordInTheFundersOwnTerms(t *testing.T) {
	onBothEngines(t, testItemServesTheRecordInTheFundersOwnTerms)
}

func testItemServesTheRecordInTheFundersOwnTerms(t *testing.T, e *env) {
	u := e.mustUser("ada@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	pub := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	stored := e.mustItems(src, extractedItem("f", "Glen fellowship", fellowshipText, pub))
	r := e.do(http.MethodGet, "/v1/items/"+itoa(stored[0].ID), u.token, nil)
	wantStatus(t, r, http.StatusOK, "get item")
	var it Item
	r.json(t, &it)
	o := it.Opportunity
	d := o.KeyDates.Deadline
	if d == nil || d.Date != "2027-03-03" || d.Time != "23:59" || d.Zone != "America/Los_Angeles" ||
		!d.At.Equal(time.Date(2027, 3, 4, 7, 59, 0, 0, time.UTC)) || d.Provenance.Span == "" {
		t.Errorf("deadline = %+v, want 2027-03-03 23:59 America/Los_Angeles (07:59Z the next day) with its span", d)
	}
	f := o.Funding
	if f.PerRecipient == nil || f.PerRecipient.Max != 7200 || f.PerRecipient.Currency != "GBP" || f.Period != "month" {
		t.Errorf("per recipient %+v period %q, want 7200 GBP over monthly payments", f.PerRecipient, f.Period)
	}
	if f.EntryFee == nil || f.EntryFee.Amount != 0 || f.TotalAvailable == nil || f.TotalAvailable.Amount != 72000 ||
		f.Awards == nil || f.Awards.Max != 10 {
		t.Errorf("funding = %+v, want a free entry, a 72000 pool and 10 awards", f)
	}
	if c := o.Criteria; !strings.Contains(strings.Join(c.ApplicantTypes, ","), "individual") || strings.Join(c.Countries, ",") != "GB-SCT" ||
		c.AgeMin != 18 || c.AgeMax != 30 {
		t.Errorf("eligibility = %+v, want individuals in GB-SCT aged 18-30", c)
	}
	for _, k := range []string{"funding.entry_fee", "funding.total_available", "funding.per_recipient", "eligibility.countries"} {
		if o.Provenance[k].Source != "rules/1" || o.Provenance[k].Span == "" {
			t.Errorf("provenance %s = %+v, want the rules' span", k, o.Provenance[k])
		}
	}
	if !strings.Contains(string(r.raw), `"entry_fee":{"amount":0}`) {
		t.Errorf("a free entry is not served as {\"amount\":0}: %s", r.raw)
	}
}

func TestRecordFiltersAndTheirErrors(t *testing.T) { onBothEngines(t, testRecordFiltersAndTheirErrors) }

func testRecordFiltersAndTheirErrors(t *testing.T, e *env) {
	u := e.mustUser("ada@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	now := time.Now().UTC()
	soon := grantItem("soon", "Paid contest closing soon", now.Add(-time.Hour))
	soon.Opportunity.Deadline = now.Add(3 * 24 * time.Hour)
	soon.Opportunity.Funding = scout.Funding{EntryFee: &scout.Money{Amount: 20, Currency: "USD"},
		PerRecipient: &scout.MoneyRange{Min: 1000, Max: 5000, Currency: "USD"}}
	soon.Opportunity.Criteria = scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantOrganization}, Countries: []string{"US-CA"}}
	e.mustItems(src, extractedItem("f", "Glen fellowship", fellowshipText, now.Add(-2*time.Hour)), soon)
	tests := []struct{ query, want string }{
		{"fee=free", "Glen fellowship"},
		{"fee=paid", "Paid contest closing soon"},
		{"fee=any", "Paid contest closing soon,Glen fellowship"},
		{"fee_max=25", "Paid contest closing soon,Glen fellowship"},
		{"fee_max=0", "Glen fellowship"},
		{"closing_within=7d", "Paid contest closing soon"},
		{"closing_within=48h", ""},
		{"award_min=6000", "Glen fellowship"},
		{"applicant=individual", "Glen fellowship"},
		{"country=us", "Paid contest closing soon"},
		{"country=GB-SCT", "Glen fellowship"},
	}
	for _, tt := range tests {
		var got []string
		for _, it := range e.allItems(u.token, tt.query) {
			got = append(got, it.Title)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("%s: %v, want %q", tt.query, got, tt.want)
		}
	}
	for _, bad := range []string{"fee=cheap", "fee_max=-1", "fee_max=abc", "closing_within=7x", "closing_within=0d",
		"applicant=robot", "country=123", "award_min=-5"} {
		r := e.do(http.MethodGet, "/v1/items?"+bad, u.token, nil)
		wantStatus(t, r, http.StatusUnprocessableEntity, bad)
	}
}

func TestHistoryListsWhatEachVersionChanged(t *testing.T) {
	onBothEngines(t, testHistoryListsWhatEachVersionChanged)
}

func testHistoryListsWhatEachVersionChanged(t *testing.T, e *env) {
	u := e.mustUser("ada@example.org", false)
	other := e.mustUser("bob@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	pub := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	id := e.mustItems(src, extractedItem("f", "Glen fellowship", fellowshipText, pub))[0].ID
	extended := strings.Replace(fellowshipText, "March 3, 2027", "March 17, 2027", 1)
	extended = strings.Replace(extended, "£1,200 a month", "£1,500 a month", 1)
	e.mustItems(src, extractedItem("f", "Glen fellowship", extended, pub))
	r := e.do(http.MethodGet, "/v1/items/"+itoa(id)+"/history", u.token, nil)
	wantStatus(t, r, http.StatusOK, "history")
	var h struct {
		Version  int64
		Versions []Amendment
	}
	r.json(t, &h)
	if h.Version != 2 || len(h.Versions) != 1 || h.Versions[0].Version != 2 {
		t.Fatalf("history = %+v, want one amendment at version 2", h)
	}
	got := map[string]FactChange{}
	for _, c := range h.Versions[0].Changes {
		got[c.Field] = c
	}
	if d := got["deadline"]; !strings.Contains(string(d.Old), `"date":"2027-03-03"`) || !strings.Contains(string(d.New), `"date":"2027-03-17"`) {
		t.Errorf("deadline change %s → %s, want 2027-03-03 → 2027-03-17", d.Old, d.New)
	}
	if p := got["funding.per_recipient"]; !strings.Contains(string(p.Old), "7200") || !strings.Contains(string(p.New), "9000") {
		t.Errorf("per recipient change %s → %s, want 7200 → 9000", p.Old, p.New)
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/items/"+itoa(id)+"/history", other.token, nil), http.StatusNotFound, "another user's item")
	wantStatus(t, e.do(http.MethodGet, "/v1/items/999999/history", u.token, nil), http.StatusNotFound, "no such item")
}

func TestCalendarUsesTheFundersLocalTimeAndZone(t *testing.T) {
	onBothEngines(t, testCalendarUsesTheFundersLocalTimeAndZone)
}

func testCalendarUsesTheFundersLocalTimeAndZone(t *testing.T, e *env) {
	u := e.mustUser("reader@example.org", false)
	src := e.mustSource(0, "https://example.org/cal", scout.VisibilityPublic)
	it := opportunity("z", "Zoned grant", scout.KindGrant, 10, 500, "")
	at := it.Opportunity.Deadline.Truncate(time.Minute)
	local := at.In(time.FixedZone("", -7*3600))
	it.Opportunity.Deadline = at
	it.Opportunity.KeyDates.Deadline = &scout.KeyDate{Label: scout.DateDeadline, Date: local.Format(time.DateOnly),
		Time: local.Format("15:04"), Zone: "America/Los_Angeles", At: at}
	plain := opportunity("p", "Plain grant", scout.KindGrant, 5, 500, "")
	e.mustItems(src, it, plain)
	token, _, _ := e.feedToken(u)
	status, _, body := e.get("/v1/deadlines.ics?token="+url.QueryEscape(token), "")
	if status != http.StatusOK {
		t.Fatalf("ics: %d", status)
	}
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	want := "DTSTART;TZID=America/Los_Angeles -0700:" + local.Format("20060102T150405") + "\r\n"
	if !strings.Contains(unfolded, want) {
		t.Errorf("calendar lacks %q:\n%s", want, unfolded)
	}
	if !strings.Contains(unfolded, "BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles -0700\r\n") || !strings.Contains(unfolded, "TZOFFSETTO:-0700\r\n") {
		t.Errorf("calendar lacks the zone's VTIMEZONE:\n%s", unfolded)
	}
	if !strings.Contains(unfolded, "DTSTART:"+icsTime(plain.Opportunity.Deadline)+"\r\n") {
		t.Errorf("a deadline without a stated time is not kept in UTC:\n%s", unfolded)
	}
}

func TestKindVocabularyIsDocumentedValueByValue(t *testing.T) {
	e := newEnv(t)
	opp := e.h.OpenAPI().Components.Schemas.Map()["Opportunity"]
	if opp == nil || opp.Properties["kind"] == nil {
		t.Fatal("no Opportunity schema with a kind property")
	}
	kind := opp.Properties["kind"]
	if kind.Ref != "" {
		kind = e.h.OpenAPI().Components.Schemas.SchemaFromRef(kind.Ref)
	}
	desc := map[string]string{}
	for _, s := range kind.OneOf {
		if len(s.Enum) == 1 {
			desc[s.Enum[0].(string)] = s.Description
		}
	}
	for _, k := range append([]scout.Kind{scout.KindUnknown}, scout.Kinds...) {
		if desc[kindDTO(k)] == "" {
			t.Errorf("kind %q has no description in the schema", kindDTO(k))
		}
	}
	if len(kind.Enum) != len(scout.Kinds)+1 || desc["none"] == desc["unclassified"] || !strings.Contains(kind.Description, "unclassified") {
		t.Errorf("kind schema enum %v, none %q, unclassified %q: want every kind once, and the two non-kinds told apart", kind.Enum, desc["none"], desc["unclassified"])
	}
}

func TestAmendmentsReachTheChangeFeedAndTheEventStream(t *testing.T) {
	onBothEngines(t, testAmendmentsReachTheChangeFeedAndTheEventStream)
}

func testAmendmentsReachTheChangeFeedAndTheEventStream(t *testing.T, e *env) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go (&event.Tail{Store: e.st, Bus: e.h.events, Poll: 10 * time.Millisecond}).Run(ctx)
	e.h.heartbeat = 50 * time.Millisecond
	ada, bob := e.mustUser("ada@example.org", false), e.mustUser("bob@example.org", false)
	src := e.mustSource(ada.ID, "https://example.org/feed", scout.VisibilityPrivate)
	pub := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	stream, drop := openSSE(t, e.srv.URL, ada.token, "0")
	defer drop()
	id := e.mustItems(src, extractedItem("f", "Glen fellowship", fellowshipText, pub))[0].ID
	extended := strings.Replace(fellowshipText, "March 3, 2027", "March 17, 2027", 1)
	e.mustItems(src, extractedItem("f", "Glen fellowship", extended, pub))

	wantDeadline := func(where string, data string) {
		t.Helper()
		if !strings.Contains(data, `"field":"deadline"`) || !strings.Contains(data, "2027-03-03") || !strings.Contains(data, "2027-03-17") {
			t.Errorf("%s: opportunity.amended without the deadline's old and new dates: %s", where, data)
		}
	}
	_, changes, _ := e.consume(ada.token, "")
	var amended []Change
	for _, c := range changes {
		if c.Type == scout.EventOpportunityAmended {
			amended = append(amended, c)
		}
	}
	if len(amended) != 1 || amended[0].ItemID != id {
		t.Fatalf("/v1/changes has %d opportunity.amended for item %d, want one: %+v", len(amended), id, amended)
	}
	data, _ := json.Marshal(amended[0].Data)
	wantDeadline("/v1/changes", string(data))
	_, theirs, _ := e.consume(bob.token, "")
	for _, c := range theirs {
		if c.ItemID == id {
			t.Errorf("bob's changes show ada's private item: %+v", c)
		}
	}

	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-stream:
			if !ok {
				t.Fatal("the event stream ended before opportunity.amended")
			}
			if ev.typ == scout.EventOpportunityAmended {
				wantDeadline("/v1/events", ev.data)
				return
			}
		case <-timeout:
			t.Fatal("no opportunity.amended on /v1/events within 10 s")
		}
	}
}
