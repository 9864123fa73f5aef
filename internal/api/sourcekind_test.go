package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/feed/opml"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/source/grantsgov"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	"github.com/scoutdev/scout/internal/source/jsonapi"
)

func withKinds(o *Options) {
	o.Sources = source.NewRegistry(feedkind.Kind(feed.Options{}), htmlkind.Kind(feed.Options{}))
}

func TestSourceConfigurationIsValidatedAgainstItsKindsSchema(t *testing.T) {
	e := newEnv(t, withKinds)
	u := e.mustUser("ada@example.org", false)
	tests := []struct {
		name string
		cfg  map[string]any
		loc  string
	}{
		{"no item selector", map[string]any{"title": "h2"}, "body.config.item"},
		{"a selector that does not parse", map[string]any{"item": "li", "title": "h2[["}, "body.config.title"},
		{"a setting the kind does not have", map[string]any{"item": "li", "colour": "red"}, "body.config.colour"},
		{"too many pages", map[string]any{"item": "li", "max_pages": 500}, "body.config.max_pages"},
		{"a nested setting of the wrong type", map[string]any{"item": "li", "detail": map[string]any{"max_items": "all"}}, "body.config.detail.max_items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodPost, "/v1/sources", u.token, map[string]any{"url": "https://arts.example/calls", "kind": "html", "config": tt.cfg})
			wantStatus(t, r, http.StatusUnprocessableEntity, tt.name)
			if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Location != tt.loc {
				t.Errorf("problem = %s, want location %s", r.raw, tt.loc)
			}
		})
	}
	r := e.do(http.MethodPost, "/v1/sources", u.token, map[string]any{"url": "https://arts.example/calls", "kind": "html",
		"config": map[string]any{"item": ".listing article", "link": "h3 a@href", "detail": map[string]any{"content": "main"}}})
	wantStatus(t, r, http.StatusCreated, "a valid html source")
	var s Source
	r.json(t, &s)
	if s.Kind != "html" || !strings.Contains(string(s.Config), `"h3 a@href"`) {
		t.Fatalf("created = %+v", s)
	}
	doc := e.h.api.OpenAPI().Components.Schemas.Map()
	for _, name := range []string{"SourceConfigFeed", "SourceConfigHTML", "SourceConfigHTMLDetail"} {
		if doc[name] == nil {
			t.Errorf("the document does not publish %s", name)
		}
	}
}

// TestAnOPMLExportOfEveryKindImportsBackAsItWas exports a feed and
// sources of the html, json and grantsgov kinds, imports the list as
// another user, and finds the same kinds and configurations; an outline
// whose configuration the kind refuses is reported, naming the field.
func TestAnOPMLExportOfEveryKindImportsBackAsItWas(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Sources = source.NewRegistry(feedkind.Kind(feed.Options{}), htmlkind.Kind(feed.Options{}), jsonapi.Kind(feed.Options{}), grantsgov.Kind(feed.Options{}))
	})
	ada := e.mustUser("ada@example.org", false)
	made := []map[string]any{
		{"url": "https://arts.example/feed.xml"},
		{"url": "https://arts.example/calls", "kind": "html", "tags": []string{"calls"},
			"config": map[string]any{"item": ".listing article", "title": "h3", "link": `a[rel="bookmark"]@href`, "next": "a.next", "detail": map[string]any{"content": "main"}}},
		{"url": "https://api.arts.example/funds?year=2026&x=1", "kind": "json",
			"config": map[string]any{"items": "$.results[*]", "fields": map[string]any{"title": "name", "award_ceiling": "max"}, "currency": "EUR"}},
		{"url": "https://api.grants.gov/v1/api/search2", "kind": "grantsgov", "config": map[string]any{"keyword": "arts & crafts", "categories": []string{"AR"}}},
		{"url": "https://grants.example/GrantsDBExtract{date}v2.zip", "kind": "grantsgov", "config": map[string]any{"mode": "extract", "max_items": 200}},
	}
	for _, m := range made {
		wantStatus(t, e.do(http.MethodPost, "/v1/sources", ada.token, m), http.StatusCreated, "create")
	}
	r := e.do(http.MethodGet, "/v1/opml", ada.token, nil)
	wantStatus(t, r, http.StatusOK, "export")
	export := r.raw

	bob := e.mustUser("bob@example.org", false)
	r = e.do(http.MethodPost, "/v1/opml", bob.token, string(export))
	wantStatus(t, r, http.StatusOK, "import")
	var rep struct {
		Created int
		Results []ImportResult
	}
	r.json(t, &rep)
	if rep.Created != len(made) {
		t.Fatalf("import of the export = %s\n%s", r.raw, export)
	}
	list := func(u user) map[string]Source {
		var page struct{ Sources []Source }
		r := e.do(http.MethodGet, "/v1/sources?limit=100", u.token, nil)
		r.json(t, &page)
		out := map[string]Source{}
		for _, s := range page.Sources {
			if s.OwnerID == u.ID {
				out[s.URL] = s
			}
		}
		return out
	}
	want, got := list(ada), list(bob)
	if len(want) != len(made) || len(got) != len(made) {
		t.Fatalf("ada has %d sources, bob %d, want %d", len(want), len(got), len(made))
	}
	for u, w := range want {
		g, ok := got[u]
		if !ok || g.Kind != w.Kind || string(g.Config) != string(w.Config) || strings.Join(g.Tags, ",") != strings.Join(w.Tags, ",") {
			t.Errorf("%s: imported %s %s %v, exported %s %s %v", u, g.Kind, g.Config, g.Tags, w.Kind, w.Config, w.Tags)
		}
	}

	bad := `<opml version="2.0" xmlns:scout="` + opml.Namespace + `"><body>
		<outline text="x" type="link" url="https://arts.example/other" scout:kind="html" scout:config='{"title":"h2"}'/>
		<outline text="y" type="link" url="https://arts.example/other2" scout:kind="ftp"/></body></opml>`
	r = e.do(http.MethodPost, "/v1/opml", bob.token, bad)
	wantStatus(t, r, http.StatusOK, "import of bad outlines")
	r.json(t, &rep)
	if rep.Created != 0 || len(rep.Results) != 2 || !strings.Contains(rep.Results[0].Error, "config.item") || !strings.Contains(rep.Results[1].Error, "kind") {
		t.Fatalf("bad outlines = %s", r.raw)
	}
}
