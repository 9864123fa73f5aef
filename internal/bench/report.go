package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// Row is one line of the report. Zero numbers print as "–".
type Row struct {
	Engine, Workload, Phase string
	Wall                    time.Duration
	Items, Feeds            int     // what the phase processed; rates are derived from Wall
	VsFloor                 float64 // Wall as a multiple of the gofeed floor's
	PeakRSS                 int64   // bytes
	CPU                     time.Duration
	Note                    string
}

// Report is the outcome of Run.
type Report struct {
	Machine string
	Tuning  Tuning
	Child   bool // Scout ran as a child process
	Rows    []Row
}

// Markdown writes the machine, the settings and the table.
func (r *Report) Markdown(w io.Writer) {
	where := "in the harness's process (figures include the farm and the harness)"
	if r.Child {
		where = "as a child `scout serve` (RSS and CPU are its own)"
	}
	fmt.Fprintf(w, "Machine: %s. Scout ran %s with SCOUT_WORKERS=%d, SCOUT_FETCH_PER_HOST=%d, SCOUT_FETCH_CONCURRENCY=%d, SCOUT_FETCH_HOST_INTERVAL=0s.\n\n",
		r.Machine, where, r.Tuning.Workers, r.Tuning.PerHost, r.Tuning.Concurrency)
	fmt.Fprintln(w, "| Engine | Workload | Phase | Wall | Items/s | Feeds/s | × floor | Peak RSS | CPU | Notes |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---|")
	for _, row := range r.Rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", row.Engine, row.Workload, row.Phase,
			dur(row.Wall), rate(row.Items, row.Wall), rate(row.Feeds, row.Wall), ratio(row.VsFloor),
			mib(row.PeakRSS), dur(row.CPU), strings.ReplaceAll(row.Note, "|", "/"))
	}
}

func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func rate(n int, d time.Duration) string {
	if n == 0 || d <= 0 {
		return "–"
	}
	return thousands(int(float64(n) / d.Seconds()))
}

func ratio(x float64) string {
	if x == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", x)
}

func mib(b int64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// thousands formats n with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for k, c := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// machine describes the CPU, core count and Go version.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s %s/%s", model, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
