package jsonapi_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"unicode/utf8"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/jsonapi"
	"github.com/scoutdev/scout/internal/source/sourcetest"
)

func FuzzConfig(f *testing.F) {
	f.Add([]byte(cfg))
	f.Add([]byte(`{"items":"$..*","method":"POST","body":{"a":[1]},"paging":{"mode":"offset","param":"o","total":"$.n"}}`))
	reg := source.NewRegistry(jsonapi.Kind(feeds.Options{}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := reg.Check(scout.SourceJSON, raw); err != nil {
			if _, ok := err.(*scout.FieldError); !ok {
				t.Fatalf("config %q: error %v is not a field error", raw, err)
			}
		}
	})
}

func FuzzMapping(f *testing.F) {
	for _, name := range []string{"testdata/council-page1.json", "testdata/council-page2.json", "../grantsgov/testdata/search2-page1.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"results":[{"name":1e400,"closes":-1,"max":"$1e308","href":"javascript:x"}]}`))
	k := jsonapi.Kind(feeds.Options{MaxItems: 50})
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := k.Collector.Collect(context.Background(), scout.Source{Kind: scout.SourceJSON, URL: "https://api.example/funds",
			Config: json.RawMessage(cfg)}, sourcetest.Body{Bytes: body, ContentType: "application/json"})
		if err != nil {
			return
		}
		if len(res.Items) > 50 || res.Pages > jsonapi.DefaultMaxPages {
			t.Fatalf("%d items in %d pages: over the caps", len(res.Items), res.Pages)
		}
		for _, it := range res.Items {
			if !utf8.ValidString(it.Title) || it.Opportunity.AmountMax < 0 || it.Opportunity.AmountMin < 0 {
				t.Fatalf("item not normalized: %+v", it)
			}
		}
	})
}
