package scout

import (
	"bytes"
	"unicode"
	"unicode/utf8"
	"unsafe"
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
	// summary; count characters as a range over the string does. Every
	// list row whose summary is derived calls this, so runs of plain ASCII
	// are copied whole and the summary is built in the one buffer it is
	// returned in.
	b := make([]byte, 0, min(len(text), 4*SummaryChars+4)+len("…"))
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
		j := i + size
		if size == 1 {
			// The run of plain ASCII from i, one character each, up to
			// the bound.
			for j < len(text) && j-i < SummaryChars-n && text[j] > ' ' && text[j] < utf8.RuneSelf {
				j++
			}
			n += j - i
		} else {
			n++
		}
		b = append(b, text[i:j]...)
		i = j
	}
	if n > SummaryChars {
		if sp := bytes.LastIndexByte(b, ' '); sp > len(b)*3/4 {
			b = b[:sp]
		}
		b = append(bytes.TrimRight(b, " ,;:.-"), "…"...)
	}
	// b is not written again: it becomes the string without a copy.
	return unsafe.String(unsafe.SliceData(b), len(b))
}
