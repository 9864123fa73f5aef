package api

import (
	"encoding/json"
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
	for _, path := range []string{"/docs", "/docs/docs.js", "/docs/docs.css"} {
		r := e.do(http.MethodGet, path, "", nil)
		wantStatus(t, r, http.StatusOK, path)
		if strings.Contains(string(r.raw), "://") && !strings.HasSuffix(path, ".css") && strings.Contains(string(r.raw), "cdn") {
			t.Errorf("%s refers to another origin", path)
		}
		if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: no strict content security policy", path)
		}
	}
	if r := e.do(http.MethodGet, "/docs/other.js", "", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown docs file: status %d", r.status)
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
