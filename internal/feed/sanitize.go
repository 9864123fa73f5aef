package feed

import (
	"net/url"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// ugcPolicy is built once; a bluemonday policy is safe for concurrent use
// once built.
var ugcPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Relative URLs were resolved before sanitizing; one left relative has
	// no base and would point into Scout's own pages, so it is dropped.
	p.AllowRelativeURLs(false)
	p.AllowURLSchemes("http", "https", "mailto")
	return p
})

// sanitizeHTML makes the URLs of an HTML fragment absolute against base and
// then sanitizes it with the UGC policy: no scripts, styles, event handlers,
// forms or non-web URLs (stored HTML is shown to other people: XSS).
func sanitizeHTML(s, base string) string {
	if s == "" {
		return ""
	}
	return strings.TrimSpace(ugcPolicy().Sanitize(resolveHTML(s, base)))
}

// urlAttrs are the attributes holding one URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true, "cite": true, "longdesc": true}

// resolveHTML rewrites the relative URLs of an HTML fragment against base.
// Tags it does not change are copied byte for byte.
func resolveHTML(s, base string) string {
	if base == "" || !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		tok := z.Token()
		if !resolveAttrs(tok.Attr, base) {
			b.Write(raw)
			continue
		}
		b.WriteString(tok.String())
	}
}

// resolveAttrs resolves the URL attributes in attrs in place and reports
// whether any changed.
func resolveAttrs(attrs []html.Attribute, base string) bool {
	changed := false
	for i, a := range attrs {
		if !urlAttrs[a.Key] {
			continue
		}
		if v := resolveOne(a.Val, base); v != a.Val {
			attrs[i].Val, changed = v, true
		}
	}
	return changed
}

// resolveOne resolves a relative URL against base; absolute or unparsable
// values are returned as they are (the sanitizer judges them).
func resolveOne(v, base string) string {
	t := strings.TrimSpace(v)
	if u, err := url.Parse(t); t == "" || err != nil || u.Scheme != "" {
		return v
	}
	if abs := absoluteURL(t, base); abs != "" {
		return abs
	}
	return v
}
