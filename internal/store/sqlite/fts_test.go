package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// The store writes new items to the FTS5 index itself, once per
// transaction (migration 00006); updates and deletes go through triggers.
// FTS5's own integrity check compares the index with the items table, so a
// row indexed twice, never, or with stale text fails it.
func TestFullTextIndexFollowsInsertsUpdatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t, nil)
	now := time.Now().UTC().Truncate(time.Second)
	src, err := s.CreateSource(ctx, scout.Source{URL: "https://example.org/feed.xml", Visibility: scout.VisibilityPublic, NextFetchAt: now})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(items ...scout.Item) {
		t.Helper()
		if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: items, Interval: time.Hour,
			NextFetchAt: now.Add(time.Hour), Log: scout.FetchLog{StartedAt: now, StatusCode: 200}}); err != nil {
			t.Fatal(err)
		}
	}
	item := func(guid, title string) scout.Item {
		return scout.Item{GUID: guid, Title: title, ContentText: "body of " + title, PublishedAt: now, ContentHash: title}
	}
	search := func(q string) []string {
		t.Helper()
		page, err := s.ListItems(ctx, store.ItemFilter{Viewer: store.Viewer{Admin: true}, Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range page.Items {
			out = append(out, it.GUID)
		}
		return out
	}
	check := func(step string) {
		t.Helper()
		if _, err := s.W.ExecContext(ctx, `INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("%s: FTS index differs from the items: %v", step, err)
		}
	}

	var batch []scout.Item
	for i := range 30 {
		batch = append(batch, item(fmt.Sprint("g", i), fmt.Sprintf("marimba residency %d", i)))
	}
	fetch(batch...)
	check("after inserts")
	if got := search("marimba"); len(got) != 30 {
		t.Fatalf("search after insert found %d items, want 30", len(got))
	}

	// One fetch that both updates a stored item and inserts new ones: the
	// update must not run before the new rows are indexed, in either order.
	fetch(item("n1", "oboe commission"), item("g3", "theremin fellowship"), item("n2", "oboe prize"))
	check("after a mixed fetch")
	if got := search("theremin"); len(got) != 1 || got[0] != "g3" {
		t.Errorf("updated title: search found %v, want [g3]", got)
	}
	if got := search("oboe"); len(got) != 2 {
		t.Errorf("new items of a mixed fetch: search found %v, want n1 and n2", got)
	}
	if got := search("marimba"); len(got) != 29 {
		t.Errorf("old title still indexed: search found %d items, want 29", len(got))
	}

	// Two fetches of the source committed in one group (a refresh racing
	// the scheduler): the second updates an item the first inserted in the
	// same transaction. Holding the writer while both queue makes them one
	// group; were they not, the check below would still hold.
	held, err := s.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { fetch(item("p1", "piccolo grant")) })
	time.Sleep(50 * time.Millisecond)
	wg.Go(func() { fetch(item("p1", "bassoon grant")) })
	time.Sleep(50 * time.Millisecond)
	held.Rollback()
	wg.Wait()
	check("after an insert and an update in one group")
	if got := search("bassoon"); len(got) != 1 {
		t.Errorf("item updated in its inserting transaction: search found %v, want [p1]", got)
	}
	if got := search("piccolo"); len(got) != 0 {
		t.Errorf("old text of an item updated in its inserting transaction still indexed: %v", got)
	}

	if _, err := s.W.ExecContext(ctx, `DELETE FROM items WHERE guid = 'n1'`); err != nil {
		t.Fatal(err)
	}
	check("after a delete")
	if got := search("oboe"); len(got) != 1 || got[0] != "n2" {
		t.Errorf("after delete: search found %v, want [n2]", got)
	}
}
