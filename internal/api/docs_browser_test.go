package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
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

	"golang.org/x/net/websocket"
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

// chromiumFlags start a fresh headless Chromium that reaches nothing but
// loopback: host names resolve to nothing, and the background services
// that phone home are off.
func chromiumFlags(t *testing.T) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
		"--user-data-dir=" + t.TempDir(), "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"}
}

// dumpDOM loads url in a fresh headless Chromium and returns the DOM once
// the page's scripts have run.
func dumpDOM(t *testing.T, browser, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, append(chromiumFlags(t), "--virtual-time-budget=15000", "--dump-dom", url)...)
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

// TestDocsPageTriesAnOperationAgainstTheServer drives Swagger UI in
// headless Chromium over the DevTools protocol: on /docs#healthz it presses
// "Try it out" and "Execute", and the answer the page shows must be the one
// this server gave, which only a page allowed to call its own origin gets.
func TestDocsPageTriesAnOperationAgainstTheServer(t *testing.T) {
	browser := chromium(t)
	e := newEnv(t)
	var mu sync.Mutex
	var healthz int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			mu.Lock()
			healthz++
			mu.Unlock()
		}
		e.h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	page := devtools(t, browser)
	page.call(t, "Page.navigate", map[string]any{"url": srv.URL + "/docs#healthz"})
	const op = `document.querySelector("#operations-operations-healthz")`
	page.waitFor(t, op+` && `+op+`.classList.contains("is-open") && `+op+`.querySelector(".try-out__btn")`)
	page.eval(t, op+`.querySelector(".try-out__btn").click(); true`)
	page.waitFor(t, op+`.querySelector(".execute")`)
	page.eval(t, op+`.querySelector(".execute").click(); true`)
	page.waitFor(t, op+`.querySelector(".live-responses-table tr.response .response-col_status")`)
	status := page.eval(t, op+`.querySelector(".live-responses-table tr.response .response-col_status").textContent.trim()`)
	body := page.eval(t, op+`.querySelector(".live-responses-table tr.response .response-col_description").textContent`)
	if status != "200" || !strings.Contains(body, `"status"`) {
		t.Errorf("Try it out showed status %q and %q; want 200 and the server's answer", status, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if healthz != 1 {
		t.Errorf("the server saw %d GET /healthz from the page, want 1", healthz)
	}
}

// page is one browser tab driven over the DevTools protocol.
type page struct {
	ws *websocket.Conn
	id int
}

// devtools starts a fresh headless Chromium with the DevTools protocol on a
// loopback port and returns its first tab; both end with the test.
func devtools(t *testing.T, browser string) *page {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	cmd := exec.CommandContext(ctx, browser, append(chromiumFlags(t), "--remote-debugging-address=127.0.0.1",
		"--remote-debugging-port=0", "--remote-allow-origins=http://127.0.0.1", "about:blank")...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	// Chromium names its endpoint on stderr: DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID
	sc := bufio.NewScanner(stderr)
	var port string
	for port == "" && sc.Scan() {
		if m := regexp.MustCompile(`DevTools listening on ws://127\.0\.0\.1:(\d+)/`).FindStringSubmatch(sc.Text()); m != nil {
			port = m[1]
		}
	}
	if port == "" {
		t.Fatalf("chromium named no DevTools endpoint: %v", sc.Err())
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	res, err := http.Get("http://127.0.0.1:" + port + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var targets []struct{ Type, WebSocketDebuggerURL string }
	if err := json.NewDecoder(res.Body).Decode(&targets); err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		if tg.Type == "page" {
			ws, err := websocket.Dial(tg.WebSocketDebuggerURL, "", "http://127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ws.Close() })
			return &page{ws: ws}
		}
	}
	t.Fatalf("chromium has no page: %+v", targets)
	return nil
}

// call sends one DevTools command and returns its result, skipping the
// events that arrive before it.
func (p *page) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	p.id++
	_ = p.ws.SetDeadline(time.Now().Add(30 * time.Second))
	if err := websocket.JSON.Send(p.ws, map[string]any{"id": p.id, "method": method, "params": params}); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	for {
		var m struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if err := websocket.JSON.Receive(p.ws, &m); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if m.ID != p.id {
			continue
		}
		if m.Error != nil {
			t.Fatalf("%s: %s", method, m.Error.Message)
		}
		return m.Result
	}
}

// eval evaluates a JavaScript expression in the page and returns its value
// as text.
func (p *page) eval(t *testing.T, js string) string {
	t.Helper()
	var r struct {
		Result           struct{ Value any }
		ExceptionDetails *struct{ Text string }
	}
	if err := json.Unmarshal(p.call(t, "Runtime.evaluate", map[string]any{"expression": js, "returnByValue": true}), &r); err != nil {
		t.Fatal(err)
	}
	if r.ExceptionDetails != nil {
		t.Fatalf("%s: %s", js, r.ExceptionDetails.Text)
	}
	return fmt.Sprint(r.Result.Value)
}

// waitFor evaluates js until it is truthy, for at most 30 s.
func (p *page) waitFor(t *testing.T, js string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		if v := p.eval(t, "Boolean("+js+")"); v == "true" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page never showed %s:\n%.3000s", js, p.eval(t, "document.body.innerText"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
