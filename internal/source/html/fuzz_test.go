package html_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/html"
	"github.com/scoutdev/scout/internal/source/sourcetest"
)

func FuzzConfig(f *testing.F) {
	for _, s := range []string{`{"item":"li"}`, `{"item":"a@href"}`, `{"item":"tr","title":"td:nth-child(2)@title","detail":{"content":"main"}}`,
		`{"item":"x","next":"a[rel=next]@href","max_pages":20}`, `{"item":":not(:has(p))"}`, `{"item":"li","date_layout":"02.01.2006"}`} {
		f.Add([]byte(s))
	}
	reg := source.NewRegistry(html.Kind(feeds.Options{}))
	f.Fuzz(func(t *testing.T, raw []byte) {
		err := reg.Check(scout.SourceHTML, raw)
		if err == nil {
			return
		}
		if _, ok := err.(*scout.FieldError); !ok {
			t.Fatalf("config %q: error %v is not a field error", raw, err)
		}
	})
}

func FuzzListing(f *testing.F) {
	for _, name := range []string{"council/open-calls.html", "foundation/grants.html", "residency/programmes.html", "council/calls/1.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<ul><li><a href="javascript:alert(1)">x</a><time datetime="9999-99-99">`))
	k := html.Kind(feeds.Options{MaxItems: 50})
	cfgs := []string{`{"item":"article, tr, li","next":"a[rel=next], a.next","detail":{"content":"main, body","date":"time","max_items":2}}`,
		`{"item":"*","title":"a@title","link":"a@href","date":"[datetime]@datetime","summary":"p"}`}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, c := range cfgs {
			res, err := k.Collector.Collect(context.Background(), scout.Source{Kind: scout.SourceHTML, URL: "https://arts.example/list",
				Config: json.RawMessage(c)}, sourcetest.Body{Bytes: body, ContentType: "text/html"})
			if err != nil {
				continue
			}
			if len(res.Items) > 50 || res.Pages > html.DefaultMaxPages+html.DefaultMaxDetails {
				t.Fatalf("%d items in %d pages: over the caps", len(res.Items), res.Pages)
			}
			for _, it := range res.Items {
				if !utf8.ValidString(it.Title) || !utf8.ValidString(it.ContentText) || len(it.URL) > scout.MaxURLLength {
					t.Fatalf("item not normalized: %+v", it)
				}
				if it.URL != "" && it.URL[:4] != "http" {
					t.Fatalf("item URL %q is not http(s)", it.URL)
				}
			}
		}
	})
}
