package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// extracted is an item as the built-in extractor leaves it.
func extracted(guid, text string, deadline time.Time) scout.Item {
	it := item(guid, guid, T0)
	it.ContentText = text
	it.ContentHash = hash(it)
	it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, KindConfidence: 0.9, Deadline: deadline,
		AmountMin: 1000, AmountMax: 5000, Currency: "USD", Funder: "Arts Council", Extractor: "rules/1",
		Provenance: map[string]scout.Provenance{
			"kind":     {Source: "rules/1", Span: "grant", Confidence: 0.9},
			"amount":   {Source: "rules/1", Span: "$1,000 to $5,000", Confidence: 0.8},
			"funder":   {Source: "rules/1", Span: "Arts Council", Confidence: 0.7},
			"deadline": {Source: "rules/1", Span: "deadline", Confidence: 0.9},
		}}
	if deadline.IsZero() {
		delete(it.Opportunity.Provenance, "deadline")
	}
	return it
}

// facetOf is what the precedence test compares: the effective fields and
// who supplied them.
type facetOf struct {
	Kind                         scout.Kind
	Deadline                     time.Time
	AmountMax                    int64
	Currency                     string
	Funder                       string
	KindBy, DeadlineBy, AmountBy string
	DeadlineConf                 float64
	Version                      int64
}

func mustFacet(tb testing.TB, s store.Store, id int64) facetOf {
	tb.Helper()
	it, err := s.GetItem(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	o := it.Opportunity
	return facetOf{Kind: o.Kind, Deadline: o.Deadline, AmountMax: o.AmountMax, Currency: o.Currency, Funder: o.Funder,
		KindBy: o.Provenance["kind"].Source, DeadlineBy: o.Provenance["deadline"].Source, AmountBy: o.Provenance["amount"].Source,
		DeadlineConf: o.Provenance["deadline"].Confidence, Version: it.Version}
}

func mustEnrich(tb testing.TB, s store.Store, id int64, enricher, data string) {
	tb.Helper()
	if _, err := s.PutEnrichment(ctx, scout.Enrichment{ItemID: id, Enricher: enricher, Data: json.RawMessage(data)}); err != nil {
		tb.Fatalf("put %s: %v", enricher, err)
	}
}

func testEnrichmentPrecedence(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	day := 24 * time.Hour
	mustFetch(t, s, src, extracted("g", "first text", T0.Add(30*day)), extracted("r", "rolling text", time.Time{}))
	ids := map[string]int64{}
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin()}) {
		ids[it.Title] = it.ID
	}
	g, r := ids["g"], ids["r"]
	rules := facetOf{Kind: scout.KindGrant, Deadline: T0.Add(30 * day), AmountMax: 5000, Currency: "USD", Funder: "Arts Council",
		KindBy: "rules/1", DeadlineBy: "rules/1", AmountBy: "rules/1", DeadlineConf: 0.9, Version: 1}
	at := func(d time.Duration) string { return T0.Add(d).Format(time.RFC3339) }
	steps := []struct {
		name     string
		id       int64
		enricher string
		data     string // "" re-fetches g with the given text instead
		text     string
		want     func(f facetOf) facetOf
	}{
		{"an unranked enricher changes nothing", g, "stranger", fmt.Sprintf(`{"kind":"residency","deadline":%q}`, at(60*day)), "",
			func(f facetOf) facetOf { return f }},
		{"a lower-ranked enricher does not override stated fields", g, "lo",
			fmt.Sprintf(`{"deadline":%q,"amounts":[{"min":1,"max":2,"currency":"EUR"}]}`, at(90*day)), "",
			func(f facetOf) facetOf { return f }},
		{"a higher-ranked enricher overrides the deadline", g, "hi", fmt.Sprintf(`{"deadline":%q,"confidence":0.7}`, at(45*day)), "",
			func(f facetOf) facetOf {
				f.Deadline, f.DeadlineBy, f.DeadlineConf, f.Version = T0.Add(45*day), "hi", 0.7, f.Version+1
				return f
			}},
		{"re-extraction keeps the higher-ranked deadline", g, "", "", "edited text",
			func(f facetOf) facetOf { f.Version++; return f }},
		{"amounts of other types and unknown kinds are not awards", g, "hi",
			fmt.Sprintf(`{"deadline":%q,"confidence":0.7,"kind":"lottery","amounts":[{"min":25,"currency":"USD","type":"fee"},{"max":20000,"currency":"usd"}]}`, at(45*day)), "",
			func(f facetOf) facetOf { f.AmountMax, f.AmountBy, f.Version = 20000, "hi", f.Version+1; return f }},
		{"withdrawing the override falls back to the extractor", g, "hi", `{"summary":"no dates"}`, "",
			func(f facetOf) facetOf {
				f.Deadline, f.DeadlineBy, f.DeadlineConf, f.AmountMax, f.AmountBy, f.Version = T0.Add(31*day), "rules/1", 0.9, 5000, "rules/1", f.Version+1
				return f
			}},
	}
	want := rules
	for _, st := range steps {
		if st.data == "" {
			mustFetch(t, s, src, extracted("g", st.text, T0.Add(31*day)))
		} else {
			mustEnrich(t, s, st.id, st.enricher, st.data)
		}
		want = st.want(want)
		if diff := cmp.Diff(want, mustFacet(t, s, g)); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", st.name, diff)
		}
	}
	// The base the fallback restored is the re-extracted one (31 days).
	got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), DeadlineAfter: T0.Add(40 * day)}))
	if len(got) != 0 {
		t.Errorf("deadline filter after fallback = %v, want none", got)
	}
	// A lower-ranked enricher fills what the extractor left empty, and
	// filters see the value.
	mustEnrich(t, s, r, "lo", fmt.Sprintf(`{"deadline":%q,"confidence":0.4}`, at(50*day)))
	if f := mustFacet(t, s, r); !f.Deadline.Equal(T0.Add(50*day)) || f.DeadlineBy != "lo" || f.KindBy != "rules/1" {
		t.Errorf("gap filled by lo = %+v", f)
	}
	got = titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), DeadlineAfter: T0.Add(40 * day)}))
	if diff := cmp.Diff([]string{"r"}, got); diff != "" {
		t.Errorf("deadline filter sees the enriched deadline (-want +got):\n%s", diff)
	}
}
