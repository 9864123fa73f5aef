package schedule_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// BenchmarkClaimBesideBusyHost measures one claim of up to 8 sources while
// a host at its concurrency limit has a backlog of 0, 500 or 5,000 due
// sources (issue 12). Beside it 20 hosts have 20 sources each: all due
// ("claim"), so the claim leases 8 of them, or none due yet ("idle"), so it
// leases nothing and costs only the looking. Claims run on the one writer
// (SQLite) or under the claim lock (PostgreSQL), so every host's fetching
// pays for them.
func BenchmarkClaimBesideBusyHost(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) store.Store
	}{
		{"sqlite", func(tb testing.TB) store.Store { return testdb.SQLite(tb, nil) }},
		{"postgres", func(tb testing.TB) store.Store { return testdb.Postgres(tb, nil) }},
	} {
		for _, mode := range []string{"idle", "claim"} {
			for _, backlog := range []int{0, 500, 5000} {
				b.Run(fmt.Sprintf("%s/%s/backlog=%d", eng.name, mode, backlog), func(b *testing.B) {
					benchClaimBesideBusyHost(b, eng.open(b), backlog, mode == "claim")
				})
			}
		}
	}
}

func benchClaimBesideBusyHost(b *testing.B, st store.Store, backlog int, due bool) {
	ctx := context.Background()
	base := time.Now()
	hp := store.HostPolicy{Concurrency: 2}
	mk := func(url string, due time.Time) {
		if _, err := st.CreateSource(ctx, scout.Source{URL: url, Visibility: scout.VisibilityPublic, NextFetchAt: due}); err != nil {
			b.Fatal(err)
		}
	}
	mk("http://busy.example/a", base.Add(-2*time.Hour))
	mk("http://busy.example/b", base.Add(-2*time.Hour))
	var rest []scout.Source
	for i := range backlog {
		rest = append(rest, scout.Source{Kind: scout.SourceFeed, URL: fmt.Sprintf("http://busy.example/%d", i),
			Visibility: scout.VisibilityPublic, NextFetchAt: base.Add(-time.Hour)})
	}
	if n, err := st.SeedSources(ctx, rest); err != nil || n != backlog {
		b.Fatalf("seeded %d sources, %v", n, err)
	}
	// The busy host's two slots stay taken for the whole run.
	if got, err := st.ClaimDueSources(ctx, base, 2, 1000*time.Hour, hp); err != nil || len(got) != 2 {
		b.Fatalf("saturating claim = %d sources, %v", len(got), err)
	}
	want, at := 8, base.Add(-time.Hour)
	if !due {
		want, at = 0, base.Add(1000*time.Hour)
	}
	for h := range 20 {
		for i := range 20 {
			mk(fmt.Sprintf("http://h%d.example/%d", h, i), at.Add(time.Duration(20*i+h)*time.Second))
		}
	}
	// Each claim leases for a second and the next claims two seconds later:
	// the same most overdue sources are due again, and the busy host is
	// still saturated.
	// The median claim is reported beside the mean: on a shared machine a
	// few claims stall behind other work.
	now := base
	var took []time.Duration
	b.ResetTimer()
	for b.Loop() {
		now = now.Add(2 * time.Second)
		t0 := time.Now()
		got, err := st.ClaimDueSources(ctx, now, 8, time.Second, hp)
		took = append(took, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != want {
			b.Fatalf("claimed %d sources, want %d", len(got), want)
		}
		for _, src := range got {
			if src.Host == "busy.example" {
				b.Fatal("claimed a source of the saturated host")
			}
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns/claim")
}
