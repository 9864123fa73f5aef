package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// hostSources creates perHost due sources on each of hosts and returns them
// by host.
func hostSources(t *testing.T, s store.Store, perHost int, hosts ...string) map[string][]scout.Source {
	t.Helper()
	out := map[string][]scout.Source{}
	for _, h := range hosts {
		for i := range perHost {
			src := mustSource(t, s, 0, fmt.Sprintf("https://%s/feed/%d", h, i), scout.VisibilityPublic)
			if src.Host != h {
				t.Fatalf("source %s has host %q, want %q", src.URL, src.Host, h)
			}
			out[h] = append(out[h], src)
		}
	}
	return out
}

// claimRace runs three claimers at once, each claiming until nothing is
// left, and returns every source they leased.
func claimRace(t *testing.T, s store.Store, c *Clock, hp store.HostPolicy) []scout.Source {
	t.Helper()
	var mu sync.Mutex
	var got []scout.Source
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				srcs, err := s.ClaimDueSources(ctx, c.Now(), 1+w, time.Hour, hp)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(srcs) == 0 {
					return
				}
				mu.Lock()
				got = append(got, srcs...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return got
}

func perHost(srcs []scout.Source) map[string]int {
	n := map[string]int{}
	for _, s := range srcs {
		n[s.Host]++
	}
	return n
}

func complete(t *testing.T, s store.Store, c *Clock, srcs []scout.Source) {
	t.Helper()
	for _, src := range srcs {
		if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, NextFetchAt: c.Now().Add(24 * time.Hour),
			Status: scout.SourceOK, Log: scout.FetchLog{StatusCode: 200}}); err != nil {
			t.Fatal(err)
		}
	}
}

// testHostLimitsAcrossClaimers: three claimers racing never lease more than
// a host's limit, round after round, until every source is fetched once.
func testHostLimitsAcrossClaimers(t *testing.T, s store.Store, c *Clock) {
	hosts := []string{"a.example", "b.example", "c.example"}
	hostSources(t, s, 9, hosts...)
	hostSources(t, s, 1, "d.example")
	hp := store.HostPolicy{Concurrency: 2}
	seen := map[int64]int{}
	for round := 1; round <= 5; round++ {
		got := claimRace(t, s, c, hp)
		n := perHost(got)
		want := min(2, 9-2*(round-1)) // the limit, or what is left
		for _, h := range hosts {
			if n[h] != want {
				t.Fatalf("round %d: %d sources of %s leased at once, want %d (%v)", round, n[h], h, want, n)
			}
		}
		if want := map[bool]int{true: 1, false: 0}[round == 1]; n["d.example"] != want {
			t.Fatalf("round %d: d.example leased %d, want %d", round, n["d.example"], want)
		}
		for _, src := range got {
			if seen[src.ID]++; seen[src.ID] > 1 {
				t.Fatalf("source %d leased twice", src.ID)
			}
			if q, err := s.HostQueue(ctx, src.Host, c.Now()); err != nil || q.InFlight != n[src.Host] {
				t.Fatalf("host queue of %s = %+v, %v; want %d in flight", src.Host, q, err, n[src.Host])
			}
		}
		complete(t, s, c, got)
	}
	if q, _ := s.HostQueue(ctx, "a.example", c.Now()); q.InFlight != 0 || q.Due != 0 {
		t.Fatalf("after five rounds a.example's queue = %+v, want empty (one source was fetched in the last round)", q)
	}
}

// testHostSpacing: with a spacing, claims start one fetch per host per
// spacing, whoever claims, until the host's concurrency is reached.
func testHostSpacing(t *testing.T, s store.Store, c *Clock) {
	hostSources(t, s, 5, "a.example", "b.example")
	hp := store.HostPolicy{Concurrency: 2, Spacing: time.Minute}
	if got := perHost(claimRace(t, s, c, hp)); got["a.example"] != 1 || got["b.example"] != 1 {
		t.Fatalf("first claims took %v, want one per host", got)
	}
	c.Advance(30 * time.Second)
	if got := claimRace(t, s, c, hp); len(got) != 0 {
		t.Fatalf("claimed %d sources before the spacing elapsed", len(got))
	}
	c.Advance(30 * time.Second)
	if got := perHost(claimRace(t, s, c, hp)); got["a.example"] != 1 || got["b.example"] != 1 {
		t.Fatalf("after the spacing claims took %v, want one more per host", got)
	}
	c.Advance(time.Minute)
	if got := claimRace(t, s, c, hp); len(got) != 0 {
		t.Fatalf("claimed %d sources of hosts at their concurrency limit", len(got))
	}
}

// testDeadClaimerReleasesHosts: a claimer that dies holds its host slots
// only until its leases expire; then they, and its sources, come back.
func testDeadClaimerReleasesHosts(t *testing.T, s store.Store, c *Clock) {
	by := hostSources(t, s, 4, "slow.example", "fast.example")
	hp := store.HostPolicy{Concurrency: 2}
	dead, err := s.ClaimDueSources(ctx, c.Now(), 2, time.Minute, hp)
	if err != nil || len(dead) != 2 {
		t.Fatalf("first claim = %d sources, %v", len(dead), err)
	}
	if dead[0].Host == dead[1].Host {
		t.Fatalf("a claim of two took both from %s while another host had due work", dead[0].Host)
	}
	dead = append(dead, mustClaim(t, s, c, 10, hp)...)
	if got := perHost(dead); got["slow.example"] != 2 || got["fast.example"] != 2 {
		t.Fatalf("the doomed claimer holds %v, want 2 per host", got)
	}
	c.Advance(30 * time.Second)
	if got := mustClaim(t, s, c, 10, hp); len(got) != 0 {
		t.Fatalf("claimed %d sources while the doomed claimer's leases hold every slot", len(got))
	}
	c.Advance(31 * time.Second) // the claimer died: its leases expire
	back := mustClaim(t, s, c, 10, hp)
	if got := perHost(back); got["slow.example"] != 2 || got["fast.example"] != 2 {
		t.Fatalf("after the leases expired another claimer got %v, want 2 per host", got)
	}
	ids := map[int64]bool{}
	for _, src := range back {
		ids[src.ID] = true
	}
	for _, src := range dead {
		if !ids[src.ID] {
			t.Fatalf("source %d of the dead claimer was not claimed again first (its host queue is ordered by due time)", src.ID)
		}
	}
	_ = by
}

func mustClaim(t *testing.T, s store.Store, c *Clock, n int, hp store.HostPolicy) []scout.Source {
	t.Helper()
	got, err := s.ClaimDueSources(ctx, c.Now(), n, time.Minute, hp)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// testClaimOrder: hosts take turns, and a source scheduled "now" goes to the
// head of its host's queue and before every other host's turn.
func testClaimOrder(t *testing.T, s store.Store, c *Clock) {
	big := hostSources(t, s, 20, "big.example")["big.example"]
	c.Advance(time.Minute)
	small := hostSources(t, s, 2, "small.example")["small.example"]
	c.Advance(time.Minute)
	hp := store.HostPolicy{Concurrency: 10}
	got := mustClaim(t, s, c, 2, hp)
	if len(got) != 2 || got[0].ID != big[0].ID || got[1].ID != small[0].ID {
		t.Fatalf("claim of 2 = %v, want the oldest of each host, most overdue host first", ids(got))
	}
	if err := s.ScheduleSource(ctx, big[19].ID, c.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.ScheduleSource(ctx, small[1].ID, c.Now()); err != nil {
		t.Fatal(err)
	}
	got = mustClaim(t, s, c, 3, hp)
	if len(got) != 3 || got[0].ID != big[19].ID || got[1].ID != small[1].ID || got[2].ID != big[1].ID {
		t.Fatalf("claim after refreshes = %v, want the two refreshed sources first, then big's oldest", ids(got))
	}
	if q, _ := s.HostQueue(ctx, "big.example", c.Now()); q.InFlight != 3 || q.Due != 17 || q.Urgent != 0 {
		t.Fatalf("big's queue = %+v, want 3 in flight, 17 due, none urgent once claimed", q)
	}
}

func ids(srcs []scout.Source) []int64 {
	out := make([]int64, len(srcs))
	for i, s := range srcs {
		out[i] = s.ID
	}
	return out
}

// testHostLimitsUnderChurn: three claimers racing while sources are
// refreshed (jumping to the head of their host's queue) and fetches complete
// (freeing slots) never hold more than a host's limit at once. Without
// churn every claimer picks a prefix of the same host queue, so row locks
// alone keep the limit; a refresh reorders the queue, and only claims that
// read the in-flight count one at a time still keep it.
func testHostLimitsUnderChurn(t *testing.T, s store.Store, c *Clock) {
	by := hostSources(t, s, 12, "a.example", "b.example")
	hp := store.HostPolicy{Concurrency: 2}
	var mu sync.Mutex
	held := map[int64]scout.Source{} // claimed and not yet completed: leased in the store
	inFlight := func(host string) (n int) {
		for _, src := range held {
			if src.Host == host {
				n++
			}
		}
		return n
	}
	var claims, violations int
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 80 {
				srcs, err := s.ClaimDueSources(ctx, c.Now(), 1+w, time.Hour, hp)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				mu.Lock()
				claims += len(srcs)
				for _, src := range srcs {
					held[src.ID] = src
					if k := inFlight(src.Host); k > hp.Concurrency {
						violations++
						t.Errorf("%d sources of %s held at once, limit %d", k, src.Host, hp.Concurrency)
					}
				}
				mu.Unlock()
				for _, src := range srcs {
					if q, err := s.HostQueue(ctx, src.Host, c.Now()); err != nil || q.InFlight > hp.Concurrency {
						t.Errorf("host queue of %s = %+v, %v: over the limit of %d", src.Host, q, err, hp.Concurrency)
					}
				}
			}
		}()
	}
	stop := make(chan struct{})
	var churn sync.WaitGroup
	churn.Add(2)
	go func() { // refreshes: each jumps to the head of its host's queue
		defer churn.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			src := by[[]string{"a.example", "b.example"}[i%2]][(i*7)%12]
			if err := s.ScheduleSource(ctx, src.ID, c.Now()); err != nil {
				t.Errorf("refresh: %v", err)
				return
			}
		}
	}()
	go func() { // completions: a slot frees, the source is due again at once
		defer churn.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			var done []scout.Source
			for id, src := range held {
				done = append(done, src)
				delete(held, id) // before the store frees it: held stays a subset of the leased
			}
			mu.Unlock()
			for _, src := range done {
				if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, NextFetchAt: c.Now(),
					Status: scout.SourceOK, Log: scout.FetchLog{StatusCode: 200}}); err != nil {
					t.Errorf("complete: %v", err)
					return
				}
			}
		}
	}()
	wg.Wait()
	close(stop)
	churn.Wait()
	if claims < 24 {
		t.Fatalf("only %d sources claimed: the churn did not run claims against freed slots", claims)
	}
	if violations > 0 {
		t.Fatalf("%d claims went over a host's limit", violations)
	}
}

// testHostLags: hosts rank by their most overdue waiting source, over what
// the viewer may see; leased, paused and not yet due sources do not wait.
func testHostLags(t *testing.T, s store.Store, c *Clock) {
	alice := mustUser(t, s, "alice@example.org", false)
	bob := mustUser(t, s, "bob@example.org", false)
	create := func(owner int64, url string, vis scout.Visibility, due time.Time) scout.Source {
		t.Helper()
		src, err := s.CreateSource(ctx, scout.Source{OwnerID: owner, URL: url, Visibility: vis, NextFetchAt: due})
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	hostSources(t, s, 3, "a.example")
	create(alice.ID, "https://secret.example/feed", scout.VisibilityPrivate, T0.Add(-time.Hour))
	paused := create(0, "https://paused.example/feed", scout.VisibilityPublic, T0.Add(-2*time.Hour))
	yes := true
	if _, err := s.UpdateSource(ctx, paused.ID, store.SourceUpdate{Paused: &yes}); err != nil {
		t.Fatal(err)
	}
	create(0, "https://later.example/feed", scout.VisibilityPublic, T0.Add(time.Hour))
	c.Advance(10 * time.Minute)
	hostSources(t, s, 2, "b.example")
	claim := func() []scout.Source {
		t.Helper()
		got, err := s.ClaimDueSources(ctx, c.Now(), 1, time.Hour, store.HostPolicy{Concurrency: 1})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := claim(); len(got) != 1 || got[0].Host != "secret.example" {
		t.Fatalf("claim = %+v, want the most overdue source", got)
	}
	create(alice.ID, "https://secret.example/other", scout.VisibilityPrivate, T0.Add(-30*time.Minute))
	if got := claim(); len(got) != 1 || got[0].Host != "a.example" {
		t.Fatalf("claim = %+v, want a.example's oldest next", got)
	}
	c.Advance(10 * time.Minute) // now T0+20m
	type lag struct {
		host    string
		lag     time.Duration
		waiting int
	}
	want := func(ls ...lag) []store.HostLag {
		out := []store.HostLag{}
		for _, l := range ls {
			out = append(out, store.HostLag{Host: l.host, Lag: l.lag, Waiting: l.waiting})
		}
		return out
	}
	secret := lag{"secret.example", 50 * time.Minute, 1} // the leased source is in flight, not waiting
	a := lag{"a.example", 20 * time.Minute, 2}
	b := lag{"b.example", 10 * time.Minute, 2}
	for _, tt := range []struct {
		name string
		v    store.Viewer
		n    int
		want []store.HostLag
	}{
		{"admin", admin(), 10, want(secret, a, b)},
		{"admin, top 2", admin(), 2, want(secret, a)},
		{"the private source's owner", store.Viewer{UserID: alice.ID}, 10, want(secret, a, b)},
		{"another user", store.Viewer{UserID: bob.ID}, 10, want(a, b)},
	} {
		got, err := s.HostLags(ctx, tt.v, c.Now(), tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			got = []store.HostLag{}
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: host lags (-want +got):\n%s", tt.name, d)
		}
	}
	st, err := s.Stats(ctx, store.Viewer{UserID: bob.ID}, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(a, b), st.HostLag); d != "" {
		t.Errorf("bob's stats host lag (-want +got):\n%s", d)
	}
	if got, err := s.HostLags(ctx, admin(), T0.Add(-3*time.Hour), 10); err != nil || len(got) != 0 {
		t.Errorf("host lags before anything was due = %+v, %v", got, err)
	}
}
