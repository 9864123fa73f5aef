package discover

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// Candidate is a feed a page points to.
type Candidate struct {
	URL   string // absolute http or https URL, without fragment or credentials
	Title string // the link's title or text, whitespace collapsed; may be empty
	Type  string // TypeRSS, TypeAtom or TypeJSON
}

// The candidate types.
const (
	TypeRSS  = "rss"  // RSS 0.9x, 1.0 (RDF) or 2.0
	TypeAtom = "atom" // Atom 1.0 or 0.3
	TypeJSON = "json" // JSON Feed
)

// Limits applied by FromHTML.
const (
	// DefaultMax is the number of candidates FromHTML returns when given max <= 0.
	DefaultMax = 10
	// MaxScanBytes is how much of a page FromHTML reads.
	MaxScanBytes = 1 << 20
	// maxURLLength drops absurd hrefs, which no feed has.
	maxURLLength = 2048
	// maxTitleBytes bounds a candidate's title.
	maxTitleBytes = 300
)

// Ranks order candidates: declared feeds first, comment feeds after them,
// links found in the page's body last.
const (
	rankLink = iota
	rankCommentsLink
	rankAnchor
)

// FromHTML returns the feeds that page, fetched from pageURL, points to, best
// first and at most max of them (DefaultMax when max <= 0). It reads
// <link rel="alternate"> elements with an RSS, Atom or JSON Feed type and
// links whose rel includes "feed"; when the head declares none, it goes on
// into the body for <a href> links whose path looks like a feed (/feed, /rss,
// /atom, .rss, .xml, feed.json) and ranks those lower. Only the first
// MaxScanBytes of page are read.
//
// Hrefs are resolved against the page's first <base href>, itself resolved
// against pageURL. Candidates that are not http or https (javascript:, data:
// …) or that carry credentials are dropped, as are repeats of the same URL.
// A page without feeds gives an empty slice and no error. The only error is a
// pageURL that is not an absolute http or https URL; it wraps scout.ErrInvalid.
func FromHTML(page []byte, pageURL string, max int) ([]Candidate, error) {
	base, err := url.Parse(pageURL)
	if err != nil || !isWebURL(base) {
		return nil, fmt.Errorf("discover feeds: %w", scout.Invalid("url", "must be an absolute http or https URL"))
	}
	if max <= 0 {
		max = DefaultMax
	}
	if len(page) > MaxScanBytes {
		page = page[:MaxScanBytes]
	}
	res := scan(toUTF8(page))
	return resolve(res, base, max), nil
}

// found is a raw candidate as it appeared in the page.
type found struct {
	href, title, typ string
	rank             int
}

// resolve makes the hrefs absolute, filters and dedupes them, and orders
// them by rank, keeping document order within a rank.
func resolve(res scanResult, page *url.URL, max int) []Candidate {
	base := page
	if res.base != "" {
		if b, err := page.Parse(strings.TrimSpace(res.base)); err == nil && isWebURL(b) && b.User == nil {
			base = b
		}
	}
	slices.SortStableFunc(res.found, func(a, b found) int { return a.rank - b.rank })
	out := []Candidate{}
	seen := make(map[string]bool)
	for _, f := range res.found {
		u, ok := absolute(base, f.href)
		if !ok || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, Candidate{URL: u, Title: cleanTitle(f.title), Type: f.typ})
		if len(out) == max {
			break
		}
	}
	return out
}

// absolute resolves href against base and returns it if it is a feed URL
// Scout may store: http or https, with a host, without credentials (a URL
// with a password would leak it into logs and API responses).
func absolute(base *url.URL, href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || len(href) > maxURLLength {
		return "", false
	}
	u, err := base.Parse(href)
	if err != nil || !isWebURL(u) || u.User != nil {
		return "", false
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	s := u.String()
	return s, len(s) <= maxURLLength
}

func isWebURL(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != ""
}

// typeFromPath guesses a feed type from the path of a link that does not
// declare one; ok is false when the path does not look like a feed.
func typeFromPath(href string) (typ string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", false
	}
	if f := strings.ToLower(u.Query().Get("feed")); f != "" { // WordPress: /?feed=rss2
		switch {
		case strings.HasPrefix(f, "rss"), f == "rdf":
			return TypeRSS, true
		case f == "atom":
			return TypeAtom, true
		}
	}
	p := strings.ToLower(strings.TrimSuffix(u.Path, "/"))
	name := path.Base(p)
	switch {
	case name == "feed.json" || strings.HasSuffix(name, ".json") && strings.Contains(p, "feed"):
		return TypeJSON, true
	case name == "atom" || strings.HasSuffix(name, ".atom") || strings.HasSuffix(name, ".xml") && strings.Contains(name, "atom"):
		return TypeAtom, true
	case name == "feed" || name == "rss" || strings.HasSuffix(name, ".rss") || name == "rss2" || name == "rdf":
		return TypeRSS, true
	case strings.HasSuffix(name, ".xml") && !strings.Contains(name, "sitemap"):
		return TypeRSS, true
	}
	return "", false
}

// cleanTitle collapses white space, drops invalid UTF-8 and cuts the title
// at maxTitleBytes on a rune boundary.
func cleanTitle(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	if len(s) <= maxTitleBytes {
		return s
	}
	cut := maxTitleBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
