package fetch

import (
	"crypto/tls"
	"io"
	"log"
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

// mustTLSServer starts a loopback TLS server that stops with the test. Its
// certificate is signed by a test CA: see tlsRoots.
func mustTLSServer(tb testing.TB, h http.HandlerFunc) *httptest.Server {
	tb.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	return srv
}

// tlsRoots is a TLS configuration trusting srv's test CA.
func tlsRoots(srv *httptest.Server) *tls.Config {
	return &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}
}
