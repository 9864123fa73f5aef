package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/metrics"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

var bg = context.Background()

// testSecret signs the tokens of every test server.
var testSecret = []byte("0123456789abcdef0123456789abcdef-test")

// env is a running API on a real SQLite store.
type env struct {
	t      testing.TB
	st     store.Store
	auth   *auth.Authenticator
	h      *Handler
	srv    *httptest.Server
	now    time.Time
	client *http.Client
	// sampleURL is the URL sample bodies carry (empty: one on example.org).
	sampleURL string

	mu      sync.Mutex
	checked int // responses validated against their schema
}

type envOption func(*Options)

// newEnv starts the API over httptest on a fresh store. Fetches may reach
// loopback addresses listed in allow (for discover tests).
func newEnv(tb testing.TB, opts ...envOption) *env {
	tb.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	o := Options{Store: testdb.SQLite(tb, nil), Metrics: metrics.New(), Logger: slog.New(slog.DiscardHandler),
		MaxBodyBytes: 64 << 10, Rate: 1000, Burst: 1000, LoginRate: 1000, LoginBurst: 1000,
		LoginAddressRate: 1000, LoginAddressBurst: 1000, LoginAccountRate: 1000, LoginAccountBurst: 1000}
	for _, f := range opts {
		f(&o) // may replace the store (another engine)
	}
	st := o.Store
	if o.Auth == nil { // an option may bring its own (an identity provider)
		au, err := auth.New(st, auth.Options{Secret: testSecret})
		if err != nil {
			tb.Fatal(err)
		}
		o.Auth = au
	}
	au := o.Auth
	if o.Fetch == nil {
		o.Fetch = mustFetchClient(tb, nil)
	}
	h, err := New(o)
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{t: tb, st: st, auth: au, h: h, now: now, client: &http.Client{}}
	// Served as the app serves, so that what net/http answers by itself
	// is a problem document too.
	e.srv = httptest.NewUnstartedServer(h)
	e.srv.Listener = ProblemListener(e.srv.Listener)
	e.srv.Start()
	tb.Cleanup(e.srv.Close)
	return e
}

func mustFetchClient(tb testing.TB, allow []string) *fetch.Client {
	tb.Helper()
	c, err := fetch.New(fetch.Options{Allow: allow, Timeout: 5 * time.Second, PerHostInterval: -1})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// user is a test account with a session token.
type user struct {
	scout.User
	token string
}

// mustUser creates a user directly in the store and returns a session token.
// Passwords are hashed only for users that log in through the API.
func (e *env) mustUser(email string, admin bool) user {
	e.t.Helper()
	u, err := e.st.CreateUser(bg, scout.User{Email: email, Name: email, Admin: admin})
	if err != nil {
		e.t.Fatal(err)
	}
	pair, err := e.auth.IssueTokens(u, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return user{User: u, token: pair.Access}
}

// mustKey creates an API key with scopes for u.
func (e *env) mustKey(u user, scopes ...scout.Scope) string {
	e.t.Helper()
	plain, prefix, hash, err := auth.NewAPIKey()
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.CreateAPIKey(bg, scout.APIKey{UserID: u.ID, Name: "test", Prefix: prefix, Hash: hash, Scopes: scopes}); err != nil {
		e.t.Fatal(err)
	}
	return plain
}

// resp is an answer, with its body decoded loosely.
type resp struct {
	status int
	header http.Header
	raw    []byte
}

func (r resp) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.raw, v); err != nil {
		tb.Fatalf("decode %s: %v", r.raw, err)
	}
}

// problem decodes a problem document.
func (r resp) problem(tb testing.TB) huma.ErrorModel {
	tb.Helper()
	var p huma.ErrorModel
	r.json(tb, &p)
	return p
}

// do sends a request with a bearer credential (none when empty) and a body
// (JSON-encoded unless it is a string), checks the headers every response
// must carry, and validates the body against the operation's response
// schema in the served OpenAPI document.
func (e *env) do(method, path, cred string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "text/x-opml"
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	if cred != "" {
		req.Header.Set("Authorization", "Bearer "+cred)
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return e.read(method, path, res)
}

// read reads a response, checks the headers every response must carry and
// validates the body against the document.
func (e *env) read(method, path string, res *http.Response) resp {
	e.t.Helper()
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	e.checkHeaders(method, path, r)
	e.validate(method, path, r)
	return r
}

func (e *env) checkHeaders(method, path string, r resp) {
	e.t.Helper()
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		e.t.Errorf("%s %s: no nosniff header", method, path)
	}
	ct := r.header.Get("Content-Type")
	if r.status >= 400 && ct != "application/problem+json" {
		e.t.Errorf("%s %s: error %d with content type %q: %s", method, path, r.status, ct, r.raw)
	}
	if r.status < 300 && r.status != http.StatusNoContent && !strings.HasPrefix(path, "/docs") && !strings.HasPrefix(path, "/metrics") &&
		!strings.Contains(ct, "json") && !strings.Contains(ct, "opml") {
		e.t.Errorf("%s %s: content type %q", method, path, ct)
	}
}

// validate checks a JSON body against the response schema the OpenAPI
// document declares for the operation and status. It uses huma.Validate
// with the API's own schema registry: the document is generated from the
// same registry, so a response that passes is exactly one the published
// contract allows, with no second schema implementation that could disagree
// with huma's dialect (nullable pointers, $ref resolution, formats). The
// schemas are not strict about extra properties, so every field is also
// decoded by the test that reads it.
func (e *env) validate(method, path string, r resp) {
	e.t.Helper()
	if !strings.Contains(r.header.Get("Content-Type"), "json") || len(r.raw) == 0 {
		return
	}
	o := e.findOp(method, strings.SplitN(path, "?", 2)[0])
	if o == nil {
		return // not an operation (unmatched route, /docs)
	}
	res := o.Responses[itoa(int64(r.status))]
	if res == nil {
		res = o.Responses["default"]
	}
	if res == nil {
		e.t.Errorf("%s %s: status %d is not documented", method, path, r.status)
		return
	}
	var mt *huma.MediaType
	for _, m := range res.Content {
		mt = m
	}
	if mt == nil || mt.Schema == nil {
		return
	}
	var v any
	if err := json.Unmarshal(r.raw, &v); err != nil {
		e.t.Errorf("%s %s: body is not JSON: %v", method, path, err)
		return
	}
	vr := &huma.ValidateResult{}
	huma.Validate(e.h.OpenAPI().Components.Schemas, mt.Schema, huma.NewPathBuffer(nil, 0), huma.ModeReadFromServer, v, vr)
	if len(vr.Errors) > 0 {
		e.t.Errorf("%s %s: %d response does not match its schema: %v\n%s", method, path, r.status, vr.Errors, r.raw)
	}
	e.mu.Lock()
	e.checked++
	e.mu.Unlock()
}

// findOp returns the operation whose path template matches path.
func (e *env) findOp(method, path string) *huma.Operation {
	for tmpl, item := range e.h.OpenAPI().Paths {
		re := regexp.MustCompile("^" + regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$")
		if !re.MatchString(path) {
			continue
		}
		switch method {
		case http.MethodGet:
			return item.Get
		case http.MethodPost:
			return item.Post
		case http.MethodPut:
			return item.Put
		case http.MethodPatch:
			return item.Patch
		case http.MethodDelete:
			return item.Delete
		}
	}
	return nil
}

// wantStatus fails unless r has status want.
func wantStatus(tb testing.TB, r resp, want int, what string) {
	tb.Helper()
	if r.status != want {
		tb.Fatalf("%s: status %d, want %d: %s", what, r.status, want, r.raw)
	}
}

// mustSource creates a source for owner directly in the store.
func (e *env) mustSource(owner int64, url string, vis scout.Visibility) scout.Source {
	e.t.Helper()
	s, err := e.st.CreateSource(bg, scout.Source{OwnerID: owner, URL: url, Title: url, Visibility: vis, Tags: []string{"arts"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// mustItems stores items in src as one successful fetch and returns them.
func (e *env) mustItems(src scout.Source, items ...scout.Item) []scout.Item {
	e.t.Helper()
	if _, err := e.st.CompleteFetch(bg, store.FetchResult{SourceID: src.ID, Items: items, NextFetchAt: time.Now().Add(time.Hour),
		Log: scout.FetchLog{StatusCode: 200}}); err != nil {
		e.t.Fatal(err)
	}
	p, err := e.st.ListItems(bg, store.ItemFilter{Viewer: store.Viewer{Admin: true}, SourceID: src.ID, PageRequest: store.PageRequest{Limit: store.MaxLimit}})
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Items
}

// grantItem is an item with an opportunity facet and a funder entity.
func grantItem(guid, title string, published time.Time) scout.Item {
	it := scout.Item{GUID: guid, URL: "https://example.org/" + guid, Title: title, Summary: title + " summary",
		ContentText: title + " body", ContentHTML: "<p>" + title + "</p>", PublishedAt: published, ContentHash: guid}
	it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Deadline: published.Add(10 * 24 * time.Hour), AmountMin: 1000,
		AmountMax: 5000, Currency: "USD", Funder: "Arts Council", Extractor: "rules/1"}
	it.Entities = []scout.ItemEntity{{Entity: scout.Entity{Type: scout.EntityOrganization, Name: "Arts Council " + guid}, Role: "funder", Confidence: 0.9}}
	return it
}
