package bench

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/feedfarm"
	"github.com/scoutdev/scout/internal/scout"
)

// ScaleOut measures a cold ingest by several replicas of Scout sharing one
// PostgreSQL database, once per farm and replica count. A farm is named by
// its response delay: 0 is the plain farm; a latency-bound one holds every
// answer, so that fetching, not CPU, limits one replica.
type ScaleOut struct {
	Replicas []int
	Delays   []time.Duration // nil: the plain farm only
	Workload Workload
}

// scaleSample is how often the harness samples pg_stat_activity and
// creates a (paused) source to time an interactive write.
const scaleSample = 200 * time.Millisecond

// RunScaleOut runs the scale-out measurements on o.PostgresURL.
func RunScaleOut(ctx context.Context, o Options, so ScaleOut) (*Report, error) {
	o.defaults()
	rep := &Report{Machine: machine(), Tuning: o.Tuning, Child: o.Binary != ""}
	if o.PostgresURL == "" {
		return rep, fmt.Errorf("scale-out: needs a PostgreSQL server (-postgres)")
	}
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "scout-bench-")
		if err != nil {
			return rep, fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(dir)
		o.Dir = dir
	}
	delays := so.Delays
	if len(delays) == 0 {
		delays = []time.Duration{0}
	}
	for _, delay := range delays {
		for _, n := range so.Replicas {
			r, err := runReplicas(ctx, o, so.Workload, delay, n)
			rep.Rows = append(rep.Rows, r)
			if err != nil {
				return rep, fmt.Errorf("%d replicas, delay %s: %w", n, delay, err)
			}
		}
	}
	return rep, nil
}

// runReplicas is one cold ingest of w by n replicas.
func runReplicas(ctx context.Context, o Options, w Workload, delay time.Duration, n int) (r Row, err error) {
	farm := "plain farm"
	if delay > 0 {
		farm = fmt.Sprintf("farm answering after %s", delay)
	}
	r = Row{Engine: "postgres", Workload: w.String(), Phase: fmt.Sprintf("cold ingest, %d replica(s), %s", n, farm)}
	lf, err := startFarm(feedfarm.Options{Feeds: w.Feeds, Items: w.Items, Seed: o.Seed, Delay: delay})
	if err != nil {
		return r, err
	}
	defer lf.Close()
	dbURL, drop, err := createPostgres(ctx, o.PostgresURL)
	if err != nil {
		return r, err
	}
	defer drop()
	dir := filepath.Join(o.Dir, fmt.Sprintf("scale-%d-%s", n, delay))
	d, err := openDB(ctx, dir+"-harness", dbURL)
	if err != nil {
		return r, err
	}
	defer d.Close()
	if err := d.createSources(ctx, lf.urls(), time.Now().Add(24*time.Hour)); err != nil {
		return r, err
	}
	o.logf("%s: starting %d replica(s)", r.Phase, n)
	var procs []*proc
	defer func() {
		for _, p := range procs {
			if stopErr := p.stop(syscall.SIGTERM); err == nil {
				err = stopErr
			}
		}
	}()
	for i := range n {
		dataDir := fmt.Sprintf("%s-%d", dir, i)
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return r, err
		}
		p, err := startScout(ctx, o.Binary, scoutEnv(o.Tuning, dataDir, dbURL, ""), o.Log)
		if err != nil {
			return r, err
		}
		procs = append(procs, p)
	}
	if err := sleep(ctx, time.Second); err != nil {
		return r, err
	}
	idle, err := createLatencies(ctx, d, "idle", 20)
	if err != nil {
		return r, err
	}

	sctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var locked, samples, waiting, backends int
	var busy []time.Duration
	var sampleErr error
	var mu sync.Mutex
	waits := map[string]int{} // lock waits by what they wait for
	wg.Go(func() {
		for sleep(sctx, scaleSample) == nil {
			rows, err := d.r.QueryContext(sctx, `SELECT COALESCE(wait_event_type, ''), COALESCE(wait_event, '') FROM pg_stat_activity
				WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`)
			var l, b int
			var what []string
			for err == nil && rows.Next() {
				var typ, ev string
				if err = rows.Scan(&typ, &ev); err == nil {
					b++
					if typ == "Lock" {
						l, what = l+1, append(what, ev)
					}
				}
			}
			if rows != nil {
				err = errors.Join(err, rows.Err(), rows.Close())
			}
			mu.Lock()
			if err != nil && sctx.Err() == nil {
				sampleErr = err
			}
			if err == nil {
				samples, waiting, backends = samples+1, waiting+l, backends+b
				if l > 0 {
					locked++
				}
				for _, ev := range what {
					waits[ev]++
				}
			}
			mu.Unlock()
		}
	})
	wg.Go(func() {
		for i := 0; sleep(sctx, scaleSample) == nil; i++ {
			t := time.Now()
			if err := createPaused(sctx, d, fmt.Sprintf("busy-%d", i)); err != nil {
				if sctx.Err() == nil {
					mu.Lock()
					sampleErr = err
					mu.Unlock()
				}
				return
			}
			mu.Lock()
			busy = append(busy, time.Since(t))
			mu.Unlock()
		}
	})
	cpu0, pg0 := replicasCPU(procs), postgresCPU()
	m, _, err := timed(ctx, d, lf, procs[0], func(due time.Time) (bool, error) {
		c, err := d.countFetchedSince(ctx, due)
		return c >= w.Feeds, err
	})
	stop()
	wg.Wait()
	if err != nil {
		return r, fmt.Errorf("cold ingest: %w", err)
	}
	if sampleErr != nil {
		return r, fmt.Errorf("sample the database: %w", sampleErr)
	}
	cpu, pg := replicasCPU(procs)-cpu0, postgresCPU()-pg0
	want := w.Feeds * w.Items
	if got, err := d.countItems(ctx); err != nil || got != want {
		return r, fmt.Errorf("cold ingest stored %d items of %d (%v)", got, want, err)
	}
	r.Wall, r.Items, r.Feeds, r.CPU = m.Wall, want, w.Feeds, cpu
	perK := func(c time.Duration) string { return fmt.Sprintf("%.2f", c.Seconds()*1000/float64(want)) }
	r.Note = fmt.Sprintf("CPU-s per 1,000 items: Scout %s, PostgreSQL %s; lock waits in %d of %d samples (%.1f of %.1f active backends on average; %s); "+
		"create source idle %s, during ingest %s", perK(cpu), perK(pg), locked, samples,
		float64(waiting)/float64(max(samples, 1)), float64(backends)/float64(max(samples, 1)), waitsOf(waits), percentilesOf(idle, "writes"), percentilesOf(busy, "writes"))
	o.logf("%s: %s in %s; %s", r.Phase, thousands(want), m.Wall.Round(time.Millisecond), r.Note)
	return r, nil
}

// createPaused creates a paused source, which no replica fetches: an
// interactive write as the API makes it.
func createPaused(ctx context.Context, d *db, name string) error {
	_, err := d.Store.CreateSource(ctx, scout.Source{URL: "https://example.org/interactive/" + name,
		Visibility: scout.VisibilityPublic, Paused: true})
	if err != nil {
		return fmt.Errorf("create source %s: %w", name, err)
	}
	return nil
}

// createLatencies times k interactive writes one after another.
func createLatencies(ctx context.Context, d *db, prefix string, k int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, k)
	for i := range k {
		t := time.Now()
		if err := createPaused(ctx, d, fmt.Sprintf("%s-%d", prefix, i)); err != nil {
			return nil, err
		}
		out = append(out, time.Since(t))
	}
	return out, nil
}

// replicasCPU is the CPU time the replicas have used so far.
func replicasCPU(procs []*proc) time.Duration {
	var sum time.Duration
	for _, p := range procs {
		u, _ := readUsage(p.pid)
		sum += u.CPU
	}
	return sum
}

// postgresCPU is the CPU time every running process named postgres on this
// machine has used so far: the server's, when it runs here, including work
// for other databases and minus backends that exited in between.
func postgresCPU() time.Duration {
	var sum time.Duration
	dirs, _ := os.ReadDir("/proc")
	for _, e := range dirs {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		open, end := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if open < 0 || end < open || string(stat[open+1:end]) != "postgres" {
			continue
		}
		sum += statCPU(stat)
	}
	return sum
}

// waitsOf reads like "transactionid 12, advisory 3", most first.
func waitsOf(waits map[string]int) string {
	if len(waits) == 0 {
		return "none"
	}
	keys := slices.SortedFunc(maps.Keys(waits), func(a, b string) int { return cmp.Or(waits[b]-waits[a], strings.Compare(a, b)) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, waits[k])
	}
	return strings.Join(parts, ", ")
}

// backendsCPU is the CPU time the server's backends for the database db
// is connected to have used so far, by backend pid (the server must run on
// this machine). Unlike postgresCPU it leaves out other databases' work;
// it misses backends that exited.
func backendsCPU(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[int]time.Duration, error) {
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return nil, fmt.Errorf("list backends: %w", err)
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil, fmt.Errorf("list backends: %w", err)
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat")); err == nil {
			out[pid] = statCPU(stat)
		}
	}
	return out, rows.Err()
}

// cpuSince is the CPU the backends of now used since before.
func cpuSince(before, now map[int]time.Duration) time.Duration {
	var sum time.Duration
	for pid, c := range now {
		sum += c - before[pid]
	}
	return sum
}
