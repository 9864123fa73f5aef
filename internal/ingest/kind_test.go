package ingest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
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
	"github.com/scoutdev/scout/internal/source/grantsgov"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	jsonkind "github.com/scoutdev/scout/internal/source/jsonapi"
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

// TestAGrantsGovSearchFlowsThroughThePipelineWithItsTypedFields ingests a
// Search2-shaped answer through the same pipeline as a feed: items stored,
// events written, and the typed fields the API states (award ceiling and
// floor, agency, close date) kept with feed provenance rather than read
// again from the text.
func TestAGrantsGovSearchFlowsThroughThePipelineWithItsTypedFields(t *testing.T) {
	e := kindsEnv(t)
	fo := feeds.Options{Now: func() time.Time { return e.now }}
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e.in = ingest.New(ingest.Options{Fetcher: c, Store: e.st, Enrichers: []ingest.Enricher{extract.Rules{}}, Now: fo.Now,
		Sources: source.NewRegistry(feedkind.Kind(fo), htmlkind.Kind(fo), jsonkind.Kind(fo), grantsgov.Kind(fo))})
	raw, err := os.ReadFile("../source/grantsgov/testdata/search2-page1.json")
	if err != nil {
		t.Fatal(err)
	}
	var page map[string]any
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	data := page["data"].(map[string]any)
	data["hitCount"] = len(data["oppHits"].([]any)) // one page
	body, _ := json.Marshal(page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	src := e.kindSource(t, scout.SourceGrantsGov, srv.URL+"/v1/api/search2", `{"keyword":"arts"}`)

	before := e.eventCount(t)
	log := e.in.Ingest(ctx, src)
	if !log.OK() || log.ItemsNew != 2 {
		t.Fatalf("fetch = %+v", log)
	}
	if e.eventCount(t) <= before {
		t.Fatalf("no events written for the new items")
	}
	var gap *scout.Item
	items := e.items(t)
	for i := range items {
		if strings.Contains(items[i].Title, "Grants for Arts Projects") {
			gap = &items[i]
		}
	}
	if gap == nil {
		t.Fatalf("items = %+v, want Grants for Arts Projects", items)
	}
	o := gap.Opportunity
	if o.AmountMax != 100000 || o.AmountMin != 10000 || o.Currency != "USD" {
		t.Errorf("award = %d-%d %s, want 10000-100000 USD", o.AmountMin, o.AmountMax, o.Currency)
	}
	if o.Deadline.IsZero() || o.Deadline.UTC().Format("2006-01-02") < "2026-07-09" || o.Deadline.UTC().Format("2006-01-02") > "2026-07-10" {
		t.Errorf("deadline = %v, want July 9, 2026", o.Deadline)
	}
	if !strings.Contains(o.Funder, "National Endowment for the Arts") {
		t.Errorf("funder = %q", o.Funder)
	}
	for _, f := range []string{"amount", "deadline", "funder"} {
		if p := o.Provenance[f]; p.Source != "feed" {
			t.Errorf("provenance of %s = %+v, want the API's own field (feed)", f, p)
		}
	}
}
