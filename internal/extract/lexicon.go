package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexicon matches word phrases against a document's tokens: much cheaper
// than a regular expression with hundreds of alternatives, which Go runs as
// an NFA over every byte. A phrase is words separated by spaces; a final "*"
// makes the last word a prefix ("documentar*").
type lexicon struct {
	first map[string][]phrase // by exact first word
	stems map[string][]phrase // one-word prefixes, by their text
	lens  []int               // distinct prefix lengths in stems
}

type phrase struct {
	text  string   // the phrase as written, without "*"
	rest  []string // words after the first
	stem  bool     // the last word is a prefix
	words int
}

func newLexicon(phrases ...string) *lexicon {
	lx := &lexicon{first: map[string][]phrase{}, stems: map[string][]phrase{}}
	for _, p := range phrases {
		stem := strings.HasSuffix(p, "*")
		p = strings.TrimSuffix(p, "*")
		ws := strings.Fields(p)
		if strings.ContainsAny(p, "'’") {
			ws = words(p) // "aide à l'écriture": split as tokenize splits the text
		}
		ph := phrase{text: p, rest: ws[1:], stem: stem, words: len(ws)}
		if stem && len(ws) == 1 {
			lx.stems[ws[0]] = append(lx.stems[ws[0]], ph)
			lx.lens = appendUniqueInt(lx.lens, len(ws[0]))
			continue
		}
		lx.first[ws[0]] = append(lx.first[ws[0]], ph)
	}
	return lx
}

func appendUniqueInt(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// span is a byte range of a document.
type span struct{ start, end int }

// hit is one phrase found in a document.
type hit struct {
	span
	phrase string // the phrase as listed, without "*"
}

// tokenize splits lowered text into words: letters, digits, bytes of
// non-ASCII runes, and inner hyphens and apostrophes.
func tokenize(lower string) []span {
	toks := make([]span, 0, len(lower)/5)
	start := -1
	for i := 0; i < len(lower); i++ {
		c := lower[i]
		word := isLetter(c) || isDigit(c) || (c == '-' || c == '\'') && start >= 0 && i+1 < len(lower) && isWordByte(lower[i+1])
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(lower[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || r == '’' && start >= 0 && i+n < len(lower) && isWordByte(lower[i+n])
			if !word && start >= 0 {
				toks = append(toks, span{start, i})
				start = -1
			}
			if word && start < 0 {
				start = i
			}
			i += n - 1
			continue
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			toks = append(toks, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, span{start, len(lower)})
	}
	return splitElisions(lower, toks)
}

// elisions are the French and Italian words that lose their vowel before
// another ("l'écriture", "d'art", "dell'arte"): a token of their own, so
// that the word after them is found.
var elisions = map[string]bool{"l": true, "d": true, "j": true, "n": true, "s": true, "c": true, "m": true, "t": true, "qu": true,
	"dell": true, "nell": true, "all": true, "dall": true, "sull": true, "un": true, "quell": true}

// splitElisions splits "l'écriture" into "l'" and "écriture".
func splitElisions(lower string, toks []span) []span {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		for p := t.start + 1; p < t.end && p <= t.start+5; p++ {
			n := 0
			switch {
			case lower[p] == '\'':
				n = 1
			case strings.HasPrefix(lower[p:], "’"):
				n = len("’")
			}
			if n == 0 {
				if !isLetter(lower[p]) {
					break
				}
				continue
			}
			if elisions[lower[t.start:p]] && p+n < t.end {
				toks = append(toks[:i+1], toks[i:]...)
				toks[i] = span{t.start, p + n}
				toks[i+1] = span{p + n, t.end}
				i++
			}
			break
		}
	}
	return toks
}

// words returns the words of a lowered phrase as tokenize splits them.
func words(p string) []string {
	ts := tokenize(p)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = p[t.start:t.end]
	}
	return out
}

func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c >= 0x80 }

// find returns the phrases of lx in the document, longest first at each word,
// without overlaps.
func (lx *lexicon) find(lower string, toks []span) []hit {
	var hits []hit
	for i := 0; i < len(toks); {
		h, n := lx.matchAt(lower, toks, i)
		if n == 0 {
			i++
			continue
		}
		hits = append(hits, h)
		i += n
	}
	return hits
}

func (lx *lexicon) matchAt(lower string, toks []span, i int) (hit, int) {
	w := lower[toks[i].start:toks[i].end]
	best, bestN := hit{}, 0
	for _, p := range lx.first[w] {
		if p.words > bestN && p.matches(lower, toks, i) {
			end := toks[i+p.words-1].end
			best, bestN = hit{span{toks[i].start, end}, p.text}, p.words
		}
	}
	if bestN > 0 {
		return best, bestN
	}
	for _, n := range lx.lens {
		if len(w) >= n {
			if ps := lx.stems[w[:n]]; len(ps) > 0 {
				return hit{toks[i], ps[0].text}, 1
			}
		}
	}
	return hit{}, 0
}

func (p phrase) matches(lower string, toks []span, i int) bool {
	if i+p.words > len(toks) {
		return false
	}
	for j, r := range p.rest {
		w := lower[toks[i+1+j].start:toks[i+1+j].end]
		last := j == len(p.rest)-1
		if w != r && !(last && p.stem && strings.HasPrefix(w, r)) {
			return false
		}
	}
	return true
}
