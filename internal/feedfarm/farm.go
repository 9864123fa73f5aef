package feedfarm

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Options configure a Farm. Zero values take the defaults in New.
type Options struct {
	Feeds int   // number of good feeds, served at /feed/0 … /feed/N-1; default 100
	Items int   // items per feed; default 20
	Seed  int64 // makes the text and GUIDs; the same seed gives the same farm

	// RotateEvery and RotateCount turn rotation on: every RotateEvery, each
	// feed shows RotateCount new items and drops as many of its oldest. The
	// feeds are staggered evenly over one period. Off when either is zero.
	RotateEvery time.Duration
	RotateCount int
	// Keep is how many items a rotating feed shows at most: it grows from
	// Items to Keep before the oldest start to drop out. Default Items.
	Keep int

	// Failing adds endpoints at /fail/0 … /fail/F-1 that answer 500, hang
	// (until the client gives up or HangFor passes) and 404, in turn.
	Failing int
	HangFor time.Duration // default 2 minutes

	// Delay holds every answer this long (or until the client gives up),
	// like a distant server: fetching, not parsing, then limits a reader.
	Delay time.Duration

	Now func() time.Time // default time.Now
}

// Farm is a synthetic feed server; it is an http.Handler and safe for
// concurrent use.
type Farm struct {
	opts   Options
	start  time.Time
	frozen atomic.Int64   // unix nanos at which rotation stopped; 0 = running
	served []atomic.Int64 // per feed: highest generation served with a 200, plus one
	first  []atomic.Int64 // per feed: lowest generation served with a 200, plus one
	mux    *http.ServeMux

	requests, notModified, ok, failed, bytes atomic.Int64
}

// New returns a Farm whose clock starts now.
func New(opts Options) *Farm {
	if opts.Feeds <= 0 {
		opts.Feeds = 100
	}
	if opts.Items <= 0 {
		opts.Items = 20
	}
	if opts.HangFor <= 0 {
		opts.HangFor = 2 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Keep < opts.Items {
		opts.Keep = opts.Items
	}
	if opts.RotateEvery <= 0 || opts.RotateCount <= 0 {
		opts.RotateEvery, opts.RotateCount = 0, 0
	}
	f := &Farm{opts: opts, start: opts.Now(), served: make([]atomic.Int64, opts.Feeds),
		first: make([]atomic.Int64, opts.Feeds)}
	f.mux = http.NewServeMux()
	f.mux.HandleFunc("GET /feed/{i}", f.serveFeed)
	f.mux.HandleFunc("GET /fail/{i}", f.serveFailing)
	f.mux.HandleFunc("GET /opml", f.serveOPML)
	f.mux.HandleFunc("GET /stats", f.serveStats)
	f.mux.HandleFunc("GET /truth", f.serveTruth)
	f.mux.HandleFunc("GET "+ExamplePage+"{$}", f.serveExamplePage)
	f.mux.HandleFunc("GET "+ExampleFeed, f.serveExampleFeed)
	f.mux.HandleFunc("GET "+ExampleCalls, f.serveExampleCalls)
	f.mux.HandleFunc("GET "+ExampleCalls+"/{slug}", f.serveExampleCall)
	f.mux.HandleFunc("POST /freeze", func(w http.ResponseWriter, r *http.Request) { f.Freeze() })
	return f
}

// Options returns the options in effect, defaults applied.
func (f *Farm) Options() Options { return f.opts }

// ServeHTTP serves the farm's endpoints.
func (f *Farm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if f.opts.Delay > 0 {
		t := time.NewTimer(f.opts.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	f.mux.ServeHTTP(w, r)
}

// FeedPath returns the path of good feed i.
func FeedPath(i int) string { return "/feed/" + strconv.Itoa(i) }

// GUID returns the GUID of item j of feed i.
func (f *Farm) GUID(i, j int) string { return fmt.Sprintf("farm-%d-%d-%d", f.opts.Seed, i, j) }

// Freeze stops rotation where it is now; the feeds keep serving their
// current generation, so a harness can wait for a reader to catch up.
func (f *Farm) Freeze() { f.frozen.CompareAndSwap(0, f.opts.Now().UnixNano()) }

// now is the farm's clock, stopped by Freeze.
func (f *Farm) now() time.Time {
	if n := f.frozen.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return f.opts.Now()
}

// offset staggers feed i within one rotation period.
func (f *Farm) offset(i int) time.Duration {
	return time.Duration(int64(f.opts.RotateEvery) * int64(i) / int64(f.opts.Feeds))
}

// generation returns the generation feed i shows at t.
func (f *Farm) generation(i int, t time.Time) int64 {
	if f.opts.RotateEvery == 0 {
		return 0
	}
	return int64((t.Sub(f.start) + f.offset(i)) / f.opts.RotateEvery)
}

// genStart returns when feed i began to show generation g.
func (f *Farm) genStart(i int, g int64) time.Time {
	if g == 0 {
		return f.start
	}
	return f.start.Add(time.Duration(g)*f.opts.RotateEvery - f.offset(i))
}

// firstGen returns the first generation that shows item j.
func (f *Farm) firstGen(j int) int64 {
	if j < f.opts.Items {
		return 0
	}
	k := f.opts.RotateCount
	return int64((j - f.opts.Items + k) / k)
}

// window returns the indices [lo, hi) of the items generation g shows.
func (f *Farm) window(g int64) (lo, hi int) {
	hi = int(g)*f.opts.RotateCount + f.opts.Items
	return max(0, hi-f.opts.Keep), hi
}

// published is the date item j of feed i carries: an hour apart before the
// farm started, its appearance time afterwards.
func (f *Farm) published(i, j int) time.Time {
	if j < f.opts.Items {
		return f.start.Add(-time.Duration(f.opts.Items-j) * time.Hour).Truncate(time.Second)
	}
	return f.genStart(i, f.firstGen(j)).Truncate(time.Second)
}

// AppearedAt returns when the item with guid first appeared on its feed;
// items present from the start appeared when the farm started.
func (f *Farm) AppearedAt(guid string) (time.Time, bool) {
	i, j, ok := f.parseGUID(guid)
	if !ok {
		return time.Time{}, false
	}
	return f.genStart(i, f.firstGen(j)), true
}

func (f *Farm) parseGUID(guid string) (i, j int, ok bool) {
	rest, found := strings.CutPrefix(guid, fmt.Sprintf("farm-%d-", f.opts.Seed))
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rest, "-")
	i, err1 := strconv.Atoi(a)
	j, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || i < 0 || i >= f.opts.Feeds || j < 0 {
		return 0, 0, false
	}
	return i, j, true
}

func (f *Farm) serveFeed(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(r.PathValue("i"))
	if err != nil || i < 0 || i >= f.opts.Feeds {
		f.failed.Add(1)
		http.NotFound(w, r)
		return
	}
	g := f.generation(i, f.now())
	etag := fmt.Sprintf(`"f%d-g%d"`, i, g)
	modified := f.genStart(i, g).UTC()
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", modified.Format(http.TimeFormat))
	if notModified(r, etag, modified) {
		f.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.render(i, g)
	f.markServed(i, g)
	f.ok.Add(1)
	f.bytes.Add(int64(len(body)))
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// notModified applies If-None-Match, else If-Modified-Since.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return inm == etag
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

// markServed records that generation g of feed i went out with a 200. It
// counts as served even if the client dies before reading it: that is the
// case a crash test must cover.
func (f *Farm) markServed(i int, g int64) {
	for {
		cur := f.served[i].Load()
		if g+1 <= cur || f.served[i].CompareAndSwap(cur, g+1) {
			break
		}
	}
	for {
		cur := f.first[i].Load()
		if (cur != 0 && cur <= g+1) || f.first[i].CompareAndSwap(cur, g+1) {
			return
		}
	}
}

func (f *Farm) serveFailing(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(r.PathValue("i"))
	f.failed.Add(1)
	if err != nil || i < 0 || i >= f.opts.Failing {
		http.NotFound(w, r)
		return
	}
	switch i % 3 {
	case 0:
		http.Error(w, "internal error", http.StatusInternalServerError)
	case 1:
		t := time.NewTimer(f.opts.HangFor)
		defer t.Stop()
		select {
		case <-r.Context().Done():
		case <-t.C:
		}
	default:
		http.NotFound(w, r)
	}
}
