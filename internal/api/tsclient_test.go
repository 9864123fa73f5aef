package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/scout"
)

// TypeScriptTools are the npm packages the generated-client test installs,
// pinned so that a new release cannot change the verdict under us.
var TypeScriptTools = []string{"openapi-typescript@7.13.0", "openapi-fetch@0.17.0", "typescript@5.9.3"}

// nodeTool finds a Node.js command the contract tests need: it fails the
// test when SCOUT_REQUIRE_LINT is set (CI) and the command is missing, and
// skips it otherwise, or under -short.
func nodeTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(lintRequiredEnv) != "" {
			t.Fatalf("%s is set but %s is not installed", lintRequiredEnv, name)
		}
		t.Skipf("%s not found: install Node.js to run the contract's client tests (CI requires it)", name)
	}
	if testing.Short() && os.Getenv(lintRequiredEnv) == "" {
		t.Skip("-short: the Node.js tools take seconds to start")
	}
	return path
}

// TestGeneratedTypeScriptClientWorks generates TypeScript types from the
// served document with openapi-typescript's default options, type-checks
// (strict) a consumer written with openapi-fetch's defaults, and runs it
// against a live server. The consumer sends minimal bodies, as the README
// does, so the test fails if the document makes a field the server fills
// in required; to show it would, the same consumer is checked against the
// document with its request defaults put back as default keywords, and
// must fail there.
func TestGeneratedTypeScriptClientWorks(t *testing.T) {
	npm := nodeTool(t, "npm")
	node := nodeTool(t, "node")
	tools := typeScriptTools(t, npm)

	site := clientSite(t)
	e := newEnv(t, func(o *Options) {
		o.Fetch = mustFetchClient(t, []string{site.Listener.Addr().String()})
		o.Preview = ingest.New(ingest.Options{Fetcher: o.Fetch, Store: o.Store})
	})
	admin := e.mustPasswordUser("ada@example.org", true)
	src := e.mustSource(admin.ID, "https://example.org/feed.xml", scout.VisibilityPublic)
	e.mustItems(src, grantItem("open", "Open grant", time.Now().Add(-time.Hour)),
		grantItem("closed", "Closed grant", time.Now().AddDate(0, 0, -20)))

	r := e.do(http.MethodGet, "/openapi.json", "", nil)
	wantStatus(t, r, http.StatusOK, "openapi")
	dir := t.TempDir()
	withDefaults, restored := requestDefaultsRestored(t, r.raw)
	if restored < 3 {
		t.Fatalf("only %d request defaults found in descriptions to restore", restored)
	}
	client, err := os.ReadFile(filepath.Join("testdata", "tsclient", "client.ts"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"openapi.json":          r.raw,
		"openapi-defaults.json": withDefaults,
		"client.ts":             client,
		"client-defaults.ts":    bytes.Replace(client, []byte(`from "./scout.js"`), []byte(`from "./scout-defaults.js"`), 1),
		"package.json":          []byte(`{"private": true, "type": "module"}`),
		"tsconfig.json": []byte(`{"compilerOptions": {"strict": true, "target": "es2022", "module": "nodenext",
			"moduleResolution": "nodenext", "lib": ["es2022", "dom"], "types": [], "outDir": "out"},
			"files": ["client.ts", "client-defaults.ts"]}`),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(tools, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tools, "node_modules", ".bin")
	for in, out := range map[string]string{"openapi.json": "scout.d.ts", "openapi-defaults.json": "scout-defaults.d.ts"} {
		if out, err := runTool(t, dir, nil, filepath.Join(bin, "openapi-typescript"), in, "-o", out); err != nil {
			t.Fatalf("openapi-typescript %s: %v\n%s", in, err, out)
		}
	}

	out, _ := runTool(t, dir, nil, filepath.Join(bin, "tsc"), "-p", ".", "--pretty", "false")
	errs := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		if m := tscError.FindStringSubmatch(line); m != nil {
			errs[m[1]] = append(errs[m[1]], line)
		} else if strings.Contains(line, "error") {
			errs["other"] = append(errs["other"], line)
		}
	}
	for file, lines := range errs {
		if file != "client-defaults.ts" {
			t.Errorf("tsc: %d errors in %s with the served document:\n%s", len(lines), file, strings.Join(lines, "\n"))
		}
	}
	if len(errs["client-defaults.ts"]) == 0 {
		t.Errorf("the consumer type-checks even with request defaults as default keywords: the test cannot see them")
	}
	t.Logf("with request defaults as keywords, as expected, tsc finds:\n%s", strings.Join(errs["client-defaults.ts"], "\n"))
	if t.Failed() {
		t.FailNow()
	}

	out, err = runTool(t, dir, []string{"SCOUT_URL=" + e.srv.URL, "SCOUT_SITE=" + site.URL,
		"SCOUT_EMAIL=ada@example.org", "SCOUT_PASSWORD=" + testPassword}, node, filepath.Join("out", "client.js"))
	if err != nil || !strings.Contains(out, "every call answered as typed") {
		t.Fatalf("the generated client against the server: %v\n%s", err, out)
	}
}

// tscError is one diagnostic line of tsc --pretty false: file(line,col): error.
var tscError = regexp.MustCompile(`^([^(\s]+)\(\d+,\d+\): error `)

// runTool runs a command in dir with extra environment and returns its
// combined output.
func runTool(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_UPDATE_NOTIFIER=1", "NODE_NO_WARNINGS=1"), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// typeScriptTools installs TypeScriptTools from the npm registry once into
// the user's cache directory, keyed by their versions, and returns the
// directory holding their node_modules.
func typeScriptTools(t *testing.T, npm string) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(strings.Join(TypeScriptTools, " ")))
	dir := filepath.Join(cache, "scout-test", "tsclient-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "tsc")); err == nil {
		return dir
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	deps := map[string]string{}
	for _, spec := range TypeScriptTools {
		at := strings.LastIndexByte(spec, '@')
		deps[spec[:at]] = spec[at+1:]
	}
	pkg, _ := json.Marshal(map[string]any{"private": true, "dependencies": deps})
	if err := os.WriteFile(filepath.Join(tmp, "package.json"), pkg, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runTool(t, tmp, nil, npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"); err != nil {
		t.Fatalf("npm install %s: %v\n%s", strings.Join(TypeScriptTools, " "), err, out)
	}
	// Another test run may have finished first; either copy will do.
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "node_modules", ".bin", "tsc")); statErr != nil {
			t.Fatalf("keep the installed tools: %v", err)
		}
	}
	return dir
}

// clientSite is a loopback web site the generated client has the server
// read: a page linking its feed, the feed, and another feed.
func clientSite(t *testing.T) *httptest.Server {
	rss := func(title string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>Calls</title><item><guid>c1</guid><title>` + title +
			`</title><link>https://example.org/c1</link></item></channel></rss>`
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>`)
		case "/feed.xml", "/other.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rss("Previewed call"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	return site
}

// defaultNote is how describeDefault writes a request default into a
// description.
var defaultNote = regexp.MustCompile(`Default: (.+?)\.(?:\s|$)`)

// requestDefaultsRestored returns the document with each request property
// whose description states a default given that default keyword again (the
// document as it would be without describeDefault), and how many it gave.
func requestDefaultsRestored(t *testing.T, raw []byte) ([]byte, int) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	schemas, _ := dig(doc, "components", "schemas").(map[string]any)
	seen := map[string]bool{}
	n := 0
	var walk func(s map[string]any)
	walk = func(s map[string]any) {
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			if target, ok := schemas[name].(map[string]any); ok && !seen[name] {
				seen[name] = true
				walk(target)
			}
			return
		}
		if desc, ok := s["description"].(string); ok && s["default"] == nil {
			if m := defaultNote.FindStringSubmatch(desc); m != nil {
				var v any
				if json.Unmarshal([]byte(m[1]), &v) != nil {
					v = m[1]
				}
				s["default"] = v
				n++
			}
		}
		props, _ := s["properties"].(map[string]any)
		for _, p := range props {
			if p, ok := p.(map[string]any); ok {
				walk(p)
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(items)
		}
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, o := range ops {
			content, _ := dig(o, "requestBody", "content").(map[string]any)
			for _, mt := range content {
				if s, ok := dig(mt, "schema").(map[string]any); ok {
					walk(s)
				}
			}
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out, n
}

// dig follows keys through nested JSON objects.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
