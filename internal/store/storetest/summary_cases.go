package storetest

import (
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// summaryItems are three items whose summary is, in turn, the one derived
// from their text (so the row may leave it out), one of their own, and none
// beside a text.
func summaryItems() []scout.Item {
	text := "Open call for ceramicists.\n\n" + strings.Repeat("Applicants   send a portfolio of recent work.\n", 20) + "Closing words."
	derived := item("derived", "Ceramics residency", T0)
	derived.ContentText = text
	derived.Summary = scout.TextSummary(text)
	own := item("own", "Weaving fellowship", T0.Add(-1))
	own.ContentText = text
	own.Summary = "A tapestry fellowship in Oaxaca"
	none := item("none", "Glass prize", T0.Add(-2))
	none.ContentText = text
	none.Summary = ""
	for _, it := range []*scout.Item{&derived, &own, &none} {
		it.ContentHash = hash(*it)
	}
	return []scout.Item{derived, own, none}
}

// wantSummaries checks that every way of reading items gives back the
// summaries summaryItems stored.
func wantSummaries(t *testing.T, s store.Store, when string) {
	t.Helper()
	want := map[string]string{}
	for _, it := range summaryItems() {
		want[it.GUID] = it.Summary
	}
	if !strings.HasSuffix(want["derived"], "…") || strings.Contains(want["derived"], "  ") {
		t.Fatalf("the derived summary %q is not collapsed and cut", want["derived"])
	}
	list := itemsOf(t, s, store.ItemFilter{Viewer: admin()})
	if len(list) != len(want) {
		t.Fatalf("%s: listed %d items, want %d", when, len(list), len(want))
	}
	for _, it := range list {
		if it.Summary != want[it.GUID] {
			t.Errorf("%s: listed %s with summary %q, want %q", when, it.GUID, it.Summary, want[it.GUID])
		}
		got, err := s.GetItem(ctx, it.ID)
		if err != nil || got.Summary != want[it.GUID] || !strings.HasPrefix(got.ContentText, "Open call") {
			t.Errorf("%s: get %s = summary %q, text %.20q, %v; want summary %q", when, it.GUID, got.Summary, got.ContentText, err, want[it.GUID])
		}
	}
	// The text still finds every item, and a summary of its own is searched.
	if n := len(itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "portfolio"})); n != 3 {
		t.Errorf("%s: 'portfolio' found %d items, want 3", when, n)
	}
	if got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "tapestry"}); len(got) != 1 || got[0].GUID != "own" {
		t.Errorf("%s: 'tapestry' found %+v, want the item whose own summary says it", when, got)
	}
	if got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: `"ceramicists applicants"`, Sort: store.SortRelevance}); len(got) != 3 {
		t.Errorf("%s: a phrase over the summary's words found %d items, want 3", when, len(got))
	}
}

func testSummaries(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, summaryItems()...)
	wantSummaries(t, s, "stored")
	// An edit that makes the summary the text's own, and one that gives the
	// derived one a summary of its own, are both read back.
	edited := summaryItems()
	edited[0].Summary = "Now a summary of its own"
	edited[1].Summary = scout.TextSummary(edited[1].ContentText)
	for i := range edited[:2] {
		edited[i].ContentText += " Edited."
		edited[i].ContentHash = hash(edited[i])
	}
	edited[1].Summary = scout.TextSummary(edited[1].ContentText)
	mustFetch(t, s, src, edited...)
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin()}) {
		want := map[string]string{"derived": edited[0].Summary, "own": edited[1].Summary, "none": ""}[it.GUID]
		if it.Summary != want || it.Version != map[string]int64{"derived": 2, "own": 2, "none": 1}[it.GUID] {
			t.Errorf("after the edit %s has summary %q at version %d, want %q", it.GUID, it.Summary, it.Version, want)
		}
	}
	if got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "tapestry"}); len(got) != 0 {
		t.Errorf("'tapestry' still finds %d items after the summary that said it was replaced", len(got))
	}
}

// SummariesOfExistingRows checks that items stored with their summary
// before rows could leave it out read back the same after the migration
// and its backfill, on every path: the migration down writes the derived
// summaries back into the rows, as older versions stored them, and the
// backfill finds them derived again. s must be fresh and fully migrated.
func SummariesOfExistingRows(t *testing.T, s Migrator) {
	t.Helper()
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, summaryItems()...)
	if err := s.MigrateDownTo(ctx, 66); err != nil {
		t.Fatalf("migrate down below summary_from_text: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	wantSummaries(t, s, "after the migration")
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate once more: %v", err)
	}
	wantSummaries(t, s, "after a second start")
}
