package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// FuzzHandler sends arbitrary paths, queries, bodies and content types to
// every operation of the API as an admin, and fails on any 5xx or on an
// error answered without a problem document. Seeds are below and in
// testdata/fuzz/FuzzHandler; run it longer with
// go test -run '^$' -fuzz FuzzHandler ./internal/api/.
func FuzzHandler(f *testing.F) {
	e := newEnv(f)
	admin := e.mustUser("root@example.org", true)
	src := e.mustSource(admin.ID, "https://example.org/feed.xml", scout.VisibilityPublic)
	e.mustItems(src, grantItem("g1", "Arts grant", time.Now().Add(-time.Hour)))
	type route struct{ method, path string }
	var routes []route
	for p, item := range e.h.OpenAPI().Paths {
		for m, o := range pathOps(item) {
			if o.OperationID != "streamEvents" {
				routes = append(routes, route{m, p})
			}
		}
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].path+routes[i].method < routes[j].path+routes[j].method })
	f.Add(uint8(0), "1", "q=a%00b", []byte(`{"url":"https://example.org/a"}`), "application/json")
	f.Add(uint8(3), "\xff", "status=open&status=closed", []byte("{\"title\":\"\xff\"}"), "application/json")
	f.Add(uint8(7), "1", "cursor=eyJpIjo1fQ", []byte(`{"name":"a\u0000"}`), "application/merge-patch+json")
	f.Add(uint8(11), "ai%2fsummary", "limit=-1&limit=2", []byte(`{"enricher":"x","limit":10}`), "text/plain")
	f.Add(uint8(20), "1", "tag=%01", []byte(`<opml version="2.0"><body><outline xmlUrl="http://127.1/"/></body></opml>`), "text/x-opml")
	f.Fuzz(func(t *testing.T, which uint8, param, query string, body []byte, ct string) {
		rt := routes[int(which)%len(routes)]
		path := rt.path
		for strings.Contains(path, "{") {
			i, j := strings.Index(path, "{"), strings.Index(path, "}")
			path = path[:i] + url.PathEscape(param) + path[j+1:]
		}
		u := &url.URL{Path: path, RawPath: path, RawQuery: query}
		if p, err := url.PathUnescape(path); err == nil {
			u.Path = p
		}
		req := &http.Request{Method: rt.method, URL: u, Header: http.Header{}, Host: "scout.test",
			RemoteAddr: "192.0.2.1:1234", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
		req = req.WithContext(t.Context())
		req.Header.Set("Authorization", "Bearer "+admin.token)
		if len(body) > 0 {
			req.Body, req.ContentLength = httpBody(body), int64(len(body))
			req.Header["Content-Type"] = []string{ct}
		} else {
			req.Body = http.NoBody
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s (%q, %q): %d %s", rt.method, path, query, body, ct, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s %s?%s: %d as %q", rt.method, path, query, rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func httpBody(b []byte) nopCloser { return nopCloser{bytes.NewReader(b)} }
