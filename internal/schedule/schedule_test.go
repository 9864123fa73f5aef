package schedule_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/schedule"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// recorder is an Ingester that records calls, detects overlapping fetches
// of one source, and completes each fetch in the real store an hour out.
type recorder struct {
	st       store.Store
	delay    time.Duration
	mu       sync.Mutex
	calls    map[int64]int
	inFlight map[int64]bool
	overlap  atomic.Int32
	cur, max atomic.Int32
}

func newRecorder(st store.Store, delay time.Duration) *recorder {
	return &recorder{st: st, delay: delay, calls: map[int64]int{}, inFlight: map[int64]bool{}}
}

func (r *recorder) Ingest(ctx context.Context, src scout.Source) scout.FetchLog {
	n := r.cur.Add(1)
	defer r.cur.Add(-1)
	for m := r.max.Load(); n > m && !r.max.CompareAndSwap(m, n); m = r.max.Load() {
	}
	r.mu.Lock()
	if r.inFlight[src.ID] {
		r.overlap.Add(1)
	}
	r.inFlight[src.ID] = true
	r.calls[src.ID]++
	r.mu.Unlock()
	select {
	case <-time.After(r.delay):
	case <-ctx.Done():
	}
	r.mu.Lock()
	r.inFlight[src.ID] = false
	r.mu.Unlock()
	log, _ := r.st.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, NextFetchAt: time.Now().Add(time.Hour), Log: scout.FetchLog{StatusCode: 200}})
	return log
}

func seed(t *testing.T, st store.Store, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if _, err := st.CreateSource(context.Background(), scout.Source{URL: fmt.Sprintf("https://feeds.example/%d", i), Visibility: scout.VisibilityPublic}); err != nil {
			t.Fatal(err)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 20s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *recorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		n += c
	}
	return n
}

func TestEveryDueSourceIsFetchedOnceWithinTheWorkerLimit(t *testing.T) {
	st := testdb.SQLite(t, nil)
	seed(t, st, 40)
	rec := newRecorder(st, 20*time.Millisecond)
	s := schedule.New(schedule.Options{Store: st, Ingester: rec, Workers: 4, Poll: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, func() bool { return rec.total() >= 40 })
	time.Sleep(100 * time.Millisecond) // nothing else is due: no more calls
	cancel()
	<-done
	if rec.total() != 40 || len(rec.calls) != 40 {
		t.Fatalf("%d fetches of %d sources, want 40 of 40", rec.total(), len(rec.calls))
	}
	if m := rec.max.Load(); m > 4 || m < 2 {
		t.Fatalf("peak concurrency %d, want 2..4 with 4 workers", m)
	}
}

func TestSchedulersSharingAStoreNeverFetchASourceTwiceAtOnce(t *testing.T) {
	st := testdb.SQLite(t, nil)
	seed(t, st, 60)
	rec := newRecorder(st, 5*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		s := schedule.New(schedule.Options{Store: st, Ingester: rec, Workers: 3, Poll: 10 * time.Millisecond})
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(ctx) }()
	}
	waitFor(t, func() bool { return rec.total() >= 60 })
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	if rec.overlap.Load() != 0 {
		t.Fatalf("%d overlapping fetches of one source", rec.overlap.Load())
	}
	for id, n := range rec.calls {
		if n != 1 {
			t.Fatalf("source %d fetched %d times in one interval", id, n)
		}
	}
}

func TestShutdownLetsFetchesFinishThenCancelsAfterDrain(t *testing.T) {
	st := testdb.SQLite(t, nil)
	seed(t, st, 2)
	rec := newRecorder(st, time.Hour) // hangs until its context ends
	var logs syncBuffer
	s := schedule.New(schedule.Options{Store: st, Ingester: rec, Workers: 2, Poll: 10 * time.Millisecond, Drain: 200 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, func() bool { return rec.cur.Load() == 2 })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the drain period")
	}
	if rec.cur.Load() != 0 {
		t.Fatal("a worker was still fetching after Run returned")
	}
	for _, want := range []string{`msg="waiting for the fetches in flight" fetches=2 at_most=200ms`, `msg="cancelling the fetches still in flight`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("shutdown did not log %s:\n%s", want, logs.String())
		}
	}
}

// syncBuffer is a bytes.Buffer that workers may log to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestQueueLagIsReported(t *testing.T) {
	st := testdb.SQLite(t, nil)
	if _, err := st.CreateSource(context.Background(), scout.Source{URL: "https://feeds.example/late", Visibility: scout.VisibilityPublic,
		NextFetchAt: time.Now().Add(-10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	lags := make(chan time.Duration, 100)
	rec := newRecorder(st, 0)
	s := schedule.New(schedule.Options{Store: st, Ingester: rec, Workers: 1, Poll: 10 * time.Millisecond,
		Lag: func(d time.Duration) { lags <- d }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	first := <-lags
	waitFor(t, func() bool { return rec.total() == 1 })
	// With one worker the next claim waits for the fetch to finish, so every
	// later report is of a queue with nothing due.
	later := time.Duration(-1)
	select {
	case later = <-lags:
	case <-time.After(20 * time.Second):
	}
	cancel()
	<-done
	if first < 10*time.Minute || first > 11*time.Minute || later != 0 {
		t.Fatalf("lag reported %v on the claim, then %v; want about 10m, then 0 once the queue is empty", first, later)
	}
}

// TestAHostAtItsLimitIsServedAsFetchesEndNotAtThePoll: the poll is an hour,
// so only claims made when a fetch ends (a slot frees) or a host's spacing
// elapses can fetch the ten sources of one host within the test.
func TestAHostAtItsLimitIsServedAsFetchesEndNotAtThePoll(t *testing.T) {
	for _, tt := range []struct {
		name string
		hp   store.HostPolicy
	}{
		{"two slots", store.HostPolicy{Concurrency: 2}},
		{"two slots and a spacing", store.HostPolicy{Concurrency: 2, Spacing: 10 * time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := testdb.SQLite(t, nil)
			seed(t, st, 10)
			rec := newRecorder(st, 20*time.Millisecond)
			s := schedule.New(schedule.Options{Store: st, Ingester: rec, Workers: 4, Poll: time.Hour, Hosts: tt.hp})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error)
			go func() { done <- s.Run(ctx) }()
			waitFor(t, func() bool { return rec.total() >= 10 })
			cancel()
			<-done
			if m := rec.max.Load(); m > 2 {
				t.Fatalf("%d fetches of one host at once, limit 2", m)
			}
		})
	}
}
