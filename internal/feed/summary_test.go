package feed

import (
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

// TextSummary is the store's way back from a text to the summary it was
// given, so it must be exactly what collapsing the text and cutting it
// gives.
func TestTextSummaryIsCollapsedAndCut(t *testing.T) {
	long := strings.Repeat("word ", 120)
	for _, s := range []string{"", " ", "one", "  two\n\nwords  ", long, strings.Repeat("x", 501), strings.Repeat("x", 500),
		strings.Repeat("é", 499) + "  \t a", strings.Repeat("a", 499) + " b", strings.Repeat("a", 500) + " b", strings.Repeat("a", 499) + "\u00a0\u2003",
		"\xff\xfe " + long, strings.Repeat("ab, ", 200), strings.Repeat("a", 380) + " " + strings.Repeat("b", 200)} {
		want := truncateWords(collapseSpace(s), summaryChars)
		if got := scout.TextSummary(s); got != want {
			t.Errorf("TextSummary(%.40q…) = %.60q…, want %.60q…", s, got, want)
		}
	}
}

func FuzzTextSummary(f *testing.F) {
	for _, s := range []string{"", "a b", strings.Repeat("word ", 120), strings.Repeat("\u3000x", 300), "\xffa  b\x85c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := scout.TextSummary(s), truncateWords(collapseSpace(s), summaryChars); got != want {
			t.Fatalf("TextSummary(%q) = %q, want %q", s, got, want)
		}
	})
}
