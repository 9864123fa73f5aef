package extract

import (
	"bytes"
	"testing"
)

// TestFunderRankerShipped checks that the embedded ranker decodes and
// reads a text the same way every time.
func TestFunderRankerShipped(t *testing.T) {
	if funderRanker == nil {
		_, err := decodeSpanModel(funderRankBin)
		t.Fatalf("funderrank.bin does not decode: %v", err)
	}
	if !bytes.Equal(funderRanker.encode(), funderRankBin) {
		t.Fatal("the decoded ranker does not encode back to funderrank.bin")
	}
	d := newDoc(Input{Title: "Harbourline Arts Council: project grants", Text: "Apply by 3 May 2026.\n\nHarbourline Arts Council"})
	fc := funderCandidates(d, findFunder(d))
	if len(fc.cs) == 0 {
		t.Fatal("no candidate in a text that names its council twice")
	}
	a, b := funderRanker.probs(fc.cs, fc.none), funderRanker.probs(fc.cs, fc.none)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("two readings differ: %v, %v", a, b)
		}
	}
}

// FuzzDecodeSpanModel: a ranker file decodes or is refused with an error,
// never a panic, and what decodes encodes back to the same bytes.
func FuzzDecodeSpanModel(f *testing.F) {
	f.Add(funderRankBin[:min(len(funderRankBin), 40)])
	f.Add([]byte("SFR1\x01\x00\x00\x00\x01\x00\x00\x80\x3f\x00\x00\x00\x00\x05"))
	f.Add(funderRankBin)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeSpanModel(b)
		if err != nil {
			return
		}
		if !bytes.Equal(m.encode(), b) {
			t.Fatalf("decoded %d bytes encode to %d others", len(b), len(m.encode()))
		}
	})
}

// BenchmarkFunderRanker measures listing and scoring one prepared text's
// candidates.
func BenchmarkFunderRanker(b *testing.B) {
	cases := append(mustLoadEval(b, "cases.jsonl"), mustLoadEval(b, "holdout.jsonl")...)
	docs := make([]*doc, len(cases))
	for i, c := range cases {
		docs[i] = newDoc(c.input())
		docs[i].tokens()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		fc := funderCandidates(d, match{})
		funderRanker.probs(fc.cs, fc.none)
	}
}
