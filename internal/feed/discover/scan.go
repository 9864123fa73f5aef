package discover

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// maxFound bounds the raw candidates collected from one page, so that a page
// made of nothing but links costs little.
const maxFound = 500

// scanResult is what a scan of a page collected, hrefs still unresolved.
type scanResult struct {
	base  string // the first <base href>, if any
	found []found
}

// scanner walks a page's tokens.
type scanner struct {
	z     *html.Tokenizer
	res   scanResult
	links int // candidates declared with <link>
}

// scan collects feed candidates from page. It stops at </head> or <body> once
// a <link> has declared a feed; otherwise it reads on through the body for
// anchors that look like feeds.
func scan(page []byte) scanResult {
	s := &scanner{z: html.NewTokenizer(bytes.NewReader(page))}
	for len(s.res.found) < maxFound {
		switch s.z.Next() {
		case html.ErrorToken:
			return s.res
		case html.StartTagToken, html.SelfClosingTagToken:
			if s.startTag() {
				return s.res
			}
		case html.EndTagToken:
			if name, _ := s.z.TagName(); string(name) == "head" && s.links > 0 {
				return s.res
			}
		}
	}
	return s.res
}

// startTag handles one start tag and reports whether scanning can stop.
func (s *scanner) startTag() bool {
	name, _ := s.z.TagName()
	switch string(name) {
	case "body":
		return s.links > 0
	case "base":
		if a := s.attrs(); s.res.base == "" && a.href != "" {
			s.res.base = a.href // only the first base with an href counts
		}
	case "link":
		if f, ok := linkCandidate(s.attrs()); ok {
			s.res.found = append(s.res.found, f)
			s.links++
		}
	case "a":
		a := s.attrs()
		if typ, ok := typeFromPath(a.href); ok {
			title := a.title
			if title == "" {
				title = s.anchorText()
			}
			s.res.found = append(s.res.found, found{href: a.href, title: title, typ: typ, rank: rankAnchor})
		}
	}
	return false
}

// tagAttrs are the attributes discovery looks at.
type tagAttrs struct {
	rel, typ, href, title string
}

// attrs reads the current tag's attributes; as in HTML, the first of a
// repeated attribute wins.
func (s *scanner) attrs() tagAttrs {
	var a tagAttrs
	seen := make(map[string]bool, 4)
	for more := true; more; {
		var k, v []byte
		k, v, more = s.z.TagAttr()
		key := string(k)
		if seen[key] {
			continue
		}
		seen[key] = true
		switch key {
		case "rel":
			a.rel = string(v)
		case "type":
			a.typ = string(v)
		case "href":
			a.href = string(v)
		case "title":
			a.title = string(v)
		}
	}
	return a
}

// anchorText reads the text of the current <a> element, up to a few tokens.
func (s *scanner) anchorText() string {
	var b strings.Builder
	for range 16 {
		switch s.z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if b.Len() < maxTitleBytes {
				b.Write(s.z.Text())
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			if name, _ := s.z.TagName(); string(name) == "a" {
				return b.String()
			}
		}
	}
	return b.String()
}

// linkCandidate reads a <link> element: rel must include "alternate" with a
// feed media type, or "feed" with a feed type or none.
func linkCandidate(a tagAttrs) (found, bool) {
	rels := strings.Fields(strings.ToLower(a.rel))
	alternate, feed := slices.Contains(rels, "alternate"), slices.Contains(rels, "feed")
	if !alternate && !feed {
		return found{}, false
	}
	mt := mediaType(a.typ)
	typ, ok := typeFromMedia(mt, a.href)
	if !ok {
		if !feed || mt != "" {
			return found{}, false
		}
		if typ, ok = typeFromPath(a.href); !ok {
			typ = TypeRSS
		}
	}
	rank := rankLink
	if strings.Contains(strings.ToLower(a.title), "comments") || strings.Contains(a.href, "/comments/") {
		rank = rankCommentsLink
	}
	return found{href: a.href, title: a.title, typ: typ, rank: rank}, true
}

func mediaType(t string) string {
	t, _, _ = strings.Cut(t, ";")
	return strings.ToLower(strings.TrimSpace(t))
}

// typeFromMedia maps a declared media type to a feed type.
func typeFromMedia(mt, href string) (string, bool) {
	switch mt {
	case "application/rss+xml", "application/rdf+xml", "application/x-rss+xml":
		return TypeRSS, true
	case "application/atom+xml", "application/x.atom+xml", "application/x-atom+xml":
		return TypeAtom, true
	case "application/feed+json":
		return TypeJSON, true
	case "application/json":
		// Older JSON Feeds say application/json, but so does WordPress's REST
		// API link (/wp-json/...), which is no feed.
		h := strings.ToLower(href)
		return TypeJSON, strings.Contains(h, "feed") && !strings.Contains(h, "wp-json")
	case "text/xml", "application/xml":
		if typ, ok := typeFromPath(href); ok {
			return typ, true
		}
		return TypeRSS, true
	}
	return "", false
}

// toUTF8 returns page as UTF-8. Valid UTF-8 is kept as it is; otherwise the
// byte-order mark, then a <meta charset>, decide, with windows-1252 as the
// web's fallback. Only titles depend on this: URLs are ASCII in practice.
func toUTF8(page []byte) []byte {
	utf16 := bytes.HasPrefix(page, []byte("\xFE\xFF")) || bytes.HasPrefix(page, []byte("\xFF\xFE"))
	if !utf16 && utf8.Valid(trimPartialRune(page)) {
		return page
	}
	enc, _, _ := charset.DetermineEncoding(page, "")
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return page
	}
	return out
}

// trimPartialRune drops an incomplete UTF-8 sequence that a cut at
// MaxScanBytes may have left at the end.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			return b
		}
	}
	return b
}
