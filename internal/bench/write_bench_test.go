package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/store/sqlite"
	"github.com/scoutdev/scout/internal/testdb"
)

// benchWriters is how many CompleteFetch calls run at once, as ingestion's
// workers do.
const benchWriters = 8

// BenchmarkCompleteFetchCold measures the store's write path alone on
// SQLite: one op is one fetch result of 50 new extracted items (built before
// the timer starts), committed by concurrent callers as ingestion's workers
// commit them.
// Run: go test ./internal/bench -run '^$' -bench CompleteFetch -benchtime 400x
func BenchmarkCompleteFetchCold(b *testing.B) {
	st, results := writeBenchStore(b)
	b.ResetTimer()
	cpu := cpuTime()
	completeAll(b, st, results)
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N*50), "cpu-µs/item")
	var stored int
	if err := st.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM items`).Scan(&stored); err != nil || stored != b.N*50 {
		b.Fatalf("stored %d items, want %d (%v)", stored, b.N*50, err)
	}
}

// BenchmarkCompleteFetch304 is one op per unchanged fetch (a 304) of a
// source whose 50 items are stored.
func BenchmarkCompleteFetch304(b *testing.B) {
	st, results := writeBenchStore(b)
	completeAll(b, st, results)
	for i := range results {
		results[i].Items, results[i].Unchanged = nil, 50
		results[i].Log.StatusCode, results[i].Log.NotModified = 304, true
	}
	b.ResetTimer()
	cpu := cpuTime()
	completeAll(b, st, results)
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine it moves less with other load than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCompleteFetchColdPostgres is BenchmarkCompleteFetchCold on
// PostgreSQL (set SCOUT_TEST_POSTGRES_URL), with the pool a replica of
// benchWriters workers has. It also reports the statements the server ran
// per item (each is a round trip of the write path) and the CPU the
// server's backends for the benchmark's database used per item (the
// server must run on this machine).
func BenchmarkCompleteFetchColdPostgres(b *testing.B) {
	ctx := context.Background()
	var statements countingTracer
	pg, err := postgres.Open(ctx, postgres.Options{URL: testdb.PostgresURL(b), MaxConns: postgres.PoolSize(benchWriters),
		Tracer: &statements})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { pg.Close() })
	if err := pg.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	results := benchResults(b, pg)
	server, err := backendsCPU(ctx, pg.R)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu, before := cpuTime(), statements.n.Load()
	completeAll(b, pg, results)
	b.StopTimer()
	serverNow, err := backendsCPU(ctx, pg.R)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N*50), "cpu-µs/item")
	b.ReportMetric(float64(cpuSince(server, serverNow).Microseconds())/float64(b.N*50), "pg-cpu-µs/item")
	b.ReportMetric(float64(statements.n.Load()-before)/float64(b.N*50), "statements/item")
	var stored int
	if err := pg.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM items`).Scan(&stored); err != nil || stored != b.N*50 {
		b.Fatalf("stored %d items, want %d (%v)", stored, b.N*50, err)
	}
}

// countingTracer counts the statements a pool runs.
type countingTracer struct{ n atomic.Int64 }

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (*countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func writeBenchStore(b *testing.B) (*sqlite.Store, []store.FetchResult) {
	st := testdb.SQLite(b, nil)
	return st, benchResults(b, st)
}

// benchResults creates b.N sources in st and returns a fetch result of 50
// new extracted items for each.
func benchResults(b *testing.B, st store.Store) []store.FetchResult {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	results := make([]store.FetchResult, b.N)
	for i := range results {
		src, err := st.CreateSource(ctx, scout.Source{URL: fmt.Sprintf("https://funders%d.example.net/feed.xml", i),
			Visibility: scout.VisibilityPublic, NextFetchAt: now.AddDate(1, 0, 0)})
		if err != nil {
			b.Fatal(err)
		}
		items := make([]scout.Item, 50)
		for j := range items {
			items[j] = synthItem(1, now, i, j)
		}
		results[i] = store.FetchResult{SourceID: src.ID, Items: items, Interval: time.Hour, NextFetchAt: now.AddDate(1, 0, 0),
			ETag: `"v1"`, Log: scout.FetchLog{StartedAt: now, StatusCode: 200}}
	}
	runtime.GC() // the extraction's garbage is not the store's
	return results
}

// completeAll commits results from benchWriters goroutines.
func completeAll(b *testing.B, st store.Store, results []store.FetchResult) {
	next := make(chan store.FetchResult)
	errs := make(chan error, benchWriters)
	var wg sync.WaitGroup
	for range benchWriters {
		wg.Go(func() {
			for r := range next {
				if _, err := st.CompleteFetch(context.Background(), r); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for _, r := range results {
		next <- r
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}
