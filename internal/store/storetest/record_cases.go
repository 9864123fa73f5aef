package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// pacificDeadline is "11:59 pm Pacific, March 24": a local day that is the
// next day in UTC.
func pacificDeadline() *scout.KeyDate {
	return &scout.KeyDate{Label: scout.DateDeadline, Date: "2026-03-24", Time: "23:59", Zone: "America/Los_Angeles",
		At: time.Date(2026, 3, 25, 6, 59, 0, 0, time.UTC), Provenance: scout.Provenance{Source: "rules/1", Span: "11:59 pm Pacific, March 24", Confidence: 0.8}}
}

func recordItem(guid, title string, published time.Time) scout.Item {
	it := item(guid, title, published)
	k := pacificDeadline()
	it.Opportunity = scout.Opportunity{Kind: scout.KindFellowship, Deadline: k.At, AmountMin: 1200, AmountMax: 1200, Currency: "GBP",
		Extractor: "rules/1",
		KeyDates: scout.KeyDates{Deadline: k, Other: []scout.KeyDate{{Label: scout.DateIntent, Date: "2026-03-10",
			At: time.Date(2026, 3, 10, 23, 59, 59, 0, time.UTC), Provenance: scout.Provenance{Source: "rules/1", Span: "March 10", Confidence: 0.5}}}},
		Funding: scout.Funding{Period: scout.PeriodMonth, Duration: &scout.Duration{Count: 6, Unit: scout.PeriodMonth},
			PerRecipient: &scout.MoneyRange{Min: 7200, Max: 7200, Currency: "GBP"}, TotalAvailable: &scout.Money{Amount: 72000, Currency: "GBP"},
			Awards: &scout.AwardCount{Min: 10, Max: 10}, EntryFee: &scout.Money{Amount: 0}},
		Criteria: scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantIndividual}, AgeMin: 18, AgeMax: 30,
			Countries: []string{"GB-SCT"}, Spans: []string{"artists based in Scotland aged 18-30"}},
		Provenance: map[string]scout.Provenance{"funding.entry_fee": {Source: "rules/1", Span: "Free to enter", Confidence: 0.8}}}
	return it
}

func testRecordRoundTrip(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	want := recordItem("r", "Scottish fellowship", T0)
	mustFetch(t, s, src, want)
	list := itemsOf(t, s, store.ItemFilter{Viewer: admin()})
	if len(list) != 1 {
		t.Fatalf("got %d items, want 1", len(list))
	}
	one, err := s.GetItem(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]scout.Opportunity{"list": list[0].Opportunity, "get": one.Opportunity} {
		w := want.Opportunity
		if diff := cmp.Diff(w.KeyDates, got.KeyDates); diff != "" {
			t.Errorf("%s: key dates (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(w.Funding, got.Funding); diff != "" {
			t.Errorf("%s: funding (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(w.Criteria, got.Criteria); diff != "" {
			t.Errorf("%s: eligibility (-want +got):\n%s", name, diff)
		}
		if got.Funding.EntryFee == nil || got.Funding.EntryFee.Amount != 0 {
			t.Errorf("%s: a free entry came back as %+v", name, got.Funding.EntryFee)
		}
	}
}

func testRecordFilters(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	free := recordItem("free", "Free fellowship", T0) // deadline in 24 days, free, 7200 GBP total, individuals in GB-SCT
	paid := item("paid", "Paid contest", T0.Add(time.Minute))
	paid.Opportunity = scout.Opportunity{Kind: scout.KindContest, Deadline: T0.Add(3 * 24 * time.Hour), AmountMin: 500, AmountMax: 500, Currency: "USD",
		Funding:  scout.Funding{EntryFee: &scout.Money{Amount: 25, Currency: "EUR"}, PerRecipient: &scout.MoneyRange{Min: 500, Max: 500, Currency: "USD"}},
		Criteria: scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantOrganization}, Countries: []string{"US"}}}
	silent := item("silent", "Grant that states no fee", T0.Add(2*time.Minute))
	silent.Opportunity = scout.Opportunity{Kind: scout.KindGrant, AmountMax: 9000, Currency: "USD"}
	mustFetch(t, s, src, free, paid, silent)
	v := admin()
	fee := func(x float64) *float64 { return &x }
	cases := []struct {
		name string
		f    store.ItemFilter
		want []string
	}{
		{"fee=free keeps only a stated free entry", store.ItemFilter{Viewer: v, Fee: store.FeeFree}, []string{"Free fellowship"}},
		{"fee=paid keeps only a fee above zero", store.ItemFilter{Viewer: v, Fee: store.FeePaid}, []string{"Paid contest"}},
		{"fee=any does not filter", store.ItemFilter{Viewer: v, Fee: store.FeeAny}, []string{"Grant that states no fee", "Paid contest", "Free fellowship"}},
		{"fee_max keeps stated fees up to it", store.ItemFilter{Viewer: v, FeeAtMost: fee(30)}, []string{"Paid contest", "Free fellowship"}},
		{"fee_max 0 is free only", store.ItemFilter{Viewer: v, FeeAtMost: fee(0)}, []string{"Free fellowship"}},
		{"closing within a week", store.ItemFilter{Viewer: v, ClosingWithin: 7 * 24 * time.Hour, Now: T0}, []string{"Paid contest"}},
		{"award_min reads the per-recipient total, not the monthly amount", store.ItemFilter{Viewer: v, AwardAtLeast: 5000}, []string{"Free fellowship"}},
		{"applicant=individual", store.ItemFilter{Viewer: v, Applicant: scout.ApplicantIndividual}, []string{"Free fellowship"}},
		{"a country matches its subdivisions", store.ItemFilter{Viewer: v, Country: "GB"}, []string{"Free fellowship"}},
		{"a subdivision matches itself", store.ItemFilter{Viewer: v, Country: "GB-SCT"}, []string{"Free fellowship"}},
		{"country codes are read in any case", store.ItemFilter{Viewer: v, Country: "us"}, []string{"Paid contest"}},
		{"another country matches nothing", store.ItemFilter{Viewer: v, Country: "FR"}, []string{}},
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, titles(itemsOf(t, s, tc.f))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	c.Advance(5 * 24 * time.Hour) // the contest has closed: closing_within uses the clock
	if got := titles(itemsOf(t, s, store.ItemFilter{Viewer: v, ClosingWithin: 7 * 24 * time.Hour})); len(got) != 0 {
		t.Errorf("closing within a week, five days later: %v, want none", got)
	}
}

func testAmendments(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	v1 := recordItem("a", "Fellowship", T0)
	mustFetch(t, s, src, v1)
	id := itemsOf(t, s, store.ItemFilter{Viewer: admin()})[0].ID
	if got, err := s.ListAmendments(ctx, id, 0); err != nil || len(got) != 0 {
		t.Fatalf("a new item has amendments %v, %v", got, err)
	}
	// An edit that changes no fact is a new version but no amendment.
	c.Advance(time.Hour)
	v2 := v1
	v2.ContentText += " (typo fixed)"
	v2.ContentHash = hash(v2)
	mustFetch(t, s, src, v2)
	// The deadline is extended by a week and the fee is dropped.
	c.Advance(time.Hour)
	v3 := v2
	v3.ContentText += " Deadline extended."
	v3.ContentHash = hash(v3)
	o := v3.Opportunity
	k := *o.KeyDates.Deadline
	k.Date, k.At = "2026-03-31", k.At.AddDate(0, 0, 7)
	o.KeyDates.Deadline, o.Deadline = &k, k.At
	o.Funding.EntryFee = nil
	v3.Opportunity = o
	mustFetch(t, s, src, v3)
	got, err := s.ListAmendments(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Version != 3 {
		t.Fatalf("amendments = %+v, want one, for version 3", got)
	}
	fields := map[string][2]string{}
	for _, ch := range got[0].Changes {
		fields[ch.Field] = [2]string{string(ch.Old), string(ch.New)}
	}
	if len(fields) != 2 || fields["funding.entry_fee"][1] != "null" || fields["funding.entry_fee"][0] != `{"amount":0}` {
		t.Errorf("changes = %v, want deadline and funding.entry_fee (free → not stated)", fields)
	}
	var oldD, newD struct{ Date, Time, Zone string }
	_ = json.Unmarshal([]byte(fields["deadline"][0]), &oldD)
	_ = json.Unmarshal([]byte(fields["deadline"][1]), &newD)
	if oldD.Date != "2026-03-24" || newD.Date != "2026-03-31" || newD.Time != "23:59" || newD.Zone != "America/Los_Angeles" {
		t.Errorf("deadline change %+v → %+v, want 2026-03-24 → 2026-03-31 at 23:59 America/Los_Angeles", oldD, newD)
	}
	evs, err := s.ListEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var amended []scout.Event
	for _, e := range evs {
		if e.Type == scout.EventOpportunityAmended {
			amended = append(amended, e)
		}
	}
	if len(amended) != 1 || amended[0].ItemID != id {
		t.Fatalf("opportunity.amended events = %+v, want one for item %d", amended, id)
	}
	var p struct {
		Version int64          `json:"version"`
		Changes []scout.Change `json:"changes"`
	}
	if err := json.Unmarshal(amended[0].Payload, &p); err != nil || p.Version != 3 || len(p.Changes) != 2 {
		t.Errorf("amended payload = %s (%v), want version 3 with two changes", amended[0].Payload, err)
	}
}

// Migrator is a store whose schema a test can roll back and forward.
type Migrator interface {
	store.Store
	Migrate(ctx context.Context) error
	MigrateDownTo(ctx context.Context, version int64) error
}

// RecordsOfExistingRows checks that rows stored before the record existed
// survive its migration with an empty record, that RecomputeRecords fills
// them from their stored text without a new version or event, and that it
// then finds none left. s must be fresh and fully migrated.
func RecordsOfExistingRows(t *testing.T, s Migrator) {
	t.Helper()
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	old := item("old", "Free poetry contest", T0)
	old.ContentText = "Free to enter."
	old.ContentHash = hash(old)
	old.Opportunity = scout.Opportunity{Kind: scout.KindContest, Deadline: T0.AddDate(0, 1, 0), Extractor: "rules/1"}
	mustFetch(t, s, src, old)
	if err := s.MigrateDownTo(ctx, 9); err != nil {
		t.Fatalf("migrate down below the record: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	before := itemsOf(t, s, store.ItemFilter{Viewer: admin()})
	if len(before) != 1 || before[0].Opportunity.Funding.EntryFee != nil || before[0].Opportunity.Kind != scout.KindContest {
		t.Fatalf("after the migration: %+v, want the contest with no record yet", before)
	}
	wantBackfill(t, s, "before the recompute", 1)
	evs, _ := s.ListEvents(ctx, 0, 1000)
	var seen []scout.Item
	n, err := s.RecomputeRecords(ctx, 0, func(it *scout.Item) {
		seen = append(seen, *it)
		if it.ContentText == "Free to enter." {
			it.Opportunity.Funding.EntryFee = &scout.Money{Amount: 0}
		}
	})
	if err != nil || n != 1 || len(seen) != 1 || seen[0].Title != old.Title || !seen[0].PublishedAt.Equal(T0) {
		t.Fatalf("recompute = %d, %v; saw %+v", n, err, seen)
	}
	if n, err := s.RecomputeRecords(ctx, 0, func(*scout.Item) {}); n != 0 || err != nil {
		t.Fatalf("second recompute = %d, %v, want none left", n, err)
	}
	wantBackfill(t, s, "after the recompute", 0)
	after := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Fee: store.FeeFree})
	if len(after) != 1 || after[0].Version != before[0].Version || after[0].Opportunity.Kind != scout.KindContest {
		t.Fatalf("free items after recompute = %+v, want the contest at version %d", after, before[0].Version)
	}
	if evs2, _ := s.ListEvents(ctx, 0, 1000); len(evs2) != len(evs) {
		t.Errorf("recompute wrote %d events, want none", len(evs2)-len(evs))
	}
}

// wantBackfill checks the records CountBackfill says are left to recompute.
func wantBackfill(t *testing.T, s store.Store, when string, records int64) {
	t.Helper()
	if b, err := s.CountBackfill(ctx); err != nil || b.Records != records {
		t.Fatalf("backfill %s = %+v, %v; want %d records", when, b, err, records)
	}
}

func testRecordPrecedence(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	it := recordItem("p", "Fellowship", T0)
	mustFetch(t, s, src, it)
	id := itemsOf(t, s, store.ItemFilter{Viewer: admin()})[0].ID
	// "hi" outranks the extractor by default, but not for eligibility.
	mustEnrich(t, s, id, "hi", `{"confidence": 0.7,
		"key_dates": {"deadline": {"label": "deadline", "date": "2026-04-01", "time": "17:00", "zone": "Europe/London",
			"at": "2026-04-01T16:00:00Z"}},
		"funding": {"entry_fee": {"amount": 10, "currency": "EUR"}},
		"eligibility_criteria": {"countries": ["FR"]}}`)
	got, err := s.GetItem(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	o := got.Opportunity
	d := o.KeyDates.Deadline
	if d == nil || d.Date != "2026-04-01" || d.Time != "17:00" || d.Zone != "Europe/London" || d.Provenance.Source != "hi" ||
		!o.Deadline.Equal(time.Date(2026, 4, 1, 16, 0, 0, 0, time.UTC)) || o.Provenance["deadline"].Source != "hi" {
		t.Errorf("deadline = %+v (instant %v, by %q), want the enricher's 17:00 Europe/London", d, o.Deadline, o.Provenance["deadline"].Source)
	}
	if f := o.Funding.EntryFee; f == nil || f.Amount != 10 || o.Provenance["funding.entry_fee"].Source != "hi" {
		t.Errorf("entry fee = %+v by %q, want the enricher's 10 EUR", f, o.Provenance["funding.entry_fee"].Source)
	}
	if p := o.Funding.PerRecipient; p == nil || p.Max != 7200 || o.Funding.Period != scout.PeriodMonth {
		t.Errorf("per recipient = %+v, period %q: what the enricher left alone must stay the extractor's", p, o.Funding.Period)
	}
	if c := o.Criteria.Countries; len(c) != 1 || c[0] != "GB-SCT" {
		t.Errorf("countries = %v, want the extractor's (it outranks hi for eligibility)", c)
	}
	if got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), Fee: store.FeePaid})); len(got) != 1 {
		t.Errorf("fee=paid after the enrichment: %v, want the item", got)
	}
	as, err := s.ListAmendments(ctx, id, 0)
	if err != nil || len(as) != 1 {
		t.Fatalf("amendments = %+v, %v; want the enrichment's", as, err)
	}
	var fields []string
	for _, c := range as[0].Changes {
		fields = append(fields, c.Field)
	}
	if diff := cmp.Diff([]string{"deadline", "funding.entry_fee"}, fields); diff != "" {
		t.Errorf("amended fields (-want +got):\n%s", diff)
	}
	// Withdrawing the enrichment falls back to the extractor's record.
	mustEnrich(t, s, id, "hi", `{}`)
	back, _ := s.GetItem(ctx, id)
	if d := back.Opportunity.KeyDates.Deadline; d == nil || d.Date != "2026-03-24" || back.Opportunity.Funding.EntryFee == nil ||
		back.Opportunity.Funding.EntryFee.Amount != 0 {
		t.Errorf("after withdrawal: deadline %+v, fee %+v; want the extractor's", d, back.Opportunity.Funding.EntryFee)
	}
}
