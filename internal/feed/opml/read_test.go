package opml

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/scoutdev/scout/internal/scout"
)

func TestReadFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []Outline
	}{
		{"flat.opml", []Outline{
			{Title: "Grants.gov: New opportunities by category", XMLURL: "https://www.grants.gov/rss/GG_NewOppByCategory.xml", HTMLURL: "https://www.grants.gov/"},
			{Title: "NIH Guide: funding opportunities", XMLURL: "https://grants.nih.gov/grants/guide/newsfeed/fundingopps.xml"},
			{Title: "Arts residencies weekly", XMLURL: "https://residencies.example.org/feed/", HTMLURL: "https://residencies.example.org"},
		}},
		{"nested.opml", []Outline{
			{Title: "Grants.gov by agency", XMLURL: "https://www.grants.gov/rss/GG_NewOppByAgency.xml", HTMLURL: "https://www.grants.gov/", Categories: []string{"Funding", "Federal"}},
			{Title: "NEA news", XMLURL: "https://www.arts.gov/rss.xml", Categories: []string{"Funding", "Federal", "Arts", "US/Federal"}},
			{Title: "Open calls", XMLURL: "https://calls.example.net/atom.xml", Categories: []string{"Funding", "Writing"}},
			{Title: "Fellowships for writers", XMLURL: "https://writers.example.com/feed", Categories: []string{"Writing"}},
			{Title: "Top level feed", XMLURL: "https://toplevel.example.org/index.xml"},
		}},
		{"entities.opml", []Outline{
			{Title: "Café des Résidences — appels", XMLURL: "https://example.fr/rss?lang=fr&cat=residences", HTMLURL: "https://example.fr/?a=1&b=2", Categories: []string{"Arts & Culture"}},
			{Title: "Bare ampersand", XMLURL: "https://bare.example.com/feed?x=1&y=2", Categories: []string{"Arts & Culture"}},
			{Title: "Shouting attributes", XMLURL: "https://loud.example.com/RSS", Categories: []string{"Arts & Culture"}},
		}},
		{"latin1.opml", []Outline{
			{Title: "Bourses d'études à Genève", XMLURL: "https://bourses.example.ch/flux.xml", HTMLURL: "https://bourses.example.ch/", Categories: []string{"Actualités"}},
		}},
		{"windows1252.opml", []Outline{
			{Title: "“Smart” quotes – and a dash", XMLURL: "https://quotes.example.com/feed"},
		}},
		{"bom.opml", []Outline{
			{Title: "Résidences d’artistes", XMLURL: "https://bom.example.com/feed.xml"},
		}},
		{"utf16le.opml", []Outline{
			{Title: "Résidences d’artistes", XMLURL: "https://utf16.example.com/feed.xml"},
		}},
		{"utf16be.opml", []Outline{
			{Title: "Résidences d’artistes", XMLURL: "https://utf16.example.com/feed.xml"},
		}},
		{"mislabelled-utf16.opml", []Outline{
			{Title: "Says UTF-16, is UTF-8 – really", XMLURL: "https://mislabel.example.com/rss"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Read(mustOpen(t, tt.file), 0, 0)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("outlines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		maxBytes int64
		maxFeeds int
		kind     error
		msg      string
	}{
		{"an RSS feed is not OPML", fixture(t, "rss.xml"), 0, 0, ErrNotOPML, "opml: not an OPML document (root element <rss>)"},
		{"an HTML page is not OPML", fixture(t, "page.html"), 0, 0, ErrNotOPML, "opml: not an OPML document (root element <html>)"},
		{"JSON is not OPML", `{"feeds": []}`, 0, 0, ErrNotOPML, "opml: not an OPML document (no root element)"},
		{"an empty input is not OPML", "", 0, 0, ErrNotOPML, "opml: not an OPML document (no root element)"},
		{"binary garbage is not OPML", "\x00\x01\x02<<", 0, 0, ErrNotOPML, ""},
		{"a document cut short is malformed", fixture(t, "unclosed.opml"), 0, 0, ErrMalformed, "opml: document ends before its root element is closed"},
		{"an unknown charset is named", fixture(t, "unknown-charset.opml"), 0, 0, ErrMalformed, `opml: declared charset "x-klingon" is not supported`},
		{"a stray end tag is malformed", `<opml><body><outline <<<></body></opml>`, 0, 0, ErrMalformed, ""},
		{"too many feeds", feeds(6), 0, 5, ErrTooManyFeeds, "opml: more than 5 feeds"},
		{"too many bytes", feeds(100), 1000, 0, ErrTooLarge, "opml: document larger than 1000 bytes"},
		{"outlines too deep", nest(MaxDepth + 1), 0, 0, ErrTooDeep, "opml: outlines nested deeper than 32 levels"},
		{"other elements too deep", "<opml><body>" + strings.Repeat("<div>", 100), 0, 0, ErrTooDeep, "opml: elements nested deeper than 40 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tt.in), tt.maxBytes, tt.maxFeeds)
			if err == nil {
				t.Fatalf("Read returned %d outlines and no error", len(got))
			}
			if !errors.Is(err, tt.kind) || !errors.Is(err, scout.ErrInvalid) {
				t.Errorf("error %q is not %v and scout.ErrInvalid", err, tt.kind)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("error = %q, want %q", err, tt.msg)
			}
		})
	}
}

func TestReadAcceptsAtTheLimits(t *testing.T) {
	doc := feeds(5)
	tests := []struct {
		name     string
		in       string
		maxBytes int64
		maxFeeds int
		want     int
	}{
		{"exactly max feeds", doc, 0, 5, 5},
		{"exactly max bytes", doc, int64(len(doc)), 0, 5},
		{"duplicates do not count toward the limit", feeds(3) + feeds(3), 0, 3, 3},
		{"outlines exactly MaxDepth deep", nest(MaxDepth), 0, 0, 1},
		{"an empty body", `<opml version="2.0"><head/><body/></opml>`, 0, 0, 0},
		{"trailing junk after the root is not read", `<opml><body><outline xmlUrl="https://a.example/"/></body></opml><<<garbage`, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tt.in), tt.maxBytes, tt.maxFeeds)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(got) != tt.want {
				t.Errorf("got %d outlines, want %d", len(got), tt.want)
			}
		})
	}
}

func TestReadPassesReaderErrorsThrough(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("<opml><body>"), iotest.ErrReader(boom))
	_, err := Read(r, 0, 0)
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want it to wrap %v", err, boom)
	}
	if errors.Is(err, scout.ErrInvalid) {
		t.Errorf("a reader failure %q must not be reported as invalid input", err)
	}
}

func TestReadBoundsHugeDocuments(t *testing.T) {
	// A document that repeats one feed in ever new folders must neither fail nor
	// grow its category list without bound.
	var b strings.Builder
	b.WriteString("<opml><body>")
	for i := range 5000 {
		b.WriteString(`<outline text="f` + strings.Repeat("x", i%7) + strconv.Itoa(i) + `"><outline xmlUrl="https://same.example/feed"/></outline>`)
	}
	b.WriteString("</body></opml>")
	got, err := Read(strings.NewReader(b.String()), 0, 0)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got) != 1 || len(got[0].Categories) != maxCategories {
		t.Errorf("got %d outlines with %d categories, want 1 with %d", len(got), len(got[0].Categories), maxCategories)
	}

	// A stream far larger than the limit is cut off without reading it whole.
	endless := io.MultiReader(strings.NewReader("<opml><body>"), repeatReader(`<outline text="x"/>`))
	if _, err := Read(endless, 1<<20, 0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("endless stream: error = %v, want ErrTooLarge", err)
	}
}

// feeds returns an OPML document listing n distinct feeds.
func feeds(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>`)
	for i := range n {
		b.WriteString(`<outline type="rss" text="Feed ` + strconv.Itoa(i) + `" xmlUrl="https://feeds.example.com/` + strconv.Itoa(i) + `.xml"/>`)
	}
	b.WriteString("</body></opml>")
	return b.String()
}

// nest returns a document whose single feed sits depth outlines deep.
func nest(depth int) string {
	return "<opml><body>" + strings.Repeat(`<outline text="d">`, depth-1) +
		`<outline xmlUrl="https://deep.example/feed"/>` + strings.Repeat("</outline>", depth-1) + "</body></opml>"
}

// repeater yields s over and over, without end.
type repeater struct {
	s   string
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}

func repeatReader(s string) io.Reader { return &repeater{s: s} }

func fixture(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func mustOpen(tb testing.TB, name string) io.Reader {
	tb.Helper()
	return bytes.NewReader([]byte(fixture(tb, name)))
}
