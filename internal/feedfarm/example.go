package feedfarm

import (
	"fmt"
	"net/http"
	"time"
)

// The example feed is a short hand-written one beside the generated feeds,
// for the README's walkthrough: a residency and a fellowship that are open,
// and a residency that closed, whose deadlines keep their distance from the
// farm's start so that the walkthrough reads the same in any year. It is not
// in the farm's OPML, so adding it is adding a new source.
const (
	ExamplePage = "/example/"
	ExampleFeed = "/example/feed.xml"
)

func (f *Farm) serveExamplePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html>
<html><head><title>Dunes Arts Network</title>
<link rel="alternate" type="application/rss+xml" title="Dunes Arts Network: open calls" href="%s">
</head><body><h1>Dunes Arts Network</h1><p>Open calls for artists and writers.</p></body></html>
`, ExampleFeed)
}

func (f *Farm) serveExampleFeed(w http.ResponseWriter, r *http.Request) {
	day := func(days int) time.Time { return f.start.UTC().Truncate(24*time.Hour).AddDate(0, 0, days) }
	pub := func(days int) string { return day(days).Add(9 * time.Hour).Format(time.RFC1123Z) }
	date := func(days int) string { return day(days).Format("2 January 2006") }
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Dunes Arts Network: open calls</title>
  <link>http://dunes.example/</link>
  <description>Residencies and fellowships for artists and writers.</description>
  <item>
    <title>Artist residency in the dunes: four weeks for visual artists</title>
    <link>http://dunes.example/residency-dunes</link>
    <guid>residency-dunes</guid>
    <pubDate>%s</pubDate>
    <description>A fully funded artist residency for painters and sculptors. Applications close on %s. A stipend of $3,000 is included.</description>
  </item>
  <item>
    <title>Writing fellowship for early-career poets</title>
    <link>http://dunes.example/poetry-fellowship</link>
    <guid>poetry-fellowship</guid>
    <pubDate>%s</pubDate>
    <description>A one-year fellowship of $20,000 for poets. Deadline: %s.</description>
  </item>
  <item>
    <title>Artist residency by the lake (closed)</title>
    <link>http://dunes.example/residency-lake</link>
    <guid>residency-lake</guid>
    <pubDate>%s</pubDate>
    <description>This artist residency is closed. Deadline: %s.</description>
  </item>
</channel>
</rss>
`, pub(-2), date(120), pub(-1), date(200), pub(-60), date(-30))
}
