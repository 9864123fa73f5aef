package feed

import (
	"path/filepath"
	"testing"
)

// benchmarkParse measures Parse (decode, checks, gofeed, normalize and
// sanitize) on one corpus document.
func benchmarkParse(b *testing.B, name string, wantItems int) {
	body := mustRead(b, filepath.Join("corpus", "feeds", name))
	opts := Options{}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(body, "application/octet-stream", "https://example.com/feed", opts)
		if err != nil || len(f.Items) != wantItems {
			b.Fatalf("Parse: %v items, %v", len(f.Items), err)
		}
	}
}

// BenchmarkParseRSS50 is a typical feed: 50 RSS 2.0 items, 74 kB.
func BenchmarkParseRSS50(b *testing.B) { benchmarkParse(b, "rsparser-scriptingNews.rss", 50) }

// BenchmarkParseAtomLarge is a large feed: 19 Atom entries with full
// content, 444 kB.
func BenchmarkParseAtomLarge(b *testing.B) { benchmarkParse(b, "rsparser-russcox.atom", 19) }
