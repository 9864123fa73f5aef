package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/bench"
	"github.com/scoutdev/scout/internal/config"
)

// benchCmd runs the load harness and prints its table, or with -verify
// checks a database against a running feedfarm.
func benchCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("bench", env)
	load := commonFlags(fs, env)
	var o bench.Options
	full := fs.Bool("full", false, "also run 10,000 feeds × 20 items")
	workloads := fs.String("workloads", "1000x50", "comma-separated FEEDSxITEMS workloads")
	binary := fs.String("binary", "", "run this scout executable as the Scout under test (e.g. one built from an older commit); default this one")
	inproc := fs.Bool("inprocess", false, "run Scout inside this process instead of as a child 'scout serve'")
	pg, _ := env.Lookup("SCOUT_TEST_POSTGRES_URL")
	fs.StringVar(&o.PostgresURL, "postgres", pg, "PostgreSQL server URL (a user that may create databases) to bench too")
	durationVar(fs, &o.Steady, "steady", 0, "watch a rotating farm this long (a `duration`, e.g. 60s; 0 skips) for the steady-state lag")
	fs.IntVar(&o.SteadyFarm.Feeds, "steady-feeds", 200, "feeds of the steady-state farm")
	fs.IntVar(&o.SteadyFarm.Items, "steady-items", 20, "items per feed of the steady-state farm")
	o.Tuning = bench.DefaultTuning
	fs.IntVar(&o.Tuning.Workers, "workers", o.Tuning.Workers, "SCOUT_WORKERS for the Scout under test")
	fs.IntVar(&o.Tuning.PerHost, "per-host", o.Tuning.PerHost, "SCOUT_FETCH_PER_HOST")
	fs.IntVar(&o.Tuning.Concurrency, "concurrency", o.Tuning.Concurrency, "SCOUT_FETCH_CONCURRENCY")
	fs.Int64Var(&o.Seed, "seed", 1, "farm seed")
	fs.StringVar(&o.Dir, "dir", "", "directory for the databases (default: a temporary one, removed after)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile here (implies -inprocess)")
	memprofile := fs.String("memprofile", "", "write an allocation profile here at the end (implies -inprocess)")
	apiSizes := fs.String("api", "", "comma-separated item counts (e.g. 100000,1000000): fill a fresh store with each and measure the API under load")
	apiOnly := fs.Bool("api-only", false, "with -api: skip the ingestion workloads")
	var apiLoad bench.APILoad
	apiClients := fs.String("api-clients", "1,16", "comma-separated concurrencies to load every API route at")
	durationVar(fs, &apiLoad.Duration, "api-duration", 10*time.Second, "measured time (a `duration`) per API route, after a 2 s warm-up")
	replicas := fs.String("replicas", "", "with -postgres: comma-separated replica counts (e.g. 1,2,3); measure a cold ingest of the first workload by that many replicas on one database instead")
	var so bench.ScaleOut
	delays := fs.String("delay", "0", "with -replicas: comma-separated farm response delays, each a farm of its own (e.g. 0,1s: the plain farm, then one holding every answer 1 s)")
	var sk bench.Skew
	fs.IntVar(&sk.Sources, "skew", 0, "run the skewed-hosts workload with this many sources instead (e.g. 10000): half on one slow host, the rest over -skew-hosts hosts")
	fs.IntVar(&sk.FastHosts, "skew-hosts", 200, "with -skew: hosts the fast half is spread over")
	durationVar(fs, &sk.SlowDelay, "skew-delay", time.Second, "with -skew: how long (a `duration`) the slow host takes to answer")
	durationVar(fs, &sk.Period, "skew-period", time.Minute, "with -skew: the sources fall due evenly over this period (a `duration`)")
	verify := fs.Bool("verify", false, "check --data-dir/--database-url against the farm at -farm and exit")
	var vo bench.VerifyOptions
	fs.StringVar(&vo.FarmURL, "farm", "http://127.0.0.1:8090", "with -verify: the feedfarm's URL")
	fs.BoolVar(&vo.Partial, "partial", false, "with -verify: allow items not stored yet")
	fs.BoolVar(&vo.MakeDue, "make-due", false, "with -verify: afterwards make every source due now")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *verify {
		return runVerify(ctx, load, vo, env)
	}
	ws, err := parseWorkloads(*workloads, *full)
	if err != nil {
		return err
	}
	o.Workloads, o.Log = ws, env.Stderr
	if !*inproc && *cpuprofile == "" && *memprofile == "" {
		if o.Binary, err = os.Executable(); err != nil {
			return fmt.Errorf("find the scout binary: %w", err)
		}
		if *binary != "" {
			o.Binary = *binary
		}
	}
	if *cpuprofile != "" {
		stop, err := startProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *memprofile != "" {
		defer writeAllocs(*memprofile, env)
	}
	if sk.Sources > 0 {
		if o.Tuning.PerHost == bench.DefaultTuning.PerHost {
			o.Tuning.PerHost = 2 // the slow host's limit, as SCOUT_FETCH_PER_HOST's default
		}
		rep, err := bench.RunSkew(ctx, o, sk)
		rep.Markdown(env.Stdout)
		return err
	}
	if *replicas != "" {
		for _, part := range strings.Split(*replicas, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil || n <= 0 || n > 16 {
				return usageErr("-replicas %q is not a replica count from 1 to 16", part)
			}
			so.Replicas = append(so.Replicas, n)
		}
		for _, part := range strings.Split(*delays, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(part))
			if err != nil || d < 0 || d > time.Minute {
				return usageErr("-delay %q is not a duration from 0 to 1m", part)
			}
			so.Delays = append(so.Delays, d)
		}
		so.Workload = ws[0]
		rep, err := bench.RunScaleOut(ctx, o, so)
		rep.Markdown(env.Stdout)
		return err
	}
	for _, part := range strings.Split(*apiClients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n <= 0 {
			return usageErr("-api-clients %q is not a positive count", part)
		}
		apiLoad.Clients = append(apiLoad.Clients, n)
	}
	if *apiSizes != "" && !*apiOnly {
		o.Sections = append(o.Sections, apiLoad)
	}
	if !*apiOnly {
		rep, err := bench.Run(ctx, o)
		rep.Markdown(env.Stdout)
		if err != nil || *apiSizes == "" {
			return err
		}
		fmt.Fprintln(env.Stdout)
	}
	return runAPI(ctx, o, apiLoad, *apiSizes, env)
}

// runAPI fills a store per size and prints the API-under-load tables.
func runAPI(ctx context.Context, o bench.Options, load bench.APILoad, sizes string, env Env) error {
	ao := bench.APIOptions{Binary: o.Binary, PostgresURL: o.PostgresURL, Dir: o.Dir, Seed: o.Seed, Load: load, Log: env.Stderr}
	for _, part := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n <= 0 {
			return usageErr("-api size %q is not a positive item count", part)
		}
		ao.Sizes = append(ao.Sizes, n)
	}
	rep, err := bench.RunAPI(ctx, ao)
	rep.Markdown(env.Stdout)
	return err
}

func runVerify(ctx context.Context, load func() (config.Config, error), vo bench.VerifyOptions, env Env) error {
	cfg, err := load()
	if err != nil {
		return err
	}
	vo.DataDir, vo.DatabaseURL = cfg.DataDir, cfg.DatabaseURL
	c, err := bench.Verify(ctx, vo)
	fmt.Fprintln(env.Stdout, c)
	return err
}

func parseWorkloads(s string, full bool) ([]bench.Workload, error) {
	var ws []bench.Workload
	for _, part := range strings.Split(s, ",") {
		f, i, ok := strings.Cut(strings.TrimSpace(part), "x")
		feeds, err1 := strconv.Atoi(f)
		items, err2 := strconv.Atoi(i)
		if !ok || err1 != nil || err2 != nil || feeds <= 0 || items <= 0 {
			return nil, usageErr("workload %q is not FEEDSxITEMS", part)
		}
		ws = append(ws, bench.Workload{Feeds: feeds, Items: items})
	}
	if full {
		ws = append(ws, bench.Workload{Feeds: 10000, Items: 20})
	}
	return ws, nil
}

// writeAllocs writes the allocations since the start (every sample of
// runtime.MemProfileRate) to path; a failure is reported, not returned: the
// benchmark's own result is already printed.
func writeAllocs(path string, env Env) {
	f, err := os.Create(path)
	if err == nil {
		err = errors.Join(pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "allocation profile: %v\n", err)
	}
}

func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
