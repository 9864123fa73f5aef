package scout

import (
	"strings"
	"testing"
)

// BenchmarkTextSummary derives the summary of a text of the bench farm's
// length (about 725 B), as every list row whose summary is derived does.
func BenchmarkTextSummary(b *testing.B) {
	text := strings.Repeat("The Riverside Community Arts fund offers grants\nto ceramicists in Nairobi. ", 10)[:725]
	b.ReportAllocs()
	for b.Loop() {
		if TextSummary(text) == "" {
			b.Fatal("empty summary")
		}
	}
}
