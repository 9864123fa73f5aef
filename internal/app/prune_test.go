package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// churnServer serves a feed whose every response carries n items under
// GUIDs never served before, newest last, as some feeds do.
func churnServer(t *testing.T, n int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetch := served.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Churn</title>`)
		for i := range n {
			id := fmt.Sprintf("%d-%d", fetch, i)
			pub := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(int(fetch)*n+i) * time.Minute)
			fmt.Fprintf(w, `<item><guid>%s</guid><title>Post %s</title><link>https://churn.example/%s</link>
<description>Notes of the day %s.</description><pubDate>%s</pubDate></item>`, id, id, id, id, pub.Format(time.RFC1123Z))
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv, &served
}

func TestAChurningFeedStopsGrowingAtItsCap(t *testing.T) {
	const perFetch, keep, fetches = 20, 50, 6
	srv, served := churnServer(t, perFetch)
	cfg := testConfig(t, t.TempDir())
	cfg.SeedSources = false
	cfg.FetchAllow = []string{"127.0.0.1/32"}
	cfg.FetchHostInterval = 0
	cfg.MaxItemsPerFeed, cfg.MaxItemsPerSource = perFetch, keep
	a, base, stop := start(t, cfg)
	defer stop()
	ctx := context.Background()
	if _, err := a.CreateUser(ctx, "admin@example.org", "Admin", "a long enough password", true); err != nil {
		t.Fatal(err)
	}
	key, _, err := a.CreateAPIKey(ctx, "admin@example.org", "sync", []scout.Scope{scout.ScopeRead}, 0)
	if err != nil {
		t.Fatal(err)
	}
	src := mustCreate(t, a, srv.URL+"/feed")
	for f := 1; f <= fetches; f++ {
		if f > 1 {
			if err := a.Store.ScheduleSource(ctx, src.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		waitFetches(t, a, src.ID, f)
		// Pruning follows the fetch's commit: wait for it to settle.
		waitItems(t, a, src.ID, min(f*perFetch, keep))
	}
	if served.Load() != fetches {
		t.Fatalf("the feed was served %d times, want %d", served.Load(), fetches)
	}
	items := itemsOfSource(t, a, src.ID)
	if newest := fmt.Sprintf("Post %d-%d", fetches, perFetch-1); items[0].Title != newest {
		t.Fatalf("newest item kept = %q, want %q", items[0].Title, newest)
	}
	tombstones := prunedChanges(t, base, key)
	if want := fetches*perFetch - keep; len(tombstones) != want {
		t.Fatalf("%d pruned tombstones in /v1/changes, want %d", len(tombstones), want)
	}
	if tombstones[0] != "Post 1-0" {
		t.Fatalf("first tombstone is of %q, want the oldest item", tombstones[0])
	}
}

// waitFetches waits until source id has n fetches logged.
func waitFetches(t *testing.T, a *App, id int64, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		logs, err := a.Store.ListFetches(context.Background(), id, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(logs) >= n {
			if logs[0].ErrorClass != scout.ErrorNone {
				t.Fatalf("fetch %d failed: %s", n, logs[0].Error)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: %d fetches of source %d, want %d", len(logs), id, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitItems waits until source id holds n items.
func waitItems(t *testing.T, a *App, id int64, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := len(itemsOfSource(t, a, id))
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: %d items in source %d, want %d", got, id, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itemsOfSource(t *testing.T, a *App, id int64) []scout.Item {
	t.Helper()
	p, err := a.Store.ListItems(context.Background(), store.ItemFilter{Viewer: store.Viewer{Admin: true}, SourceID: id,
		PageRequest: store.PageRequest{Limit: store.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// prunedChanges reads the whole change stream through the API and returns
// the titles of the pruned items' tombstones, in order.
func prunedChanges(t *testing.T, base, key string) []string {
	t.Helper()
	var titles []string
	cursor := ""
	for {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/changes?limit=1000&cursor="+cursor, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Changes []struct {
				Type    string         `json:"type"`
				Deleted bool           `json:"deleted"`
				Data    map[string]any `json:"data"`
			} `json:"changes"`
			NextCursor string `json:"next_cursor"`
			HasMore    bool   `json:"has_more"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /v1/changes = %d, %v", resp.StatusCode, err)
		}
		for _, c := range page.Changes {
			if c.Type == store.EventItemDeleted && c.Deleted && c.Data["pruned"] == true {
				titles = append(titles, fmt.Sprint(c.Data["title"]))
			}
		}
		if !page.HasMore {
			return titles
		}
		cursor = page.NextCursor
	}
}
