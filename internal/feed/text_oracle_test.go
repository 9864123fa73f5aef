package feed

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// splitText is the rendering renderText replaced: the tokenizer's text
// into a builder, then split into lines and fields and joined again. It is
// kept as the oracle renderText must agree with.
func splitText(s string, oneLine bool) string {
	var b strings.Builder
	if !strings.ContainsAny(s, "<&") {
		b.WriteString(s)
	} else {
		z := html.NewTokenizer(strings.NewReader(s))
		hidden := 0
	loop:
		for {
			switch tt := z.Next(); tt {
			case html.ErrorToken:
				break loop
			case html.TextToken:
				if hidden == 0 {
					b.Write(z.Text())
				}
			case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
				name, _ := z.TagName()
				a := atom.Lookup(name)
				switch {
				case hiddenElements[a] && tt == html.StartTagToken:
					hidden++
				case hiddenElements[a] && tt == html.EndTagToken:
					hidden = max(hidden-1, 0)
				case blockElements[a]:
					b.WriteByte('\n')
				}
			}
		}
	}
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	if oneLine {
		return strings.Join(strings.Fields(strings.Join(out, "\n")), " ")
	}
	return strings.Join(out, "\n")
}

var textSeeds = []string{
	"", " ", "\n", "one", "one two", " one  two ", "a\nb", "a \n b", "a\n\n\nb", "a\r\nb\tc\vd\fe",
	"caf\u00e9\u00a0cr\u00e8me\u0085end\u2028line", "bad \xff\xfe utf-8", "<p>Para one</p><p>two  <b>bold</b>er</p>",
	"x<br>y<br/><br>z", "<script>hidden()</script>shown<style>p{}</style>", "a &amp; b &nbsp; c&#10;d",
	"<div>\n  <p> spaced </p>\n</div>", "<svg><text>x</text></svg>after", "</p>unopened", "<p>",
	"words <!-- a comment --> more", "<li>one<li>two", "&lt;not a tag&gt;",
}

// checkRenderText fails t where htmlText, plainText or collapseSpace
// disagree with the splitting they replaced.
func checkRenderText(t *testing.T, s string) {
	t.Helper()
	if got, want := htmlText(s), splitText(s, false); got != want {
		t.Errorf("htmlText(%q) = %q, want %q", s, got, want)
	}
	if got, want := plainText(s), splitText(s, true); got != want {
		t.Errorf("plainText(%q) = %q, want %q", s, got, want)
	}
	if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
	}
}

func TestRenderTextAgreesWithSplittingLines(t *testing.T) {
	for _, s := range textSeeds {
		checkRenderText(t, s)
	}
}

// FuzzRenderText checks renderText and collapseSpace against the
// splitting they replaced, on any input.
func FuzzRenderText(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(checkRenderText)
}
