package feed

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockElements end a line in the plain-text rendering.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Dd: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hr: true, atom.Li: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Td: true,
	atom.Th: true, atom.Tr: true, atom.Ul: true,
}

// hiddenElements have content that is not text a reader sees.
var hiddenElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Svg: true, atom.Head: true,
}

// htmlText renders an HTML fragment as plain text: tags dropped (image alt
// text too: in feeds it is mostly file names), entities decoded, script and
// style contents skipped, one line per block element,
// whitespace collapsed within lines and empty lines removed.
func htmlText(s string) string { return renderText(s, '\n') }

// plainText is htmlText on one line: every run of whitespace becomes a
// single space.
func plainText(s string) string { return renderText(s, ' ') }

// renderText is htmlText with lines joined by lineSep ('\n' or ' '). The
// text is collapsed as the tokenizer hands it over, into one builder, and
// text without markup that is already collapsed is returned as it is: the
// text of every item's content, summary and title passes through here.
func renderText(s string, lineSep byte) string {
	if !strings.ContainsAny(s, "<&") {
		if collapsed(s, lineSep) {
			return s
		}
		w := textWriter{lineSep: lineSep}
		w.b.Grow(len(s))
		w.text([]byte(s))
		return w.b.String()
	}
	w := textWriter{lineSep: lineSep}
	w.b.Grow(len(s) / 2)
	z := html.NewTokenizer(strings.NewReader(s))
	hidden := 0
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return w.b.String()
		case html.TextToken:
			if hidden == 0 {
				w.text(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			hidden = tagText(&w, z, tt, hidden)
		}
	}
}

// tagText handles one tag for renderText and returns the new count of open
// hidden elements.
func tagText(w *textWriter, z *html.Tokenizer, tt html.TokenType, hidden int) int {
	name, _ := z.TagName()
	a := atom.Lookup(name)
	switch {
	case hiddenElements[a] && tt == html.StartTagToken:
		return hidden + 1
	case hiddenElements[a] && tt == html.EndTagToken:
		return max(hidden-1, 0)
	case blockElements[a]:
		w.line = true
	}
	return hidden
}

// textWriter writes words separated by single spaces, or by lineSep where a
// line ended between them (at a '\n' or a block element): no whitespace at
// the start or the end, none doubled, no empty line.
type textWriter struct {
	b           strings.Builder
	lineSep     byte
	space, line bool // a space, a line break is due before the next word
}

// text writes the words of s. Whitespace is what strings.Fields splits at
// (unicode.IsSpace); a '\n' in it ends a line.
func (w *textWriter) text(s []byte) {
	for i := 0; i < len(s); {
		r, n := nextRune(s[i:])
		if unicode.IsSpace(r) {
			if r == '\n' {
				w.line = true
			} else {
				w.space = true
			}
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := nextRune(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		w.word(s[i:j])
		i = j
	}
}

// word writes one word after the separator due.
func (w *textWriter) word(s []byte) {
	if w.b.Len() > 0 {
		switch {
		case w.line:
			w.b.WriteByte(w.lineSep)
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	w.line, w.space = false, false
	w.b.Write(s)
}

// nextRune decodes the first rune of s, ASCII without a call.
func nextRune(s []byte) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRune(s)
}

// collapsed reports whether s is already what textWriter would write from
// it: words separated by a single ' ', or a single '\n' when lineSep is
// '\n', with no whitespace at either end.
func collapsed(s string, lineSep byte) bool {
	prevSpace := true // at the start, as after a separator
	for _, r := range s {
		switch {
		case !unicode.IsSpace(r):
			prevSpace = false
			continue
		case prevSpace || (r != ' ' && (r != '\n' || lineSep != '\n')):
			return false
		}
		prevSpace = true
	}
	return !prevSpace || s == ""
}

// collapseSpace trims s and replaces each run of whitespace with one space.
func collapseSpace(s string) string {
	if collapsed(s, ' ') {
		return s
	}
	w := textWriter{lineSep: ' '}
	w.b.Grow(len(s))
	w.text([]byte(s))
	return w.b.String()
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// truncateWords cuts s to at most n characters, at a word boundary when
// one is near, and marks the cut with an ellipsis.
func truncateWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	head := s[:cut]
	if sp := strings.LastIndexByte(head, ' '); sp > len(head)*3/4 {
		head = head[:sp]
	}
	return strings.TrimRight(head, " ,;:.-") + "…"
}
