package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/feedfarm"
)

// CrashOptions configure Crash.
type CrashOptions struct {
	Binary string   // the scout executable, run as `scout serve`
	Dir    string   // for the database; a new temporary directory when empty
	Kills  int      // SIGKILLs before the final run; default 20
	Farm   Workload // default 300 × 20, one new item per feed every 2 s
	// MinUp and MaxUp bound how long each run lives before its SIGKILL;
	// defaults 300 ms and 2 s, inside the ingest. Feeds grow by one item
	// every 2 s and keep 60 more than they start with, so that no item drops
	// out before a restarted run could fetch it.
	MinUp, MaxUp time.Duration
	Seed         int64
	Rand         *rand.Rand // picks the kill points; seeded randomly when nil
	Log          io.Writer
}

// CrashReport is what Crash saw.
type CrashReport struct {
	Kills int     // how many runs were killed
	After []Check // the check after each kill (missing items allowed)
	Final Check   // after a last clean run caught up: nothing may be missing
}

// Crash runs `scout serve` against a rotating farm, SIGKILLs it at random
// points while it ingests, checks the database after every kill (integrity,
// no duplicates, nothing the farm never served), then lets a last run catch
// up and checks that no served item was lost. Before each run every source
// is made due, so each run is busy writing when it dies. The lease is 10 s
// (the shortest allowed) so that sources a killed run held come back soon.
func Crash(ctx context.Context, o CrashOptions) (rep CrashReport, err error) {
	o.defaults()
	dir := o.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "scout-crash-"); err != nil {
			return rep, fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(dir)
	}
	lf, err := startFarm(feedfarm.Options{Feeds: o.Farm.Feeds, Items: o.Farm.Items, Seed: o.Seed, RotateEvery: 2 * time.Second, RotateCount: 1, Keep: o.Farm.Items + 60})
	if err != nil {
		return rep, err
	}
	defer lf.Close()
	dbURL := "sqlite:" + filepath.Join(dir, "scout.db")
	d, err := openDB(ctx, dir, dbURL)
	if err != nil {
		return rep, err
	}
	defer d.Close()
	if err := d.createSources(ctx, lf.urls(), time.Now()); err != nil {
		return rep, err
	}
	t := Tuning{Workers: 8, PerHost: 8, Concurrency: 8, FetchTimeout: 5 * time.Second, Lease: 10 * time.Second}
	for rep.Kills < o.Kills {
		c, err := killOnce(ctx, o, t, d, lf, dir, dbURL)
		if err != nil {
			return rep, fmt.Errorf("run %d: %w", rep.Kills+1, err)
		}
		rep.Kills++
		rep.After = append(rep.After, c)
		fmt.Fprintf(o.Log, "kill %d: %s\n", rep.Kills, c)
		if !c.OK(true) {
			return rep, fmt.Errorf("after kill %d: %s", rep.Kills, c)
		}
	}
	rep.Final, err = finalRun(ctx, o, t, d, lf, dir, dbURL)
	return rep, err
}

func (o *CrashOptions) defaults() {
	if o.Kills <= 0 {
		o.Kills = 20
	}
	if o.Farm == (Workload{}) {
		o.Farm = Workload{Feeds: 300, Items: 20}
	}
	if o.MinUp <= 0 {
		o.MinUp = 300 * time.Millisecond
	}
	if o.MaxUp <= o.MinUp {
		o.MaxUp = max(2*time.Second, o.MinUp+time.Millisecond)
	}
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// killOnce makes every source due, starts Scout, SIGKILLs it after a
// random time and checks the database.
func killOnce(ctx context.Context, o CrashOptions, t Tuning, d *db, lf *liveFarm, dir, dbURL string) (Check, error) {
	if err := d.makeDue(ctx, time.Now()); err != nil {
		return Check{}, err
	}
	s, err := startScout(ctx, o.Binary, scoutEnv(t, dir, dbURL, ""), o.Log)
	if err != nil {
		return Check{}, err
	}
	up := o.MinUp + time.Duration(o.Rand.Int64N(int64(o.MaxUp-o.MinUp)))
	if err := sleep(ctx, up); err != nil {
		s.stop(syscall.SIGKILL)
		return Check{}, err
	}
	if err := s.stop(syscall.SIGKILL); err != nil {
		return Check{}, err
	}
	return verify(ctx, d, lf.srv.URL, lf.truth)
}

// finalRun stops the farm's rotation, lets one run catch up and stops it
// cleanly, then checks that everything served is stored once.
func finalRun(ctx context.Context, o CrashOptions, t Tuning, d *db, lf *liveFarm, dir, dbURL string) (Check, error) {
	lf.Freeze()
	s, err := startScout(ctx, o.Binary, scoutEnv(t, dir, dbURL, ""), o.Log)
	if err != nil {
		return Check{}, err
	}
	settleErr := settle(ctx, d, lf)
	if err := s.stop(syscall.SIGTERM); err != nil {
		return Check{}, err
	}
	c, err := verify(ctx, d, lf.srv.URL, lf.truth)
	fmt.Fprintf(o.Log, "final: %s\n", c)
	if err != nil {
		return c, err
	}
	if settleErr != nil || !c.OK(false) {
		return c, fmt.Errorf("final check: %s (%v)", c, settleErr)
	}
	return c, nil
}
