package bench

import (
	"net/http/httptest"
	"testing"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/feedfarm"
)

// BenchmarkParseFarmFeed measures feed.Parse (decode, gofeed, normalize,
// sanitize, plain text) on the feeds scout bench's farm serves: one op is
// one feed of 50 items of about 1 KB.
// Run: go test ./internal/bench -run '^$' -bench ParseFarmFeed -benchmem
func BenchmarkParseFarmFeed(b *testing.B) {
	farm := feedfarm.New(feedfarm.Options{Feeds: 20, Items: 50, Seed: 1})
	var bodies [][]byte
	for i := range 20 {
		rec := httptest.NewRecorder()
		farm.ServeHTTP(rec, httptest.NewRequest("GET", feedfarm.FeedPath(i), nil))
		if rec.Code != 200 {
			b.Fatalf("feed %d: status %d", i, rec.Code)
		}
		bodies = append(bodies, rec.Body.Bytes())
	}
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
