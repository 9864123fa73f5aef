package grantsgov_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source/grantsgov"
	"github.com/scoutdev/scout/internal/source/sourcetest"
)

// FuzzExtract feeds the extract reader arbitrary files (seeds: the sample,
// zipped and not, and the corpus in testdata/fuzz/FuzzExtract) and checks
// it keeps to its caps and yields only normalized items with sane facts.
func FuzzExtract(f *testing.F) {
	sample, err := os.ReadFile("testdata/extract-sample.xml")
	if err != nil {
		f.Fatal(err)
	}
	var zb bytes.Buffer
	if err := zipped(&zb, func(w io.Writer) error { _, err := w.Write(sample); return err }); err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add(zb.Bytes())
	k := grantsgov.Kind(feeds.Options{Now: march})
	k.Collector.(*grantsgov.Collector).MaxXMLBytes = 1 << 20
	cfgs := []string{`{"mode":"extract","max_items":3}`, `{"mode":"extract","statuses":["forecasted","posted","closed","archived"],"keyword":"arts"}`}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, c := range cfgs {
			res, err := k.Collector.Collect(context.Background(), scout.Source{Kind: scout.SourceGrantsGov, URL: "https://grants.example/extract.zip",
				Config: json.RawMessage(c)}, sourcetest.Body{Bytes: body, ContentType: "application/octet-stream"})
			if err != nil {
				continue
			}
			if len(res.Items) > 3 && c == cfgs[0] {
				t.Fatalf("%d items over max_items 3", len(res.Items))
			}
			for _, it := range res.Items {
				o := it.Opportunity
				if !utf8.ValidString(it.Title) || !utf8.ValidString(it.ContentText) || it.GUID == "" || o.Kind != scout.KindGrant ||
					o.AmountMin < 0 || o.AmountMax < o.AmountMin && o.AmountMax != 0 || o.Currency != "USD" && o.Currency != "" {
					t.Fatalf("item not normalized: %+v", it)
				}
			}
		}
	})
}

// FuzzSearch2 maps arbitrary Search2 answers with the preset's paths.
func FuzzSearch2(f *testing.F) {
	for _, name := range []string{"testdata/search2-page1.json", "testdata/search2-page2.json", "testdata/search2-page3-malformed.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	k := grantsgov.Kind(feeds.Options{Now: march, MaxItems: 50})
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := k.Collector.Collect(context.Background(), scout.Source{Kind: scout.SourceGrantsGov, URL: "https://grants.example/search2",
			Config: json.RawMessage(`{"keyword":"arts","rows":5}`)}, sourcetest.Body{Bytes: body, ContentType: "application/octet-stream"})
		if err != nil {
			return
		}
		for _, it := range res.Items {
			o := it.Opportunity
			if !utf8.ValidString(it.Title) || o.Kind != scout.KindGrant || o.AmountMin < 0 || o.AmountMax < 0 {
				t.Fatalf("item not normalized: %+v", it)
			}
		}
	})
}
