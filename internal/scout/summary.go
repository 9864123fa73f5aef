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
	// list row whose summary is derived calls this, so plain ASCII takes a
	// short path and the summary is built in the one buffer it is returned
	// in, which holds the collapsed text (at most the text's length, and at
	// most 4 bytes for each of SummaryChars characters and the spaces
	// between them) and the ellipsis.
	b := make([]byte, min(len(text), 4*SummaryChars+4)+len("…"))
	k, n, space := 0, 0, false
	for i := 0; i < len(text); {
		c, size := text[i], 1
		plain := c > ' ' && c < utf8.RuneSelf
		if !plain {
			if c < utf8.RuneSelf {
				if c == ' ' || c-'\t' <= '\r'-'\t' {
					space, i = n > 0, i+1
					continue
				}
			} else {
				var r rune
				if r, size = utf8.DecodeRuneInString(text[i:]); unicode.IsSpace(r) {
					space, i = n > 0, i+size
					continue
				}
			}
		}
		if space {
			if n == SummaryChars {
				n++
				break
			}
			b[k] = ' '
			k, n, space = k+1, n+1, false
		}
		if n == SummaryChars {
			n++
			break
		}
		j, chars := i+size, 1
		if plain {
			// A run of printable ASCII, most of any text, is copied at once
			// (one byte a turn, the loop took 32 instructions a character),
			// as far as the summary has room.
			for j < len(text) && text[j] > ' ' && text[j] < utf8.RuneSelf {
				j++
			}
			if chars = j - i; chars > SummaryChars-n {
				chars = SummaryChars - n
				j = i + chars
			}
		}
		k += copy(b[k:], text[i:j])
		n, i = n+chars, j
	}
	b = b[:k]
	if n > SummaryChars {
		if sp := bytes.LastIndexByte(b, ' '); sp > len(b)*3/4 {
			b = b[:sp]
		}
		b = append(bytes.TrimRight(b, " ,;:.-"), "…"...)
	}
	// b is not written again: it becomes the string without a copy.
	return unsafe.String(unsafe.SliceData(b), len(b))
}
