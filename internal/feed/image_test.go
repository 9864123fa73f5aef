package feed

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// parsedImageSrc is the content scan the parser used to run: a whole
// document tree, then the first <img> element with a src. It is written
// apart from treeImageSrc so that it checks that path too.
func parsedImageSrc(s string) (string, bool) {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return "", false
	}
	var walk func(n *html.Node) (string, bool)
	walk = func(n *html.Node) (string, bool) {
		if n.Type == html.ElementNode && n.Data == "img" {
			for _, a := range n.Attr {
				if a.Key == "src" {
					return a.Val, true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if src, ok := walk(c); ok {
				return src, true
			}
		}
		return "", false
	}
	return walk(doc)
}

var imageSeeds = []string{
	``,
	`<p>No image here, only <b>text</b> &amp; an entity.</p>`,
	`<p>Call</p><IMG SRC="poster.jpg" alt="x">`,
	`<img alt="no source"><img src="/second.png"/>`,
	`<image src="a.gif">`,
	`<p title="<img src=x>">quoted</p><img src='y.png'>`,
	`<!-- <img src="commented.png"> --><img src="real.png">`,
	`<script>var s = "<img src=s.png>";</script><img src="after.png">`,
	`<textarea><img src="t.png"></textarea>`,
	`<img src="">`,
	`<img src=a.png src=b.png>`,
	`<svg><image src="s.png"></image></svg><img src="b.png">`,
	`<svg><g><img src="breaks-out.png"></g></svg>`,
	`<noscript><img src="n.png"></noscript><template><img src="t.png"></template>`,
	// The parsed tree is not the tags in order: foster parenting, foreign
	// content and its integration points, framesets.
	`<table><tr><td><img src="b.png"></td></tr><img src="a.png"></table>`,
	`<math><image src="m.png"></math><img src="b.png">`,
	`<svg><p><image src="after-breakout.png">`,
	`<svg><foreignObject><image src="fo.png"></foreignObject></svg>`,
	`<SVG><desc><image src="desc.png"></desc></SVG>`,
	`<frameset><img src="f.png">`,
}

func TestFirstImageSrcMatchesTheParsedDocument(t *testing.T) {
	for _, s := range imageSeeds {
		got, gotOK := firstImageSrc(s)
		want, wantOK := parsedImageSrc(s)
		if got != want || gotOK != wantOK {
			t.Errorf("firstImageSrc(%q) = %q, %v; the parsed document gives %q, %v", s, got, gotOK, want, wantOK)
		}
	}
}

func TestAnRSSItemsImageComesFromItsContentThenItsDescription(t *testing.T) {
	body := `<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>
<item><title>a</title><link>https://e.org/a</link><description><![CDATA[<p>x</p><img src="d.png">]]></description></item>
<item><title>b</title><link>https://e.org/b</link><description><![CDATA[<img src="d.png">]]></description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<img src="https://cdn.e.org/c.png">]]></content:encoded></item>
<item><title>c</title><link>https://e.org/c</link><description>plain</description></item>
</channel></rss>`
	f, err := Parse([]byte(body), "application/rss+xml", "https://e.org/feed", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://e.org/d.png", "https://cdn.e.org/c.png", ""}
	for i, it := range f.Items {
		if it.ImageURL != want[i] {
			t.Errorf("item %d: image %q, want %q", i, it.ImageURL, want[i])
		}
	}
}

// FuzzFirstImageSrc checks the tokenizer's scan against the parsed document
// on any input.
func FuzzFirstImageSrc(f *testing.F) {
	for _, s := range imageSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotOK := firstImageSrc(s)
		want, wantOK := parsedImageSrc(s)
		if got != want || gotOK != wantOK {
			t.Fatalf("firstImageSrc(%q) = %q, %v; the parsed document gives %q, %v", s, got, gotOK, want, wantOK)
		}
	})
}
