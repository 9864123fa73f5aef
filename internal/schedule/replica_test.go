package schedule_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/schedule"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// farm serves n feeds of three items each. It counts requests per feed,
// flags two requests for one feed in flight at once, and holds every
// request whose User-Agent names the doomed replica until it gives up.
type farm struct {
	mu       sync.Mutex
	requests map[string]int
	inFlight map[string]int
	overlaps int
	held     int
}

func (f *farm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	feed := r.URL.Path
	f.mu.Lock()
	f.requests[feed]++
	f.inFlight[feed]++
	if f.inFlight[feed] > 1 {
		f.overlaps++
	}
	doomed := strings.Contains(r.UserAgent(), "doomed")
	if doomed {
		f.held++
	}
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inFlight[feed]--; f.mu.Unlock() }()
	if doomed {
		<-r.Context().Done() // the replica dies mid-fetch
		return
	}
	fmt.Fprintf(w, `<rss version="2.0"><channel><title>%[1]s</title>
<item><guid>%[1]s/1</guid><title>Grant one</title><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate></item>
<item><guid>%[1]s/2</guid><title>Grant two</title><pubDate>Tue, 03 Mar 2026 10:00:00 +0000</pubDate></item>
<item><guid>%[1]s/3</guid><title>Grant three</title><pubDate>Wed, 04 Mar 2026 10:00:00 +0000</pubDate></item>
</channel></rss>`, feed)
}

func replica(t *testing.T, st store.Store, ua string, lease time.Duration) *schedule.Scheduler {
	t.Helper()
	c, err := fetch.New(fetch.Options{UserAgent: ua, Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1,
		PerHostConcurrency: 8, Timeout: lease / 2})
	if err != nil {
		t.Fatal(err)
	}
	in := ingest.New(ingest.Options{Fetcher: c, Store: st})
	return schedule.New(schedule.Options{Store: st, Ingester: in, Workers: 3, Lease: lease, Poll: 20 * time.Millisecond, Drain: 10 * time.Millisecond})
}

// TestThreeReplicasOnPostgreSQL runs three schedulers on one PostgreSQL
// database. Each source is fetched once per interval, never twice at once;
// one replica dies mid-fetch, and after its leases expire the others take
// its sources over, with nothing lost or duplicated.
func TestThreeReplicasOnPostgreSQL(t *testing.T) {
	st := testdb.Postgres(t, nil)
	f := &farm{requests: map[string]int{}, inFlight: map[string]int{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	const n = 45
	for i := 0; i < n; i++ {
		if _, err := st.CreateSource(context.Background(), scout.Source{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i), Visibility: scout.VisibilityPublic}); err != nil {
			t.Fatal(err)
		}
	}
	const lease = 3 * time.Second
	ctx, stopAll := context.WithCancel(context.Background())
	defer stopAll()
	doomedCtx, kill := context.WithCancel(ctx)
	var wg sync.WaitGroup
	run := func(ctx context.Context, s *schedule.Scheduler) {
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(ctx) }()
	}
	run(doomedCtx, replica(t, st, "Scout/test doomed", lease))
	waitFor(t, func() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.held > 0 })
	run(ctx, replica(t, st, "Scout/test a", lease))
	run(ctx, replica(t, st, "Scout/test b", lease))
	time.Sleep(200 * time.Millisecond)
	kill() // the doomed replica stops with its fetches unfinished

	waitFor(t, func() bool {
		p, err := st.ListItems(context.Background(), store.ItemFilter{Viewer: store.Viewer{Admin: true}, PageRequest: store.PageRequest{Limit: 200}})
		return err == nil && len(p.Items) == 3*n
	})
	time.Sleep(300 * time.Millisecond) // nothing more is due
	stopAll()
	wg.Wait()

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.overlaps != 0 {
		t.Fatalf("%d fetches of a feed overlapped", f.overlaps)
	}
	retried := 0
	for feed, k := range f.requests {
		switch k {
		case 1:
		case 2:
			retried++ // once by the doomed replica, once after its lease expired
		default:
			t.Errorf("%s fetched %d times in one interval", feed, k)
		}
	}
	if retried != f.held || len(f.requests) != n {
		t.Fatalf("%d feeds fetched twice, %d held by the dead replica, %d feeds requested of %d", retried, f.held, len(f.requests), n)
	}
	page, err := st.ListItems(context.Background(), store.ItemFilter{Viewer: store.Viewer{Admin: true}, PageRequest: store.PageRequest{Limit: 200}})
	if err != nil || len(page.Items) != 3*n {
		t.Fatalf("stored %d items, want %d (nothing lost, nothing duplicated)", len(page.Items), 3*n)
	}
}
