package discover

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

func TestFromHTMLFixtures(t *testing.T) {
	tests := []struct {
		file, pageURL string
		max           int
		want          []Candidate
	}{
		{"wordpress.html", "https://artsgrants.example.org/", 0, []Candidate{
			{URL: "https://artsgrants.example.org/feed/", Title: "Arts Council Grants » Feed", Type: TypeRSS},
			{URL: "https://artsgrants.example.org/comments/feed/", Title: "Arts Council Grants » Comments Feed", Type: TypeRSS},
		}},
		{"wordpress.html", "https://artsgrants.example.org/", 1, []Candidate{
			{URL: "https://artsgrants.example.org/feed/", Title: "Arts Council Grants » Feed", Type: TypeRSS},
		}},
		{"ghost.html", "https://opencalls.example.com/", 0, []Candidate{
			{URL: "https://opencalls.example.com/rss/", Title: "Open Calls Weekly", Type: TypeRSS},
		}},
		{"substack.html", "https://fellowshipfinder.substack.com/", 0, []Candidate{
			{URL: "https://fellowshipfinder.substack.com/feed", Title: "Fellowship Finder", Type: TypeRSS},
		}},
		{"base-href.html", "https://mirror.example.com/index.html", 0, []Candidate{
			{URL: "https://mirror.example.com/blog/2026/atom.xml", Title: "Atom", Type: TypeAtom},
			{URL: "https://mirror.example.com/blog/rss.xml", Title: "Up one", Type: TypeRSS},
			{URL: "https://mirror.example.com/feed", Title: "Root", Type: TypeRSS},
			{URL: "https://feeds.example.org/mirror", Title: "Protocol relative", Type: TypeRSS},
		}},
		{"relative.html", "http://rel.example.com/dir/page.html", 0, []Candidate{
			{URL: "http://rel.example.com/dir/feed.xml", Title: "Relative feed", Type: TypeRSS},
			{URL: "http://rel.example.com/dir/page.html?feed=atom", Title: "Query", Type: TypeAtom},
			{URL: "http://rel.example.com/updates", Title: "Old HTML5 rel=feed", Type: TypeRSS},
			{URL: "http://rel.example.com/atom/", Title: "Both rels", Type: TypeAtom},
		}},
		{"duplicates.html", "https://dup.example.com/", 0, []Candidate{
			{URL: "https://dup.example.com/feed", Title: "First", Type: TypeRSS},
			{URL: "https://dup.example.com/atom.xml", Title: "Atom", Type: TypeAtom},
		}},
		{"hostile.html", "https://hostile.example.com/", 0, []Candidate{
			{URL: "https://hostile.example.com/good.rss", Title: "The one good feed", Type: TypeRSS},
		}},
		{"body-links.html", "https://smallfoundation.example.org/grants/", 0, []Candidate{
			{URL: "https://smallfoundation.example.org/news/rss", Title: "RSS", Type: TypeRSS},
			{URL: "https://smallfoundation.example.org/atom.xml", Title: "Atom feed", Type: TypeAtom},
			{URL: "https://smallfoundation.example.org/feed.json", Title: "JSON Feed", Type: TypeJSON},
			{URL: "https://smallfoundation.example.org/calls.rss", Title: "calls only", Type: TypeRSS},
			{URL: "https://smallfoundation.example.org/feed/", Title: "Feed", Type: TypeRSS},
		}},
		{"jsonfeed.html", "https://micro.example.com/", 0, []Candidate{
			{URL: "https://micro.example.com/feed.json", Title: "JSON Feed", Type: TypeJSON},
			{URL: "https://micro.example.com/feeds/legacy.json", Title: "Legacy JSON Feed", Type: TypeJSON},
			{URL: "https://micro.example.com/index.xml", Title: "RSS", Type: TypeRSS},
		}},
		{"latin1.html", "http://bourses.example.fr/", 0, []Candidate{
			{URL: "http://bourses.example.fr/flux.rss", Title: "Bourses d'été", Type: TypeRSS},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := FromHTML(mustRead(t, tt.file), tt.pageURL, tt.max)
			if err != nil {
				t.Fatalf("FromHTML: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromHTMLInline(t *testing.T) {
	const page = "https://site.example/"
	link := `<link rel="alternate" type="application/rss+xml" href="/late.xml">`
	tests := []struct {
		name string
		html string
		want []Candidate
	}{
		{"a page without feeds gives an empty list", "<html><head><title>x</title></head><body><a href='/about'>x</a></body></html>", []Candidate{}},
		{"an empty page gives an empty list", "", []Candidate{}},
		{"a link past MaxScanBytes is not read", "<html><head>" + strings.Repeat(" ", MaxScanBytes) + link, []Candidate{}},
		{"a link in the body still counts", "<html><body><p>" + link, []Candidate{{URL: "https://site.example/late.xml", Type: TypeRSS}}},
		{"links in head outrank anchors in body that come first", `<a href="/feed">body</a>` + link,
			[]Candidate{{URL: "https://site.example/late.xml", Type: TypeRSS}, {URL: "https://site.example/feed", Title: "body", Type: TypeRSS}}},
		{"a link repeated a thousand times is listed once", strings.Repeat(link, 1000), []Candidate{{URL: "https://site.example/late.xml", Type: TypeRSS}}},
		{"a very long title is cut", `<link rel="alternate" type="application/rss+xml" href="/f" title="` + strings.Repeat("é", 400) + `">`,
			[]Candidate{{URL: "https://site.example/f", Title: strings.Repeat("é", maxTitleBytes/2), Type: TypeRSS}}},
		{"an overlong href is dropped", `<link rel="alternate" type="application/rss+xml" href="/` + strings.Repeat("a", maxURLLength) + `">`, []Candidate{}},
		{"the first of repeated attributes wins", `<link rel="alternate" type="application/atom+xml" type="text/html" href="/a" href="/b">`,
			[]Candidate{{URL: "https://site.example/a", Type: TypeAtom}}},
		{"unclosed markup ends the scan quietly", `<link rel="alternate" type="application/rss+xml" href="/f`, []Candidate{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromHTML([]byte(tt.html), page, 0)
			if err != nil {
				t.Fatalf("FromHTML: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromHTMLBoundsTheCount(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		b.WriteString(`<link rel="alternate" type="application/rss+xml" href="/f` + strings.Repeat("x", i) + `">`)
	}
	tests := []struct {
		name string
		max  int
		want int
	}{
		{"max chosen by the caller", 3, 3},
		{"the default when max is zero", 0, DefaultMax},
		{"the default when max is negative", -1, DefaultMax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromHTML([]byte(b.String()), "https://many.example/", tt.max)
			if err != nil {
				t.Fatalf("FromHTML: %v", err)
			}
			if len(got) != tt.want {
				t.Errorf("got %d candidates, want %d", len(got), tt.want)
			}
		})
	}
}

func TestFromHTMLRejectsBadPageURLs(t *testing.T) {
	for _, pageURL := range []string{"", "example.com/page", "/relative", "ftp://example.com/", "javascript:alert(1)", "https://", "http://:80/", "https://exa mple.com/"} {
		t.Run(pageURL, func(t *testing.T) {
			_, err := FromHTML([]byte("<html></html>"), pageURL, 0)
			if !errors.Is(err, scout.ErrInvalid) {
				t.Errorf("error = %v, want scout.ErrInvalid", err)
			}
		})
	}
}

func TestCommonPaths(t *testing.T) {
	tests := []struct {
		name, pageURL string
		want          []string
	}{
		{"a deep page probes its origin", "https://Blog.Example.com:8443/2026/03/post.html?x=1#top", []string{
			"https://blog.example.com:8443/feed", "https://blog.example.com:8443/rss", "https://blog.example.com:8443/rss.xml",
			"https://blog.example.com:8443/atom.xml", "https://blog.example.com:8443/feed.xml", "https://blog.example.com:8443/index.xml",
			"https://blog.example.com:8443/feed.json", "https://blog.example.com:8443/?feed=rss2",
		}},
		{"credentials are not carried over", "http://user:pw@plain.example/", []string{
			"http://plain.example/feed", "http://plain.example/rss", "http://plain.example/rss.xml", "http://plain.example/atom.xml",
			"http://plain.example/feed.xml", "http://plain.example/index.xml", "http://plain.example/feed.json", "http://plain.example/?feed=rss2",
		}},
		{"not http", "ftp://files.example/", nil},
		{"not absolute", "/just/a/path", nil},
		{"not a URL", "%%%", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, CommonPaths(tt.pageURL)); diff != "" {
				t.Errorf("CommonPaths (-want +got):\n%s", diff)
			}
		})
	}
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
