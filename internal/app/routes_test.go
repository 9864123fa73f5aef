package app

import (
	"net/http"
	"strings"
	"testing"
)

func TestServeMountsTheAPI(t *testing.T) {
	_, base, stop := start(t, testConfig(t, t.TempDir()))
	defer stop()
	for _, tt := range []struct {
		path string
		want int
		ct   string
	}{
		{"/openapi.json", http.StatusOK, "application/openapi+json"},
		{"/docs", http.StatusOK, "text/html"},
		{"/metrics", http.StatusOK, "text/plain"},
		{"/v1/items", http.StatusUnauthorized, "application/problem+json"},
	} {
		resp, err := http.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ct) {
			t.Errorf("GET %s = %d %s, want %d %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.want, tt.ct)
		}
	}
}
