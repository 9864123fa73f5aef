package bench

import (
	"net/http/httptest"
	"testing"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/feedfarm"
	"github.com/scoutdev/scout/internal/scout"
)

// farmBodies returns n feeds of 50 items as scout bench's farm serves them.
func farmBodies(b *testing.B, n int) [][]byte {
	farm := feedfarm.New(feedfarm.Options{Feeds: n, Items: 50, Seed: 1})
	var bodies [][]byte
	for i := range n {
		rec := httptest.NewRecorder()
		farm.ServeHTTP(rec, httptest.NewRequest("GET", feedfarm.FeedPath(i), nil))
		if rec.Code != 200 {
			b.Fatalf("feed %d: status %d", i, rec.Code)
		}
		bodies = append(bodies, rec.Body.Bytes())
	}
	return bodies
}

// BenchmarkEnrichFarmItem measures what ingest's workers run per item after
// parsing, extract.Rules.Enrich, on the items of the farm's feeds.
// Run: go test ./internal/bench -run '^$' -bench EnrichFarmItem -benchmem
func BenchmarkEnrichFarmItem(b *testing.B) {
	var items []scout.Item
	for _, body := range farmBodies(b, 20) {
		f, err := feed.Parse(body, "application/rss+xml", "https://farm.example/feed", feed.Options{})
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, f.Items...)
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		it := items[n%len(items)]
		extract.Rules{}.Enrich(&it)
		n++
	}
}

// BenchmarkParseFarmFeed measures feed.Parse (decode, gofeed, normalize,
// sanitize, plain text) on the feeds scout bench's farm serves: one op is
// one feed of 50 items of about 1 KB.
// Run: go test ./internal/bench -run '^$' -bench ParseFarmFeed -benchmem
func BenchmarkParseFarmFeed(b *testing.B) {
	bodies := farmBodies(b, 20)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		f, err := feed.Parse(bodies[n%len(bodies)], "application/rss+xml", "https://farm.example/feed", feed.Options{})
		if err != nil || len(f.Items) != 50 {
			b.Fatalf("parse: %d items, %v", len(f.Items), err)
		}
		n++
	}
}
