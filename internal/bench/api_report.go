package bench

import (
	"fmt"
	"io"
	"time"
)

// Markdown writes the machine, the load shape, and per engine and size the
// fill and one table row per route.
func (r *APIReport) Markdown(w io.Writer) {
	where := "in the harness's process"
	if r.Child {
		where = "as a child `scout serve` (CPU is its own)"
	}
	fmt.Fprintf(w, "Machine: %s. Scout ran %s; closed-loop clients with keep-alive in the harness, spread over %d read API keys, %s warm-up then %s per route.\n",
		r.Machine, where, r.Load.Keys, r.Load.Warmup, r.Load.Duration)
	for _, run := range r.Runs {
		fmt.Fprintf(w, "\n%s, %s items over %s sources: filled through CompleteFetch in %s (%s items/s)",
			run.Engine, thousands(run.Fill.Items), thousands(run.Fill.Sources), dur(run.Fill.Wall), rate(run.Fill.Items, run.Fill.Wall))
		if run.DBBytes > 0 {
			fmt.Fprintf(w, ", database %s", mib(run.DBBytes))
		}
		fmt.Fprintf(w, "; Scout idle RSS %s.\n", mib(run.IdleRSS))
		for _, f := range run.Floors {
			fmt.Fprintf(w, "\n%d client(s):\n\n", f.Clients)
			writeLoadTable(w, run.Results, f)
		}
	}
}

// writeLoadTable writes the rows measured at the floor's concurrency.
func writeLoadTable(w io.Writer, results []APIResult, f LoadResult) {
	fmt.Fprintln(w, "| Route | Requests | Req/s | p50 | p95 | p99 | Body | Scout CPU per request | Peak RSS | Notes |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, res := range results {
		if res.Clients != f.Clients {
			continue
		}
		perReq := time.Duration(0)
		if res.Requests > 0 {
			perReq = res.CPU / time.Duration(res.Requests)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s B | %s | %s | %s |\n", res.Route, thousands(res.Requests),
			thousands(int(res.RPS())), lat(res.P50), lat(res.P95), lat(res.P99), thousands(int(res.Bytes)), lat(perReq),
			mib(res.PeakRSS), reportNote(res.LoadResult, f))
	}
	if f.Requests > 0 {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s B | – | – | %s |\n", f.Route, thousands(f.Requests),
			thousands(int(f.RPS())), lat(f.P50), lat(f.P95), lat(f.P99), thousands(int(f.Bytes)), reportNote(f, LoadResult{}))
	}
}

func reportNote(r, floor LoadResult) string {
	var s string
	if r.Route == routeList && floor.RPS() > 0 {
		s = fmt.Sprintf("%.0f %% of the floor's requests/s", 100*r.RPS()/floor.RPS())
	}
	if r.Errors > 0 {
		s += fmt.Sprintf(" %d errors (%s)", r.Errors, r.FirstError)
	}
	return s
}

// lat formats a latency with the precision it needs: "0.42 ms", "12.3 ms", "1.20 s".
func lat(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case d <= 0:
		return "–"
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
