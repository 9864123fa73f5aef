package bench

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/store"
)

// BenchmarkSearch runs the API load's searches through Store.ListItems on
// a store Fill made, so that a profile or callgrind can say what one costs
// without a server: two terms (a discipline and a city, about 1 % of the
// items), a rare term (a program name, 1 in 3,375) and the common term
// (grant, a quarter), by relevance and by date, pages of 50 as an
// anonymous reader sees them. SCOUT_BENCH_ITEMS sets the items (20,000
// by default) and SCOUT_BENCH_DIR a directory to keep the SQLite file in
// between runs, filled on first use; with SCOUT_BENCH_POSTGRES (a database
// URL) the store is that database instead, filled when empty.
// Run: go test ./internal/bench -run '^$' -bench Search -benchmem
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	d := openSearchBench(ctx, b)
	now := time.Now()
	r := rand.New(rand.NewPCG(1, 2))
	two, rare := make([]string, 64), make([]string, 64)
	for i := range two {
		two[i] = pickOf(r, oneWordDisciplines) + " " + pickOf(r, oneWordPlaces)
		rare[i] = programName(r.IntN(programNames))
	}
	for _, c := range []struct {
		name  string
		terms []string
	}{{"two-terms", two}, {"rare", rare}, {"common", []string{"grant"}}} {
		for _, sort := range []store.ItemSort{store.SortRelevance, store.SortPublished} {
			b.Run(c.name+"/"+string(sort), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					f := store.ItemFilter{Viewer: store.Viewer{UserID: 1}, Query: c.terms[i%len(c.terms)], Sort: sort, Now: now,
						ProvenanceJSON: true, PageRequest: store.PageRequest{Limit: 50}}
					if _, err := d.Store.ListItems(ctx, f); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

// openSearchBench opens (and fills on first use) BenchmarkSearch's store.
func openSearchBench(ctx context.Context, b *testing.B) *db {
	b.Helper()
	n := 20000
	if s := os.Getenv("SCOUT_BENCH_ITEMS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 2000 {
			b.Fatalf("SCOUT_BENCH_ITEMS=%q: want a count of at least 2,000", s)
		}
	}
	dir, url := os.Getenv("SCOUT_BENCH_DIR"), os.Getenv("SCOUT_BENCH_POSTGRES")
	if dir == "" {
		dir = b.TempDir()
	}
	d, err := openDB(ctx, dir, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	var stored int
	if err := d.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM items`).Scan(&stored); err != nil {
		b.Fatal(err)
	}
	if stored == 0 {
		if _, err := Fill(ctx, d.Store, FillOptions{Items: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if d.engine == "postgres" {
			if _, err := d.w.ExecContext(ctx, `ANALYZE`); err != nil {
				b.Fatal(err)
			}
		}
	}
	return d
}
