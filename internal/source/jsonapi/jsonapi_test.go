package jsonapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/jsonapi"
)

var cfg = `{"items":"$.results[*]","fields":{"id":"slug","title":"name","link":"href","date":"posted","body":"details",
	"deadline":"closes","award_ceiling":"max","award_floor":"min","funder":"$.org.name","categories":"tags"},
	"currency":"EUR","paging":{"mode":"cursor","param":"after","cursor":"$.next"}}`

func TestAJSONAPIIsPagedByCursorAndMapped(t *testing.T) {
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		name := map[string]string{"": "council-page1.json", "after=c2": "council-page2.json"}[r.URL.RawQuery]
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	k := jsonapi.Kind(feeds.Options{Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }})
	if err := source.NewRegistry(k).Check(scout.SourceJSON, json.RawMessage(cfg)); err != nil {
		t.Fatal(err)
	}
	src := scout.Source{Kind: scout.SourceJSON, URL: srv.URL + "/api/funds", Config: json.RawMessage(cfg)}
	res, err := k.Collector.Collect(context.Background(), src, c)
	if err != nil {
		t.Fatal(err)
	}
	// The second answer repeats its cursor: paging stops there.
	if len(queries) != 2 || queries[1] != "after=c2" || len(res.Items) != 3 || res.Pages != 2 {
		t.Fatalf("queries %q, %d items in %d pages, warnings %q", queries, len(res.Items), res.Pages, res.Warnings)
	}
	a := res.Items[0]
	o := a.Opportunity
	if a.GUID != "makers" || a.URL != srv.URL+"/funds/makers" || a.ContentText != "Grants for makers." || a.PublishedAt.Day() != 1 ||
		o.AmountMin != 1000 || o.AmountMax != 15000 || o.Currency != "EUR" || o.Funder != "City Arts Council" ||
		o.Deadline.Format(time.DateOnly) != "2026-05-01" || o.Provenance["funder"].Source != "feed" || len(a.Categories) != 2 {
		t.Fatalf("first item = %+v", a)
	}
	if d := res.Items[1].Opportunity.Deadline; d.Unix() != 1780000000 {
		t.Fatalf("a deadline in Unix seconds = %v", d)
	}
	if d := res.Items[2].Opportunity.Deadline; d.Format(time.DateOnly) != "2026-06-30" {
		t.Fatalf("a deadline in words = %v", d)
	}
	src.PageHash = res.PageHash
	again, err := k.Collector.Collect(context.Background(), src, c)
	if err != nil || !again.NotModified || len(again.Items) != 0 {
		t.Fatalf("unchanged answers: not modified %v, %d items, %v", again.NotModified, len(again.Items), err)
	}
}

func TestJSONConfigErrorsNameTheField(t *testing.T) {
	reg := source.NewRegistry(jsonapi.Kind(feeds.Options{}))
	for raw, field := range map[string]string{
		`{}`: "config.items", `{"items":"$[?@.x=="}`: "config.items", `{"items":"$.a","fields":{"title":"$..[["}}`: "config.fields.title",
		`{"items":"$.a","body":{"q":1}}`: "config.body", `{"items":"$.a","paging":{"mode":"cursor","param":"c"}}`: "config.paging.cursor",
		`{"items":"$.a","paging":{"mode":"seek","param":"c"}}`: "config.paging.mode",
	} {
		if fe, ok := reg.Check(scout.SourceJSON, json.RawMessage(raw)).(*scout.FieldError); !ok || fe.Field != field {
			t.Errorf("%s: want an error on %s, got %v", raw, field, fe)
		}
	}
}
