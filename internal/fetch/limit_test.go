package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// inflight counts the requests a server is handling and keeps the peak.
type inflight struct{ now, peak atomic.Int32 }

func (f *inflight) enter() {
	n := f.now.Add(1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
}

func (f *inflight) leave() { f.now.Add(-1) }

// getAll runs n Gets of url at once and fails the test on any error.
func getAll(t *testing.T, c *Client, n int, url func(i int) string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if _, err := c.Get(t.Context(), Request{URL: url(i)}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestConcurrencyLimits(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want int32
	}{
		{"per host", Options{PerHostConcurrency: 2}, 2},
		{"global", Options{PerHostConcurrency: 8, GlobalConcurrency: 3}, 3},
		{"default per host", Options{}, DefaultPerHostConcurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f inflight
			srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
				f.enter()
				defer f.leave()
				time.Sleep(30 * time.Millisecond)
			})
			tt.opts.Allow = []string{hostPort(srv)}
			getAll(t, mustClient(t, tt.opts), 12, func(int) string { return srv.URL })
			if got := f.peak.Load(); got != tt.want {
				t.Errorf("peak concurrent requests = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPerHostSpacing(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {})
	const interval = 100 * time.Millisecond
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, PerHostInterval: interval, PerHostConcurrency: 4})
	start := time.Now()
	getAll(t, c, 4, func(int) string { return srv.URL })
	// The first request goes at once; each of the other three waits its turn.
	if d := time.Since(start); d < 3*interval {
		t.Errorf("4 requests to one host took %v, want at least %v", d, 3*interval)
	}
}

func TestWaitingForASlotHonoursContext(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	})
	tests := []struct {
		name string
		opts Options
	}{
		{"global slot", Options{GlobalConcurrency: 1, PerHostConcurrency: 2}},
		{"host slot", Options{PerHostConcurrency: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Allow = []string{hostPort(srv)}
			c := mustClient(t, tt.opts)
			first := make(chan error, 1)
			go func() { _, err := c.Get(t.Context(), Request{URL: srv.URL}); first <- err }()
			<-entered

			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.Get(ctx, Request{URL: srv.URL})
			mustFetchError(t, err, scout.ErrorTimeout)
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
				t.Errorf("waiting Get = %v after %v, want context.DeadlineExceeded after about 100ms", err, time.Since(start))
			}
			release <- struct{}{}
			if err := <-first; err != nil {
				t.Errorf("first Get: %v", err)
			}
		})
	}
}

func TestSlowHostDoesNotHoldUpOthers(t *testing.T) {
	entered, release := make(chan struct{}, 8), make(chan struct{})
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			entered <- struct{}{}
			<-release
		}
	})
	slow := srv.URL + "/slow"                                            // host "127.0.0.1"
	quick := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/" // host "localhost"
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, GlobalConcurrency: 2, PerHostConcurrency: 1})

	var wg sync.WaitGroup
	for range 4 { // one in flight, three queued on the slow host
		wg.Go(func() { c.Get(t.Context(), Request{URL: slow}) })
	}
	<-entered
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if _, err := c.Get(ctx, Request{URL: quick}); err != nil {
		t.Errorf("Get of another host while one host is slow: %v", err)
	}
	close(release)
	wg.Wait()
}

func TestRedirectsAcrossHostsDoNotDeadlock(t *testing.T) {
	// Two hosts ("127.0.0.1" and "localhost") with one slot each; Gets
	// bounce between them in both directions. A Get holding its first
	// host's slot while waiting for the second would deadlock.
	var a, b string
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		switch r.URL.Path {
		case "/via-b":
			http.Redirect(w, r, b+"/back-to-a", http.StatusFound)
		case "/via-a":
			http.Redirect(w, r, a+"/back-to-b", http.StatusFound)
		case "/back-to-a":
			http.Redirect(w, r, a+"/done", http.StatusFound)
		case "/back-to-b":
			http.Redirect(w, r, b+"/done", http.StatusFound)
		}
	})
	a = srv.URL
	b = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, PerHostConcurrency: 1, GlobalConcurrency: 1, Timeout: 5 * time.Second})
	getAll(t, c, 16, func(i int) string {
		if i%2 == 0 {
			return a + "/via-b"
		}
		return b + "/via-a"
	})
}

func TestHostLimitsForgetIdleHosts(t *testing.T) {
	h := newHostLimits(1, 0)
	for i := range 3 * minPruneSize {
		release, err := h.acquire(t.Context(), fmt.Sprintf("host%d.example", i))
		if err != nil {
			t.Fatal(err)
		}
		release()
		release() // a second call must not free a slot twice
	}
	if n := len(h.hosts); n > minPruneSize {
		t.Errorf("%d hosts remembered, want at most %d", n, minPruneSize)
	}
}

func TestGetThroughProxy(t *testing.T) {
	proxy := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "via proxy: %s", r.URL)
	})
	pu, err := url.Parse(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := mustClient(t, Options{Proxy: pu}) // the proxy itself needs no Allow entry
	resp, err := c.Get(t.Context(), Request{URL: "http://feeds.example/feed"})
	if err != nil || string(resp.Body) != "via proxy: http://feeds.example/feed" {
		t.Fatalf("Get through the proxy = %q, %v", resp.Body, err)
	}
	_, err = c.Get(t.Context(), Request{URL: "http://10.0.0.5/feed"})
	mustFetchError(t, err, scout.ErrorBlocked)
}

func TestGetIgnoresProxyEnvironment(t *testing.T) {
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	c := mustClient(t, Options{})
	if c.http.Transport.(*http.Transport).Proxy != nil {
		t.Fatal("the transport has a proxy function without Options.Proxy")
	}
	_, err := c.Get(t.Context(), Request{URL: "http://feeds.example/feed"})
	mustFetchError(t, err, scout.ErrorDNS) // resolved directly, not sent to the proxy
}
