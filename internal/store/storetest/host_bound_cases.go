package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// dueSource creates a public source at url due at t.
func dueSource(t *testing.T, s store.Store, url string, at time.Time) scout.Source {
	t.Helper()
	src, err := s.CreateSource(ctx, scout.Source{URL: url, Visibility: scout.VisibilityPublic, NextFetchAt: at})
	if err != nil {
		t.Fatalf("create source %s: %v", url, err)
	}
	return src
}

// testClaimBesideBacklog: a host at its limit with thousands of due
// sources, some of them scheduled "now", takes nothing from a claim, and
// the other hosts' sources come in the policy's order: urgent first, then
// round by round, each round most overdue first. When one of its fetches
// ends, the busy host's next claim is its urgent sources, then its oldest.
func testClaimBesideBacklog(t *testing.T, s store.Store, c *Clock) {
	const backlog = 2000
	// The named sources come first in slow's queue (s0, s1, s2) or are
	// scheduled "now" (u1, u2); the others, seeded in one transaction, wait.
	s0 := dueSource(t, s, "https://slow.example/s0", T0.Add(-3*time.Hour))
	s1 := dueSource(t, s, "https://slow.example/s1", T0.Add(-3*time.Hour))
	s2 := dueSource(t, s, "https://slow.example/s2", T0.Add(-2*time.Hour))
	u1 := dueSource(t, s, "https://slow.example/u1", T0.Add(-time.Hour))
	u2 := dueSource(t, s, "https://slow.example/u2", T0.Add(-time.Hour))
	var rest []scout.Source
	for i := range backlog - 5 {
		rest = append(rest, scout.Source{Kind: scout.SourceFeed, URL: fmt.Sprintf("https://slow.example/feed/%d", i), Visibility: scout.VisibilityPublic,
			NextFetchAt: T0.Add(-time.Hour)})
	}
	if n, err := s.SeedSources(ctx, rest); err != nil || n != len(rest) {
		t.Fatalf("seeded %d sources, %v", n, err)
	}
	hp := store.HostPolicy{Concurrency: 2}
	held, err := s.ClaimDueSources(ctx, c.Now(), 2, time.Hour, hp)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{s0.ID, s1.ID}, ids(held)); d != "" {
		t.Fatalf("first claim (-want +got):\n%s", d)
	}
	for _, src := range []scout.Source{u2, u1} {
		if err := s.ScheduleSource(ctx, src.ID, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	at := func(m int) time.Time { return T0.Add(time.Duration(m-60) * time.Minute) }
	a0 := dueSource(t, s, "https://a.example/0", at(1))
	b0 := dueSource(t, s, "https://b.example/0", at(2))
	c0 := dueSource(t, s, "https://c.example/0", at(3))
	a1 := dueSource(t, s, "https://a.example/1", at(4))
	dueSource(t, s, "https://b.example/1", at(5))
	dueSource(t, s, "https://a.example/2", at(6))
	b2 := dueSource(t, s, "https://b.example/2", at(7))
	c.Advance(time.Minute)
	if err := s.ScheduleSource(ctx, b2.ID, c.Now()); err != nil {
		t.Fatal(err)
	}
	// b2 is urgent; round 1 is a0 and c0 (b's first is b2); round 2 is b0,
	// then a1; every host is then at its limit of 2.
	if d := cmp.Diff([]int64{b2.ID, a0.ID, c0.ID, b0.ID, a1.ID}, ids(mustClaim(t, s, c, 8, hp))); d != "" {
		t.Fatalf("claim beside %d due sources of a saturated host (-want +got):\n%s", backlog, d)
	}
	if q, err := s.HostQueue(ctx, "slow.example", c.Now()); err != nil || q.InFlight != 2 || q.Due != backlog-2 || q.Urgent != 2 {
		t.Fatalf("slow's queue = %+v, %v; want 2 in flight, %d due, 2 urgent", q, err, backlog-2)
	}
	complete(t, s, c, held[:1])
	if d := cmp.Diff([]int64{u1.ID}, ids(mustClaim(t, s, c, 8, hp))); d != "" {
		t.Fatalf("claim after one of slow's fetches ended (-want +got):\n%s", d)
	}
	complete(t, s, c, held[1:])
	if d := cmp.Diff([]int64{u2.ID}, ids(mustClaim(t, s, c, 8, hp))); d != "" {
		t.Fatalf("claim after the other ended (-want +got):\n%s", d)
	}
	c.Advance(2 * time.Minute) // every lease of a minute expired
	want := []int64{s2.ID, a0.ID, b0.ID, c0.ID}
	if d := cmp.Diff(want, ids(mustClaim(t, s, c, 4, store.HostPolicy{Concurrency: 1}))); d != "" {
		t.Fatalf("claim once the leases expired (-want +got):\n%s", d)
	}
}

// testHostOrderFollowsWrites: the order in which hosts take their turn
// follows each host's most overdue live source through creates, pauses,
// deletes, moves, "fetch now" at a later time, completed and retiring
// fetches. Each check claims one source at a time, one per host, until
// nothing is left; the leases expire before the next check. Claims of one
// stop at the first host whose source comes before the next host's bound,
// so a bound left above its host's head shows as a wrong order.
func testHostOrderFollowsWrites(t *testing.T, s store.Store, c *Clock) {
	at := func(m int) time.Time { return T0.Add(time.Duration(m) * time.Minute) }
	a1 := dueSource(t, s, "https://a.example/1", at(-50))
	a2 := dueSource(t, s, "https://a.example/2", at(-20))
	b1 := dueSource(t, s, "https://b.example/1", at(-40))
	b2 := dueSource(t, s, "https://b.example/2", at(-10))
	c1 := dueSource(t, s, "https://c.example/1", at(-30))
	check := func(step string, want ...scout.Source) {
		t.Helper()
		var got []scout.Source
		for range len(want) + 1 {
			one, err := s.ClaimDueSources(ctx, c.Now(), 1, time.Minute, store.HostPolicy{Concurrency: 1})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, one...)
		}
		if d := cmp.Diff(ids(want), ids(got)); d != "" {
			t.Fatalf("%s: claim (-want +got):\n%s", step, d)
		}
		c.Advance(2 * time.Minute)
	}
	update := func(id int64, u store.SourceUpdate) {
		t.Helper()
		if _, err := s.UpdateSource(ctx, id, u); err != nil {
			t.Fatal(err)
		}
	}
	finish := func(src scout.Source, next time.Time, status scout.SourceStatus) {
		t.Helper()
		if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, NextFetchAt: next, Status: status,
			Log: scout.FetchLog{StatusCode: 200}}); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	check("created", a1, b1, c1)
	update(a1.ID, store.SourceUpdate{Paused: &yes})
	check("a's oldest paused", b1, c1, a2)
	update(a1.ID, store.SourceUpdate{Paused: &no})
	check("and resumed", a1, b1, c1)
	if err := s.DeleteSource(ctx, b1.ID); err != nil {
		t.Fatal(err)
	}
	check("b's oldest deleted", a1, c1, b2)
	moved := "https://c.example/moved"
	update(a1.ID, store.SourceUpdate{URL: &moved})
	check("a's oldest moved to c, due now at the head of c's queue", a1, a2, b2)
	check("then in c's queue by its due time", c1, a2, b2)
	finish(c1, at(60), scout.SourceOK)
	check("c's oldest fetched", a2, b2, a1)
	b0 := dueSource(t, s, "https://b.example/0", at(-60))
	check("an older source created on b", b0, a2, a1)
	if err := s.ScheduleSource(ctx, b0.ID, at(90)); err != nil {
		t.Fatal(err)
	}
	check("b's oldest scheduled for later", a2, b2, a1)
	finish(a2, c.Now(), scout.SourceRetired)
	check("a's last source retired", b2, a1)
	c.Advance(2 * time.Hour)
	check("b's later refresh due", b0, a1) // urgent; c's head is a1, due since its move
	for _, when := range []time.Time{c.Now().Add(time.Hour), c.Now()} {
		if err := s.ScheduleSource(ctx, c1.ID, when); err != nil {
			t.Fatal(err)
		}
	}
	check("c's last source scheduled for later, then for now", c1, b2)
}
