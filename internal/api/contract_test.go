package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// RedoclyCLI is the linter the contract test runs, pinned so that a new
// release cannot change the verdict under us.
const RedoclyCLI = "@redocly/cli@2.77.0"

// lintRequiredEnv, when set (as .ci/run sets it), makes the tests that run
// Node.js tools (the linter, the generated client) fail instead of skipping
// when Node.js is missing.
const lintRequiredEnv = "SCOUT_REQUIRE_LINT"

// TestOpenAPIDocumentPassesRedoclyLint runs the served document through
// Redocly's recommended rules and requires zero errors.
func TestOpenAPIDocumentPassesRedoclyLint(t *testing.T) {
	npx := nodeTool(t, "npx")
	e := newEnv(t)
	r := e.do(http.MethodGet, "/openapi.json", "", nil)
	wantStatus(t, r, http.StatusOK, "openapi")
	dir := t.TempDir()
	doc := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(doc, r.raw, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npx, "--yes", RedoclyCLI, "lint", "--format=json", "--extends=recommended", doc)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_UPDATE_NOTIFIER=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var report struct {
		Totals   struct{ Errors, Warnings int }
		Problems []struct {
			RuleID   string `json:"ruleId"`
			Severity string
			Message  string
			Location []struct {
				Pointer string
			}
		}
	}
	out := stdout.Bytes()
	if i := bytes.IndexByte(out, '{'); i > 0 {
		out = out[i:]
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("redocly lint did not report (%v): %v\n%s\n%s", runErr, err, stdout.String(), stderr.String())
	}
	for _, p := range report.Problems {
		where := ""
		if len(p.Location) > 0 {
			where = p.Location[0].Pointer
		}
		if p.Severity == "error" {
			t.Errorf("%s: %s at %s", p.RuleID, p.Message, where)
		} else {
			t.Logf("warning %s: %s at %s", p.RuleID, p.Message, where)
		}
	}
	if report.Totals.Errors != 0 {
		t.Fatalf("redocly lint: %d errors, %d warnings", report.Totals.Errors, report.Totals.Warnings)
	}
}

// TestContractDeclaresEveryAnswer checks what the linter cannot know: every
// status Scout can send from any operation is declared with a problem
// document (429 with Retry-After), open operations say security: [], tags
// are declared with descriptions, every operation is described, and no
// request property carries a default keyword that would make generated
// clients require it.
func TestContractDeclaresEveryAnswer(t *testing.T) {
	e := newEnv(t)
	doc := e.h.OpenAPI()
	if len(doc.Servers) == 0 || doc.Info.License == nil || doc.Info.Contact == nil {
		t.Errorf("servers %v, license %v, contact %v", doc.Servers, doc.Info.License, doc.Info.Contact)
	}
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" || strings.HasPrefix(tag.Description, "Operations on ") {
			t.Errorf("tag %s has no description of its own: add it to tagDescriptions", tag.Name)
		}
		declared[tag.Name] = true
	}
	ops := 0
	for path, item := range doc.Paths {
		for method, o := range pathOps(item) {
			ops++
			where := method + " " + path
			if o.Description == "" {
				t.Errorf("%s: no description", where)
			}
			if o.Security == nil {
				t.Errorf("%s: no security requirement, not even an empty one", where)
			}
			for _, tag := range o.Tags {
				if !declared[tag] {
					t.Errorf("%s: tag %s not declared", where, tag)
				}
			}
			want := []int{400, 422, 429, 431, 500}
			if o.RequestBody != nil {
				want = append(want, 413, 415)
			}
			if len(o.Security) > 0 {
				want = append(want, 401)
			}
			for _, status := range want {
				res := o.Responses[strconv.Itoa(status)]
				if res == nil || res.Content["application/problem+json"] == nil {
					t.Errorf("%s: %d not declared as a problem document", where, status)
					continue
				}
				if status == 429 && res.Headers["Retry-After"] == nil {
					t.Errorf("%s: 429 without Retry-After", where)
				}
			}
			if o.RequestBody != nil {
				for _, mt := range o.RequestBody.Content {
					checkNoDefaults(t, where, doc.Components.Schemas, mt.Schema, map[*huma.Schema]bool{})
				}
			}
		}
	}
	if ops < 30 {
		t.Fatalf("only %d operations", ops)
	}
}

func checkNoDefaults(t *testing.T, where string, reg huma.Registry, s *huma.Schema, seen map[*huma.Schema]bool) {
	t.Helper()
	if s != nil && s.Ref != "" {
		s = reg.SchemaFromRef(s.Ref)
	}
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for name, p := range s.Properties {
		if p.Default != nil {
			t.Errorf("%s: request property %s has default %v: generated clients would require it", where, name, p.Default)
		}
		checkNoDefaults(t, where, reg, p, seen)
		checkNoDefaults(t, where, reg, p.Items, seen)
	}
	checkNoDefaults(t, where, reg, s.Items, seen)
}

// TestScreenAnswersAreDeclared sends what the screen refuses to an
// operation and checks, through the validator every test response passes,
// that the status is declared: a 431, a 415 and a 400 for a malformed body.
func TestScreenAnswersAreDeclared(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	big := strings.Repeat("x", 40<<10)
	r := e.doHeader(http.MethodGet, "/v1/items", u.token, "X-Padding", big, nil)
	wantStatus(t, r, http.StatusRequestHeaderFieldsTooLarge, "large headers")
	r = e.doRaw(http.MethodPost, "/v1/sources", "Bearer "+u.token, "text/csv", []byte("url\nhttps://example.org/"))
	wantStatus(t, r, http.StatusUnsupportedMediaType, "wrong content type")
	r = e.doRaw(http.MethodPost, "/v1/sources", "Bearer "+u.token, "application/json", []byte(`{"url":`))
	wantStatus(t, r, http.StatusBadRequest, "malformed JSON")
}

// TestServerErrorsAreProblems sends what net/http answers by itself, through
// ProblemListener as the app serves: headers beyond the server's limit and a
// malformed header line.
func TestServerErrorsAreProblems(t *testing.T) {
	e := newEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e.h, MaxHeaderBytes: 64 << 10, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ProblemListener(ln))
	t.Cleanup(func() { srv.Close() })
	for _, tt := range []struct {
		name, req string
		status    int
	}{
		{"headers beyond the server's limit", "GET /v1/items HTTP/1.1\r\nHost: x\r\nX-Pad: " + strings.Repeat("a", 200<<10) + "\r\n\r\n", 431},
		{"a header with a NUL", "GET /v1/items HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n", 400},
		{"a malformed request line", "GET\r\n\r\n", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			status, ct, body := rawExchange(t, c, tt.req)
			var p huma.ErrorModel
			if status != tt.status || ct != "application/problem+json" || json.Unmarshal(body, &p) != nil || p.Status != tt.status {
				t.Fatalf("%d %q %s", status, ct, body)
			}
		})
	}
}
