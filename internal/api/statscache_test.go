package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// countingCompute returns numbers whose ItemsLast30Days is the number of
// the computation, after gate (when not nil) lets it through.
type countingCompute struct {
	calls atomic.Int64
	gate  chan struct{}
	fail  atomic.Bool
}

func (c *countingCompute) compute(ctx context.Context, _ store.Viewer, now time.Time) (*StatsOutput, error) {
	n := c.calls.Add(1)
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if c.fail.Load() {
		return nil, errors.New("database is gone")
	}
	out := &StatsOutput{}
	out.Body.Now, out.Body.ItemsLast30Days = now, int(n)
	return out, nil
}

func newTestStatsCache(ttl time.Duration, c *countingCompute) *statsCache {
	return newStatsCache(ttl, c.compute, time.Now, slog.New(slog.DiscardHandler))
}

// mustGet returns the computation number of the numbers the cache answers.
func mustGet(t *testing.T, c *statsCache, key string) int {
	t.Helper()
	out, at, err := c.get(t.Context(), key, store.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if !at.Equal(out.Body.Now) {
		t.Fatalf("computed at %s, but the numbers say now = %s", at, out.Body.Now)
	}
	return out.Body.ItemsLast30Days
}

func TestStatsCacheComputesOnceForConcurrentCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cc := &countingCompute{gate: make(chan struct{})}
		c := newTestStatsCache(time.Minute, cc)
		const callers = 10
		got, errs := make([]*StatsOutput, callers), make([]error, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() { got[i], _, errs[i] = c.get(t.Context(), "public", store.Viewer{}) })
		}
		synctest.Wait() // every caller is waiting
		if n := cc.calls.Load(); n != 1 {
			t.Fatalf("%d callers started %d computations, want 1", callers, n)
		}
		close(cc.gate)
		wg.Wait()
		for i := range callers {
			if errs[i] != nil || got[i] != got[0] {
				t.Fatalf("caller %d: %v, %v; want the one computation's numbers", i, got[i], errs[i])
			}
		}
		if mustGet(t, c, "public") != 1 || mustGet(t, c, "user:7") != 2 {
			t.Fatal("a fresh view was recomputed, or a new view was not")
		}
	})
}

func TestStatsCacheServesStaleNumbersWhileOneRefreshRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cc := &countingCompute{}
		c := newTestStatsCache(30*time.Second, cc)
		mustGet(t, c, "public")
		time.Sleep(29 * time.Second)
		if n := mustGet(t, c, "public"); n != 1 || cc.calls.Load() != 1 {
			t.Fatalf("within the TTL: answer %d after %d computations, want 1 after 1", n, cc.calls.Load())
		}
		cc.gate = make(chan struct{})
		time.Sleep(2 * time.Second)
		for range 3 {
			if n := mustGet(t, c, "public"); n != 1 {
				t.Fatalf("past the TTL the cached answer was not served at once: got %d", n)
			}
		}
		synctest.Wait()
		if n := cc.calls.Load(); n != 2 {
			t.Fatalf("three stale answers started %d refreshes in all, want 1", n-1)
		}
		close(cc.gate)
		c.wait()
		if n := mustGet(t, c, "public"); n != 2 {
			t.Fatalf("after the refresh: answer %d, want 2", n)
		}
	})
}

func TestStatsCacheRecomputesNumbersPastTheMaxAge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cc := &countingCompute{}
		c := newTestStatsCache(30*time.Second, cc)
		mustGet(t, c, "public")
		time.Sleep(c.maxAge)
		if n := mustGet(t, c, "public"); n != 2 {
			t.Fatalf("an answer %s old was served (computation %d), want a new one", c.maxAge, n)
		}
	})
}

func TestStatsCacheKeepsNoErrorsAndOlderNumbersOnAFailedRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cc := &countingCompute{}
		c := newTestStatsCache(30*time.Second, cc)
		cc.fail.Store(true)
		if _, _, err := c.get(t.Context(), "public", store.Viewer{}); err == nil {
			t.Fatal("a failed computation returned no error")
		}
		cc.fail.Store(false)
		if n := mustGet(t, c, "public"); n != 2 {
			t.Fatalf("the error was cached: answer %d, want computation 2", n)
		}
		time.Sleep(31 * time.Second)
		cc.fail.Store(true)
		mustGet(t, c, "public") // starts a refresh that fails
		c.wait()
		if n := mustGet(t, c, "public"); n != 2 {
			t.Fatalf("a failed refresh lost the older numbers: answer %d, want 2", n)
		}
	})
}

func TestStatsCacheComputationOutlivesTheCallerThatStartedIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cc := &countingCompute{gate: make(chan struct{})}
		c := newTestStatsCache(time.Minute, cc)
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() { _, _, err := c.get(ctx, "public", store.Viewer{}); errc <- err }()
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("a caller that went away got %v, want context.Canceled", err)
		}
		close(cc.gate)
		if n := mustGet(t, c, "public"); n != 1 || cc.calls.Load() != 1 {
			t.Fatalf("answer %d after %d computations, want the first one's", n, cc.calls.Load())
		}
	})
}

func TestStatsCacheEvictsTheLeastRecentlyUsedView(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cc := &countingCompute{}
		c := newTestStatsCache(time.Hour, cc)
		for i := range statsCacheViews {
			mustGet(t, c, fmt.Sprint("user:", i))
			time.Sleep(time.Second)
		}
		mustGet(t, c, "user:0") // user:1 is now the least recently used
		mustGet(t, c, "public")
		if len(c.entries) != statsCacheViews {
			t.Fatalf("%d views kept, want at most %d", len(c.entries), statsCacheViews)
		}
		if c.entries["user:1"] != nil || c.entries["user:0"] == nil {
			t.Fatal("the evicted view is not the least recently used one")
		}
	})
}

func TestStatsCacheOffWithoutTTL(t *testing.T) {
	if c := newTestStatsCache(0, &countingCompute{}); c != nil {
		t.Fatal("a zero TTL made a cache")
	}
}

// testClock is a settable clock that moves forward by a microsecond each
// time it is read, so that two computations never share a now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Microsecond)
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newStatsEnv starts the API with a stats TTL of 30 s on a clock the test
// moves.
func newStatsEnv(t *testing.T) (*env, *testClock) {
	clock := &testClock{t: time.Now()}
	e := newEnv(t, func(o *Options) { o.StatsTTL, o.Now = 30*time.Second, clock.Now })
	return e, clock
}

// statsOf is one caller's answer from GET /v1/stats.
type statsOf struct {
	items        int
	now          time.Time
	age          string
	cacheControl string
	sources      []string // titles of the sources ranked
	soonest      []string // titles of the soonest deadlines
}

func (e *env) mustStats(token string) statsOf {
	e.t.Helper()
	r := e.do(http.MethodGet, "/v1/stats", token, nil)
	wantStatus(e.t, r, http.StatusOK, "stats")
	var st StatsOutput
	r.json(e.t, &st.Body)
	b := st.Body
	s := statsOf{items: b.ItemsLast90Days, now: b.Now, age: r.header.Get("Age"), cacheControl: r.header.Get("Cache-Control")}
	for _, c := range b.PerSource {
		s.sources = append(s.sources, c.Title)
	}
	for _, it := range b.Deadlines.Soonest {
		s.soonest = append(s.soonest, it.Title)
	}
	return s
}

func TestStatsCallersWithoutPrivateSourcesShareTheNumbers(t *testing.T) {
	e, clock := newStatsEnv(t)
	ann, bob := e.mustUser("ann@example.org", false), e.mustUser("bob@example.org", false)
	e.mustSource(ann.ID, "https://example.org/ann-public", scout.VisibilityPublic)
	pub := e.mustSource(0, "https://example.org/public", scout.VisibilityPublic)
	e.mustItems(pub, grantItem("a", "First grant", time.Now().Add(-time.Hour)))

	first := e.mustStats(ann.token)
	if first.items != 1 || first.age != "0" || first.cacheControl != "private, max-age=30" {
		t.Fatalf("first answer = %+v", first)
	}
	e.mustItems(pub, grantItem("b", "Second grant", time.Now().Add(-time.Hour)))
	clock.Advance(10 * time.Second)
	if got := e.mustStats(bob.token); got.items != 1 || !got.now.Equal(first.now) || got.age != "10" {
		t.Fatalf("another caller without private sources got %+v, want the first answer (now %s), 10 s old", got, first.now)
	}

	clock.Advance(21 * time.Second)
	if got := e.mustStats(bob.token); got.items != 1 || !got.now.Equal(first.now) || got.age != "31" {
		t.Fatalf("past the TTL: %+v, want the first answer at once, 31 s old", got)
	}
	e.h.stats.wait()
	if got := e.mustStats(ann.token); got.items != 2 || !got.now.After(first.now) {
		t.Fatalf("after the refresh: %+v, want the second item counted", got)
	}

	e.mustItems(pub, grantItem("c", "Third grant", time.Now().Add(-time.Hour)))
	clock.Advance(2 * time.Minute)
	if got := e.mustStats(bob.token); got.items != 3 || got.age != "0" {
		t.Fatalf("past the max age: %+v, want new numbers", got)
	}
}

func TestStatsNeverShowPrivateItemsToOtherViews(t *testing.T) {
	e, _ := newStatsEnv(t)
	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	admin := e.mustUser("root@example.org", true)
	pub := e.mustSource(0, "https://example.org/public", scout.VisibilityPublic)
	e.mustItems(pub, grantItem("pub", "Public grant", time.Now().Add(-3*time.Hour)))
	priv := e.mustSource(alice.ID, "https://example.org/alice-private", scout.VisibilityPrivate)
	e.mustItems(priv, grantItem("secret1", "Secret grant", time.Now().Add(-time.Hour)), grantItem("secret2", "Hidden grant", time.Now().Add(-2*time.Hour)))

	public := statsOf{items: 1, sources: []string{pub.Title}, soonest: []string{"Public grant"}}
	all := statsOf{items: 3, sources: []string{priv.Title, pub.Title}, soonest: []string{"Public grant", "Hidden grant", "Secret grant"}}
	steps := []struct {
		who  string
		u    user
		want statsOf
	}{
		{"alice, who owns a private source, asking first", alice, all},
		{"bob after alice", bob, public},
		{"the admin", admin, all},
		{"bob again", bob, public},
		{"alice again", alice, all},
	}
	for _, s := range steps {
		got := e.mustStats(s.u.token)
		if got.items != s.want.items || !slices.Equal(got.sources, s.want.sources) || !slices.Equal(got.soonest, s.want.soonest) {
			t.Fatalf("%s: %d items, sources %q, soonest %q; want %d, %q, %q",
				s.who, got.items, got.sources, got.soonest, s.want.items, s.want.sources, s.want.soonest)
		}
	}

	// A caller who has just made a private source sees it at once, while
	// the public numbers stay without it.
	carol := e.mustUser("carol@example.org", false)
	if got := e.mustStats(carol.token); got.items != 1 {
		t.Fatalf("carol before her private source: %d items, want 1", got.items)
	}
	mine := e.mustSource(carol.ID, "https://example.org/carol-private", scout.VisibilityPrivate)
	e.mustItems(mine, grantItem("carol", "Carol's grant", time.Now().Add(-time.Hour)))
	if got := e.mustStats(carol.token); got.items != 2 {
		t.Fatalf("carol after her private source: %d items, want 2", got.items)
	}
	if got := e.mustStats(bob.token); got.items != 1 || slices.Contains(got.soonest, "Carol's grant") {
		t.Fatalf("bob after carol's private source: %+v", got)
	}
}

func TestStatsConcurrentCallersShareOneComputation(t *testing.T) {
	e, _ := newStatsEnv(t)
	pub := e.mustSource(0, "https://example.org/public", scout.VisibilityPublic)
	e.mustItems(pub, grantItem("a", "A grant", time.Now().Add(-time.Hour)))
	const callers = 8
	tokens := make([]string, callers)
	for i := range tokens {
		tokens[i] = e.mustUser(fmt.Sprintf("u%d@example.org", i), false).token
	}
	nows := make([]time.Time, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i, token := range tokens {
		wg.Go(func() { nows[i], errs[i] = getStatsNow(e, token) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !nows[i].Equal(nows[0]) {
			t.Fatalf("callers got numbers computed at %v: more than one computation", nows)
		}
	}
}

// getStatsNow asks for the stats from any goroutine and returns their now.
func getStatsNow(e *env, token string) (time.Time, error) {
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/stats", nil)
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.client.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		return time.Time{}, fmt.Errorf("status %d: %s (%v)", res.StatusCode, raw, err)
	}
	var b struct {
		Now time.Time `json:"now"`
	}
	err = json.Unmarshal(raw, &b)
	return b.Now, err
}

func TestStatsForgetASourceOnceItIsMadePrivateOrDeleted(t *testing.T) {
	e, _ := newStatsEnv(t)
	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	src := e.mustSource(alice.ID, "https://example.org/alice", scout.VisibilityPublic)
	e.mustItems(src, grantItem("a", "Alice's grant", time.Now().Add(-time.Hour)))
	other := e.mustSource(alice.ID, "https://example.org/alice-2", scout.VisibilityPublic)
	e.mustItems(other, grantItem("b", "Another grant", time.Now().Add(-time.Hour)))
	if got := e.mustStats(bob.token); got.items != 2 || !slices.Contains(got.sources, src.Title) {
		t.Fatalf("before: %+v, want both public sources", got)
	}
	path := "/v1/sources/" + strconv.FormatInt(src.ID, 10)
	wantStatus(t, e.do(http.MethodPatch, path, alice.token, map[string]any{"visibility": "private"}), http.StatusOK, "make private")
	if got := e.mustStats(bob.token); got.items != 1 || slices.Contains(got.sources, src.Title) || slices.Contains(got.soonest, "Alice's grant") {
		t.Fatalf("right after the source was made private, bob sees %+v", got)
	}
	wantStatus(t, e.do(http.MethodDelete, "/v1/sources/"+strconv.FormatInt(other.ID, 10), alice.token, nil), http.StatusNoContent, "delete")
	if got := e.mustStats(bob.token); got.items != 0 || len(got.sources) != 0 {
		t.Fatalf("right after the source was deleted, bob sees %+v", got)
	}
}
