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
	b := make([]byte, 0, min(len(text), 4*SummaryChars+4))
	n, space := 0, false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if r == ' ' || uint32(r-'\t') <= '\r'-'\t' || r >= utf8.RuneSelf && unicode.IsSpace(r) {
			space, i = n > 0, i+size
			continue
		}
		if space {
			if n == SummaryChars {
				n++
				break
			}
			b = append(b, ' ')
			n, space = n+1, false
		}
		if n == SummaryChars {
			n++
			break
		}
		b = append(b, text[i:i+size]...)
		n, i = n+1, i+size
	}
	s := string(b)
	if n <= SummaryChars {
		return s
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:.-") + "…"
}
