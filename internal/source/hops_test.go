package source_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	"github.com/scoutdev/scout/internal/source/jsonapi"
)

// TestTheGuardsHoldOnEveryHopOfAPagedSource serves a listing whose detail
// pages redirect to the metadata address, are oversized or are a bomb, and
// whose next page is slow, and a JSON API whose second answer redirects to
// a private address: the first page's items are kept,
// every later hop fails alone with a warning that names its class, and
// nothing past a refused hop is read.
func TestTheGuardsHoldOnEveryHopOfAPagedSource(t *testing.T) {
	gz := bomb(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path + "?" + r.URL.RawQuery {
		case "/list?":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html><body><article><h3><a href="/detail/private">Residency</a></h3></article>
				<article><h3><a href="/detail/big">Fellowship</a></h3></article>
				<article><h3><a href="/detail/bomb">Commission</a></h3></article>
				<a rel="next" href="/list-slow">next</a></body></html>`))
		case "/detail/private?":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/detail/big?":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(bytes.Repeat([]byte("<p>x</p>"), 40<<10))
		case "/detail/bomb?":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz)
		case "/list-slow?":
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		case "/api?":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"items":[{"id":"a","title":"Grant A"}],"next":"2"}`))
		case "/api?page=2":
			http.Redirect(w, r, "http://10.0.0.1/api?page=3", http.StatusFound)
		default:
			t.Errorf("unexpected request %s", r.URL)
		}
	}))
	defer srv.Close()
	c, err := fetch.New(fetch.Options{Allow: []string{srv.Listener.Addr().String()}, PerHostInterval: -1,
		Timeout: 500 * time.Millisecond, MaxBody: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	o := feeds.Options{}
	reg := source.NewRegistry(htmlkind.Kind(o), jsonapi.Kind(o))
	res, err := reg.Collect(context.Background(), scout.Source{Kind: scout.SourceHTML, URL: srv.URL + "/list",
		Config: json.RawMessage(`{"item":"article","next":"a[rel=next]@href","detail":{"content":"main"}}`)}, c)
	if err != nil || len(res.Items) != 3 {
		t.Fatalf("html: %d items, %v, warnings %q", len(res.Items), err, res.Warnings)
	}
	warned := strings.Join(res.Warnings, "\n")
	t.Logf("html warnings:\n%s", warned)
	for _, want := range []string{"169.254.169.254", "larger than", "timed out"} {
		if !strings.Contains(warned, want) {
			t.Errorf("html warnings lack %q:\n%s", want, warned)
		}
	}
	if strings.Count(warned, "larger than") < 2 {
		t.Errorf("the oversized and the bomb detail pages are not both refused as too large:\n%s", warned)
	}
	res, err = reg.Collect(context.Background(), scout.Source{Kind: scout.SourceJSON, URL: srv.URL + "/api",
		Config: json.RawMessage(`{"items":"$.items[*]","fields":{"id":"id","title":"title"},"paging":{"mode":"cursor","param":"page","cursor":"$.next"}}`)}, c)
	if err != nil || len(res.Items) != 1 || !strings.Contains(strings.Join(res.Warnings, "\n"), "10.0.0.1") {
		t.Fatalf("json: %d items, %v, warnings %q", len(res.Items), err, res.Warnings)
	}
}
