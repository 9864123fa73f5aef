package event_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// flaky acknowledges events, failing once after the first of a batch.
type flaky struct {
	mu     sync.Mutex
	failed bool
	got    []int64
}

func (f *flaky) Publish(_ context.Context, evs []scout.Event) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.failed && len(evs) > 1 {
		f.failed = true
		f.got = append(f.got, evs[0].ID)
		return 1, errors.New("broker unavailable")
	}
	for _, e := range evs {
		f.got = append(f.got, e.ID)
	}
	return len(evs), nil
}

func (f *flaky) ids() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.got...)
}

func mustSources(tb testing.TB, st store.Store, n int) []int64 {
	tb.Helper()
	for i := range n {
		if _, err := st.CreateSource(context.Background(), scout.Source{URL: fmt.Sprintf("https://example.org/%d", i),
			Kind: scout.SourceFeed, Visibility: scout.VisibilityPublic}); err != nil {
			tb.Fatal(err)
		}
	}
	evs, err := st.ListEvents(context.Background(), 0, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	return ids
}

func TestRelayRetriesAfterAFailureWithoutLosingOrReordering(t *testing.T) {
	st := testdb.SQLite(t, nil)
	want := mustSources(t, st, 7)
	pub := &flaky{}
	r := event.NewRelay(event.RelayOptions{Store: st, Publisher: pub, Batch: 3, Poll: 5 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, Rand: rand.New(rand.NewPCG(1, 2))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for len(pub.ids()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(want, pub.ids()); diff != "" {
		t.Fatalf("published ids (-want +got):\n%s", diff)
	}
	if n, err := r.Step(context.Background()); n != 0 || err != nil {
		t.Fatalf("after the relay caught up, a step relayed %d, %v", n, err)
	}
}

func TestBusDropsASlowSubscriberWithoutBlocking(t *testing.T) {
	var bus event.Bus
	slow, fast := bus.Subscribe(2), bus.Subscribe(100)
	defer fast.Close()
	var evs []scout.Event
	for i := range 10 {
		evs = append(evs, scout.Event{ID: int64(i + 1)})
	}
	done := make(chan struct{})
	go func() {
		for _, e := range evs {
			bus.Publish(context.Background(), []scout.Event{e})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("publish blocked on a subscriber that does not read")
	}
	var got []int64
	for range evs {
		got = append(got, (<-fast.C()).ID)
	}
	if len(got) != 10 || got[9] != 10 {
		t.Fatalf("fast subscriber got %v", got)
	}
	n := 0
	for range slow.C() {
		n++
	}
	if n != 2 || !slow.Lagged() || bus.Subscribers() != 1 {
		t.Fatalf("slow subscriber: %d buffered, lagged %v, %d left; want 2, true, 1", n, slow.Lagged(), bus.Subscribers())
	}
	slow.Close() // closing a dropped subscription is harmless
}

func TestTailPublishesOnlyNewRows(t *testing.T) {
	st := testdb.SQLite(t, nil)
	mustSources(t, st, 2) // written before the tail starts: not replayed
	var bus event.Bus
	sub := bus.Subscribe(10)
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tail := &event.Tail{Store: st, Bus: &bus, Poll: 5 * time.Millisecond}
	go tail.Run(ctx)
	time.Sleep(50 * time.Millisecond) // let it find the end
	if _, err := st.CreateSource(ctx, scout.Source{URL: "https://example.org/new", Kind: scout.SourceFeed, Visibility: scout.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-sub.C():
		if e.Type != scout.EventSourceCreated || e.ID != 3 {
			t.Fatalf("tail published %+v, want the third event", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("tail did not publish the new row")
	}
}

func TestKeeperPrunesByAgeAndAnnouncesClosing(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := testdb.SQLite(t, clock)
	mustSources(t, st, 2)
	k := &event.Keeper{Store: st, Retention: time.Hour, RelayedOnly: false, ArchiveAfter: 24 * time.Hour,
		Now: func() time.Time { return now.Add(2 * time.Hour) }}
	if err := k.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	if evs, _ := st.ListEvents(context.Background(), 0, 10); len(evs) != 0 {
		t.Fatalf("%d rows older than the retention window are left", len(evs))
	}
}

// The relay and the tail report how old the oldest change they handed on
// was, and 0 once there is nothing new.
func TestRelayAndTailReportTheirLag(t *testing.T) {
	hourAgo := time.Now().Add(-time.Hour)
	st := testdb.SQLite(t, func() time.Time { return hourAgo })
	mustSources(t, st, 2)
	var lags []time.Duration
	lag := func(d time.Duration) { lags = append(lags, d) }
	r := event.NewRelay(event.RelayOptions{Store: st, Publisher: &flaky{failed: true}, Lag: lag})
	tail := &event.Tail{Store: st, Bus: &event.Bus{}, Lag: lag}
	for range 2 {
		if _, err := r.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	after, err := tail.Step(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tail.Step(context.Background(), after); err != nil {
		t.Fatal(err)
	}
	if len(lags) != 4 || lags[0] < time.Hour || lags[1] != 0 || lags[2] < time.Hour || lags[3] != 0 {
		t.Fatalf("relay, relay, tail, tail lags = %v; want an hour or more, then 0, twice", lags)
	}
}
