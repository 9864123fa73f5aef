package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkCalls measures the splitter over the extraction dev set's posts
// (one-call posts, newsletters, traps) and the newsletter dev set's, as
// Rules.Enrich runs it on every item.
// Run: go test ./internal/extract -run '^$' -bench 'Calls$'
func BenchmarkCalls(b *testing.B) {
	var inputs []Input
	for _, c := range loadDevCalls(b) {
		inputs = append(inputs, Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published})
	}
	raw, err := os.ReadFile(filepath.Join("..", "match", "testdata", "clusters_news.jsonl"))
	if err != nil {
		b.Fatalf("read newsletter set: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		var p struct {
			Pub   time.Time `json:"pub"`
			Title string    `json:"title"`
			Text  string    `json:"text"`
		}
		if json.Unmarshal([]byte(line), &p) == nil && p.Text != "" {
			inputs = append(inputs, Input{Title: p.Title, Text: p.Text, PublishedAt: p.Pub})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Calls(inputs[i%len(inputs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
