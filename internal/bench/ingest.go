package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/feedfarm"
)

// liveFarm is a farm on loopback that notes its first request after arm,
// so that a phase's wall time starts when Scout starts fetching rather
// than when the scheduler's next poll happens to fall.
type liveFarm struct {
	*feedfarm.Farm
	srv   *feedfarm.Server
	armed atomic.Bool
	first atomic.Int64 // unix nanos
}

func startFarm(o feedfarm.Options) (*liveFarm, error) {
	lf := &liveFarm{Farm: feedfarm.New(o)}
	srv, err := feedfarm.Start(lf, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	lf.srv = srv
	return lf, nil
}

func (lf *liveFarm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if lf.armed.Load() {
		lf.first.CompareAndSwap(0, time.Now().UnixNano())
	}
	lf.Farm.ServeHTTP(w, r)
}

func (lf *liveFarm) arm()                    { lf.first.Store(0); lf.armed.Store(true) }
func (lf *liveFarm) firstRequest() time.Time { return time.Unix(0, lf.first.Load()) }
func (lf *liveFarm) Close() error            { return lf.srv.Close() }
func (lf *liveFarm) truth() (map[string][]string, error) {
	return lf.Truth(), nil
}

func (lf *liveFarm) urls() []string {
	n := lf.Options().Feeds
	out := make([]string, n)
	for i := range n {
		out[i] = lf.srv.URL + feedfarm.FeedPath(i)
	}
	return out
}

// runWorkload measures the floors, then a cold ingest and a warm refresh by
// Scout, runs the sections and checks the stored items.
func runWorkload(ctx context.Context, o Options, eng string, w Workload) (rows []Row, err error) {
	o.logf("%s %s: starting the farm", eng, w)
	lf, err := startFarm(feedfarm.Options{Feeds: w.Feeds, Items: w.Items, Seed: o.Seed})
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	row := func(phase string) Row { return Row{Engine: eng, Workload: w.String(), Phase: phase} }
	floorRows, floorWall, err := floors(ctx, o, lf, w)
	for _, r := range floorRows {
		r.Engine, r.Workload = eng, w.String()
		rows = append(rows, r)
	}
	if err != nil {
		return rows, err
	}
	dataDir, dbURL, drop, err := database(ctx, o, eng, fmt.Sprintf("%dx%d", w.Feeds, w.Items))
	if err != nil {
		return rows, err
	}
	defer drop()
	d, err := openDB(ctx, dataDir, dbURL)
	if err != nil {
		return rows, err
	}
	defer d.Close()
	t := time.Now()
	if err := d.createSources(ctx, lf.urls(), t.Add(24*time.Hour)); err != nil {
		return rows, err
	}
	o.logf("%s %s: created %d sources in %s; starting scout", eng, w, w.Feeds, time.Since(t).Round(time.Millisecond))
	s, err := startScout(ctx, o.Binary, scoutEnv(o.Tuning, dataDir, dbURL, ""), o.Log)
	if err != nil {
		return rows, err
	}
	defer func() {
		if stopErr := s.stop(syscall.SIGTERM); err == nil {
			err = stopErr
		}
	}()
	if err := sleep(ctx, time.Second); err != nil {
		return rows, err
	}
	idle, _ := readUsage(s.pid)
	want := w.Feeds * w.Items

	o.logf("%s %s: cold ingest (idle RSS %s)", eng, w, mib(idle.RSS))
	// Poll the sources, not the items: counting a growing items table
	// every few milliseconds took a quarter of the CPU Scout needed.
	cold, wait, err := timed(ctx, d, lf, s, func(due time.Time) (bool, error) { n, err := d.countFetchedSince(ctx, due); return n >= w.Feeds, err })
	if err != nil {
		return rows, fmt.Errorf("cold ingest: %w", err)
	}
	if n, err := d.countItems(ctx); err != nil || n != want {
		return rows, fmt.Errorf("cold ingest stored %d items of %d (%v)", n, want, err)
	}
	r := row("cold ingest")
	r.Wall, r.Items, r.Feeds, r.PeakRSS, r.CPU = cold.Wall, want, w.Feeds, cold.Use.PeakRSS, cold.Use.CPU
	r.VsFloor = float64(cold.Wall) / float64(floorWall)
	r.Note = fmt.Sprintf("idle RSS %s before; first fetch %s after the sources became due", mib(idle.RSS), wait.Round(time.Millisecond))
	rows = append(rows, r)

	o.logf("%s %s: warm refresh", eng, w)
	before := lf.Stats()
	warm, wait, err := timed(ctx, d, lf, s, func(due time.Time) (bool, error) { n, err := d.countFetchedSince(ctx, due); return n >= w.Feeds, err })
	if err != nil {
		return rows, fmt.Errorf("warm refresh: %w", err)
	}
	after := lf.Stats()
	r = row("warm refresh")
	r.Wall, r.Feeds, r.PeakRSS, r.CPU = warm.Wall, w.Feeds, warm.Use.PeakRSS, warm.Use.CPU
	r.Note = fmt.Sprintf("%d × 304, %d × 200; first fetch %s after due", after.NotModified-before.NotModified, after.OK-before.OK, wait.Round(time.Millisecond))
	rows = append(rows, r)

	items, _ := d.countItems(ctx)
	for _, sec := range o.Sections {
		o.logf("%s %s: %s", eng, w, sec.Name())
		srows, err := sec.Run(ctx, Target{Engine: eng, Workload: w, Items: items, BaseURL: s.url, PID: s.pid, Store: d.Store, DB: d.r})
		for _, sr := range srows {
			sr.Engine = cmpOr(sr.Engine, eng)
			sr.Workload = cmpOr(sr.Workload, w.String())
			rows = append(rows, sr)
		}
		if err != nil {
			return rows, fmt.Errorf("%s: %w", sec.Name(), err)
		}
	}
	rows, err = checkRow(ctx, rows, row("check"), d, lf)
	if err != nil {
		return rows, err
	}
	r = row("storage")
	if r.Note, err = d.storage(ctx, want); err != nil {
		return rows, err
	}
	return append(rows, r), nil
}

// checkRow appends the correctness check; a failed check is an error.
func checkRow(ctx context.Context, rows []Row, r Row, d *db, lf *liveFarm) ([]Row, error) {
	c, err := verify(ctx, d, lf.srv.URL, lf.truth)
	if err != nil {
		return rows, err
	}
	r.Items, r.Note = c.Stored, c.String()
	rows = append(rows, r)
	if !c.OK(false) {
		return rows, fmt.Errorf("check failed: %s", c)
	}
	return rows, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// floors runs each floor parser over the farm and returns the rows and the
// first floor's wall time (the denominator of "× floor").
func floors(ctx context.Context, o Options, lf *liveFarm, w Workload) ([]Row, time.Duration, error) {
	var rows []Row
	var base time.Duration
	for k, p := range floorParsers {
		o.logf("%s: %s", w, p.name)
		m, err := runFloor(ctx, lf.urls(), o.Tuning, p)
		if err != nil {
			return rows, 0, err
		}
		if want := w.Feeds * w.Items; m.Items != want {
			return rows, 0, fmt.Errorf("%s parsed %d items, want %d", p.name, m.Items, want)
		}
		r := Row{Phase: p.name, Wall: m.Wall, Items: m.Items, Feeds: m.Feeds, PeakRSS: m.Use.PeakRSS, CPU: m.Use.CPU,
			Note: "no storage; RSS and CPU include the farm"}
		if k == 0 {
			base = m.Wall
		}
		r.VsFloor = float64(m.Wall) / float64(base)
		rows = append(rows, r)
	}
	return rows, base, nil
}

// timed makes every source due, waits until done reports true, and
// measures from the farm's first request to the last fetch stored (both
// timestamps, so the poll interval does not blur the figure). wait is
// how long Scout took to notice the sources were due (its poll interval).
func timed(ctx context.Context, d *db, lf *liveFarm, s *proc, done func(due time.Time) (bool, error)) (m measured, wait time.Duration, err error) {
	before, _ := readUsage(s.pid)
	resetPeak(s.pid)
	lf.arm()
	due := time.Now()
	if err := d.makeDue(ctx, due); err != nil {
		return m, 0, err
	}
	if err := poll(ctx, 50*time.Millisecond, 20*time.Minute, func() (bool, error) { return done(due) }); err != nil {
		return m, 0, err
	}
	after, _ := readUsage(s.pid)
	last, err := d.lastFetched(ctx)
	if err != nil {
		return m, 0, err
	}
	first := lf.firstRequest()
	m.Wall = last.Sub(first)
	m.Use = usage{PeakRSS: after.PeakRSS, CPU: after.CPU - before.CPU}
	return m, first.Sub(due), nil
}

// poll calls done every interval until it reports true, for at most limit.
func poll(ctx context.Context, interval, limit time.Duration, done func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := done()
		if err != nil && !strings.Contains(err.Error(), "locked") {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not done after %s", limit)
		}
		if err := sleep(ctx, interval); err != nil {
			return err
		}
	}
}
