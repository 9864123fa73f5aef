package bench

import (
	"context"
	"fmt"
	"slices"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/feedfarm"
)

// runSteady measures the lag between an item appearing on a rotating farm
// and Scout committing it. The configuration's shortest fetch interval is a
// minute, so the harness stands in for a short interval by making every
// source due every o.SteadyDue; Scout's scheduler notices within its poll
// (one second). The lag of an item is its row's created_at minus the
// instant the farm began to show it, both on this machine's clock.
func runSteady(ctx context.Context, o Options, eng string) (rows []Row, err error) {
	w := o.SteadyFarm
	lf, err := startFarm(feedfarm.Options{Feeds: w.Feeds, Items: w.Items, Seed: o.Seed, RotateEvery: o.SteadyRotate, RotateCount: 1})
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	dataDir, dbURL, drop, err := database(ctx, o, eng, "steady")
	if err != nil {
		return nil, err
	}
	defer drop()
	d, err := openDB(ctx, dataDir, dbURL)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	if err := d.createSources(ctx, lf.urls(), time.Now()); err != nil {
		return nil, err
	}
	s, err := startScout(ctx, o.Binary, scoutEnv(o.Tuning, dataDir, dbURL, ""), o.Log)
	if err != nil {
		return nil, err
	}
	defer func() {
		if stopErr := s.stop(syscall.SIGTERM); err == nil {
			err = stopErr
		}
	}()
	o.logf("%s steady state: catching up on %s", eng, w)
	err = poll(ctx, 100*time.Millisecond, 5*time.Minute, func() (bool, error) {
		n, err := d.countFetchedSince(ctx, time.UnixMicro(0))
		return n >= w.Feeds, err
	})
	if err != nil {
		return nil, fmt.Errorf("catch up: %w", err)
	}
	_, lastID, err := d.created(ctx, 0)
	if err != nil {
		return nil, err
	}
	o.logf("%s steady state: watching for %s", eng, o.Steady)
	r, start, err := watch(ctx, o, d, s)
	if err != nil {
		return nil, err
	}
	lf.Freeze()
	stopAt := time.Now()
	if err := settle(ctx, d, lf); err != nil {
		return nil, err
	}
	created, _, err := d.created(ctx, lastID)
	if err != nil {
		return nil, err
	}
	var lags []time.Duration
	for g, at := range created {
		if app, ok := lf.AppearedAt(g); ok && !app.Before(start) && !app.After(stopAt) {
			lags = append(lags, at.Sub(app))
		}
	}
	r.Engine, r.Workload, r.Items = eng, w.String(), len(lags)
	r.Note = fmt.Sprintf("lag %s; 1 new item per feed every %s, every source due every %s", percentiles(lags), o.SteadyRotate, o.SteadyDue)
	rows = append(rows, r)
	return checkRow(ctx, rows, Row{Engine: eng, Workload: w.String(), Phase: "check"}, d, lf)
}

// watch makes every source due every o.SteadyDue for o.Steady and returns
// the phase's row (CPU and peak RSS) and when it started.
func watch(ctx context.Context, o Options, d *db, s *proc) (Row, time.Time, error) {
	r := Row{Phase: "steady state", Wall: o.Steady}
	before, _ := readUsage(s.pid)
	resetPeak(s.pid)
	start := time.Now()
	t := time.NewTicker(o.SteadyDue)
	defer t.Stop()
	for time.Since(start) < o.Steady {
		if err := d.makeDue(ctx, time.Now()); err != nil {
			return r, start, err
		}
		select {
		case <-ctx.Done():
			return r, start, ctx.Err()
		case <-t.C:
		}
	}
	after, _ := readUsage(s.pid)
	r.PeakRSS, r.CPU = after.PeakRSS, after.CPU-before.CPU
	return r, start, nil
}

// settle makes sources due until every item the farm served is stored and
// the count can no longer move. The farm is frozen, but a feed fetched
// before the freeze may still hold items it has not served yet; they count
// as served only once a later fetch carries them. So settling also waits
// until every source has committed a fetch well after settling began
// (settleMargin covers a response received before the freeze and committed
// after it); after that, no fetch can serve anything new.
func settle(ctx context.Context, d *db, lf *liveFarm) error {
	const settleMargin = 5 * time.Second
	after := time.Now().Add(settleMargin)
	feeds := lf.Options().Feeds
	var last time.Time
	return poll(ctx, 200*time.Millisecond, 2*time.Minute, func() (bool, error) {
		if time.Since(last) > time.Second {
			last = time.Now()
			if err := d.makeDue(ctx, last); err != nil {
				return false, err
			}
		}
		if n, err := d.countFetchedSince(ctx, after); err != nil || n < feeds {
			return false, err
		}
		c, err := verify(ctx, d, lf.srv.URL, lf.truth)
		return c.Missing == 0, err
	})
}

// percentiles reads like "p50 1.20 s, p95 2.01 s, max 2.50 s over 2,400 items".
func percentiles(ds []time.Duration) string { return percentilesOf(ds, "items") }

// percentilesOf is percentiles counting what: "over 40 writes".
func percentilesOf(ds []time.Duration, what string) string {
	if len(ds) == 0 {
		return "no new " + what
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return fmt.Sprintf("p50 %s, p95 %s, max %s over %s", dur(at(0.50)), dur(at(0.95)), dur(ds[len(ds)-1]), thousands(len(ds))) + " " + what
}
