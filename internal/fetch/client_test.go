package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/scoutdev/scout/internal/scout"
)

// mustFetchError asserts that err is a *Error of class want and returns it.
func mustFetchError(tb testing.TB, err error, want scout.ErrorClass) *Error {
	tb.Helper()
	fe, ok := errors.AsType[*Error](err)
	if !ok {
		tb.Fatalf("error = %v (%T), want a *fetch.Error", err, err)
	}
	if fe.Class != want {
		tb.Fatalf("class = %q (%v), want %q", fe.Class, err, want)
	}
	if got := Classify(err); got != want {
		tb.Fatalf("Classify = %q, want %q", got, want)
	}
	return fe
}

func TestGetConditional(t *testing.T) {
	const etag, lastMod = `"v1"`, "Wed, 25 Nov 2026 10:00:00 GMT"
	seen := make(chan http.Header, 2)
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Cache-Control", "max-age=600")
		io.WriteString(w, "<rss/>")
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, UserAgent: UserAgent("1.2.3", "https://scout.example/about")})
	ignore := cmpopts.IgnoreFields(Response{}, "Header", "Duration") // network time: asserted apart

	first, err := c.Get(t.Context(), Request{URL: srv.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	want := &Response{URL: srv.URL + "/feed", StatusCode: 200, Body: []byte("<rss/>"), ContentType: "application/rss+xml",
		ETag: etag, LastModified: lastMod, MaxAge: 10 * time.Minute, Bytes: 6}
	if first.Duration <= 0 {
		t.Errorf("first response's duration %v, want its network time", first.Duration)
	}
	if d := cmp.Diff(want, first, ignore); d != "" {
		t.Errorf("first Get (-want +got):\n%s", d)
	}
	h := <-seen
	wantHeaders := map[string]string{"User-Agent": "Scout/1.2.3 (+https://scout.example/about)", "Accept-Encoding": "gzip",
		"Accept": DefaultAccept, "If-None-Match": "", "If-Modified-Since": ""}
	for k, v := range wantHeaders {
		if h.Get(k) != v {
			t.Errorf("first request header %s = %q, want %q", k, h.Get(k), v)
		}
	}

	second, err := c.Get(t.Context(), Request{URL: srv.URL + "/feed", ETag: etag, LastModified: lastMod})
	if err != nil {
		t.Fatal(err)
	}
	want = &Response{URL: srv.URL + "/feed", StatusCode: 304, NotModified: true, ETag: etag, LastModified: lastMod}
	if d := cmp.Diff(want, second, ignore); d != "" {
		t.Errorf("conditional Get (-want +got):\n%s", d)
	}
	h = <-seen
	if h.Get("If-None-Match") != etag || h.Get("If-Modified-Since") != lastMod {
		t.Errorf("conditional request sent If-None-Match %q, If-Modified-Since %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}
}

func gzipped(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestGetGzip(t *testing.T) {
	plain := []byte(strings.Repeat("<item><title>Grant</title></item>\n", 3000))
	packed := gzipped(t, plain)
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(packed)
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}})
	resp, err := c.Get(t.Context(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, plain) {
		t.Errorf("body is %d bytes, want the %d decoded bytes", len(resp.Body), len(plain))
	}
	if resp.Bytes != int64(len(packed)) {
		t.Errorf("Bytes = %d, want the %d bytes on the wire", resp.Bytes, len(packed))
	}
}

func TestGetBodyCaps(t *testing.T) {
	const limit = 1 << 20
	big := bytes.Repeat([]byte("x"), limit+1)
	exact := bytes.Repeat([]byte("y"), limit)
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/exact":
			w.Write(exact)
		case "/big-with-length":
			w.Write(big)
		case "/big-chunked":
			w.(http.Flusher).Flush() // no Content-Length: the cap must count
			w.Write(big)
		case "/big-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipped(t, big))
		}
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, MaxBody: limit})
	resp, err := c.Get(t.Context(), Request{URL: srv.URL + "/exact"})
	if err != nil || len(resp.Body) != limit {
		t.Fatalf("a body of exactly MaxBody: err %v", err)
	}
	for _, path := range []string{"/big-with-length", "/big-chunked", "/big-gzip"} {
		t.Run(path, func(t *testing.T) {
			_, err := c.Get(t.Context(), Request{URL: srv.URL + path})
			fe := mustFetchError(t, err, scout.ErrorTooLarge)
			if want := "response body larger than 1 MiB"; !strings.Contains(fe.Error(), want) {
				t.Errorf("message %q does not say %q", fe.Error(), want)
			}
		})
	}
}

func TestGetGzipBomb(t *testing.T) {
	// 1 GiB of zeros as 1024 gzip members of 1 MiB each (a gzip stream may
	// be a concatenation of members): about 1 MiB on the wire.
	member := gzipped(t, make([]byte, 1<<20))
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		for range 1024 {
			if _, err := w.Write(member); err != nil {
				return
			}
		}
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}})

	var before, after runtimeMem
	before.read()
	_, err := c.Get(t.Context(), Request{URL: srv.URL})
	after.read()
	mustFetchError(t, err, scout.ErrorTooLarge)
	allocated := after.totalAlloc - before.totalAlloc
	if limit := uint64(DefaultMaxBody * 3 / 2); allocated > limit {
		t.Errorf("the bomb cost %d MiB of allocations, want under %d MiB", allocated>>20, limit>>20)
	}
	t.Logf("allocated %.1f MiB to refuse a 1 GiB bomb (cap %d MiB)", float64(allocated)/(1<<20), DefaultMaxBody>>20)
}

func TestGetStatusErrors(t *testing.T) {
	fixed := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/503":
			w.Header().Set("Retry-After", fixed.Add(time.Hour).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/429-long":
			w.Header().Set("Retry-After", "31536000")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/410":
			w.WriteHeader(http.StatusGone)
		default:
			http.NotFound(w, r)
		}
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, Now: func() time.Time { return fixed }, MaxRetryAfter: 6 * time.Hour})
	tests := []struct {
		path       string
		status     int
		retryAfter time.Duration
		message    string
	}{
		{"/429", 429, 2 * time.Minute, "HTTP 429 Too Many Requests"},
		{"/503", 503, time.Hour, "HTTP 503 Service Unavailable"},
		{"/429-long", 429, 6 * time.Hour, "HTTP 429 Too Many Requests"},
		{"/410", 410, 0, "HTTP 410 Gone"},
		{"/feed", 404, 0, "HTTP 404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := c.Get(t.Context(), Request{URL: srv.URL + tt.path})
			fe := mustFetchError(t, err, scout.ErrorHTTP)
			if fe.StatusCode != tt.status || fe.RetryAfter != tt.retryAfter {
				t.Errorf("StatusCode %d, RetryAfter %v; want %d, %v", fe.StatusCode, fe.RetryAfter, tt.status, tt.retryAfter)
			}
			if want := "GET " + srv.URL + tt.path + ": " + tt.message; fe.Error() != want {
				t.Errorf("message %q, want %q", fe.Error(), want)
			}
		})
	}
}

func TestGetTimeouts(t *testing.T) {
	done := make(chan struct{})
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("<rss>"))
			w.(http.Flusher).Flush()
			for {
				select {
				case <-done:
					return
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
					w.Write([]byte(" "))
					w.(http.Flusher).Flush()
				}
			}
		}
		select { // hang before sending headers
		case <-done:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(done) }) // runs before the server closes
	tests := []struct {
		name, path string
		opts       Options
		message    string
	}{
		{"slow body passes the total deadline", "/slow-body", Options{Timeout: 300 * time.Millisecond}, "timed out after 300ms"},
		{"headers never come", "/hang", Options{HeaderTimeout: 200 * time.Millisecond}, "timeout awaiting response headers"},
		{"total deadline before the header timeout", "/hang", Options{Timeout: 200 * time.Millisecond}, "timed out after 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Allow = []string{hostPort(srv)}
			c := mustClient(t, tt.opts)
			start := time.Now()
			_, err := c.Get(t.Context(), Request{URL: srv.URL + tt.path})
			fe := mustFetchError(t, err, scout.ErrorTimeout)
			if !strings.Contains(fe.Error(), tt.message) {
				t.Errorf("message %q does not say %q", fe.Error(), tt.message)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestGetNetworkErrors(t *testing.T) {
	tlsSrv := mustTLSServer(t, func(w http.ResponseWriter, r *http.Request) {})
	closed := mustServer(t, func(http.ResponseWriter, *http.Request) {})
	closedURL, closedHost := closed.URL, hostPort(closed)
	closed.Close()
	bigHeader := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("p", 8<<10))
	})
	badEncoding := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		w.Write([]byte("???"))
	})
	tests := []struct {
		name    string
		url     string
		want    scout.ErrorClass
		message string
	}{
		{"certificate from an unknown authority", tlsSrv.URL, scout.ErrorTLS, "certificate signed by unknown authority"},
		{"connection refused", closedURL, scout.ErrorConnect, "connection refused"},
		{"header section too large", bigHeader.URL, scout.ErrorTooLarge, "response headers larger than 4 KiB"},
		{"unsupported content encoding", badEncoding.URL, scout.ErrorOther, `unsupported content encoding "br"`},
		{"unknown host", "http://nosuch.invalid/feed", scout.ErrorDNS, "lookup nosuch.invalid"},
	}
	c := mustClient(t, Options{
		Allow:          []string{hostPort(tlsSrv), closedHost, hostPort(bigHeader), hostPort(badEncoding)},
		MaxHeaderBytes: 4 << 10, Timeout: 10 * time.Second,
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Get(t.Context(), Request{URL: tt.url})
			fe := mustFetchError(t, err, tt.want)
			if !strings.Contains(fe.Error(), tt.message) || !strings.HasPrefix(fe.Error(), "GET "+tt.url+": ") {
				t.Errorf("message %q, want GET %s: ...%s...", fe.Error(), tt.url, tt.message)
			}
		})
	}
}

func TestGetInvalidURL(t *testing.T) {
	c := mustClient(t, Options{})
	for _, raw := range []string{"", "ftp://example.org/", "https://u:p@example.org/", "example.org/feed"} {
		_, err := c.Get(t.Context(), Request{URL: raw})
		mustFetchError(t, err, scout.ErrorOther)
		if !errors.Is(err, scout.ErrInvalid) {
			t.Errorf("Get(%q) = %v, want an ErrInvalid", raw, err)
		}
	}
}

func TestGetHonoursCallerContext(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Get(ctx, Request{URL: srv.URL})
	mustFetchError(t, err, scout.ErrorOther)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a canceled context = %v, want context.Canceled", err)
	}
}
