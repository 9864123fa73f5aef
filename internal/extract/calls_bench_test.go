package extract

import "testing"

// BenchmarkCalls measures the splitter over the extraction dev set's posts
// (one-call posts, newsletters, traps) and the newsletter dev set's, as
// Rules.Enrich runs it on every item.
// Run: go test ./internal/extract -run '^$' -bench 'Calls$'
func BenchmarkCalls(b *testing.B) {
	var inputs []Input
	for _, c := range loadDevCalls(b) {
		inputs = append(inputs, Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published})
	}
	for _, c := range loadNews(b) {
		inputs = append(inputs, Input{Title: c.Title, Text: c.Text, PublishedAt: c.Pub})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Calls(inputs[i%len(inputs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
