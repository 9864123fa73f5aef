package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testIdempotentUpsert(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	a, b := item("a", "Grant A", T0), item("b", "Grant B", T0.Add(time.Minute))
	noID := item("", "No identity at all", T0)
	noID.URL = ""
	noID.ContentHash = hash(noID)
	log := mustFetch(t, s, src, a, b, a, noID) // a twice in one feed
	if log.ItemsNew != 3 || log.ItemsUpdated != 0 || log.ID == 0 {
		t.Fatalf("first fetch log = %+v, want 3 new", log)
	}
	events := func() int {
		evs, _ := s.ListEvents(ctx, 0, 1000)
		return len(evs)
	}
	before := events()
	log = mustFetch(t, s, src, a, b, noID)
	if log.ItemsNew != 0 || log.ItemsUpdated != 0 {
		t.Fatalf("same feed again = %+v, want no changes", log)
	}
	if got := events(); got != before {
		t.Fatalf("unchanged re-fetch wrote %d events", got-before)
	}
	all := itemsOf(t, s, store.ItemFilter{Viewer: admin()})
	if len(all) != 3 {
		t.Fatalf("stored %d items, want 3", len(all))
	}
	edited := a
	edited.ContentText = "Grant A, now with a deadline"
	edited.ContentHash = hash(edited)
	log = mustFetch(t, s, src, edited, b)
	if log.ItemsNew != 0 || log.ItemsUpdated != 1 {
		t.Fatalf("edited fetch = %+v, want 1 updated", log)
	}
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin()}) {
		want := int64(1)
		if it.GUID == "a" {
			want = 2
		}
		if it.Version != want {
			t.Errorf("item %q version = %d, want %d", it.GUID, it.Version, want)
		}
	}
	got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "deadline"})
	if len(got) != 1 || got[0].GUID != "a" {
		t.Fatalf("search after edit = %v (the search index must follow updates)", titles(got))
	}
	full, err := s.GetItem(ctx, got[0].ID)
	if err != nil || full.ContentText != edited.ContentText || full.ContentHTML == "" {
		t.Fatalf("get item = %+v, %v", full, err)
	}
	fetches, err := s.ListFetches(ctx, src.ID, 10)
	if err != nil || len(fetches) != 3 || fetches[0].ItemsUpdated != 1 {
		t.Fatalf("fetch history = %+v, %v", fetches, err)
	}
}

func testGUIDChurn(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	for i := 0; i < 3; i++ {
		it := item(fmt.Sprintf("random-guid-%d", i), "Same title", T0)
		it.URL = "https://example.org/post/1"
		it.ContentHash = hash(it)
		mustFetch(t, s, src, it)
	}
	if got := itemsOf(t, s, store.ItemFilter{Viewer: admin()}); len(got) != 1 {
		t.Fatalf("GUID churn stored %d items, want 1: %v", len(got), titles(got))
	}
}

func testFailedFetch(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, item("a", "A", T0))
	for i := 1; i <= 2; i++ {
		_, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Status: scout.SourceFailing, NextFetchAt: c.Now().Add(time.Minute),
			Log: scout.FetchLog{ErrorClass: scout.ErrorTimeout, Error: "GET https://example.org/feed: timeout after 30s"}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetSource(ctx, src.ID)
		if got.Status != scout.SourceFailing || got.ErrorCount != i || got.LastErrorClass != scout.ErrorTimeout ||
			got.ETag != `"v1"` || got.LastError == "" {
			t.Fatalf("after failure %d = %+v", i, got)
		}
	}
	evs, _ := s.ListEvents(ctx, 0, 1000)
	failed := 0
	for _, e := range evs {
		if e.Type == scout.EventSourceFailed {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("%d source.failed events, want 1 (on the transition only)", failed)
	}
	mustFetch(t, s, src)
	got, _ := s.GetSource(ctx, src.ID)
	if got.Status != scout.SourceOK || got.ErrorCount != 0 || got.LastError != "" {
		t.Fatalf("after recovery = %+v", got)
	}
}

func testAtomicFetch(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.CompleteFetch(cctx, store.FetchResult{SourceID: src.ID, ETag: `"new"`, Items: manyItems(20, "x", T0),
		NextFetchAt: T0.Add(time.Hour), Log: scout.FetchLog{StatusCode: 200}})
	if err == nil {
		t.Fatal("fetch with a cancelled context succeeded")
	}
	got, _ := s.GetSource(ctx, src.ID)
	if got.ETag != "" || !got.NextFetchAt.Equal(T0) {
		t.Fatalf("validators saved although the items were not: %+v", got)
	}
	if items := itemsOf(t, s, store.ItemFilter{Viewer: admin()}); len(items) != 0 {
		t.Fatalf("%d items saved by a failed fetch", len(items))
	}
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID + 1000}); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("fetch of a missing source: err = %v", err)
	}
}

func testPaginationConcurrent(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	other := mustSource(t, s, 0, "https://example.org/other", scout.VisibilityPublic)
	original := manyItems(150, "orig", T0)
	// Some items share a timestamp, so the id must break ties.
	for i := range original[:30] {
		original[i].PublishedAt = T0
	}
	mustFetch(t, s, src, original...)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// New items land before, inside and after the range being paged.
			its := []scout.Item{item(fmt.Sprintf("new-%d", i), "new", T0.Add(time.Duration(i%200)*time.Minute))}
			if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: other.ID, Items: its, NextFetchAt: T0}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	seen := map[string]int{}
	f := store.ItemFilter{Viewer: admin(), PageRequest: store.PageRequest{Limit: 7}}
	var prev *scout.Item
	for {
		p, err := s.ListItems(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Items {
			it := p.Items[i]
			if prev != nil && (it.PublishedAt.After(prev.PublishedAt) || (it.PublishedAt.Equal(prev.PublishedAt) && it.ID >= prev.ID)) {
				t.Fatalf("order broken: %d@%v after %d@%v", it.ID, it.PublishedAt, prev.ID, prev.PublishedAt)
			}
			prev = &it
			if it.SourceID == src.ID {
				seen[it.GUID]++
			}
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	close(stop)
	wg.Wait()
	for _, it := range original {
		if seen[it.GUID] != 1 {
			t.Errorf("item %s seen %d times while paging", it.GUID, seen[it.GUID])
		}
	}
}

func testDeadlinePages(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	its := manyItems(25, "d", T0)
	for i := range its {
		if i%5 != 4 { // every fifth item has no deadline
			its[i].Opportunity.Deadline = T0.AddDate(0, 0, 30-i)
		}
	}
	mustFetch(t, s, src, its...)
	got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Sort: store.SortDeadline, PageRequest: store.PageRequest{Limit: 4}})
	if len(got) != 20 {
		t.Fatalf("deadline order returned %d items, want the 20 with a deadline", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Opportunity.Deadline.Before(got[i-1].Opportunity.Deadline) {
			t.Fatalf("deadline order broken at %d", i)
		}
	}
}

func testItemFilters(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic, "arts")
	other := mustSource(t, s, 0, "https://example.org/other", scout.VisibilityPublic)
	grant := item("g", "Film grant", T0)
	grant.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Deadline: T0.AddDate(0, 1, 0), AmountMin: 5000, AmountMax: 10000, Currency: "USD",
		Extractor: "rules/1", Eligibility: []string{"emerging"}, Provenance: map[string]scout.Provenance{"kind": {Source: "rules/1", Confidence: 0.9}}}
	prize := item("p", "Poetry prize", T0.Add(time.Hour))
	prize.Opportunity = scout.Opportunity{Kind: scout.KindContest, Deadline: T0.AddDate(0, 3, 0), AmountMin: 500, AmountMax: 500}
	news := item("n", "News", T0.Add(2*time.Hour))
	news.Opportunity.Kind = scout.KindNone
	mustFetch(t, s, src, grant, prize)
	mustFetch(t, s, other, news)
	v := admin()
	cases := []struct {
		name string
		f    store.ItemFilter
		want []string
	}{
		{"kind", store.ItemFilter{Viewer: v, Kind: scout.KindGrant}, []string{"Film grant"}},
		{"deadline window", store.ItemFilter{Viewer: v, DeadlineAfter: T0.AddDate(0, 2, 0)}, []string{"Poetry prize"}},
		{"deadline before", store.ItemFilter{Viewer: v, DeadlineBefore: T0.AddDate(0, 2, 0)}, []string{"Film grant"}},
		{"amount at least", store.ItemFilter{Viewer: v, AmountAtLeast: 1000}, []string{"Film grant"}},
		{"amount at most", store.ItemFilter{Viewer: v, AmountAtMost: 1000}, []string{"Poetry prize"}},
		{"source", store.ItemFilter{Viewer: v, SourceID: other.ID}, []string{"News"}},
		{"source tag", store.ItemFilter{Viewer: v, Tag: "arts"}, []string{"Poetry prize", "Film grant"}},
		{"published window", store.ItemFilter{Viewer: v, PublishedAfter: T0.Add(time.Minute), PublishedBefore: T0.Add(90 * time.Minute)}, []string{"Poetry prize"}},
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, titles(itemsOf(t, s, tc.f))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	got := itemsOf(t, s, store.ItemFilter{Viewer: v, Kind: scout.KindGrant})[0].Opportunity
	if got.AmountMax != 10000 || got.Currency != "USD" || !got.Deadline.Equal(grant.Opportunity.Deadline) ||
		!cmp.Equal(got.Eligibility, []string{"emerging"}) || got.Provenance["kind"].Confidence != 0.9 {
		t.Errorf("opportunity round trip = %+v", got)
	}
	if _, err := s.ListItems(ctx, store.ItemFilter{Viewer: v, Sort: "random"}); !errors.Is(err, scout.ErrInvalid) {
		t.Errorf("unknown sort: err = %v", err)
	}
}

func testSearch(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src,
		item("1", "Documentary film grant", T0),
		item("2", "Music residency in Berlin", T0.Add(time.Minute)),
		item("3", "Film festival news", T0.Add(2*time.Minute)),
		item("4", "Grant for documentary photography", T0.Add(3*time.Minute)),
	)
	v := admin()
	cases := []struct {
		q    string
		want []string
	}{
		{"film", []string{"Film festival news", "Documentary film grant"}},
		{`"film grant"`, []string{"Documentary film grant"}},
		{"grant -film", []string{"Grant for documentary photography"}},
		{"residency OR festival", []string{"Film festival news", "Music residency in Berlin"}},
		{`grant -"documentary film"`, []string{"Grant for documentary photography"}},
		{"films", []string{"Film festival news", "Documentary film grant"}}, // stemming
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, titles(itemsOf(t, s, store.ItemFilter{Viewer: v, Query: tc.q}))); diff != "" {
			t.Errorf("q=%s (-want +got):\n%s", tc.q, diff)
		}
	}
	ranked := itemsOf(t, s, store.ItemFilter{Viewer: v, Query: "documentary", Sort: store.SortRelevance, PageRequest: store.PageRequest{Limit: 1}})
	if len(ranked) != 2 {
		t.Fatalf("relevance paging returned %v", titles(ranked))
	}
	for _, q := range []string{"-film", `"" ""`, "OR"} {
		if _, err := s.ListItems(ctx, store.ItemFilter{Viewer: v, Query: q}); !errors.Is(err, scout.ErrInvalid) {
			t.Errorf("q=%q: err = %v, want ErrInvalid", q, err)
		}
	}
	if _, err := s.ListItems(ctx, store.ItemFilter{Viewer: v, Query: `AND NOT ( "unbalanced * ^ NEAR(`}); err != nil {
		t.Errorf("query syntax characters must be searched as text, not fail: %v", err)
	}
	t.Run("every plan gives the brute-force order, page by page", func(t *testing.T) { testSearchPlans(t, s) })
}

// testSearchPlans searches enough items that an engine may choose among
// plans (walking newest first for a common term, ranking only the best hits)
// and checks each answer against one computed from the plain list. Items in
// the title group rank alike and above those in the body group, so the
// expected relevance order is the title group, then the body group, each by id.
func testSearchPlans(t *testing.T, s store.Store) {
	alice, bob := mustUser(t, s, "plans-alice@example.org", false), mustUser(t, s, "plans-bob@example.org", false)
	pub := mustSource(t, s, 0, "https://example.org/plans", scout.VisibilityPublic)
	priv := mustSource(t, s, alice.ID, "https://example.org/plans-private", scout.VisibilityPrivate)
	mustFetch(t, s, pub, planItems("pub", 400)...)
	mustFetch(t, s, priv, planItems("priv", 60)...)
	byPublished := func(a, b scout.Item) bool {
		return a.PublishedAt.After(b.PublishedAt) || a.PublishedAt.Equal(b.PublishedAt) && a.ID > b.ID
	}
	byRelevance := func(a, b scout.Item) bool {
		ta, tb := strings.Contains(a.Title, "bursary"), strings.Contains(b.Title, "bursary")
		return ta && !tb || ta == tb && a.ID < b.ID
	}
	planned := func(it scout.Item) bool { return it.SourceID == pub.ID || it.SourceID == priv.ID } // each has "bursary"
	zephyr := func(it scout.Item) bool { return strings.Contains(it.Title, "zephyr") }
	cases := []struct {
		name   string
		viewer store.Viewer
		q      string
		hit    func(scout.Item) bool // judged from the plain list, which has no content_text
		sort   store.ItemSort
		source int64
		less   func(a, b scout.Item) bool
	}{
		{"a common term by date, to another user", store.Viewer{UserID: bob.ID}, "bursary", planned, store.SortPublished, 0, byPublished},
		{"a common term by date, to the owner of the private source", store.Viewer{UserID: alice.ID}, "bursary", planned, store.SortPublished, 0, byPublished},
		{"a common term by relevance, to another user", store.Viewer{UserID: bob.ID}, "bursary", planned, store.SortRelevance, 0, byRelevance},
		{"a common term by relevance, to the owner", store.Viewer{UserID: alice.ID}, "bursary", planned, store.SortRelevance, 0, byRelevance},
		{"a common term by relevance in a small source", store.Viewer{UserID: alice.ID}, "bursary", planned, store.SortRelevance, priv.ID, byRelevance},
		{"a rare term by date", store.Viewer{UserID: bob.ID}, "zephyr", zephyr, store.SortPublished, 0, byPublished},
		{"a rare term by relevance, to the owner", store.Viewer{UserID: alice.ID}, "zephyr", zephyr, store.SortRelevance, 0, byRelevance},
	}
	for _, tc := range cases {
		all := itemsOf(t, s, store.ItemFilter{Viewer: tc.viewer, SourceID: tc.source, PageRequest: store.PageRequest{Limit: 200}})
		var want []int64
		slices.SortFunc(all, func(a, b scout.Item) int {
			if tc.less(a, b) {
				return -1
			}
			return 1
		})
		for _, it := range all {
			if tc.hit(it) {
				want = append(want, it.ID)
			}
		}
		if len(want) == 0 {
			t.Fatalf("%s: no item matches %q", tc.name, tc.q)
		}
		for _, limit := range []int{13, 50} {
			got := itemsOf(t, s, store.ItemFilter{Viewer: tc.viewer, SourceID: tc.source, Query: tc.q, Sort: tc.sort,
				PageRequest: store.PageRequest{Limit: limit}})
			ids := make([]int64, len(got))
			for i, it := range got {
				ids[i] = it.ID
				if it.SourceID == priv.ID && tc.viewer.UserID != alice.ID {
					t.Fatalf("%s: item %d of another user's private source is visible", tc.name, it.ID)
				}
			}
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("%s, pages of %d (-want +got):\n%s", tc.name, limit, diff)
			}
		}
	}
}

// planItems makes n items with the word "bursary", a sixth of them in the
// title and the rest only in the body, each group alike in length, with
// "zephyr" in every hundredth; every third shares a timestamp with the next.
func planItems(prefix string, n int) []scout.Item {
	out := make([]scout.Item, n)
	for i := range out {
		published := T0.Add(-time.Duration(i/3) * time.Minute)
		extra := "plain"
		if i%100 == 7 {
			extra = "zephyr"
		}
		it := item(fmt.Sprintf("%s-%d", prefix, i), fmt.Sprintf("award %s %d", extra, i), published)
		it.ContentText = fmt.Sprintf("an award of note %d bursary text", i)
		if i%6 == 0 {
			it.Title = fmt.Sprintf("bursary %s %d", extra, i)
			it.ContentText = fmt.Sprintf("an award of note %d award text", i)
		}
		it.Summary = "for artists"
		it.ContentHash = hash(it)
		out[i] = it
	}
	return out
}

func testItemHashes(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	other := mustSource(t, s, 0, "https://example.org/other", scout.VisibilityPublic)
	a := item("a", "A", T0)
	a.Opportunity.Extractor = "rules/1"
	mustFetch(t, s, src, a, item("b", "B", T0))
	mustFetch(t, s, other, item("c", "C", T0))
	got, err := s.GetItemHashes(ctx, src.ID, []string{"a", "b", "c", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.ItemHash{"a": {ContentHash: a.ContentHash, Extractor: "rules/1"}, "b": {ContentHash: item("b", "B", T0).ContentHash}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("hashes (-want +got):\n%s (another source's items and unknown keys must be absent)", diff)
	}
	log, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Unchanged: 2, NextFetchAt: T0.Add(time.Hour), Log: scout.FetchLog{StatusCode: 200}})
	if err != nil || log.ItemsSeen != 2 {
		t.Fatalf("unchanged items not counted as seen: %+v, %v", log, err)
	}
}
