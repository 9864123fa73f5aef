package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/feedfarm"
)

// Skew is the skewed-hosts workload: Sources sources, SlowShare of them on
// one host whose every answer takes SlowDelay, the rest spread evenly over
// FastHosts hosts (each its own loopback port, so its own host key). Every
// host is limited to Tuning.PerHost concurrent fetches. The sources fall
// due one after another, evenly over Period, slow and fast interleaved;
// the freshness lag of a source is when its fetch started minus when it
// fell due. Every source is fetched once before (its items stored), so the
// fetches measured are those of a steady state. A run ends once every fast source has been fetched, or Grace
// after the last one fell due.
type Skew struct {
	Sources   int
	SlowShare float64
	FastHosts int
	SlowDelay time.Duration
	Period    time.Duration
	Grace     time.Duration
	Items     int // per feed
}

func (k *Skew) defaults() {
	if k.SlowShare <= 0 || k.SlowShare >= 1 {
		k.SlowShare = 0.5
	}
	if k.FastHosts <= 0 {
		k.FastHosts = 200
	}
	if k.SlowDelay <= 0 {
		k.SlowDelay = time.Second
	}
	if k.Period <= 0 {
		k.Period = time.Minute
	}
	if k.Grace <= 0 {
		k.Grace = time.Minute
	}
	if k.Items <= 0 {
		k.Items = 10
	}
}

// SkewRun is one run: with the slow host, or with the fast hosts only (the
// baseline their throughput is compared with).
type SkewRun struct {
	Engine, Label string
	Classes       []ClassLag
	Wall          time.Duration // from the first source due to the end of the run
}

// ClassLag is the freshness lag of one class of hosts.
type ClassLag struct {
	Class    string
	Sources  int
	Fetched  int             // sources fetched by the end of the run
	Lags     []time.Duration // of every source; one not fetched counts end − due, a lower bound
	LastDone time.Duration   // from the first due time to the last first fetch of the class
}

// SkewReport is the skewed-hosts table.
type SkewReport struct {
	Machine string
	Tuning  Tuning
	Skew    Skew
	Binary  string
	Runs    []SkewRun
}

// RunSkew runs the skewed workload on every engine, with the slow host and
// then without it.
func RunSkew(ctx context.Context, o Options, k Skew) (*SkewReport, error) {
	o.defaults()
	k.defaults()
	rep := &SkewReport{Machine: machine(), Tuning: o.Tuning, Skew: k, Binary: o.Binary}
	cleanup, err := o.tempDir()
	if err != nil {
		return rep, err
	}
	defer cleanup()
	for _, eng := range o.engines() {
		for _, slow := range []bool{true, false} {
			run, err := runSkew(ctx, o, k, eng, slow)
			rep.Runs = append(rep.Runs, run)
			if err != nil {
				return rep, fmt.Errorf("%s skewed hosts: %w", eng, err)
			}
		}
	}
	return rep, nil
}

// skewFarm is the slow host and the fast hosts of one run.
type skewFarm struct {
	slow  *feedfarm.Server // nil in the baseline
	fast  []*feedfarm.Server
	delay atomic.Int64 // the slow host's answer delay now, in nanoseconds
}

// delayed holds every answer of h for the farm's current slow delay (or
// until the client gives up).
func (f *skewFarm) delayed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := time.Duration(f.delay.Load()); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (f *skewFarm) Close() {
	if f.slow != nil {
		f.slow.Close()
	}
	for _, s := range f.fast {
		s.Close()
	}
}

// urls returns the sources of a run in the order they fall due: a seeded
// shuffle, so that slow and fast interleave.
func (f *skewFarm) urls(k Skew, slow bool, seed int64) ([]string, error) {
	nSlow := int(float64(k.Sources) * k.SlowShare)
	nFast := k.Sources - nSlow
	var out []string
	if slow {
		for i := range nSlow {
			out = append(out, f.slow.URL+feedfarm.FeedPath(i))
		}
	}
	for i := range nFast {
		out = append(out, f.fast[i%len(f.fast)].URL+feedfarm.FeedPath(i))
	}
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

func startSkewFarm(k Skew, slow bool, seed int64) (*skewFarm, error) {
	f := &skewFarm{}
	feeds := k.Sources // enough paths on every host
	if slow {
		s, err := feedfarm.Start(f.delayed(feedfarm.New(feedfarm.Options{Feeds: feeds, Items: k.Items, Seed: seed})), "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		f.slow = s
	}
	fast := feedfarm.New(feedfarm.Options{Feeds: feeds, Items: k.Items, Seed: seed})
	for range k.FastHosts {
		s, err := feedfarm.Start(fast, "127.0.0.1:0")
		if err != nil {
			f.Close()
			return nil, err
		}
		f.fast = append(f.fast, s)
	}
	return f, nil
}

func runSkew(ctx context.Context, o Options, k Skew, eng string, slow bool) (run SkewRun, err error) {
	run = SkewRun{Engine: eng, Label: "fast hosts only"}
	if slow {
		run.Label = "with the slow host"
	}
	f, err := startSkewFarm(k, slow, o.Seed)
	if err != nil {
		return run, err
	}
	defer f.Close()
	urls, err := f.urls(k, slow, o.Seed)
	if err != nil {
		return run, err
	}
	name := "skew-fast"
	if slow {
		name = "skew-slow"
	}
	dataDir, dbURL, drop, err := database(ctx, o, eng, name)
	if err != nil {
		return run, err
	}
	defer drop()
	d, err := openDB(ctx, dataDir, dbURL)
	if err != nil {
		return run, err
	}
	defer d.Close()
	o.logf("%s skewed hosts (%s): creating %s sources", eng, run.Label, thousands(len(urls)))
	if err := d.createSources(ctx, urls, time.Now().Add(24*time.Hour)); err != nil {
		return run, err
	}
	env := scoutEnv(o.Tuning, dataDir, dbURL, "")
	env["SCOUT_AUTO_MIGRATE"] = "false" // the harness migrated; a binary built before the newest migrations runs on it as it is
	s, err := startScout(ctx, o.Binary, env, o.Log)
	if err != nil {
		return run, err
	}
	defer func() {
		if stopErr := s.stop(syscall.SIGTERM); err == nil {
			err = stopErr
		}
	}()
	// The first fetch of a source stores its items, which costs far more
	// than the fetches of a feed already stored; the runs measure the
	// second kind. So every source is fetched once first, the slow host
	// answering at once, and only then does it slow down.
	o.logf("%s skewed hosts (%s): first fetch of every source", eng, run.Label)
	caught := time.Now()
	if err := d.makeDue(ctx, caught); err != nil {
		return run, err
	}
	if err := poll(ctx, 500*time.Millisecond, 10*time.Minute, func() (bool, error) {
		n, err := d.countFetchedSince(ctx, caught)
		return n >= len(urls), err
	}); err != nil {
		return run, fmt.Errorf("first fetches: %w", err)
	}
	f.delay.Store(int64(k.SlowDelay))
	step := k.Period / time.Duration(len(urls))
	t0 := time.Now().Add(time.Second).Truncate(time.Millisecond)
	minID, err := d.count(ctx, `SELECT MIN(id) FROM sources`)
	if err != nil {
		return run, err
	}
	if _, err := d.w.ExecContext(ctx, `UPDATE sources SET next_fetch_at = $1 + (id - $2) * $3`,
		t0.UnixMicro(), minID, step.Microseconds()); err != nil {
		return run, fmt.Errorf("spread due times: %w", err)
	}
	o.logf("%s skewed hosts (%s): due over %s", eng, run.Label, k.Period)
	nFast := k.Sources - int(float64(k.Sources)*k.SlowShare)
	slowPrefix := "-" // no source: the baseline has no slow host
	if f.slow != nil {
		slowPrefix = f.slow.URL + "/"
	}
	err = poll(ctx, 500*time.Millisecond, k.Period+k.Grace+time.Second, func() (bool, error) {
		n, err := d.count(ctx, `SELECT COUNT(DISTINCT f.source_id) FROM fetches f JOIN sources s ON s.id = f.source_id
			WHERE f.started_at >= $1 AND s.url NOT LIKE $2`, t0.UnixMicro(), slowPrefix+"%")
		return n >= nFast, err
	})
	end := time.Now()
	if err != nil && ctx.Err() != nil {
		return run, err
	}
	run.Wall = end.Sub(t0)
	run.Classes, err = skewLags(ctx, d, t0, step, int64(minID), end, slowPrefix)
	return run, err
}

// skewLags reads every source's first fetch since t0 and sorts the lags
// into the slow and the fast class.
func skewLags(ctx context.Context, d *db, t0 time.Time, step time.Duration, minID int64, end time.Time, slowPrefix string) ([]ClassLag, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT s.id, s.url, MIN(f.started_at) FROM sources s
		LEFT JOIN fetches f ON f.source_id = s.id AND f.started_at >= $1 GROUP BY s.id, s.url`, t0.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("read first fetches: %w", err)
	}
	defer rows.Close()
	classes := map[string]*ClassLag{"slow host": {Class: "slow host"}, "fast hosts": {Class: "fast hosts"}}
	for rows.Next() {
		var id int64
		var url string
		var first *int64
		if err := rows.Scan(&id, &url, &first); err != nil {
			return nil, fmt.Errorf("read first fetches: %w", err)
		}
		c := classes["fast hosts"]
		if strings.HasPrefix(url, slowPrefix) {
			c = classes["slow host"]
		}
		due := t0.Add(time.Duration(id-minID) * step)
		c.Sources++
		at := end
		if first != nil {
			at = time.UnixMicro(*first)
			c.Fetched++
			c.LastDone = max(c.LastDone, at.Sub(t0))
		}
		c.Lags = append(c.Lags, max(at.Sub(due), 0))
	}
	var out []ClassLag
	for _, name := range []string{"slow host", "fast hosts"} {
		if c := classes[name]; c.Sources > 0 {
			out = append(out, *c)
		}
	}
	return out, rows.Err()
}

// Markdown writes the report as a table.
func (r *SkewReport) Markdown(w io.Writer) {
	k := r.Skew
	fmt.Fprintf(w, "Machine: %s. %s sources, %.0f%% on one host answering after %s, the rest over %d hosts; due evenly over %s; "+
		"%d workers, %d per host, no host spacing.\n\n", r.Machine, thousands(k.Sources), k.SlowShare*100, dur(k.SlowDelay), k.FastHosts,
		dur(k.Period), r.Tuning.Workers, r.Tuning.PerHost)
	fmt.Fprintln(w, "| engine | run | hosts | sources | fetched | lag p50 | lag p95 | lag max | last first fetch | fetches/s |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, run := range r.Runs {
		for _, c := range run.Classes {
			p50, p95, pmax := quantiles(c.Lags)
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", run.Engine, run.Label, c.Class, thousands(c.Sources),
				thousands(c.Fetched), dur(p50), dur(p95), dur(pmax), dur(c.LastDone), rate(c.Fetched, run.Wall))
		}
	}
	fmt.Fprintln(w, "\nA source not fetched by the end counts its wait until then (a lower bound); fetches/s is the class's first fetches over the run.")
}

// quantiles returns p50, p95 and the max of ds (sorted in place).
func quantiles(ds []time.Duration) (p50, p95, pmax time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return at(0.50), at(0.95), ds[len(ds)-1]
}
