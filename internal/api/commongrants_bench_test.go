package api

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// BenchmarkCommonGrantsList serves pages of the CommonGrants list, most
// recently modified first, from a store of SCOUT_BENCH_OPPS distinct
// opportunities in a public source (100,000 by default), read by a user
// who owns none of them: the first page, one a thousand pages in, and the
// first page with its total counted (total=true).
// With SCOUT_BENCH_DB set the store is that SQLite file, seeded on first
// use and read as it is after (migrated first), so that one seeded file,
// copied, serves the runs compared.
// Run: SCOUT_BENCH_DB=/tmp/cg.db go test ./internal/api -run '^$' -bench CommonGrantsList -benchtime 20x
func BenchmarkCommonGrantsList(b *testing.B) {
	n := 100000
	if s := os.Getenv("SCOUT_BENCH_OPPS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil || n < 1000 {
			b.Fatalf("SCOUT_BENCH_OPPS=%q: want a count of at least 1000", s)
		}
	}
	e, token := seedCommonGrants(b, n)
	for _, page := range []int{1, 1000} {
		if page*100 > n {
			continue
		}
		b.Run(fmt.Sprintf("page%d", page), func(b *testing.B) {
			benchGet(b, e, token, fmt.Sprintf("/common-grants/opportunities?page=%d&pageSize=100", page))
		})
	}
	b.Run("page1-total", func(b *testing.B) {
		benchGet(b, e, token, "/common-grants/opportunities?page=1&pageSize=100&total=true")
	})
}

// seedCommonGrants stores n distinct calls in a public source, 1,000 to
// a fetch, and returns a token of a user who owns no source.
func seedCommonGrants(b *testing.B, n int) (*env, string) {
	b.Helper()
	e, u, ok := benchEnv(b, "reader@example.org")
	if ok {
		return e, u.token
	}
	u = e.mustUser("reader@example.org", false)
	src := e.mustSource(0, "https://calls.example.net/feed.xml", scout.VisibilityPublic)
	start := e.now.Add(-time.Duration(n) * time.Minute)
	const batch = 1000
	for i := 0; i < n; i += batch {
		items := make([]scout.Item, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			w1, w2 := benchWords[j%len(benchWords)], benchWords[(j/10)%len(benchWords)]
			pub := start.Add(time.Duration(j) * time.Minute)
			it := grantItem(fmt.Sprintf("cg%d", j), fmt.Sprintf("%s fund %d of the %s trust %d", w1, j, w2, j/100), pub)
			it.ContentText = fmt.Sprintf("Call %d: the %s trust %d funds %s work. Opportunity number CG-%06d.", j, w2, j/100, w1, j)
			it.Opportunity.Funder = fmt.Sprintf("%s Trust %d", w2, j/100)
			it.Entities = nil
			items = append(items, it)
		}
		e.mustItems(src, items...)
	}
	p, err := e.st.ListModifiedOpportunities(bg, store.Viewer{UserID: u.ID}, 0, 1, true)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d items, %d opportunities", n, p.Total)
	return e, u.token
}
