package html_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/html"
)

var ctx = context.Background()

var now = time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)

// site serves the recorded pages in testdata on loopback, counting requests.
type site struct {
	*httptest.Server
	hits atomic.Int64
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "foundation/grants.html" && r.URL.Query().Get("page") == "2" {
			name = "foundation/grants-2.html"
		}
		b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if !strings.HasPrefix(name, "foundation/") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "text/html")
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func client(t *testing.T) *fetch.Client {
	t.Helper()
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 2 * time.Second, MaxBody: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collect(t *testing.T, src scout.Source) source.Result {
	t.Helper()
	k := html.Kind(feeds.Options{Now: func() time.Time { return now }})
	if err := source.NewRegistry(k).Check(scout.SourceHTML, src.Config); err != nil {
		t.Fatalf("config: %v", err)
	}
	src.Kind = scout.SourceHTML
	res, err := k.Collector.Collect(ctx, src, client(t))
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return res
}

type got struct {
	Title, URL, Published string
	Has                   string
}

func summarize(items []scout.Item, probe func(scout.Item) string) []got {
	out := make([]got, len(items))
	for i, it := range items {
		out[i] = got{Title: it.Title, URL: it.URL, Published: it.PublishedAt.Format("2006-01-02"), Has: probe(it)}
	}
	return out
}

func TestListingsOfThreeSiteStructuresAreRead(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name     string
		path     string
		config   string
		pages    int
		want     []got
		probe    func(scout.Item) string
		warnings int
	}{
		{
			name: "article cards with rel=next pagination and detail pages",
			path: "/council/open-calls.html",
			config: `{"item":".listing article.call-card","title":"h3","link":"h3 a@href","date":"time@datetime",
				"next":"a[rel=next]","detail":{"content":".call__body"}}`,
			pages: 2 + 4,
			want: []got{
				{"Community Arts Project Grants", s.URL + "/council/calls/1.html", "2026-03-02", "Applications close on May 15, 2026"},
				{"Touring Fellowship for Theatre Makers", s.URL + "/council/calls/2.html", "2026-02-20", "Deadline: June 1, 2026"},
				{"Public Art Commission: Riverside Walk", s.URL + "/council/calls/3.html", "2026-02-11", "Submit proposals by April 30, 2026"},
				{"Emerging Writers Residency", s.URL + "/council/calls/4.html", "2026-01-28", "Apply by March 31, 2026"},
			},
			probe: func(it scout.Item) string {
				if strings.Contains(it.ContentText, "Share") || !strings.Contains(it.ContentHTML, s.URL+"/council/guidelines.pdf") {
					return "detail content not isolated or links not absolute: " + it.ContentHTML
				}
				first, _, _ := strings.Cut(it.ContentText, ".")
				return first
			},
		},
		{
			name:   "a table in a legacy charset with a class=next pager and no detail pages",
			path:   "/foundation/grants.html",
			config: `{"item":"table.opps tr.opportunity","title":"td.name a","date":"td.posted","summary":"td.name .desc","next":".pagination a.next"}`,
			pages:  2,
			want: []got{
				{"Media Arts Production Fund", s.URL + "/foundation/opp-101.html", "2026-03-15", "Fundación support for documentary and experimental film."},
				{"Composer Commissioning Program", s.URL + "/foundation/opp-102.html", "2026-03-01", "New works for chamber ensembles."},
				{"Folk Arts Apprenticeships", s.URL + "/foundation/opp-103.html", "2026-02-14", "Master artists and apprentices working together."},
			},
			probe: func(it scout.Item) string { return it.ContentText },
		},
		{
			name:   "a list with dates in attributes, detail pages whose own date wins",
			path:   "/residency/programmes.html",
			config: `{"item":"ul.programs > li.program","title":"a.program-title","date":"li@data-posted","detail":{"content":".entry-content","date":".updated .date"}}`,
			pages:  1 + 3,
			want: []got{
				{"Alpha Island Residency", s.URL + "/residency/programmes/alpha.html", "2026-03-12", "Applications are due 1 May 2026. Residents receive a €1,500 grant."},
				{"Basalt Studio Residency", s.URL + "/residency/programmes/basalt.html", "2026-03-03", "The call closes on 20 April 2026."},
				{"Cedar House Writers' Retreat", s.URL + "/residency/programmes/cedar.html", "2026-02-20", "Rolling applications; stipend of €800."},
			},
			probe: func(it scout.Item) string { return it.ContentText },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := collect(t, scout.Source{URL: s.URL + tt.path, Config: json.RawMessage(tt.config)})
			if diff := cmp.Diff(tt.want, summarize(res.Items, tt.probe)); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if res.Pages != tt.pages || res.PageHash == "" || len(res.Warnings) != tt.warnings {
				t.Errorf("pages %d (want %d), hash %q, warnings %q", res.Pages, tt.pages, res.PageHash, res.Warnings)
			}
			for _, it := range res.Items {
				if it.ContentHash == "" || it.DateEstimated {
					t.Errorf("item %q: hash %q, date estimated %v", it.Title, it.ContentHash, it.DateEstimated)
				}
			}
		})
	}
}

func TestAnUnchangedListingIsNotReadAgain(t *testing.T) {
	s := newSite(t)
	src := scout.Source{URL: s.URL + "/council/open-calls.html", Config: json.RawMessage(`{"item":"article","next":"a[rel=next]","detail":{}}`)}
	first := collect(t, src)
	hits := s.hits.Load()
	if len(first.Items) != 4 || hits != 6 {
		t.Fatalf("first read: %d items in %d requests", len(first.Items), hits)
	}
	src.PageHash = first.PageHash
	again := collect(t, src)
	if !again.NotModified || len(again.Items) != 0 || s.hits.Load()-hits != 1 {
		t.Fatalf("unchanged page: not modified %v, %d items, %d more requests", again.NotModified, len(again.Items), s.hits.Load()-hits)
	}
}

func TestSelectorsThatMatchNothingAreReported(t *testing.T) {
	s := newSite(t)
	res := collect(t, scout.Source{URL: s.URL + "/council/open-calls.html",
		Config: json.RawMessage(`{"item":"div.no-such-card","next":"a.missing","detail":{"content":".nothing"}}`)})
	want := []string{`item selector ".listing"`, `next selector "a.missing" matched 0 elements`}
	if len(res.Items) != 0 || len(res.Warnings) < 2 || !strings.Contains(res.Warnings[0], `item selector "div.no-such-card" matched 0 elements`) ||
		!strings.Contains(strings.Join(res.Warnings, "\n"), want[1]) {
		t.Fatalf("warnings = %q", res.Warnings)
	}
	res = collect(t, scout.Source{URL: s.URL + "/residency/programmes.html",
		Config: json.RawMessage(`{"item":"li.program","title":"h5","detail":{"content":".nothing"}}`)})
	all := strings.Join(res.Warnings, "\n")
	if !strings.Contains(all, `title selector "h5" matched nothing in 3 of 3 items`) || !strings.Contains(all, `detail content selector ".nothing" matched 0 elements on 3 of 3`) {
		t.Fatalf("warnings = %q", res.Warnings)
	}
}

func TestHTMLWhereAPageWasExpectedFailsAsNotAPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"items":[]}`))
	}))
	defer srv.Close()
	k := html.Kind(feeds.Options{})
	_, err := k.Collector.Collect(ctx, scout.Source{Kind: scout.SourceHTML, URL: srv.URL, Config: json.RawMessage(`{"item":"li"}`)}, client(t))
	if source.Classify(err) != scout.ErrorNotAFeed || !strings.Contains(err.Error(), "expected an HTML page, got application/json") {
		t.Fatalf("err = %v (%s)", err, source.Classify(err))
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	reg := source.NewRegistry(html.Kind(feeds.Options{}))
	tests := []struct{ config, field string }{
		{`{}`, "config.item"},
		{`{"item":"li","title":"h2[["}`, "config.title"},
		{`{"item":"li@href"}`, "config.item"},
		{`{"item":"li","link":"a@"}`, "config.link"},
		{`{"item":"li","detail":{"content":"::nope("}}`, "config.detail.content"},
		{`{"item":"li","max_pages":50}`, "config.max_pages"},
		{`{"item":"li","colour":"red"}`, "config.colour"},
		{`{"item":3}`, "config.item"},
	}
	for _, tt := range tests {
		err := reg.Check(scout.SourceHTML, json.RawMessage(tt.config))
		fe, ok := err.(*scout.FieldError)
		if !ok || fe.Field != tt.field {
			t.Errorf("%s: err = %#v, want a field error on %s", tt.config, err, tt.field)
		}
	}
}
