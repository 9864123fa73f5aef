package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
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
