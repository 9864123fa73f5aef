package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
		}
	}))
	defer ready.Close()
	unready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database down", http.StatusServiceUnavailable)
	}))
	defer unready.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		out  string
	}{
		{"a ready server passes", nil, []string{"--url", ready.URL + "/readyz"}, 0, "ready"},
		{"the port comes from SCOUT_ADDR", map[string]string{"SCOUT_ADDR": "0.0.0.0:" + port(ready.URL)}, nil, 0, "ready"},
		{"an unready server fails", nil, []string{"--url", unready.URL + "/readyz"}, 1, "503"},
		{"a stopped server fails", nil, []string{"--url", closed.URL + "/readyz"}, 1, "not ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.env, "", append([]string{"healthcheck"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.out) {
				t.Fatalf("code %d, output %q; want %d and %q", r.code, r.stdout+r.stderr, tt.code, tt.out)
			}
		})
	}
}

func port(u string) string { return u[strings.LastIndex(u, ":")+1:] }
