package extract

import (
	"testing"
	"time"
)

// FuzzExtract checks that no input panics and every output keeps the facet's
// invariants. Seeds live in testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add("Grants", "Deadline: March 3, 2026. Grants of up to $50,000.", int64(1767225600))
	f.Add("", "€2.500–€15.000 31.12.2026 5pm ET 1st of June", int64(0))
	f.Fuzz(func(t *testing.T, title, text string, pub int64) {
		in := Input{Title: title, Text: text}
		if pub > 0 && pub < 1<<36 {
			in.PublishedAt = time.Unix(pub, 0)
		}
		o, ents := Extract(in)
		checkInvariants(t, o, ents)
	})
}

// BenchmarkExtract measures extraction throughput over the evaluation texts.
func BenchmarkExtract(b *testing.B) {
	cases := append(mustLoadEval(b, "cases.jsonl"), mustLoadEval(b, "holdout.jsonl")...)
	inputs := make([]Input, len(cases))
	var bytes int64
	for i, c := range cases {
		inputs[i] = c.input()
		bytes += int64(len(c.Title) + len(c.Text))
	}
	b.SetBytes(bytes / int64(len(inputs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Extract(inputs[i%len(inputs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
