package scout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SummaryChars bounds an item's summary, in characters.
const SummaryChars = 500

// TextSummary is the summary an item without a description of its own
// gets: its plain text with white space collapsed to single spaces, cut to
// about SummaryChars characters at a word boundary and marked with an
// ellipsis when cut. It reads no further into text than the summary needs,
// so that a store can keep the summary out of the row when it is this and
// derive it on read.
func TextSummary(text string) string {
	// The collapsed text up to one character past the bound decides the
	// summary; count characters as a range over the string does.
	var b strings.Builder
	n, space := 0, false
	for i, r := range text {
		if unicode.IsSpace(r) {
			space = n > 0
			continue
		}
		if space {
			if n == SummaryChars {
				n++
				break
			}
			b.WriteByte(' ')
			n, space = n+1, false
		}
		if n == SummaryChars {
			n++
			break
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		b.WriteString(text[i : i+size])
		n++
	}
	s := b.String()
	if n <= SummaryChars {
		return s
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:.-") + "…"
}
