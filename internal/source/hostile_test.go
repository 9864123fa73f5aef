package source_test

import (
	"bytes"
	"compress/gzip"
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
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/source/grantsgov"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	"github.com/scoutdev/scout/internal/source/jsonapi"
)

func bomb(tb testing.TB) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	// Markup that stays well-formed for as long as it is read, so that a
	// kind reading as a stream meets the size cap, not a syntax error.
	_, _ = zw.Write([]byte("<Grants>"))
	_, _ = zw.Write(bytes.Repeat([]byte("<a/>"), 2<<20))
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestEveryKindIsHeldToTheSameGuards serves each kind hostile answers on
// loopback, through the one guarded client, and checks each fails with the
// class the fetch client gives a feed.
func TestEveryKindIsHeldToTheSameGuards(t *testing.T) {
	gz := bomb(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/oversized":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(bytes.Repeat([]byte(" "), 300<<10))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz)
		case "/private":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<!doctype html><html><body><h1>Service unavailable</h1></body></html>`))
		}
	}))
	defer srv.Close()
	c, err := fetch.New(fetch.Options{Allow: []string{srv.Listener.Addr().String()}, PerHostInterval: -1,
		Timeout: 300 * time.Millisecond, MaxBody: 256 << 10, StreamTimeout: time.Second, MaxStreamBody: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	o := feeds.Options{}
	reg := source.NewRegistry(feedkind.Kind(o), htmlkind.Kind(o), jsonapi.Kind(o), grantsgov.Kind(o))
	configs := map[scout.SourceKind]string{scout.SourceHTML: `{"item":"li"}`, scout.SourceJSON: `{"items":"$.items[*]"}`, scout.SourceGrantsGov: `{"keyword":"arts"}`}
	cases := []struct {
		path string
		want scout.ErrorClass
	}{
		{"/oversized", scout.ErrorTooLarge}, {"/slow", scout.ErrorTimeout}, {"/bomb", scout.ErrorTooLarge}, {"/private", scout.ErrorBlocked},
	}
	type variant struct {
		name   string
		kind   scout.SourceKind
		config string
	}
	var variants []variant
	for _, kind := range scout.SourceKinds {
		variants = append(variants, variant{string(kind), kind, configs[kind]})
	}
	// The Grants.gov extract is read as a stream, with its own caps
	// (fetch.Options.MaxStreamBody, StreamTimeout): the same guards hold.
	variants = append(variants, variant{"grantsgov-extract", scout.SourceGrantsGov, `{"mode":"extract"}`})
	for _, v := range variants {
		for _, tt := range cases {
			t.Run(v.name+tt.path, func(t *testing.T) {
				_, err := reg.Collect(context.Background(), scout.Source{Kind: v.kind, URL: srv.URL + tt.path, Config: json.RawMessage(v.config)}, c)
				if got := source.Classify(err); got != tt.want {
					t.Fatalf("class = %q (%v), want %q", got, err, tt.want)
				}
			})
		}
		if v.kind == scout.SourceHTML {
			continue
		}
		_, err := reg.Collect(context.Background(), scout.Source{Kind: v.kind, URL: srv.URL + "/html", Config: json.RawMessage(v.config)}, c)
		if source.Classify(err) != scout.ErrorNotAFeed {
			t.Errorf("%s given an HTML page: %v (%s), want not_a_feed", v.name, err, source.Classify(err))
		}
	}
	if _, err := reg.Collect(context.Background(), scout.Source{Kind: "ftp", URL: srv.URL}, c); err == nil || !strings.Contains(err.Error(), "ftp") {
		t.Errorf("unknown kind: %v", err)
	}
}
