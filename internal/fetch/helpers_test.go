package fetch

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
)

// mustClient returns a Client for tests: no host spacing unless asked for.
func mustClient(tb testing.TB, o Options) *Client {
	tb.Helper()
	if o.PerHostInterval == 0 {
		o.PerHostInterval = -1
	}
	c, err := New(o)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return c
}

// mustServer starts a loopback server that stops with the test.
func mustServer(tb testing.TB, h http.HandlerFunc) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// hostPort is the server's "127.0.0.1:port", an Allow entry for it alone.
func hostPort(srv *httptest.Server) string { return srv.Listener.Addr().String() }

// runtimeMem is a snapshot of the allocation counters.
type runtimeMem struct{ totalAlloc uint64 }

func (m *runtimeMem) read() {
	runtime.GC()
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.totalAlloc = s.TotalAlloc
}

// httptestTLS starts a TLS server answering "secure" that stops with the test.
func httptestTLS(tb testing.TB) *httptest.Server {
	tb.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("secure"))
	}))
	tb.Cleanup(srv.Close)
	return srv
}
