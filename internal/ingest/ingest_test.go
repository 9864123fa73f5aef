package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

var ctx = context.Background()

func rss(items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Arts Council</title><link>https://arts.example/</link>`)
	for _, it := range items {
		b.WriteString(it)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func rssItem(guid, title, body string, pub time.Time) string {
	return fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><link>https://arts.example/%s</link><description>%s</description><pubDate>%s</pubDate></item>`,
		guid, title, guid, body, pub.Format(time.RFC1123Z))
}

// env is a real store, a real guarded client allowed to reach loopback, and an ingester.
type env struct {
	st  store.Store
	in  *ingest.Ingester
	now time.Time
}

type upper struct{}

func (upper) Name() string { return "test/1" }
func (upper) Enrich(it *scout.Item) {
	it.Opportunity.Kind, it.Opportunity.Extractor = scout.KindGrant, "test/1"
}

func newEnv(t *testing.T, fetchOpts fetch.Options) *env {
	t.Helper()
	e := &env{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return e.now }
	e.st = testdb.SQLite(t, clock)
	if fetchOpts.Allow == nil {
		fetchOpts.Allow = []string{"127.0.0.1/32"}
	}
	if fetchOpts.PerHostInterval == 0 {
		fetchOpts.PerHostInterval = -1 // every test server is on 127.0.0.1
	}
	if fetchOpts.Timeout == 0 {
		fetchOpts.Timeout = 2 * time.Second
	}
	c, err := fetch.New(fetchOpts)
	if err != nil {
		t.Fatal(err)
	}
	e.in = ingest.New(ingest.Options{Fetcher: c, Store: e.st, Enrichers: []ingest.Enricher{upper{}}, Now: clock,
		Rand: rand.New(rand.NewPCG(1, 2))})
	return e
}

func (e *env) source(t *testing.T, url string) scout.Source {
	t.Helper()
	src, err := e.st.CreateSource(ctx, scout.Source{URL: url, Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func (e *env) get(t *testing.T, id int64) scout.Source {
	t.Helper()
	src, err := e.st.GetSource(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func (e *env) items(t *testing.T) []scout.Item {
	t.Helper()
	p, err := e.st.ListItems(ctx, store.ItemFilter{Viewer: store.Viewer{Admin: true}, PageRequest: store.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

func TestConditionalGETAndIdempotentRefetch(t *testing.T) {
	e := newEnv(t, fetch.Options{})
	var hits, notModified atomic.Int32
	body := rss(rssItem("g1", "Film grant", "Up to $5,000", e.now.Add(-48*time.Hour)), rssItem("g2", "Music fellowship", "x", e.now.Add(-24*time.Hour)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	src := e.source(t, srv.URL+"/feed")

	log := e.in.Ingest(ctx, src)
	if !log.OK() || log.ItemsNew != 2 || log.StatusCode != 200 {
		t.Fatalf("first fetch = %+v", log)
	}
	got := e.get(t, src.ID)
	if got.ETag != `"v1"` || got.Title != "Arts Council" || got.Status != scout.SourceOK || !got.NextFetchAt.After(e.now) {
		t.Fatalf("source after fetch = %+v", got)
	}
	items := e.items(t)
	if len(items) != 2 || items[0].Opportunity.Kind != scout.KindGrant {
		t.Fatalf("items = %+v (the enricher must have run)", items)
	}
	log = e.in.Ingest(ctx, got)
	if !log.OK() || !log.NotModified || log.ItemsNew != 0 || notModified.Load() != 1 {
		t.Fatalf("second fetch = %+v, 304s = %d", log, notModified.Load())
	}
	// Without validators the same body changes nothing either.
	got = e.get(t, src.ID)
	got.ETag = ""
	if log = e.in.Ingest(ctx, got); log.ItemsNew != 0 || log.ItemsUpdated != 0 || !log.OK() {
		t.Fatalf("unchanged body = %+v", log)
	}
	if len(e.items(t)) != 2 {
		t.Fatal("refetch duplicated items")
	}
}

func TestFailuresAreClassifiedAndRetried(t *testing.T) {
	bomb := gzipBomb(t, 64<<20)
	mux := http.NewServeMux()
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html><html><head><title>Grants</title></head><body>Our site moved</body></html>")
	})
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<rss><channel><item>") })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.0.0.1/feed", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name   string
		url    string
		class  scout.ErrorClass
		status scout.SourceStatus
		msg    string
	}{
		{"a 404 is an http error", srv.URL + "/404", scout.ErrorHTTP, scout.SourceFailing, "404"},
		{"an HTML page is not a feed", srv.URL + "/html", scout.ErrorNotAFeed, scout.SourceFailing, "not a feed"},
		{"broken XML is a parse error", srv.URL + "/garbage", scout.ErrorParse, scout.SourceFailing, ""},
		{"a hanging server times out", srv.URL + "/slow", scout.ErrorTimeout, scout.SourceFailing, ""},
		{"a redirect loop stops", srv.URL + "/loop", scout.ErrorRedirects, scout.SourceFailing, ""},
		{"a gzip bomb is too large", srv.URL + "/bomb", scout.ErrorTooLarge, scout.SourceFailing, ""},
		{"a redirect to a private address is blocked", srv.URL + "/to-private", scout.ErrorBlocked, scout.SourceFailing, "10.0.0.1"},
		{"the metadata address is blocked", "http://169.254.169.254/latest/meta-data/", scout.ErrorBlocked, scout.SourceFailing, "169.254.169.254"},
		{"410 retires the source", srv.URL + "/gone", scout.ErrorHTTP, scout.SourceRetired, "410"},
		{"429 waits for Retry-After", srv.URL + "/busy", scout.ErrorHTTP, scout.SourceFailing, "429"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fetch.Options{Timeout: 500 * time.Millisecond, MaxBody: 1 << 20})
			src := e.source(t, tt.url)
			log := e.in.Ingest(ctx, src)
			got := e.get(t, src.ID)
			if log.ErrorClass != tt.class || got.LastErrorClass != tt.class || got.Status != tt.status || got.ErrorCount != 1 {
				t.Fatalf("log = %+v\nsource = status %s class %s count %d", log, got.Status, got.LastErrorClass, got.ErrorCount)
			}
			if !strings.Contains(got.LastError, tt.msg) || got.LastError == "" {
				t.Fatalf("message %q does not say %q", got.LastError, tt.msg)
			}
			if !got.NextFetchAt.After(e.now) {
				t.Fatalf("failed source not scheduled for a retry: next %v", got.NextFetchAt)
			}
			if tt.name == "429 waits for Retry-After" && got.NextFetchAt.Sub(e.now) < 2*time.Hour {
				t.Fatalf("Retry-After 7200 ignored: next in %v", got.NextFetchAt.Sub(e.now))
			}
			fetches, _ := e.st.ListFetches(ctx, src.ID, 5)
			if len(fetches) != 1 || fetches[0].ErrorClass != tt.class {
				t.Fatalf("fetch log = %+v", fetches)
			}
		})
	}
}

func TestBackoffGrowsAndNeverStops(t *testing.T) {
	e := newEnv(t, fetch.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	src := e.source(t, srv.URL)
	var waits []time.Duration
	for i := 0; i < 12; i++ {
		e.in.Ingest(ctx, e.get(t, src.ID))
		waits = append(waits, e.get(t, src.ID).NextFetchAt.Sub(e.now))
	}
	if waits[0] > 5*time.Minute || waits[3] < waits[0] || waits[11] > 24*time.Hour || waits[11] < 12*time.Hour {
		t.Fatalf("backoff waits = %v: want growth from ≤5m to the 24h cap, never beyond", waits)
	}
	if got := e.get(t, src.ID); got.Status != scout.SourceFailing || got.ErrorCount != 12 {
		t.Fatalf("after 12 failures = %+v", got)
	}
}

func TestPermanentRedirectUpdatesTheURLButTemporaryDoesNot(t *testing.T) {
	e := newEnv(t, fetch.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/temp", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss(rssItem("a", "A", "b", e.now))) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	moved := e.source(t, srv.URL+"/old")
	temp := e.source(t, srv.URL+"/temp")
	e.in.Ingest(ctx, moved)
	e.in.Ingest(ctx, temp)
	if got := e.get(t, moved.ID).URL; got != srv.URL+"/new" {
		t.Fatalf("301: stored URL = %s", got)
	}
	if got := e.get(t, temp.ID).URL; got != srv.URL+"/temp" {
		t.Fatalf("302: stored URL = %s", got)
	}
}

func TestGUIDChurnDoesNotDuplicate(t *testing.T) {
	e := newEnv(t, fetch.Options{})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		it := rssItem(fmt.Sprintf("session-%d", i), "Open call", "same", e.now.Add(-time.Hour))
		it = strings.Replace(it, fmt.Sprintf("https://arts.example/session-%d", i), "https://arts.example/open-call", 1)
		io.WriteString(w, rss(it))
	}))
	defer srv.Close()
	src := e.source(t, srv.URL)
	for i := 0; i < 3; i++ {
		e.in.Ingest(ctx, e.get(t, src.ID))
	}
	if items := e.items(t); len(items) != 1 {
		t.Fatalf("%d items after GUID churn, want 1", len(items))
	}
}

func TestAdaptiveInterval(t *testing.T) {
	e := newEnv(t, fetch.Options{})
	weekly := rss(rssItem("a", "a", "x", e.now.AddDate(0, 0, -7)), rssItem("b", "b", "x", e.now.AddDate(0, 0, -14)), rssItem("c", "c", "x", e.now.AddDate(0, 0, -21)))
	busy := rss(rssItem("a", "a", "x", e.now.Add(-time.Minute)), rssItem("b", "b", "x", e.now.Add(-2*time.Minute)), rssItem("c", "c", "x", e.now.Add(-3*time.Minute)))
	ttl := strings.Replace(busy, "<title>Arts Council</title>", "<title>Arts Council</title><ttl>180</ttl>", 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/weekly", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, weekly) })
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, busy) })
	mux.HandleFunc("/ttl", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, ttl) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for path, want := range map[string]time.Duration{"/weekly": 24 * time.Hour, "/busy": 15 * time.Minute, "/ttl": 3 * time.Hour} {
		src := e.source(t, srv.URL+path)
		e.in.Ingest(ctx, src)
		if got := e.get(t, src.ID).Interval; got != want {
			t.Errorf("%s: interval = %v, want %v", path, got, want)
		}
	}
}

func gzipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for i := 0; i < n>>20; i++ {
		zw.Write(zero)
	}
	zw.Close()
	return buf.Bytes()
}

type counting struct{ n atomic.Int32 }

func (c *counting) Name() string { return "count/1" }
func (c *counting) Enrich(it *scout.Item) {
	c.n.Add(1)
	it.Opportunity.Extractor = "count/1"
}

func TestOnlyNewAndChangedItemsAreExtracted(t *testing.T) {
	e := newEnv(t, fetch.Options{})
	c := &counting{}
	clock := func() time.Time { return e.now }
	cl, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	in := ingest.New(ingest.Options{Fetcher: cl, Store: e.st, Enrichers: []ingest.Enricher{c}, Now: clock})
	items := []string{rssItem("a", "A", "one", e.now.Add(-3*time.Hour)), rssItem("b", "B", "two", e.now.Add(-2*time.Hour))}
	var body atomic.Value
	body.Store(rss(items...))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body.Load().(string)) }))
	defer srv.Close()
	src := e.source(t, srv.URL)
	if log := in.Ingest(ctx, src); log.ItemsNew != 2 || c.n.Load() != 2 {
		t.Fatalf("first fetch: %+v, %d extractions", log, c.n.Load())
	}
	// One new item and one edited; the third is served unchanged.
	body.Store(rss(rssItem("c", "C", "three", e.now.Add(-time.Hour)), rssItem("a", "A", "one", e.now.Add(-3*time.Hour)),
		rssItem("b", "B", "two, edited", e.now.Add(-2*time.Hour))))
	log := in.Ingest(ctx, e.get(t, src.ID))
	if log.ItemsSeen != 3 || log.ItemsNew != 1 || log.ItemsUpdated != 1 || c.n.Load() != 4 {
		t.Fatalf("second fetch: %+v, %d extractions in all (want 4: the unchanged item is not extracted again)", log, c.n.Load())
	}
	if got := len(e.items(t)); got != 3 {
		t.Fatalf("%d items stored, want 3", got)
	}
}
