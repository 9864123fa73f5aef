package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIDocumentIsValid31 checks the served document against the rules
// of OpenAPI 3.1 that a generator can break: version, unique operation ids,
// declared path parameters, resolvable references, documented responses, and
// bearer security on every /v1 operation except login and refresh.
func TestOpenAPIDocumentIsValid31(t *testing.T) {
	e := newEnv(t)
	r := e.do(http.MethodGet, "/openapi.json", "", nil)
	wantStatus(t, r, http.StatusOK, "openapi")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title, Version string }
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct{ Name, In string }
			Responses   map[string]json.RawMessage
			Security    []map[string][]string
		}
		Components struct {
			Schemas         map[string]json.RawMessage
			SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		}
	}
	r.json(t, &doc)
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Fatalf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	if s := doc.Components.SecuritySchemes[securityName]; s.Type != "http" || s.Scheme != "bearer" {
		t.Fatalf("security scheme = %+v", s)
	}
	ids := map[string]bool{}
	open := map[string]bool{"/v1/auth/token": true, "/v1/auth/refresh": true}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	for path, item := range doc.Paths {
		for method, op := range item {
			where := method + " " + path
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s: operation id %q missing or repeated", where, op.OperationID)
			}
			ids[op.OperationID] = true
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", where)
			}
			for _, m := range param.FindAllStringSubmatch(path, -1) {
				if !hasParam(op.Parameters, m[1]) {
					t.Errorf("%s: path parameter %s not declared", where, m[1])
				}
			}
			secured := len(op.Security) > 0
			if strings.HasPrefix(path, "/v1/") && secured == open[path] {
				t.Errorf("%s: secured = %v", where, secured)
			}
		}
	}
	for _, ref := range regexp.MustCompile(`"\$ref":"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(r.raw), -1) {
		if doc.Components.Schemas[ref[1]] == nil {
			t.Errorf("reference to missing schema %s", ref[1])
		}
	}
	if len(ids) < 25 {
		t.Errorf("only %d operations documented", len(ids))
	}
}

func hasParam(ps []struct{ Name, In string }, name string) bool {
	for _, p := range ps {
		if p.Name == name && p.In == "path" {
			return true
		}
	}
	return false
}

func TestDocsPageWorksOffline(t *testing.T) {
	e := newEnv(t)
	page := e.do(http.MethodGet, "/docs", "", nil)
	wantStatus(t, page, http.StatusOK, "/docs")
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page.raw), -1)
	if len(refs) < 3 {
		t.Fatalf("the page loads %d files:\n%s", len(refs), page.raw)
	}
	for _, ref := range append(refs, []string{"", "/docs/docs.js"}) {
		path := ref[1]
		if !strings.HasPrefix(path, "/docs/") && path != "/openapi.json" {
			t.Errorf("the page loads %q, not a file of its own", path)
			continue
		}
		r := e.do(http.MethodGet, path, "", nil)
		wantStatus(t, r, http.StatusOK, path)
		if path == "/openapi.json" {
			continue
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") ||
			strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
			t.Errorf("%s: policy %q is not strict", path, csp)
		}
	}
	bundle := e.do(http.MethodGet, "/docs/swagger-ui-bundle.js", "", nil)
	if !bytes.Contains(bundle.raw, []byte("SwaggerUIBundle")) || len(bundle.raw) < 1<<20 || bundle.header.Get("X-Swagger-UI-Version") != swaggerUIVersion {
		t.Errorf("the bundle is not Swagger UI's (%d bytes)", len(bundle.raw))
	}
	script := e.do(http.MethodGet, "/docs/docs.js", "", nil)
	if bytes.Contains(script.raw, []byte("://")) || !bytes.Contains(script.raw, []byte("location.origin")) {
		t.Errorf("docs.js names another origin or does not try requests against this one:\n%s", script.raw)
	}
	if r := e.do(http.MethodGet, "/docs/other.js", "", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown docs file: status %d", r.status)
	}
}

func TestDocsAssetsAreServedGzippedOrPlain(t *testing.T) {
	e := newEnv(t)
	for _, enc := range []string{"gzip", "identity"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/docs/swagger-ui.css", nil)
		req.Header.Set("Accept-Encoding", enc) // set by hand: the client does not decompress
		res, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		gzipped := len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b
		if res.StatusCode != http.StatusOK || gzipped != (enc == "gzip") || (enc == "gzip") != (res.Header.Get("Content-Encoding") == "gzip") {
			t.Errorf("Accept-Encoding %s: status %d, Content-Encoding %q, gzipped body %t", enc, res.StatusCode, res.Header.Get("Content-Encoding"), gzipped)
		}
		if enc == "identity" && !bytes.Contains(b, []byte(".swagger-ui")) {
			t.Errorf("the plain stylesheet is not Swagger UI's")
		}
	}
}

// TestEveryOperationHasADeepLink checks what /docs#operationId needs: a
// unique operationId and a tag on every operation.
func TestEveryOperationHasADeepLink(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string   `json:"operationId"`
			Tags        []string `json:"tags"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(e.do(http.MethodGet, "/openapi.json", "", nil).raw, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for path, item := range doc.Paths {
		for method, op := range item {
			if op.OperationID == "" || len(op.Tags) == 0 || seen[op.OperationID] {
				t.Errorf("%s %s: operationId %q, tags %v", method, path, op.OperationID, op.Tags)
			}
			seen[op.OperationID] = true
		}
	}
	if !seen["listItems"] {
		t.Error("no listItems operation to link to")
	}
}

// TestResponseValidationRejectsOffContractBodies shows that the validator
// used on every response in these tests is not vacuous.
func TestResponseValidationRejectsOffContractBodies(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	wantStatus(t, e.do(http.MethodGet, "/v1/me", u.token, nil), http.StatusOK, "me")
	if e.checked == 0 {
		t.Fatal("no response was validated")
	}
	inner := &testing.T{}
	probe := &env{t: inner, h: e.h}
	probe.validate(http.MethodGet, "/v1/me", resp{status: 200, header: http.Header{"Content-Type": {"application/json"}},
		raw: []byte(`{"id":"one","email":3}`)})
	if !inner.Failed() {
		t.Fatal("a body with wrong types and missing fields passed validation")
	}
}
