package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Route is one kind of request the load generator sends.
type Route struct {
	Name string
	// Path returns the path and query of the next request; r is the
	// client's own generator.
	Path func(r *rand.Rand) string
}

// LoadOptions shape a closed-loop load: Clients goroutines, each sending
// one request and waiting for its answer before the next, over keep-alive
// connections. Warmup runs first and is not counted.
type LoadOptions struct {
	Clients  int
	Warmup   time.Duration
	Duration time.Duration
	// Tokens are bearer credentials; each request carries one picked at
	// random, so that no API key exceeds Scout's per-key rate limit.
	Tokens []string
	Seed   uint64
	// AtMeasure, when set, is called once the warm-up ends, before Load
	// returns (e.g. to read the server's CPU at the start of the window).
	AtMeasure func()
}

// LoadResult is what one route measured.
type LoadResult struct {
	Route         string
	Clients       int
	Requests      int
	Errors        int // transport errors and answers other than 200
	FirstError    string
	Wall          time.Duration
	P50, P95, P99 time.Duration
	Bytes         int64 // mean body size
}

// RPS is requests per second.
func (r LoadResult) RPS() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Wall.Seconds()
}

// newLoadClient returns a client that keeps one idle connection per
// load client open.
func newLoadClient(clients int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        clients,
		MaxIdleConnsPerHost: clients,
		MaxConnsPerHost:     clients,
		IdleConnTimeout:     time.Minute,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Load drives base with route's requests for o.Warmup plus o.Duration and
// returns the latencies of the requests that started after the warm-up;
// every client completes at least one such request.
func Load(ctx context.Context, c *http.Client, base string, route Route, o LoadOptions) (LoadResult, error) {
	res := LoadResult{Route: route.Name, Clients: o.Clients}
	start := time.Now()
	measureFrom, end := start.Add(o.Warmup), start.Add(o.Warmup+o.Duration)
	type tally struct {
		lat    []time.Duration
		errs   int
		first  string
		nbytes int64
	}
	tallies := make([]tally, o.Clients)
	marked := make(chan struct{})
	go func() {
		defer close(marked)
		if sleep(ctx, o.Warmup) == nil && o.AtMeasure != nil {
			o.AtMeasure()
		}
	}()
	var wg sync.WaitGroup
	for k := range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[k]
			r := rand.New(rand.NewPCG(o.Seed, uint64(k)))
			for ctx.Err() == nil {
				t0 := time.Now()
				// Each client makes at least one measured request, so a
				// route slower than the window still reports a latency.
				if !t0.Before(end) && (len(t.lat) > 0 || t.errs > 0) {
					return
				}
				n, err := get(ctx, c, base+route.Path(r), bearer(r, o.Tokens))
				if t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					if t.errs == 0 {
						t.first = err.Error()
					}
					t.errs++
					continue
				}
				t.lat = append(t.lat, time.Since(t0))
				t.nbytes += n
			}
		}()
	}
	wg.Wait()
	<-marked
	res.Wall = time.Since(measureFrom)
	var all []time.Duration
	var nbytes int64
	for _, t := range tallies {
		all = append(all, t.lat...)
		nbytes += t.nbytes
		res.Errors += t.errs
		res.FirstError = cmpOr(res.FirstError, t.first)
	}
	res.Requests = len(all)
	if len(all) > 0 {
		slices.Sort(all)
		at := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
		res.P50, res.P95, res.P99, res.Bytes = at(0.50), at(0.95), at(0.99), nbytes/int64(len(all))
	}
	return res, ctx.Err()
}

func bearer(r *rand.Rand, tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	return "Bearer " + tokens[r.IntN(len(tokens))]
}

// get sends one GET and reads the whole body; any status but 200 is an error.
func get(ctx context.Context, c *http.Client, url, authorization string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return n, err
}

// floorServer serves body as JSON to every request, with nothing else in
// the way: the raw net/http floor for the list route.
type floorServer struct {
	srv *http.Server
	url string
}

func startFloor(body []byte) (*floorServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("floor listen: %w", err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	f := &floorServer{srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}, url: "http://" + ln.Addr().String()}
	go f.srv.Serve(ln)
	return f, nil
}

func (f *floorServer) Close() error { return f.srv.Close() }
