package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// feedServer serves n good feeds at /feed/{i} plus a set of hostile
// endpoints, all on loopback.
func feedServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/{i}", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		i := r.PathValue("i")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"`+i+`"`)
		if r.Header.Get("If-None-Match") == `"`+i+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title>
<item><guid>%s-1</guid><title>Film grant %s</title><link>https://example.org/%s/1</link>
<description>The Example Foundation offers grants of up to $10,000. Deadline: March 3, 2027.</description>
<pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate></item>
<item><guid>%s-2</guid><title>Residency %s</title><link>https://example.org/%s/2</link>
<description>A residency for writers.</description><pubDate>Tue, 03 Mar 2026 10:00:00 +0000</pubDate></item>
</channel></rss>`, i, i, i, i, i, i, i)
	})
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<!doctype html><html><body>Maintenance</body></html>")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestServeKeepsManySourcesCurrentWhileBadOnesFail(t *testing.T) {
	srv, hits := feedServer(t)
	cfg := testConfig(t, t.TempDir())
	cfg.SeedSources = false
	cfg.FetchAllow = []string{"127.0.0.1/32"}
	cfg.FetchTimeout = 2 * time.Second
	cfg.FetchHostInterval = 0
	cfg.FetchPerHost = 16
	cfg.Workers = 16
	a, _, stop := start(t, cfg)
	ctx := context.Background()
	const good = 200
	for i := 0; i < good; i++ {
		mustCreate(t, a, fmt.Sprintf("%s/feed/%d", srv.URL, i))
	}
	bad := map[string]scout.ErrorClass{
		srv.URL + "/404":                          scout.ErrorHTTP,
		srv.URL + "/hang":                         scout.ErrorTimeout,
		srv.URL + "/loop":                         scout.ErrorRedirects,
		srv.URL + "/html":                         scout.ErrorNotAFeed,
		"http://169.254.169.254/latest/meta-data": scout.ErrorBlocked,
		"http://10.1.2.3/feed":                    scout.ErrorBlocked,
	}
	badIDs := map[int64]scout.ErrorClass{}
	for u, class := range bad {
		badIDs[mustCreate(t, a, u).ID] = class
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		p, err := a.Store.ListItems(ctx, store.ItemFilter{Viewer: store.Viewer{Admin: true}, Kind: scout.KindGrant, PageRequest: store.PageRequest{Limit: 200}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == good && p.Next == "" && allFailed(t, a, badIDs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60s: %d grant items of %d, %d feed requests", len(p.Items), good, hits.Load())
		}
		time.Sleep(100 * time.Millisecond)
	}
	for id, class := range badIDs {
		src, _ := a.Store.GetSource(ctx, id)
		if src.Status != scout.SourceFailing || src.LastErrorClass != class || src.LastError == "" {
			t.Errorf("source %s: status %s class %s (want %s) message %q", src.URL, src.Status, src.LastErrorClass, class, src.LastError)
		}
	}
	p, _ := a.Store.ListItems(ctx, store.ItemFilter{Viewer: store.Viewer{Admin: true}, Query: "residency", PageRequest: store.PageRequest{Limit: 1}})
	if len(p.Items) != 1 || p.Next == "" {
		t.Fatalf("search over ingested items found %d", len(p.Items))
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func allFailed(t *testing.T, a *App, ids map[int64]scout.ErrorClass) bool {
	for id := range ids {
		src, err := a.Store.GetSource(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if src.ErrorCount == 0 {
			return false
		}
	}
	return true
}

func mustCreate(t *testing.T, a *App, url string) scout.Source {
	t.Helper()
	src, err := a.Store.CreateSource(context.Background(), scout.Source{URL: url, Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatalf("create %s: %v", url, err)
	}
	return src
}
