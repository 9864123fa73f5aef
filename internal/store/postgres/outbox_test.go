package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/store/storetest"
	"github.com/scoutdev/scout/internal/testdb"
)

var admin = store.Viewer{Admin: true}

func ids(evs []scout.Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

// A transaction that stays open after appending a change holds back only
// that change: other writers commit, and their changes reach the stream,
// while it runs; its own change follows them once it commits.
func TestLongTransactionDelaysOnlyItsChange(t *testing.T) {
	ctx := context.Background()
	s := testdb.Postgres(t, nil)
	long, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer long.Rollback(ctx)
	if _, err := long.Exec(ctx, `INSERT INTO outbox_pending (type, visibility, payload, created_at)
		VALUES ('source.updated', 'public', '{"long":true}', 1)`); err != nil {
		t.Fatal(err)
	}

	wctx, cancel := context.WithTimeout(ctx, 30*time.Second) // bounds the test, were the writer to wait
	defer cancel()
	src, err := s.CreateSource(wctx, scout.Source{URL: "https://example.org/feed", Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatalf("a writer beside an open transaction: %v", err)
	}
	p, err := s.ListChanges(ctx, admin, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Events) != 1 || p.Events[0].SourceID != src.ID {
		t.Fatalf("changes while a transaction is open = %+v, want the committed source only", p.Events)
	}
	if _, err := long.Exec(ctx, `COMMIT`); err != nil {
		t.Fatal(err)
	}
	q, err := s.ListChanges(ctx, admin, p.Next, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Events) != 1 || string(q.Events[0].Payload) != `{"long":true}` || q.Events[0].ID <= p.Next {
		t.Fatalf("changes after the commit = %+v, want the long transaction's, numbered after %d", q.Events, p.Next)
	}
}

// Replicas write and read one database at once: a consumer of each sees
// every change of both, once, in the same order.
func TestReplicasShareOneChangeOrder(t *testing.T) {
	ctx := context.Background()
	url := testdb.PostgresURL(t)
	replicas := make([]*postgres.Store, 2)
	for i := range replicas {
		s, err := postgres.Open(ctx, postgres.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		replicas[i] = s
	}
	if err := replicas[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const writers, each = 6, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			s := replicas[w%len(replicas)]
			for i := range each {
				if _, err := s.CreateSource(ctx, scout.Source{URL: fmt.Sprintf("https://example.org/%d/%d", w, i),
					Visibility: scout.VisibilityPublic}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := make([][]int64, len(replicas))
	var readers sync.WaitGroup
	for r, s := range replicas {
		readers.Go(func() { seen[r] = ids(storetest.FollowChanges(t, s, 0, 5, done)) })
	}
	readers.Wait()
	all, err := replicas[1].ListEvents(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != writers*each || !slices.IsSorted(ids(all)) {
		t.Fatalf("%d changes stored, want %d in order", len(all), writers*each)
	}
	for r := range replicas {
		if diff := cmp.Diff(ids(all), seen[r]); diff != "" {
			t.Errorf("a consumer of replica %d missed or repeated changes (-stored +seen):\n%s", r, diff)
		}
	}
	for i, e := range all {
		if e.ID != all[0].ID+int64(i) {
			t.Fatalf("change ids %v have a gap", ids(all))
		}
	}
}
