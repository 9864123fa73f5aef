package postgres_test

import (
	"context"
	"encoding/json"
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

// openReplicas opens n stores on one fresh, migrated database.
func openReplicas(t *testing.T, n int) []*postgres.Store {
	ctx := context.Background()
	url := testdb.PostgresURL(t)
	replicas := make([]*postgres.Store, n)
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
	return replicas
}

// Replicas write and read one database at once: a consumer of each sees
// every change of both, once, in the same order.
func TestReplicasShareOneChangeOrder(t *testing.T) {
	ctx := context.Background()
	replicas := openReplicas(t, 2)
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

// Many writers on three replicas of one database, a consumer on each, and
// a transaction that appends its change before any of theirs but commits
// after all of them: every consumer sees every change once, gap-free, in
// one order that agrees with the order of commits, and the late change
// comes last instead of being skipped behind the consumers' cursors.
func TestReplicasKeepCommitOrderPastALateCommit(t *testing.T) {
	ctx := context.Background()
	replicas := openReplicas(t, 3)
	shared, err := replicas[0].CreateSource(ctx, scout.Source{URL: "https://example.org/shared", Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	start, err := replicas[0].LatestEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	long, err := replicas[0].Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer long.Rollback(ctx)
	if _, err := long.Exec(ctx, `INSERT INTO outbox_pending (type, visibility, payload, created_at)
		VALUES ('source.updated', 'public', '{"late":true}', 1)`); err != nil {
		t.Fatal(err)
	}

	writers, rounds := 9, 8
	if testing.Short() {
		writers, rounds = 6, 4
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			s := replicas[w%len(replicas)]
			src, err := s.CreateSource(ctx, scout.Source{URL: fmt.Sprintf("https://example.org/writer/%d", w), Visibility: scout.VisibilityPublic})
			if err != nil {
				t.Errorf("writer %d: %v", w, err)
				return
			}
			for r := range rounds {
				title := fmt.Sprintf("writer %d round %d", w, r)
				if _, err := s.UpdateSource(ctx, src.ID, store.SourceUpdate{Title: &title}); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				if _, err := s.UpdateSource(ctx, shared.ID, store.SourceUpdate{Title: &title}); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	seen := make([][]scout.Event, len(replicas))
	var readers sync.WaitGroup
	for r, s := range replicas {
		readers.Go(func() { seen[r] = storetest.FollowChanges(t, s, start, 4, done) })
	}
	wg.Wait()
	want := writers * (1 + 2*rounds)
	for r, s := range replicas { // the open transaction holds back no one else's changes
		if evs, err := s.ListEvents(ctx, start, 1000); err != nil || len(evs) != want {
			t.Fatalf("replica %d, late transaction still open: %d changes (%v), want every writer's %d", r, len(evs), err, want)
		}
	}
	if _, err := long.Exec(ctx, `COMMIT`); err != nil {
		t.Fatal(err)
	}
	close(done)
	readers.Wait()
	if t.Failed() {
		return
	}

	all, err := replicas[2].ListEvents(ctx, start, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != want+1 {
		t.Fatalf("%d changes stored, want %d", len(all), want+1)
	}
	for i, e := range all {
		if e.ID != start+1+int64(i) {
			t.Fatalf("change ids %v are not gap-free after %d", ids(all), start)
		}
	}
	if last := all[len(all)-1]; string(last.Payload) != `{"late":true}` {
		t.Fatalf("last change = %s, want the late transaction's, which committed last", last.Payload)
	}
	for r := range replicas {
		if diff := cmp.Diff(ids(all), ids(seen[r])); diff != "" {
			t.Errorf("the consumer of replica %d missed or repeated changes (-stored +seen):\n%s", r, diff)
		}
	}
	// Each writer's renames, and the shared source's versions, in the order
	// they were committed in.
	lastRound := map[int64]int{}
	var sharedVersions []int64
	for _, e := range all[:want] {
		var p struct {
			Title   string `json:"title"`
			Version int64  `json:"version"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatalf("change %d: %v", e.ID, err)
		}
		if e.SourceID == shared.ID {
			sharedVersions = append(sharedVersions, p.Version)
			continue
		}
		var w, r int
		if e.Type != scout.EventSourceUpdated {
			continue
		}
		if _, err := fmt.Sscanf(p.Title, "writer %d round %d", &w, &r); err != nil {
			t.Fatalf("change %d: title %q", e.ID, p.Title)
		}
		prev, ok := lastRound[e.SourceID]
		if !ok {
			prev = -1
		}
		if r != prev+1 {
			t.Fatalf("writer %d: round %d follows round %d in the stream", w, r, prev)
		}
		lastRound[e.SourceID] = r
	}
	if len(sharedVersions) != writers*rounds {
		t.Fatalf("%d changes of the shared source, want %d", len(sharedVersions), writers*rounds)
	}
	for i := 1; i < len(sharedVersions); i++ {
		if sharedVersions[i] != sharedVersions[i-1]+1 {
			t.Fatalf("shared source versions in stream order %v: each must follow the one it was written on", sharedVersions)
		}
	}
}

// A follower (each replica's tail, the relay) does not queue behind a
// sequencer that is running: it reads what is numbered and leaves the new
// changes to that sequencer or the next. A lister waits, and then sees
// every change committed before it asked.
func TestFollowerDoesNotQueueBehindTheSequencer(t *testing.T) {
	ctx := context.Background()
	s := testdb.Postgres(t, nil)
	first, err := s.CreateSource(ctx, scout.Source{URL: "https://example.org/first", Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	numbered, err := s.ListEvents(ctx, 0, 100)
	if err != nil || len(numbered) != 1 || numbered[0].SourceID != first.ID {
		t.Fatalf("changes = %+v, %v; want the first source's", numbered, err)
	}
	second, err := s.CreateSource(ctx, scout.Source{URL: "https://example.org/second", Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	hold, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback(ctx)
	if _, err := hold.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(postgres.SequenceLockID)); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithTimeout(ctx, 30*time.Second) // bounds the test, were the follower to wait
	defer cancel()
	if evs, err := s.FollowEvents(fctx, 0, 100); err != nil || !slices.Equal(ids(evs), ids(numbered)) {
		t.Fatalf("follow while another sequencer runs = %v, %v; want what was numbered, %v", ids(evs), err, ids(numbered))
	}
	listed := make(chan []scout.Event, 1)
	go func() {
		evs, err := s.ListEvents(fctx, 0, 100)
		if err != nil {
			t.Error(err)
		}
		listed <- evs
	}()
	if _, err := hold.Exec(ctx, `COMMIT`); err != nil {
		t.Fatal(err)
	}
	if evs := <-listed; len(evs) != 2 || evs[1].SourceID != second.ID {
		t.Fatalf("list after the sequencer finished = %+v, want both sources' changes", evs)
	}
	if evs, err := s.FollowEvents(fctx, numbered[0].ID, 100); err != nil || len(evs) != 1 || evs[0].SourceID != second.ID {
		t.Fatalf("follow after the first change = %+v, %v; want the second source's", evs, err)
	}
}
