package feedfarm

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"
)

// The example feed is a short hand-written one beside the generated feeds,
// for the README's walkthrough: a residency and a fellowship that are open,
// and a residency that closed, whose deadlines keep their distance from the
// farm's start so that the walkthrough reads the same in any year. It is not
// in the farm's OPML, so adding it is adding a new source.
//
// The same calls are on a listing of two pages (ExampleCalls) with a page
// for each, for an html source: articles under .listing with an h3 link and
// a time, a rel=next link, and the call's text in .call__body.
const (
	ExamplePage  = "/example/"
	ExampleFeed  = "/example/feed.xml"
	ExampleCalls = "/example/calls"
)

// exampleCall is one of the example's calls: its deadline and publication
// in days from the farm's start.
type exampleCall struct {
	slug, title, text string
	deadline, pub     int
}

var exampleCalls = []exampleCall{
	{"residency-dunes", "Artist residency in the dunes: four weeks for visual artists",
		"A fully funded artist residency for painters and sculptors. Applications close on %s. A stipend of $3,000 is included.", 120, -2},
	{"poetry-fellowship", "Writing fellowship for early-career poets",
		"A one-year fellowship of $20,000 for poets. Deadline: %s.", 200, -1},
	{"residency-lake", "Artist residency by the lake (closed)",
		"This artist residency is closed. Deadline: %s.", -30, -60},
}

func (f *Farm) serveExamplePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html>
<html><head><title>Dunes Arts Network</title>
<link rel="alternate" type="application/rss+xml" title="Dunes Arts Network: open calls" href="%s">
</head><body><h1>Dunes Arts Network</h1><p>Open calls for artists and writers.</p></body></html>
`, ExampleFeed)
}

// day is midnight UTC of the day days after the farm's start.
func (f *Farm) day(days int) time.Time {
	return f.start.UTC().Truncate(24*time.Hour).AddDate(0, 0, days)
}

func (f *Farm) exampleText(c exampleCall) string {
	return fmt.Sprintf(c.text, f.day(c.deadline).Format("2 January 2006"))
}

func (f *Farm) serveExampleFeed(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Dunes Arts Network: open calls</title>
  <link>http://dunes.example/</link>
  <description>Residencies and fellowships for artists and writers.</description>
`)
	for _, c := range exampleCalls {
		fmt.Fprintf(&b, `  <item>
    <title>%s</title>
    <link>http://dunes.example/%s</link>
    <guid>%s</guid>
    <pubDate>%s</pubDate>
    <description>%s</description>
  </item>
`, c.title, c.slug, c.slug, f.day(c.pub).Add(9*time.Hour).Format(time.RFC1123Z), html.EscapeString(f.exampleText(c)))
	}
	b.WriteString("</channel>\n</rss>\n")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	io.WriteString(w, b.String())
}

// serveExampleCalls serves the listing: two calls on the first page, the
// third on the second (?page=2).
func (f *Farm) serveExampleCalls(w http.ResponseWriter, r *http.Request) {
	calls, next := exampleCalls[:2], `<a rel="next" href="`+ExampleCalls+`?page=2">Older calls</a>`
	if r.URL.Query().Get("page") == "2" {
		calls, next = exampleCalls[2:], ""
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html><head><title>Open calls: Dunes Arts Network</title></head><body>\n<section class=\"listing\">\n")
	for _, c := range calls {
		fmt.Fprintf(&b, "<article><h3><a href=\"%s/%s\">%s</a></h3><time datetime=\"%s\">%s</time></article>\n",
			ExampleCalls, c.slug, html.EscapeString(c.title), f.day(c.pub).Format(time.DateOnly), f.day(c.pub).Format("2 January 2006"))
	}
	fmt.Fprintf(&b, "</section>\n%s\n</body></html>\n", next)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, b.String())
}

// serveExampleCall serves one call's own page.
func (f *Farm) serveExampleCall(w http.ResponseWriter, r *http.Request) {
	for _, c := range exampleCalls {
		if c.slug == r.PathValue("slug") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!doctype html>\n<html><head><title>%s</title></head><body><h1>%s</h1>\n<div class=\"call__body\"><p>%s</p></div>\n</body></html>\n",
				html.EscapeString(c.title), html.EscapeString(c.title), html.EscapeString(f.exampleText(c)))
			return
		}
	}
	http.NotFound(w, r)
}
