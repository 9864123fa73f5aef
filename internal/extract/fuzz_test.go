package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
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

// FuzzCalls checks that splitting never panics, yields several calls or
// none, numbers them in order, and that each call's span is text of the
// item with the call's own facet invariants. Seeds live in
// testdata/fuzz/FuzzCalls.
func FuzzCalls(f *testing.F) {
	f.Add("Digest #1", "Hi!\n\n1. ALPHA PRIZE\nAlpha Trust prize, $500. Deadline 3 May 2026.\n\n2. BETA GRANT\nBeta Fund grants to $900. Apply by 9 June 2026.\n\nUnsubscribe")
	f.Add("", "JOBS\n\nx\n\n▸ \n\n#\n")
	f.Add("Picks", "Hi!\n\n**Alpha Prize** — Alpha Trust prize, $500. Deadline 3 May 2026.\nBeta Grant: Beta Fund grants to $900 for painters. Apply by 9 June 2026.\n(3) Gamma Fund – \n\nBye.")
	f.Fuzz(func(t *testing.T, title, text string) {
		cs := Calls(Input{Title: title, Text: text, PublishedAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
		if len(cs) == 1 || len(cs) > MaxCalls {
			t.Fatalf("%d calls; want none or 2 to %d", len(cs), MaxCalls)
		}
		item := strings.ToValidUTF8(strings.TrimSpace(title)+"\n"+text, "\uFFFD")
		for i, c := range cs {
			if c.Part != i+1 || c.Span == "" || !strings.Contains(item, c.Span) {
				t.Fatalf("call %d: part %d, span %q not from the item", i, c.Part, c.Span)
			}
			checkInvariants(t, c.Opportunity, nil)
		}
	})
}

func FuzzMention(f *testing.F) {
	f.Add("One week left", "Reminder: you have until April 9, 2026 to ask for $10,000.")
	f.Add("Winners", "Congratulations to the winners. Applications closed on 3 May 2026.")
	f.Fuzz(func(t *testing.T, title, text string) {
		it := scout.Item{Title: title, ContentText: text, PublishedAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		m := Mention(&it)
		if m == nil {
			return
		}
		if m.Opportunity.Deadline.IsZero() || m.Opportunity.Kind == scout.KindNone {
			t.Fatalf("mention without a deadline or kind: %+v", m.Opportunity)
		}
		if m.Title != title {
			t.Fatalf("mention title %q, want the item's %q", m.Title, title)
		}
	})
}

// BenchmarkEnrich measures what ingest runs per item, Rules.Enrich
// (extraction, the newsletter splitter, mentions), over the same texts as
// BenchmarkExtract. Count instructions with callgrind at two -benchtime Nx
// and take the difference per item.
func BenchmarkEnrich(b *testing.B) {
	cases := append(mustLoadEval(b, "cases.jsonl"), mustLoadEval(b, "holdout.jsonl")...)
	items := make([]scout.Item, len(cases))
	for i, c := range cases {
		in := c.input()
		items[i] = scout.Item{Title: in.Title, ContentText: in.Text, Categories: in.Categories, PublishedAt: in.PublishedAt}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := items[i%len(items)]
		Rules{}.Enrich(&it)
	}
}
