package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// testConcurrentFetches commits many fetches at once, as ingestion's
// workers do: engines may commit waiting fetches together, and then a fetch
// that fails must fail alone, every other fetch must be stored whole, and
// two fetches of one source (a manual refresh racing the scheduler) must
// leave one copy of each item, searchable by its newest text.
func testConcurrentFetches(t *testing.T, s store.Store, _ *Clock) {
	const sources, perFetch = 12, 15
	srcs := make([]scout.Source, sources)
	for i := range srcs {
		srcs[i] = mustSource(t, s, 0, fmt.Sprintf("https://example.org/feed%d", i), scout.VisibilityPublic)
	}
	var wg sync.WaitGroup
	errs := make([]error, sources+3)
	for i := range sources {
		wg.Go(func() {
			its := manyItems(perFetch, fmt.Sprintf("s%d", i), T0)
			_, errs[i] = s.CompleteFetch(ctx, store.FetchResult{SourceID: srcs[i].ID, Items: its, ETag: `"v1"`,
				NextFetchAt: T0.Add(time.Hour), Log: scout.FetchLog{StatusCode: 200}})
		})
	}
	// A fetch of a source that does not exist fails.
	wg.Go(func() {
		_, errs[sources] = s.CompleteFetch(ctx, store.FetchResult{SourceID: srcs[sources-1].ID + 1000,
			Items: manyItems(3, "ghost", T0), NextFetchAt: T0})
	})
	// Two fetches of the first source: the same keys, the second with a new
	// title for one of them.
	wg.Go(func() {
		its := []scout.Item{item("dup-1", "xylophone grant", T0), item("dup-2", "yodel fellowship", T0)}
		_, errs[sources+1] = s.CompleteFetch(ctx, store.FetchResult{SourceID: srcs[0].ID, Items: its, NextFetchAt: T0})
	})
	wg.Go(func() {
		its := []scout.Item{item("dup-1", "xylophone grant", T0), item("dup-2", "zither fellowship", T0)}
		_, errs[sources+2] = s.CompleteFetch(ctx, store.FetchResult{SourceID: srcs[0].ID, Items: its, NextFetchAt: T0})
	})
	wg.Wait()
	for i, err := range errs {
		switch {
		case i == sources && !errors.Is(err, scout.ErrNotFound):
			t.Errorf("fetch of a missing source: err = %v, want not found", err)
		case i != sources && err != nil:
			t.Errorf("fetch %d failed beside a failing one: %v", i, err)
		}
	}
	for i, src := range srcs {
		got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID})
		want := perFetch
		if i == 0 {
			want += 2
		}
		if len(got) != want {
			t.Errorf("source %d: %d items stored, want %d", i, len(got), want)
		}
		if st, err := s.GetSource(ctx, src.ID); err != nil || (i > 0 && st.ETag != `"v1"`) {
			t.Errorf("source %d: fetch state not saved: %+v, %v", i, st, err)
		}
	}
	if got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "ghost"}); len(got) != 0 {
		t.Errorf("the failed fetch stored %d items", len(got))
	}
	if got := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "xylophone"}); len(got) != 1 {
		t.Errorf("an item fetched twice at once is stored %d times", len(got))
	}
	// Whichever fetch committed last, the item is found by its stored title
	// and by no other.
	dup := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "fellowship", SourceID: srcs[0].ID})
	if len(dup) != 1 {
		t.Fatalf("dup-2: %d items, want 1", len(dup))
	}
	for _, word := range []string{"yodel", "zither"} {
		n := len(itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: word}))
		if inTitle := len(dup[0].Title) >= len(word) && dup[0].Title[:len(word)] == word; (n == 1) != inTitle {
			t.Errorf("search %q finds %d items; the stored title is %q", word, n, dup[0].Title)
		}
	}
}
