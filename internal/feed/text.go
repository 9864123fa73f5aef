package feed

import (
	"strings"
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
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return collapseLines(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	hidden := 0
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return collapseLines(b.String())
		case html.TextToken:
			if hidden == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			hidden = tagText(&b, z, tt, hidden)
		}
	}
}

// tagText handles one tag for htmlText and returns the new count of open
// hidden elements.
func tagText(b *strings.Builder, z *html.Tokenizer, tt html.TokenType, hidden int) int {
	name, _ := z.TagName()
	a := atom.Lookup(name)
	switch {
	case hiddenElements[a] && tt == html.StartTagToken:
		return hidden + 1
	case hiddenElements[a] && tt == html.EndTagToken:
		return max(hidden-1, 0)
	case blockElements[a]:
		b.WriteByte('\n')
	}
	return hidden
}

// plainText is htmlText on one line: every run of whitespace becomes a
// single space.
func plainText(s string) string {
	return collapseSpace(htmlText(s))
}

// collapseSpace trims s and replaces each run of whitespace with one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// collapseLines collapses whitespace within each line and drops empty lines.
func collapseLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapseSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
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
