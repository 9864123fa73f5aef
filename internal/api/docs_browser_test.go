package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// requireBrowser makes TestDocsPageRendersInABrowser fail instead of
// skipping when no Chromium is installed; .ci/run sets it.
const requireBrowser = "SCOUT_REQUIRE_BROWSER"

// TestDocsPageRendersInABrowser opens /docs in headless Chromium, with
// every host name unresolvable so that nothing but this loopback server
// can answer, and checks that Swagger UI drew every operation of the
// contract and that a deep link (/docs#listItems) opened its operation.
func TestDocsPageRendersInABrowser(t *testing.T) {
	browser := chromium(t)
	e := newEnv(t)
	var mu sync.Mutex
	served := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		e.h.ServeHTTP(rec, r)
		mu.Lock()
		served[r.URL.Path] = rec.status
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)

	dom := dumpDOM(t, browser, srv.URL+"/docs#listItems")
	var spec struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	e.do(http.MethodGet, "/openapi.json", "", nil).json(t, &spec)
	drawn := map[string]bool{}
	for _, m := range regexp.MustCompile(`opblock-summary-operation-id">([^<]+)<`).FindAllStringSubmatch(dom, -1) {
		drawn[m[1]] = true
	}
	n := 0
	for path, ops := range spec.Paths {
		for method, op := range ops {
			if n++; !drawn[op.OperationID] {
				t.Errorf("Swagger UI drew no %s %s (%s)", strings.ToUpper(method), path, op.OperationID)
			}
		}
	}
	if n < 20 || len(drawn) != n {
		t.Errorf("the contract has %d operations, the page drew %d", n, len(drawn))
	}
	if !strings.Contains(dom, `is-open" id="operations-items-listItems"`) {
		t.Errorf("/docs#listItems did not open listItems:\n%.3000s", dom)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range []string{"/docs", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js", "/openapi.json"} {
		if served[p] != http.StatusOK {
			t.Errorf("the page loaded %s with status %d, want 200 (served: %v)", p, served[p], served)
		}
	}
}

// chromium returns the headless browser's path, or skips (fails when
// SCOUT_REQUIRE_BROWSER is set) when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(requireBrowser) != "" {
		t.Fatalf("%s is set but no chromium is installed (apt-get install chromium)", requireBrowser)
	}
	t.Skipf("skipping the docs page in a browser: no chromium installed (apt-get install chromium; %s=1 makes this fail)", requireBrowser)
	return ""
}

// dumpDOM loads url in a fresh headless Chromium and returns the DOM once
// the page's scripts have run. Host names resolve to nothing (only the
// loopback address is reached) and the background services that phone home
// are off.
func dumpDOM(t *testing.T, browser, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
		"--user-data-dir="+t.TempDir(), "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--virtual-time-budget=15000", "--dump-dom", url)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helper processes go with it
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom %s: %v\n%s", url, err, lastLines(stderr.String(), 20))
	}
	return string(out)
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
