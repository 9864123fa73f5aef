package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	gofeedjson "github.com/mmcdole/gofeed/json"

	"github.com/scoutdev/scout/internal/scout"
)

// Defaults for Options fields left zero.
const (
	DefaultMaxItems      = 1000
	DefaultMaxFieldBytes = 64 << 10
	DefaultMaxDepth      = 64
)

// Options bounds what Parse keeps. Zero fields take the defaults above.
type Options struct {
	// MaxItems is how many items of one document are kept, the first ones in
	// document order.
	MaxItems int
	// MaxFieldBytes caps the content fields (ContentHTML, ContentText).
	// Title, author, GUID, categories and other short fields get a smaller
	// cap of at most shortFieldBytes.
	MaxFieldBytes int
	// MaxDepth is the deepest element nesting accepted in an XML document.
	MaxDepth int
	// Now stamps items that have no usable date and bounds dates in the
	// future. It defaults to time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.MaxItems <= 0 {
		o.MaxItems = DefaultMaxItems
	}
	if o.MaxFieldBytes <= 0 {
		o.MaxFieldBytes = DefaultMaxFieldBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Feed is a parsed and normalized feed document.
type Feed struct {
	Title       string // plain text
	SiteURL     string // canonical URL of the site the feed belongs to; may be empty
	Description string // plain text
	Language    string
	// TTL is how long the publisher asks readers to cache the feed (RSS ttl
	// or the syndication module); zero when the feed does not say.
	TTL   time.Duration
	Items []scout.Item // document order, not deduplicated
	// Format is "rss", "atom" or "json".
	Format string
}

// Parse decodes, checks, parses and normalizes one fetched feed document.
// contentType is the HTTP Content-Type (its charset is used when the
// document does not declare one); feedURL is the URL the document was
// fetched from and the base for relative links. Items keep document order
// and are not deduplicated. It returns an error wrapping ErrNotAFeed when
// the document is an HTML page or not a feed at all, and one wrapping
// ErrParse when it cannot be read. Parse is safe for concurrent use.
func Parse(body []byte, contentType, feedURL string, opts Options) (*Feed, error) {
	opts = opts.withDefaults()
	text, err := Decode(body, contentType)
	if err != nil {
		return nil, err
	}
	root, err := sniff(text, opts.MaxDepth)
	if err != nil {
		return nil, err
	}
	gf, err := parseDocument(text)
	if err != nil {
		return nil, err
	}
	switch root {
	case "rdf":
		fillRDFAbout(gf, text)
	case "json":
		escapeJSONText(gf)
	}
	return normalizeFeed(gf, feedURL, opts), nil
}

// sniff rejects what is plainly not a feed, and XML nested too deep for the
// parser, before the parser sees it. It returns the local name of the root
// element in lower case ("rss", "rdf", "feed"), or "json".
func sniff(text []byte, maxDepth int) (string, error) {
	if len(text) == 0 {
		return "", fmt.Errorf("%w: the document is empty", ErrNotAFeed)
	}
	switch text[0] {
	case '{':
		return "json", nil
	case '<':
	default:
		return "", fmt.Errorf("%w: the document starts with %q, not with markup", ErrNotAFeed, preview(text))
	}
	if hasPrefixFold(text, "<!doctype html") {
		return "", fmt.Errorf("%w: the document is an HTML page", ErrNotAFeed)
	}
	root, err := scanMarkup(text, maxDepth)
	if err != nil {
		return "", err
	}
	local := strings.ToLower(root[strings.IndexByte(root, ':')+1:])
	switch local {
	case "rss", "rdf", "feed":
		return local, nil
	case "html":
		return "", fmt.Errorf("%w: the document is an HTML page", ErrNotAFeed)
	case "":
		return "", fmt.Errorf("%w: the document has no root element", ErrNotAFeed)
	}
	return "", fmt.Errorf("%w: the root element is <%s>, not <rss>, <rdf:RDF> or <feed>", ErrNotAFeed, preview([]byte(root)))
}

// fillRDFAbout gives the items of an RSS 1.0 document without a GUID their
// rdf:about URI, the identifier RSS 1.0 defines, which the parser drops. The
// URIs are matched to items by position, so nothing is filled when the
// counts differ.
func fillRDFAbout(gf *gofeed.Feed, text []byte) {
	abouts := rdfAbouts(text)
	if len(abouts) != len(gf.Items) {
		return
	}
	for i, it := range gf.Items {
		if strings.TrimSpace(it.GUID) == "" {
			it.GUID = abouts[i]
		}
	}
}

// escapeJSONText turns the content_text of JSON Feed items that have no
// content_html into HTML, since the parser hands either one over as Content
// and text such as "a <b> c" must not lose its "<b>".
func escapeJSONText(gf *gofeed.Feed) {
	jf, ok := gf.OriginalFeed().(*gofeedjson.Feed)
	if !ok || len(jf.Items) != len(gf.Items) {
		return
	}
	for i, ji := range jf.Items {
		if ji != nil && ji.ContentHTML == "" && ji.ContentText != "" && gf.Items[i] != nil {
			gf.Items[i].Content = textHTML(ji.ContentText)
		}
	}
}

// textHTML turns plain text into HTML that shows the same text.
func textHTML(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>\n")
}

// rdfAbouts lists the rdf:about attribute ("" when absent) of each <item>
// child of the root element, in document order.
func rdfAbouts(text []byte) []string {
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	var abouts []string
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return abouts
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth == 2 && t.Name.Local == "item" {
				abouts = append(abouts, attrValue(t.Attr, "about"))
			}
		case xml.EndElement:
			depth--
		}
	}
}

func attrValue(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// parseDocument runs the third-party parser on UTF-8 text. A panic inside it
// is turned into ErrParse: one hostile document must not stop the others.
func parseDocument(text []byte) (gf *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			gf, err = nil, fmt.Errorf("%w: parser panic: %v", ErrParse, r)
		}
	}()
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true // for the RSS ttl, which the universal type drops
	// itemImage scans the content for an image itself, only when it holds one.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	gf, err = p.Parse(bytes.NewReader(text))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, fmt.Errorf("%w: the document is not RSS, Atom or JSON Feed", ErrNotAFeed)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrParse, err)
	case gf.FeedType == "json" && !strings.Contains(gf.FeedVersion, "jsonfeed.org"):
		return nil, fmt.Errorf("%w: the JSON document has no JSON Feed version", ErrNotAFeed)
	}
	return gf, nil
}

// preview returns the start of b for an error message.
func preview(b []byte) string {
	const n = 40
	s := strings.ToValidUTF8(string(b[:min(len(b), n)]), "")
	return strings.Join(strings.Fields(s), " ")
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}
