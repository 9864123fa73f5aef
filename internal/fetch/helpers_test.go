package fetch

import (
	"net/http"
	"net/http/httptest"
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
