package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// APILoad is the API under load: a closed-loop load generator over the
// read routes of a running Scout (list, get, search, stats), one route at a
// time, and the same generator against a raw net/http handler serving a
// canned body of the list response's size (the floor). It is a Section,
// and RunAPI runs it against stores filled by Fill.
type APILoad struct {
	// Clients lists the concurrencies to run every route at (default 1
	// and 16): one client shows a request's own latency, sixteen the
	// throughput of both cores and the latency under queueing.
	Clients  []int
	Warmup   time.Duration // per route, not counted (default 2 s)
	Duration time.Duration // measured per route (default 10 s)
	// Keys is how many read API keys the load spreads over (default
	// 1,000). Scout limits each key to 20 requests/s (burst 40), so one key
	// would measure the limiter; this many keep every key under its limit
	// up to 20,000 requests/s. A 429 counts as an error.
	Keys int
	Seed uint64
}

// APIResult is one route's load figures with Scout's CPU over the
// measured part and its peak RSS.
type APIResult struct {
	LoadResult
	CPU     time.Duration
	PeakRSS int64
}

var _ Section = APILoad{}

// Name returns "API under load".
func (APILoad) Name() string { return "API under load" }

// Run measures every route and the floor and returns one row per route:
// Items is the request count (so Items/s is requests/s), the latencies and
// the share of the floor are in the notes.
func (a APILoad) Run(ctx context.Context, t Target) ([]Row, error) {
	res, floors, err := a.measure(ctx, t)
	var rows []Row
	for _, r := range res {
		rows = append(rows, Row{Phase: fmt.Sprintf("API, %d clients: %s", r.Clients, r.Route), Wall: r.Wall, Items: r.Requests,
			CPU: r.CPU, PeakRSS: r.PeakRSS, Note: loadNote(r.LoadResult, floorOf(floors, r.Clients))})
	}
	for _, f := range floors {
		rows = append(rows, Row{Phase: fmt.Sprintf("API, %d clients: %s", f.Clients, f.Route), Wall: f.Wall, Items: f.Requests,
			Note: loadNote(f, LoadResult{})})
	}
	return rows, err
}

// floorOf returns the floor measured at the given concurrency.
func floorOf(floors []LoadResult, clients int) LoadResult {
	for _, f := range floors {
		if f.Clients == clients {
			return f
		}
	}
	return LoadResult{}
}

func loadNote(r, floor LoadResult) string {
	s := fmt.Sprintf("p50 %s, p95 %s, p99 %s; %s B", lat(r.P50), lat(r.P95), lat(r.P99), thousands(int(r.Bytes)))
	if r.Route == routeList && floor.RPS() > 0 {
		s += fmt.Sprintf("; %.0f %% of the floor's requests/s", 100*r.RPS()/floor.RPS())
	}
	if r.Errors > 0 {
		s += fmt.Sprintf("; %d errors (%s)", r.Errors, r.FirstError)
	}
	return s
}

func (a *APILoad) defaults() {
	if len(a.Clients) == 0 {
		a.Clients = []int{1, 16}
	}
	if a.Warmup <= 0 {
		a.Warmup = 2 * time.Second
	}
	if a.Duration <= 0 {
		a.Duration = 10 * time.Second
	}
	if a.Keys <= 0 {
		a.Keys = 1000
	}
	if a.Seed == 0 {
		a.Seed = 1
	}
}

// measure creates read API keys, then at each concurrency loads every
// route in turn and the floor with a body the size of the list response.
func (a APILoad) measure(ctx context.Context, t Target) ([]APIResult, []LoadResult, error) {
	a.defaults()
	keys, err := readerKeys(ctx, t.Store, a.Keys)
	if err != nil {
		return nil, nil, err
	}
	var lo, hi int64
	if err := t.DB.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM items`).Scan(&lo, &hi); err != nil {
		return nil, nil, fmt.Errorf("item id range: %w", err)
	}
	var out []APIResult
	var floors []LoadResult
	for _, n := range a.Clients {
		o := LoadOptions{Clients: n, Warmup: a.Warmup, Duration: a.Duration, Seed: a.Seed, Tokens: keys}
		res, floor, err := measureAt(ctx, t, apiRoutes(lo, hi), o)
		out, floors = append(out, res...), append(floors, floor)
		if err != nil {
			return out, floors, err
		}
	}
	return out, floors, nil
}

// measureAt loads each route with o, then the floor.
func measureAt(ctx context.Context, t Target, routes []Route, o LoadOptions) ([]APIResult, LoadResult, error) {
	c := newLoadClient(o.Clients)
	defer c.CloseIdleConnections()
	keys := o.Tokens
	var out []APIResult
	var listBody []byte
	var err error
	for _, route := range routes {
		if route.Name == routeList {
			if listBody, err = fetchBody(ctx, c, t.BaseURL+route.Path(nil), "Bearer "+keys[0]); err != nil {
				return out, LoadResult{}, err
			}
		}
		var before usage
		o.AtMeasure = func() { before, _ = readUsage(t.PID); resetPeak(t.PID) }
		r, err := Load(ctx, c, t.BaseURL, route, o)
		after, _ := readUsage(t.PID)
		out = append(out, APIResult{LoadResult: r, CPU: after.CPU - before.CPU, PeakRSS: after.PeakRSS})
		if err != nil {
			return out, LoadResult{}, err
		}
	}
	o.AtMeasure = nil
	floor, err := runFloorLoad(ctx, listBody, o)
	return out, floor, err
}

// runFloorLoad drives a raw handler serving body with the same generator.
func runFloorLoad(ctx context.Context, body []byte, o LoadOptions) (LoadResult, error) {
	f, err := startFloor(body)
	if err != nil {
		return LoadResult{}, err
	}
	defer f.Close()
	c := newLoadClient(o.Clients)
	defer c.CloseIdleConnections()
	return Load(ctx, c, f.url, Route{Name: routeFloor, Path: func(*rand.Rand) string { return "/v1/items?limit=50" }}, o)
}

func fetchBody(ctx context.Context, c *http.Client, u, authorization string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", authorization)
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("get %s: status %d: %s", u, resp.StatusCode, b)
	}
	return b, err
}

// readerKeys creates a user and n API keys with the read scope through the
// store, as `scout apikey create` does, and returns the keys.
func readerKeys(ctx context.Context, st store.Store, n int) ([]string, error) {
	u, err := st.CreateUser(ctx, scout.User{Email: fmt.Sprintf("bench-%d@example.org", time.Now().UnixNano()), Name: "bench"})
	if err != nil {
		return nil, fmt.Errorf("create bench user: %w", err)
	}
	keys := make([]string, n)
	for i := range keys {
		plain, prefix, hash, err := auth.NewAPIKey()
		if err != nil {
			return nil, err
		}
		k := scout.APIKey{UserID: u.ID, Name: fmt.Sprintf("bench %d", i), Prefix: prefix, Hash: hash, Scopes: []scout.Scope{scout.ScopeRead}}
		if _, err := st.CreateAPIKey(ctx, k); err != nil {
			return nil, fmt.Errorf("create bench api key: %w", err)
		}
		keys[i] = plain
	}
	return keys, nil
}

// Route names; the list route is the one compared with the floor.
const (
	routeList  = "list newest (limit 50)"
	routeFloor = "floor: raw net/http, same body"
)

// apiRoutes are the routes under load. Search terms come from Fill's
// vocabulary: "grant" is in about a quarter of the items, a program name in
// about 1 of 3,375, a discipline and a city together in about 1 of 100, a
// two-word discipline as a phrase in 1 of 14.
func apiRoutes(lo, hi int64) []Route {
	items := func(q func(r *rand.Rand) url.Values) func(r *rand.Rand) string {
		return func(r *rand.Rand) string { return "/v1/items?" + q(r).Encode() }
	}
	search := func(sort string, term func(r *rand.Rand) string) func(r *rand.Rand) string {
		return items(func(r *rand.Rand) url.Values { return url.Values{"q": {term(r)}, "sort": {sort}, "limit": {"50"}} })
	}
	common := func(*rand.Rand) string { return "grant" }
	rare := func(r *rand.Rand) string { return programName(r.IntN(programNames)) }
	two := func(r *rand.Rand) string { return pickOf(r, oneWordDisciplines) + " " + pickOf(r, oneWordPlaces) }
	phrase := func(r *rand.Rand) string { return `"` + pickOf(r, twoWordDisciplines) + `"` }
	routes := []Route{
		{routeList, func(*rand.Rand) string { return "/v1/items?limit=50" }},
		{"get one item (random id)", func(r *rand.Rand) string { return "/v1/items/" + strconv.FormatInt(lo+r.Int64N(hi-lo+1), 10) }},
	}
	for _, s := range []struct {
		name string
		term func(r *rand.Rand) string
	}{{"common term (grant)", common}, {"rare term (a program name)", rare}, {"two terms (discipline + city)", two}, {`phrase ("music composition"…)`, phrase}} {
		routes = append(routes,
			Route{"search " + s.name + ", by relevance", search("relevance", s.term)},
			Route{"search " + s.name + ", by published", search("published", s.term)})
	}
	return append(routes, Route{"stats", func(*rand.Rand) string { return "/v1/stats" }})
}

var (
	oneWordDisciplines = []string{"poetry", "journalism", "photography", "theatre", "dance", "illustration", "ceramics", "animation"}
	twoWordDisciplines = []string{"documentary film", "visual arts", "music composition", "game design", "sound art", "creative nonfiction"}
	oneWordPlaces      = []string{"Berlin", "Lagos", "Montreal", "Oaxaca", "Glasgow", "Seoul", "Nairobi", "Lisbon", "Portland", "Melbourne", "Helsinki", "Kyoto"}
)

// APIOptions configure RunAPI.
type APIOptions struct {
	Sizes       []int // items to store, one fresh database each
	Sources     int   // sources they spread over (default 2,000)
	Binary      string
	PostgresURL string
	Dir         string
	Seed        int64
	Load        APILoad
	Log         io.Writer
}

// APIRun is the outcome for one engine and size.
type APIRun struct {
	Engine  string
	Fill    FillResult
	DBBytes int64 // SQLite file and WAL; 0 for PostgreSQL
	IdleRSS int64
	Results []APIResult
	Floors  []LoadResult // one per concurrency
}

// APIReport is the outcome of RunAPI.
type APIReport struct {
	Machine string
	Child   bool
	Load    APILoad
	Runs    []APIRun
}

// RunAPI fills a fresh store per engine and size, starts Scout on it and
// measures the API under load.
func RunAPI(ctx context.Context, o APIOptions) (*APIReport, error) {
	o.Load.defaults()
	if o.Log == nil {
		o.Log = io.Discard
	}
	rep := &APIReport{Machine: machine(), Child: o.Binary != "", Load: o.Load}
	bo := Options{Dir: o.Dir, PostgresURL: o.PostgresURL, Log: o.Log}
	if bo.Dir == "" {
		dir, err := os.MkdirTemp("", "scout-bench-api-")
		if err != nil {
			return rep, fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(dir)
		bo.Dir = dir
	}
	engines := []string{"sqlite"}
	if o.PostgresURL != "" {
		engines = append(engines, "postgres")
	}
	for _, eng := range engines {
		for _, n := range o.Sizes {
			run, err := runAPISize(ctx, o, bo, eng, n)
			rep.Runs = append(rep.Runs, run)
			if err != nil {
				return rep, fmt.Errorf("%s API at %d items: %w", eng, n, err)
			}
		}
	}
	return rep, nil
}

func runAPISize(ctx context.Context, o APIOptions, bo Options, eng string, n int) (run APIRun, err error) {
	run.Engine = eng
	dataDir, dbURL, drop, err := database(ctx, bo, eng, fmt.Sprintf("api-%d", n))
	if err != nil {
		return run, err
	}
	defer drop()
	if eng == "sqlite" && fileSize(filepath.Join(dataDir, "scout.db")) > 0 {
		return run, fmt.Errorf("%s exists: the API under load needs a fresh database", filepath.Join(dataDir, "scout.db"))
	}
	d, err := openDB(ctx, dataDir, dbURL)
	if err != nil {
		return run, err
	}
	defer d.Close()
	bo.logf("%s: filling %s items", eng, thousands(n))
	if run.Fill, err = Fill(ctx, d.Store, FillOptions{Items: n, Sources: o.Sources, Seed: o.Seed}); err != nil {
		return run, err
	}
	bo.logf("%s: filled %s items in %s (%.0f items/s)", eng, thousands(run.Fill.Items), run.Fill.Wall.Round(time.Millisecond), run.Fill.Rate())
	if eng == "sqlite" {
		d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		run.DBBytes = fileSize(d.path) + fileSize(d.path+"-wal")
	}
	env := scoutEnv(DefaultTuning, dataDir, dbURL, "")
	env["SCOUT_ARCHIVE_CLOSED_AFTER"] = "0" // keep the stored items fixed while measuring
	// The load measures the API, not its per-principal rate limit: with the
	// default 20 requests/s a fast machine turns the run into 429s.
	env["SCOUT_RATE_LIMIT"], env["SCOUT_RATE_BURST"] = "1000000", "1000000"
	s, err := startScout(ctx, o.Binary, env, o.Log)
	if err != nil {
		return run, err
	}
	defer func() {
		if stopErr := s.stop(syscall.SIGTERM); err == nil {
			err = stopErr
		}
	}()
	if err := sleep(ctx, time.Second); err != nil {
		return run, err
	}
	idle, _ := readUsage(s.pid)
	run.IdleRSS = idle.RSS
	bo.logf("%s: API under load at %s items", eng, thousands(run.Fill.Items))
	run.Results, run.Floors, err = o.Load.measure(ctx, Target{Engine: eng, Items: run.Fill.Items, BaseURL: s.url, PID: s.pid, Store: d.Store, DB: d.r})
	return run, err
}

func fileSize(path string) int64 {
	if fi, err := os.Stat(path); err == nil {
		return fi.Size()
	}
	return 0
}
