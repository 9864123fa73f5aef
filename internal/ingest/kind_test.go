package ingest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/extract"
	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
)

// kindsEnv is newEnv with every kind of source and the real extractor.
func kindsEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, fetch.Options{})
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return e.now }
	fo := feeds.Options{Now: clock}
	e.in = ingest.New(ingest.Options{Fetcher: c, Store: e.st, Enrichers: []ingest.Enricher{extract.Rules{}}, Now: clock,
		Sources: source.NewRegistry(feedkind.Kind(fo), htmlkind.Kind(fo))})
	return e
}

func (e *env) kindSource(t *testing.T, kind scout.SourceKind, url, config string) scout.Source {
	t.Helper()
	src, err := e.st.CreateSource(ctx, scout.Source{Kind: kind, URL: url, Config: json.RawMessage(config), Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func listing(titles ...string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>Open calls</title></head><body><main><ul class="calls">`)
	for i, t := range titles {
		fmt.Fprintf(&b, `<li><a href="/calls/%d">%s</a><p>Applications close on June %d, 2026. Grants of up to $%d,000.</p></li>`, i, t, i+1, i+5)
	}
	b.WriteString(`</ul></main></body></html>`)
	return b.String()
}

func TestAnHTMLListingFlowsThroughThePipelineAndAnUnchangedPageWritesNothing(t *testing.T) {
	e := kindsEnv(t)
	var page atomic.Value
	page.Store(listing("Community arts grant", "Touring grant"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page.Load().(string))
	}))
	defer srv.Close()
	src := e.kindSource(t, scout.SourceHTML, srv.URL+"/calls", `{"item":"ul.calls li"}`)

	log := e.in.Ingest(ctx, src)
	if !log.OK() || log.ItemsNew != 2 {
		t.Fatalf("first fetch = %+v", log)
	}
	items := e.items(t)
	if len(items) != 2 || items[0].Opportunity.Deadline.IsZero() || items[0].URL != srv.URL+"/calls/1" && items[1].URL != srv.URL+"/calls/1" {
		t.Fatalf("items = %+v (extraction must have run)", items)
	}
	got := e.get(t, src.ID)
	if got.PageHash == "" || got.Title != "Open calls" {
		t.Fatalf("source after fetch: hash %q title %q", got.PageHash, got.Title)
	}
	events := e.eventCount(t)
	log = e.in.Ingest(ctx, got)
	if !log.OK() || !log.NotModified || log.ItemsNew+log.ItemsUpdated != 0 || e.eventCount(t) != events {
		t.Fatalf("unchanged page = %+v, events %d → %d", log, events, e.eventCount(t))
	}
	page.Store(listing("Community arts grant", "Touring grant", "Residency for composers"))
	log = e.in.Ingest(ctx, e.get(t, src.ID))
	if !log.OK() || log.ItemsNew != 1 || log.ItemsUpdated != 0 {
		t.Fatalf("page with one more item = %+v", log)
	}
}

func (e *env) eventCount(t *testing.T) int {
	t.Helper()
	evs, err := e.st.ListEvents(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}
