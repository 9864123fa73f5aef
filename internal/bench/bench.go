package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Workload is a farm size: Feeds feeds of Items items each.
type Workload struct{ Feeds, Items int }

// String reads like "1,000 × 50".
func (w Workload) String() string { return fmt.Sprintf("%s × %d", thousands(w.Feeds), w.Items) }

// Options configure Run.
type Options struct {
	Workloads []Workload // cold ingest, warm refresh and the sections run once per workload and engine
	// Binary is the scout executable to run as a child `scout serve`, so
	// that its memory and CPU are its own. Empty runs the app inside this
	// process (needed for -cpuprofile; memory and CPU then include the farm
	// and the harness).
	Binary string
	// PostgresURL, when set, is a server URL whose user may create
	// databases: every workload also runs on a fresh PostgreSQL database,
	// dropped afterwards.
	PostgresURL string
	Tuning      Tuning
	// Steady is how long the steady-state phase watches a rotating farm of
	// SteadyFeeds × SteadyItems (rotating one item per feed every
	// SteadyRotate; the harness makes every source due every SteadyDue).
	// Zero skips it.
	Steady       time.Duration
	SteadyFarm   Workload
	SteadyRotate time.Duration
	SteadyDue    time.Duration
	Seed         int64
	Dir          string // for the databases; a new temporary directory when empty
	// Sections run after each warm refresh, against the Scout still running
	// with the workload stored (the API under load is one).
	Sections []Section
	Log      io.Writer // progress lines; nil discards them
}

func (o *Options) defaults() {
	if o.Tuning == (Tuning{}) {
		o.Tuning = DefaultTuning
	}
	if o.SteadyFarm == (Workload{}) {
		o.SteadyFarm = Workload{Feeds: 200, Items: 20}
	}
	if o.SteadyRotate <= 0 {
		o.SteadyRotate = 5 * time.Second
	}
	if o.SteadyDue <= 0 {
		o.SteadyDue = time.Second
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Run runs every phase and returns the report; the first failed phase ends
// the run with an error and the rows so far.
func Run(ctx context.Context, o Options) (*Report, error) {
	o.defaults()
	rep := &Report{Machine: machine(), Tuning: o.Tuning, Child: o.Binary != ""}
	cleanup, err := o.tempDir()
	if err != nil {
		return rep, err
	}
	defer cleanup()
	for _, eng := range o.engines() {
		for _, w := range o.Workloads {
			rows, err := runWorkload(ctx, o, eng, w)
			rep.Rows = append(rep.Rows, rows...)
			if err != nil {
				return rep, fmt.Errorf("%s %s: %w", eng, w, err)
			}
		}
		if o.Steady > 0 {
			rows, err := runSteady(ctx, o, eng)
			rep.Rows = append(rep.Rows, rows...)
			if err != nil {
				return rep, fmt.Errorf("%s steady state: %w", eng, err)
			}
		}
	}
	return rep, nil
}

// tempDir makes o.Dir a new temporary directory when it is empty; cleanup
// removes it (and nothing when o.Dir was given).
func (o *Options) tempDir() (cleanup func(), err error) {
	if o.Dir != "" {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "scout-bench-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	o.Dir = dir
	return func() { os.RemoveAll(dir) }, nil
}

// engines are the engines a run covers: SQLite, and PostgreSQL when a
// server is given.
func (o Options) engines() []string {
	if o.PostgresURL != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// database prepares an empty database for one run: a file under o.Dir, or a
// fresh PostgreSQL database. drop removes the PostgreSQL one.
func database(ctx context.Context, o Options, engine, name string) (dataDir, dbURL string, drop func(), err error) {
	dataDir = filepath.Join(o.Dir, engine+"-"+name)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", "", nil, fmt.Errorf("data dir: %w", err)
	}
	if engine == "sqlite" {
		return dataDir, "sqlite:" + filepath.Join(dataDir, "scout.db"), func() {}, nil
	}
	dbURL, drop, err = createPostgres(ctx, o.PostgresURL)
	return dataDir, dbURL, drop, err
}

func (o Options) logf(format string, args ...any) {
	fmt.Fprintf(o.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
