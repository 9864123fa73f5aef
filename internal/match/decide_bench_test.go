package match_test

import (
	"testing"

	"github.com/scoutdev/scout/internal/match"
)

// BenchmarkDecide measures judging one pair of sightings, over every pair
// of the dev cluster set's posts: the store judges each new sighting
// against up to 64 candidates.
// Run: go test ./internal/match -run '^$' -bench Decide
func BenchmarkDecide(b *testing.B) {
	var fs []match.Features
	for _, r := range loadClusters(b, "clusters_dev.jsonl") {
		it := postItem(r)
		fs = append(fs, match.Extract(&it))
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		match.Decide(fs[n%len(fs)], fs[(n/len(fs))%len(fs)])
		n++
	}
}
