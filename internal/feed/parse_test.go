package feed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/scoutdev/scout/internal/scout"
)

var testNow = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

func testOptions() Options { return Options{Now: func() time.Time { return testNow }} }

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustParse(tb testing.TB, body []byte, feedURL string, opts Options) *Feed {
	tb.Helper()
	f, err := Parse(body, "", feedURL, opts)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return f
}

// ignoreHash leaves ContentHash to TestContentHash.
var ignoreHash = cmpopts.IgnoreFields(scout.Item{}, "ContentHash")

func TestParseRSSNormalizesItems(t *testing.T) {
	f := mustParse(t, mustRead(t, "rss-grants.xml"), "https://grants.example.org/feeds/all.xml", testOptions())
	wantFeed := Feed{Title: "Arts & Culture Grants", SiteURL: "http://grants.example.org/",
		Description: "New calls for artists", Language: "en-us", TTL: 90 * time.Minute, Format: "rss"}
	if diff := cmp.Diff(wantFeed, *f, cmpopts.IgnoreFields(Feed{}, "Items")); diff != "" {
		t.Errorf("feed (-want +got):\n%s", diff)
	}
	want := []scout.Item{{
		GUID:  "grant-7",
		URL:   "https://grants.example.org/calls/residency?id=7",
		Title: "Studio residency 2027 – café", Summary: "Apply by 1 May. Ouvert à tous.",
		ContentHTML: `<p>Apply <a href="https://grants.example.org/calls/apply.html" rel="nofollow">here</a>.</p>` +
			`<img src="https://grants.example.org/img/studio.jpg" alt="The studio">bad`,
		ContentText: "Apply here.\nbad",
		Author:      "Jane Doe", ImageURL: "https://cdn.example.org/thumb.jpg",
		PublishedAt: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC),
		Enclosures:  []scout.Enclosure{{URL: "https://grants.example.org/files/guide.pdf", Type: "application/pdf", Length: 1234}},
		Categories:  []string{"Residency", "Visual arts"},
	}, {
		Title: "No date, no link", Summary: "Text only & nothing else",
		ContentHTML: "Text only &amp; nothing else", ContentText: "Text only & nothing else",
		PublishedAt: testNow, DateEstimated: true,
	}, {
		GUID: "https://grants.example.org/calls/future", URL: "https://grants.example.org/calls/future",
		Title: "From the future", PublishedAt: testNow, DateEstimated: true,
	}, {
		URL: "https://grants.example.org/calls/old", Title: "From the past", PublishedAt: testNow, DateEstimated: true,
	}}
	if diff := cmp.Diff(want, f.Items, ignoreHash); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestParseAtomResolvesXMLBase(t *testing.T) {
	f := mustParse(t, mustRead(t, "atom-base.xml"), "https://fund.example.net/feed.atom", testOptions())
	want := []scout.Item{{
		GUID: "tag:fund.example.net,2026:1", URL: "https://fund.example.net/blog/posts/fellowship",
		Title: "Fellowship open", Summary: "Up to $10,000",
		ContentHTML: `<p>See <a href="https://fund.example.net/blog/posts/fellowship/rules" rel="nofollow">the rules</a>.</p>`,
		ContentText: "See the rules.", Author: "Fund Team",
		PublishedAt: time.Date(2026, 2, 1, 14, 30, 0, 0, time.UTC),
		Enclosures:  []scout.Enclosure{{URL: "https://fund.example.net/blog/media/call.mp3", Type: "audio/mpeg", Length: 99}},
		Categories:  []string{"fellowship"},
	}, {
		GUID: "tag:fund.example.net,2026:2", URL: "https://fund.example.net/blog/posts/updated",
		Title: "Only updated", Author: "Fund Team", PublishedAt: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
	}}
	if diff := cmp.Diff(want, f.Items, ignoreHash); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if f.Title != "Fund <News>" || f.Format != "atom" {
		t.Errorf("feed title, format = %q, %q", f.Title, f.Format)
	}
}

func TestParseJSONFeed(t *testing.T) {
	f := mustParse(t, mustRead(t, "jsonfeed.json"), "https://calls.example.com/feed.json", testOptions())
	want := []scout.Item{{
		GUID: "1", URL: "https://calls.example.com/1", Title: "Commission for a mural", Summary: "A mural commission",
		ContentHTML: `<p>Paint <a href="https://calls.example.com/wall" rel="nofollow">this wall</a>.</p>`,
		ContentText: "Paint this wall.", Author: "City Arts", ImageURL: "https://calls.example.com/wall.jpg",
		PublishedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		Enclosures:  []scout.Enclosure{{URL: "https://calls.example.com/brief.pdf", Type: "application/pdf", Length: 2048}},
		Categories:  []string{"mural", "public art"},
	}, {
		GUID: "2", Summary: "Plain <text> only", ContentHTML: "Plain &lt;text&gt; only", ContentText: "Plain <text> only",
		PublishedAt: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC),
	}}
	if diff := cmp.Diff(want, f.Items, ignoreHash); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestParseRejects(t *testing.T) {
	deep := strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100)
	tests := []struct {
		name  string
		body  string
		class scout.ErrorClass
	}{
		{"an HTML page", string(mustRead(t, "html-page.html")), scout.ErrorNotAFeed},
		{"an HTML page without doctype", "\n<html><body>hi</body></html>", scout.ErrorNotAFeed},
		{"an XHTML page", `<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml"/>`, scout.ErrorNotAFeed},
		{"an empty body", " \n ", scout.ErrorNotAFeed},
		{"plain text", "Service unavailable", scout.ErrorNotAFeed},
		{"another XML format", `<?xml version="1.0"?><opml version="2.0"><body/></opml>`, scout.ErrorNotAFeed},
		{"JSON that is not a JSON Feed", `{"items": []}`, scout.ErrorNotAFeed},
		{"broken XML", `<rss version="2.0"><channel><title>x</channel>`, scout.ErrorParse},
		{"nesting deeper than the limit", `<rss><channel><item><title>t</title>` + deep + `</item></channel></rss>`, scout.ErrorParse},
		{"broken JSON", `{"version": "https://jsonfeed.org/version/1.1", "items": [`, scout.ErrorParse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", "https://example.com/feed", testOptions())
			if err == nil {
				t.Fatalf("Parse() = %d items, want an error", len(f.Items))
			}
			if got := Classify(err); got != tt.class {
				t.Errorf("Classify(%v) = %q, want %q", err, got, tt.class)
			}
		})
	}
}

func TestNotAFeedSaysWhy(t *testing.T) {
	_, err := Parse(mustRead(t, "html-page.html"), "text/html", "https://example.com/", testOptions())
	if !errors.Is(err, ErrNotAFeed) || !strings.Contains(err.Error(), "HTML page") {
		t.Errorf("Parse(html) error = %v, want ErrNotAFeed naming an HTML page", err)
	}
}

func TestParseAcceptsDepthUpToTheLimit(t *testing.T) {
	nest := func(n int) string {
		return `<rss><channel><item><title>t</title><x:a xmlns:x="urn:x">` + strings.Repeat("<x:a>", n) +
			strings.Repeat("</x:a>", n) + `</x:a></item></channel></rss>`
	}
	if _, err := Parse([]byte(nest(10)), "", "", Options{MaxDepth: 15}); err != nil {
		t.Errorf("depth 14 with limit 15: %v", err)
	}
	if _, err := Parse([]byte(nest(12)), "", "", Options{MaxDepth: 15}); !errors.Is(err, ErrParse) {
		t.Errorf("depth 16 with limit 15: err = %v, want ErrParse", err)
	}
}

func rssWithItems(n int, body string) []byte {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><guid>g%d</guid><title>Item %d</title><description>%s</description></item>`, i, i, body)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func TestParseCaps(t *testing.T) {
	t.Run("keeps the first MaxItems items in document order", func(t *testing.T) {
		f := mustParse(t, rssWithItems(5, "x"), "", Options{MaxItems: 3})
		var got []string
		for _, it := range f.Items {
			got = append(got, it.GUID)
		}
		if diff := cmp.Diff([]string{"g0", "g1", "g2"}, got); diff != "" {
			t.Errorf("guids (-want +got):\n%s", diff)
		}
	})
	t.Run("caps content at MaxFieldBytes", func(t *testing.T) {
		long := strings.Repeat("&lt;p&gt;word &amp;amp; more words é&lt;/p&gt;", 500)
		f := mustParse(t, rssWithItems(1, long), "", Options{MaxFieldBytes: 1000})
		it := f.Items[0]
		if len(it.ContentHTML) > 1000 || len(it.ContentText) > 1000 || !utf8.ValidString(it.ContentHTML) {
			t.Errorf("content is %d/%d bytes, want at most 1000 and valid UTF-8", len(it.ContentHTML), len(it.ContentText))
		}
		if n := utf8.RuneCountInString(it.Summary); n > summaryChars+1 || !strings.HasSuffix(it.Summary, "…") {
			t.Errorf("summary has %d characters (%q), want a cut one of at most %d", n, it.Summary, summaryChars+1)
		}
	})
	t.Run("a huge GUID is replaced by its hash", func(t *testing.T) {
		doc := `<rss><channel><item><guid>` + strings.Repeat("g", 5000) + `</guid></item></channel></rss>`
		f := mustParse(t, []byte(doc), "", Options{})
		if g := f.Items[0].GUID; !strings.HasPrefix(g, "sha256:") || len(g) != 71 {
			t.Errorf("GUID = %q", g)
		}
	})
}

func TestParseKeepsDuplicateItems(t *testing.T) {
	doc := `<rss><channel><item><guid>a</guid><title>1</title></item><item><guid>a</guid><title>2</title></item></channel></rss>`
	if f := mustParse(t, []byte(doc), "", Options{}); len(f.Items) != 2 {
		t.Errorf("got %d items, want both duplicates", len(f.Items))
	}
}

func TestParseStripsControlCharacters(t *testing.T) {
	doc := "<rss><channel><item><title>a&#1;b\x00c\u0090d</title><description>x&#0;y</description></item></channel></rss>"
	f := mustParse(t, []byte(doc), "", Options{})
	if got := f.Items[0].Title; got != "abcd" {
		t.Errorf("Title = %q, want %q", got, "abcd")
	}
}

func TestContentHash(t *testing.T) {
	item := func(title, link, desc string) scout.Item {
		doc := fmt.Sprintf(`<rss><channel><item><title>%s</title><link>%s</link><description>%s</description>`+
			`<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`, title, link, desc)
		return mustParse(t, []byte(doc), "", Options{}).Items[0]
	}
	base := item("T", "https://e.com/a", "Body")
	tests := []struct {
		name     string
		it       scout.Item
		sameHash bool
	}{
		{"the same item", item("T", "https://e.com/a", "Body"), true},
		{"a tracking parameter added", item("T", "https://e.com/a?utm_source=x", "Body"), true},
		{"markup only", item("T", "https://e.com/a", "&lt;b&gt;Body&lt;/b&gt;"), true},
		{"a new title", item("T2", "https://e.com/a", "Body"), false},
		{"a new URL", item("T", "https://e.com/b", "Body"), false},
		{"new text", item("T", "https://e.com/a", "Body!"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if same := tt.it.ContentHash == base.ContentHash; same != tt.sameHash {
				t.Errorf("same hash = %v, want %v", same, tt.sameHash)
			}
		})
	}
}

func TestSanitizeHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"scripts and handlers go", `<p onclick="x()">a<script>alert(1)</script></p>`, `<p>a</p>`},
		{"javascript links go", `<a href="javascript:alert(1)">a</a>`, `a`},
		{"data images go", `<img src="data:image/png;base64,AAAA">`, ``},
		{"relative links are resolved", `<a href="../b">b</a>`, `<a href="https://e.com/b" rel="nofollow">b</a>`},
		{"image sources are resolved", `<img src="a.png">`, `<img src="https://e.com/x/a.png">`},
		{"mailto stays", `<a href="mailto:a@e.com">m</a>`, `<a href="mailto:a@e.com" rel="nofollow">m</a>`},
		{"iframes go", `<iframe src="https://evil.example/"></iframe>ok`, `ok`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sanitizeHTML(tt.in, "https://e.com/x/y"); got != tt.want {
				t.Errorf("sanitizeHTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want scout.ErrorClass
	}{
		{nil, scout.ErrorNone},
		{fmt.Errorf("parse: %w", ErrNotAFeed), scout.ErrorNotAFeed},
		{fmt.Errorf("parse: %w", ErrParse), scout.ErrorParse},
		{errors.New("disk full"), scout.ErrorOther},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
