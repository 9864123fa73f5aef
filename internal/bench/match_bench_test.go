package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/sqlite"
	"github.com/scoutdev/scout/internal/testdb"
)

// matchPool is how many distinct synthetic calls the stored sightings
// repeat: each stored sighting carries the features and two blocking keys
// of one of them, so that every key of a new post of one of these calls
// has about 2n/matchPool stored sightings behind it (hundreds at a
// million) and the lookups meet the perKey and maxCandidates bounds.
const matchPool = 2000

// BenchmarkMatchPerItem measures storing one new opportunity item with its
// matching, at 10,000, 100,000 and 1,000,000 stored sightings, and the same
// with matching off (NoMatching): the difference is what matching costs per
// item, which must not grow with the store. Each new item repeats a stored
// call, so it is judged against a full set of candidates.
// Run: go test ./internal/bench -run '^$' -bench MatchPerItem -benchtime 300x
func BenchmarkMatchPerItem(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		for _, on := range []bool{true, false} {
			b.Run(fmt.Sprintf("stored=%d/matching=%v", n, on), func(b *testing.B) {
				now := time.Now().UTC().Truncate(time.Second)
				st := testdb.SQLite(b, nil)
				fillSightings(b, st, n, now)
				st.NoMatching = !on
				results := make([]store.FetchResult, b.N)
				for i := range results {
					src, err := st.CreateSource(context.Background(), scout.Source{URL: fmt.Sprintf("https://blog%d.example.org/feed", i),
						Visibility: scout.VisibilityPublic, NextFetchAt: now.AddDate(1, 0, 0)})
					if err != nil {
						b.Fatal(err)
					}
					it := synthItem(7, now, i%matchPool, 0)
					it.GUID, it.URL = fmt.Sprintf("repost-%d", i), fmt.Sprintf("https://blog%d.example.org/p/%d", i, i)
					results[i] = store.FetchResult{SourceID: src.ID, Items: []scout.Item{it}, Interval: time.Hour,
						NextFetchAt: now.AddDate(1, 0, 0), Log: scout.FetchLog{StartedAt: now, StatusCode: 200}}
				}
				b.ResetTimer()
				cpu := cpuTime()
				for _, r := range results {
					if _, err := st.CompleteFetch(context.Background(), r); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/item")
			})
		}
	}
}

// fillSightings stores n sightings (with their opportunities and blocking
// keys) directly, without items: matching reads only sightings and keys.
// The rows are generated inside SQLite, with foreign keys off on the one
// writer connection while it runs.
func fillSightings(b *testing.B, st *sqlite.Store, n int, now time.Time) {
	b.Helper()
	ctx := context.Background()
	conn, err := st.W.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		b.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	exec(`PRAGMA foreign_keys = OFF`)
	defer exec(`PRAGMA foreign_keys = ON`)
	exec(`CREATE TEMP TABLE pool (i INTEGER PRIMARY KEY, features TEXT, k1 INTEGER, k2 INTEGER)`)
	for i := range matchPool {
		it := synthItem(7, now, i, 0)
		f := match.Extract(&it)
		keys := match.KeyHashes(f)
		exec(`INSERT INTO pool VALUES ($1, $2, $3, $4)`, i, mustJSONString(b, f), keys[0], keys[len(keys)/2])
	}
	const base = 1_000_000_000 // stored ids stay clear of the new items'
	gen := `WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < $1 - 1) `
	exec(`INSERT INTO opportunities (id, created_at) `+gen+`SELECT $2 + x, 0 FROM c`, n, base)
	exec(`INSERT INTO sightings (id, opportunity_id, item_id, part, features, created_at) `+gen+
		`SELECT $2 + x, $2 + x, $2 + x, 0, p.features, 0 FROM c JOIN pool p ON p.i = x % $3`, n, base, matchPool)
	// Two keys of the sighting's call, and four of its own (its LSH bands,
	// title and funder with deadline, which few others share).
	exec(`INSERT INTO match_keys (key, sighting_id) `+gen+
		`SELECT p.k1, $2 + x FROM c JOIN pool p ON p.i = x % $3 UNION ALL SELECT p.k2, $2 + x FROM c JOIN pool p ON p.i = x % $3`,
		n, base, matchPool)
	for k := range 4 {
		// Keys of their own: distinct per sighting and per k, as hashes
		// of distinct bands would be.
		exec(`INSERT INTO match_keys (key, sighting_id) `+gen+`SELECT ($3 + 1) * 4000000000000000 + x, $2 + x FROM c`, n, base, k)
	}
	exec(`DROP TABLE pool`)
	exec(`ANALYZE`)
}

func mustJSONString(b *testing.B, v any) string {
	b.Helper()
	out, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return string(out)
}
