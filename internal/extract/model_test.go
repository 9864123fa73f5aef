package extract

import (
	"bytes"
	"testing"
)

// TestKindModelShipped checks that the embedded model decodes, stays
// under 64K weights and reads a text the same way every time.
func TestKindModelShipped(t *testing.T) {
	if kindModel == nil {
		_, err := decodeModel(kindModelBin)
		t.Fatalf("kindmodel.bin does not decode: %v", err)
	}
	if n := len(kindModel.w); n > 64<<10 {
		t.Fatalf("%d weights, want at most 65536", n)
	}
	d := newDoc(Input{Title: "Open call: emerging painters residency", Text: "Apply by 3 May 2026 for a two-month residency."})
	a, b := kindModel.probs(d), kindModel.probs(d)
	if a != b {
		t.Fatalf("two readings differ: %v, %v", a, b)
	}
	if !bytes.Equal(kindModel.encode(), kindModelBin) {
		t.Fatal("the decoded model does not encode back to kindmodel.bin")
	}
}

// FuzzDecodeModel: a model file decodes or is refused with an error,
// never a panic, and what decodes encodes back to the same bytes.
func FuzzDecodeModel(f *testing.F) {
	f.Add(kindModelBin[:min(len(kindModelBin), 64)])
	f.Add([]byte("SKM1\x01\x00\x00\x00\x0b\x00\x00\x80\x3f"))
	f.Add(kindModelBin)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeModel(b)
		if err != nil {
			return
		}
		if !bytes.Equal(m.encode(), b) {
			t.Fatalf("decoded %d bytes encode to %d others", len(b), len(m.encode()))
		}
	})
}

// BenchmarkKindModel measures the model's reading of one prepared text.
func BenchmarkKindModel(b *testing.B) {
	cases := append(mustLoadEval(b, "cases.jsonl"), mustLoadEval(b, "holdout.jsonl")...)
	docs := make([]*doc, len(cases))
	for i, c := range cases {
		docs[i] = newDoc(c.input())
		docs[i].tokens()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kindModel.probs(docs[i%len(docs)])
	}
}
