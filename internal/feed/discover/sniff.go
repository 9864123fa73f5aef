package discover

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/unicode"
)

// commonPaths are where feeds usually live, most likely first: WordPress and
// most CMSs (/feed, /rss), static site generators (/index.xml for Hugo,
// /feed.xml for Jekyll, /atom.xml), JSON Feed, and WordPress without pretty
// permalinks.
var commonPaths = []string{"/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json", "/?feed=rss2"}

// CommonPaths returns the URLs to probe for a feed when the page at pageURL
// declares none: the usual feed paths on the page's origin (scheme and host,
// without credentials). It returns nil when pageURL is not an absolute http or
// https URL.
func CommonPaths(pageURL string) []string {
	u, err := url.Parse(pageURL)
	if err != nil || !isWebURL(u) {
		return nil
	}
	origin := u.Scheme + "://" + strings.ToLower(u.Host)
	out := make([]string, len(commonPaths))
	for i, p := range commonPaths {
		out[i] = origin + p
	}
	return out
}

// sniffBytes is how much of a body LooksLikeFeed examines: enough to pass an
// XML declaration, a stylesheet instruction and a long licence comment.
const sniffBytes = 16 << 10

// jsonFeedVersion matches JSON Feed's required version key; slashes may be
// escaped, as some JSON encoders do by default.
var jsonFeedVersion = regexp.MustCompile(`"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/`)

// LooksLikeFeed reports whether body starts like a feed: after a byte-order
// mark and white space, an XML document whose root element is <rss>, <feed>
// or <rdf:RDF>, or a JSON object with JSON Feed's version key. It reads at
// most the first 16 KiB and does not validate the rest; it tells a feed from
// an HTML page served in its place.
func LooksLikeFeed(body []byte) bool {
	if len(body) > sniffBytes {
		body = body[:sniffBytes]
	}
	body = sniffText(body)
	switch {
	case len(body) == 0:
		return false
	case body[0] == '{':
		return jsonFeedVersion.Match(body)
	case body[0] == '<':
		return isFeedRoot(rootElement(body))
	}
	return false
}

// sniffText drops a UTF-8 byte-order mark, decodes UTF-16 (recognised by its
// mark) and trims leading white space.
func sniffText(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("\xFE\xFF")) || bytes.HasPrefix(b, []byte("\xFF\xFE")) {
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		u, err := dec.Bytes(b[:len(b)&^1])
		if err != nil {
			return nil
		}
		b = u
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	return bytes.TrimLeft(b, " \t\r\n")
}

// rootElement returns the local name of the first element in b, or "".
func rootElement(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	// Only the root's name matters, and it is ASCII in every charset a feed
	// may declare, so the bytes are read as they are.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t.Name.Local
		}
	}
}

func isFeedRoot(name string) bool {
	switch strings.ToLower(name) {
	case "rss", "feed", "rdf":
		return true
	}
	return false
}
