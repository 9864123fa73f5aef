package feed

import (
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"

	"github.com/scoutdev/scout/internal/scout"
)

// cleanText makes s valid UTF-8 without NUL, control characters or
// non-characters. Entities such as &#1; decode to characters Decode could
// not see in the raw bytes.
func cleanText(s string) string {
	if firstRejected([]byte(s), textChar) < 0 {
		return s
	}
	return string(stripChars([]byte(s), textChar))
}

// itemAuthor joins the item's author names (Atom entries without authors
// inherit the feed's), falling back to e-mail addresses.
func itemAuthor(gf *gofeed.Feed, it *gofeed.Item) string {
	people := it.Authors
	if len(people) == 0 && it.Author != nil {
		people = []*gofeed.Person{it.Author}
	}
	if len(people) == 0 && gf.FeedType == "atom" {
		people = gf.Authors
	}
	var names []string
	for _, p := range people {
		if p == nil {
			continue
		}
		n := plainText(p.Name)
		if n == "" {
			n = strings.TrimSpace(p.Email)
		}
		if n != "" {
			names = append(names, n)
		}
	}
	return truncate(cleanText(strings.Join(names, ", ")), shortFieldBytes)
}

// itemDate returns the item's publication date, else its update date, in
// UTC. A missing date, or one before 1995 or more than futureSlack ahead of
// now, gives now and true.
func itemDate(it *gofeed.Item, now time.Time) (time.Time, bool) {
	for _, t := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
		if t != nil && saneDate(*t, now) {
			return t.UTC(), false
		}
	}
	for _, s := range []string{it.Published, it.Updated} {
		if t := looseDate(s); t != nil && saneDate(*t, now) {
			return t.UTC(), false
		}
	}
	return now, true
}

// saneDate reports whether t is after 1995 and not more than futureSlack
// ahead of now.
func saneDate(t, now time.Time) bool {
	return !t.Before(earliestDate) && !t.After(now.Add(futureSlack))
}

// looseLayouts are date forms seen in real feeds that the parser does not
// read. They have no zone, so they are taken as UTC.
var looseLayouts = []string{
	"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02 15:04:05",
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2",
}

// looseDate parses s with looseLayouts, or returns nil.
func looseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range looseLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	return nil
}

// itemImage returns the item's image (a Media RSS thumbnail, else what the
// parser picked: iTunes image, Media RSS image, image enclosure; else, in an
// RSS feed, the first image of the content, then of the description) as an
// absolute URL, or "".
func itemImage(format string, it *gofeed.Item, base string) string {
	if u := absoluteURL(cleanText(mediaThumbnail(it.Extensions)), base); u != "" {
		return u
	}
	if it.Image != nil {
		if u := absoluteURL(cleanText(it.Image.URL), base); u != "" {
			return u
		}
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(e.Type, "image/") {
			return absoluteURL(cleanText(e.URL), base)
		}
	}
	if format != "rss" {
		return ""
	}
	src, ok := firstImageSrc(it.Content)
	if !ok {
		src, _ = firstImageSrc(it.Description)
	}
	return absoluteURL(cleanText(src), base)
}

// firstImageSrc returns the src of the first <img> in an HTML fragment that
// has one, as the parser's own content scan did (parseDocument turns that
// scan off: it built a whole document tree for every item of an RSS feed, a
// third of the parser's time, though most items hold no image). A fragment
// without "<im" in any case (img, or image, which the parser reads as img)
// cannot hold one, so it is not tokenized. A fragment with a table, a
// frameset, SVG or MathML is parsed whole, as the parser did: there the
// tree is not the tags in order (an image in a table but out of its cells
// moves before it, SVG takes its HTML-integration points' images as HTML,
// a MathML or frameset image is none), which a token scan gets wrong.
func firstImageSrc(s string) (string, bool) {
	if !containsFold(s, "<im") {
		return "", false
	}
	for _, tag := range treeTags {
		if containsFold(s, tag) {
			return treeImageSrc(s)
		}
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return "", false
		case html.StartTagToken, html.SelfClosingTagToken:
			// The HTML parser reads a start tag "image" as "img".
			if name, hasAttr := z.TagName(); !hasAttr || string(name) != "img" && string(name) != "image" {
				continue
			}
			if src, ok := srcAttr(z); ok {
				return src, true
			}
		}
	}
}

// treeTags start the elements whose images a token scan does not find as
// the parsed document holds them (see firstImageSrc).
var treeTags = []string{"<table", "<svg", "<math", "<frameset"}

// treeImageSrc is the parser's own content scan: the document's tree, then
// the first img element with a src.
func treeImageSrc(s string) (string, bool) {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return "", false
	}
	return firstImgNode(doc)
}

func firstImgNode(n *html.Node) (string, bool) {
	if n.Type == html.ElementNode && n.Data == "img" {
		for _, a := range n.Attr {
			if a.Key == "src" {
				return a.Val, true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if src, ok := firstImgNode(c); ok {
			return src, true
		}
	}
	return "", false
}

// srcAttr returns the value of the current tag's first src attribute.
func srcAttr(z *html.Tokenizer) (string, bool) {
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == "src" {
			return string(v), true
		}
	}
	return "", false
}

// containsFold reports whether s contains the lower-case ASCII sub, ignoring
// ASCII case.
func containsFold(s, sub string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		if len(s)-i >= len(sub) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// mediaThumbnail returns the URL of the first media:thumbnail of an item,
// directly under it or inside a media:group or media:content.
func mediaThumbnail(exts ext.Extensions) string {
	media := exts["media"]
	if media == nil {
		return ""
	}
	if u := firstAttr(media["thumbnail"], "url"); u != "" {
		return u
	}
	for _, key := range []string{"group", "content"} {
		for _, e := range media[key] {
			if u := firstAttr(e.Children["thumbnail"], "url"); u != "" {
				return u
			}
		}
	}
	return ""
}

// mediaDescription returns the first media:description of an item, directly
// under it or inside a media:group (YouTube puts a video's text there).
func mediaDescription(exts ext.Extensions) string {
	media := exts["media"]
	if media == nil {
		return ""
	}
	if d := media["description"]; len(d) > 0 {
		return d[0].Value
	}
	for _, g := range media["group"] {
		if d := g.Children["description"]; len(d) > 0 {
			return d[0].Value
		}
	}
	return ""
}

// mediaKeywords splits the media:keywords of an item (directly under it or
// in a media:group) at commas.
func mediaKeywords(exts ext.Extensions) []string {
	media := exts["media"]
	if media == nil {
		return nil
	}
	kw := media["keywords"]
	for _, g := range media["group"] {
		kw = append(kw, g.Children["keywords"]...)
	}
	var out []string
	for _, k := range kw {
		out = append(out, strings.Split(k.Value, ",")...)
	}
	return out
}

func firstAttr(es []ext.Extension, attr string) string {
	for _, e := range es {
		if v := e.Attrs[attr]; v != "" {
			return v
		}
	}
	return ""
}

// itemEnclosures returns the item's media files with absolute http(s) URLs,
// without duplicates, at most maxEnclosures.
func itemEnclosures(encs []*gofeed.Enclosure, base string) []scout.Enclosure {
	var out []scout.Enclosure
	seen := map[string]bool{}
	for _, e := range encs {
		if e == nil || len(out) == maxEnclosures {
			continue
		}
		u := absoluteURL(cleanText(e.URL), base)
		if u == "" || len(u) > scout.MaxURLLength || seen[u] {
			continue
		}
		seen[u] = true
		n, err := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64)
		if err != nil || n < 0 {
			n = 0
		}
		out = append(out, scout.Enclosure{URL: u, Type: truncate(cleanText(strings.TrimSpace(e.Type)), 255), Length: n})
	}
	return out
}

// itemCategories trims the categories, drops empty ones and duplicates
// (ignoring case) and keeps at most maxCategories.
func itemCategories(cats []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cats {
		c = truncate(cleanText(plainText(c)), maxCategoryBytes)
		k := strings.ToLower(c)
		if c == "" || seen[k] {
			continue
		}
		seen[k] = true
		if out = append(out, c); len(out) == maxCategories {
			break
		}
	}
	return out
}

// maxTTL bounds the cache time a feed may ask for.
const maxTTL = 7 * 24 * time.Hour

// feedTTL reads RSS <ttl> (minutes) or the syndication module's
// updatePeriod and updateFrequency.
func feedTTL(gf *gofeed.Feed) time.Duration {
	var d time.Duration
	if rf, ok := gf.OriginalFeed().(*rss.Feed); ok {
		if m, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && m > 0 {
			d = time.Duration(min(m, int(maxTTL/time.Minute))) * time.Minute
		}
	}
	if d == 0 {
		d = syndicationTTL(gf.Extensions)
	}
	return min(d, maxTTL)
}

// syndicationTTL reads sy:updatePeriod and sy:updateFrequency.
func syndicationTTL(exts ext.Extensions) time.Duration {
	sy := exts["sy"]
	if sy == nil || len(sy["updatePeriod"]) == 0 {
		return 0
	}
	periods := map[string]time.Duration{
		"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour,
		"monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour,
	}
	period := periods[strings.ToLower(strings.TrimSpace(sy["updatePeriod"][0].Value))]
	freq := 1
	if f := sy["updateFrequency"]; len(f) > 0 {
		if n, err := strconv.Atoi(strings.TrimSpace(f[0].Value)); err == nil && n > 0 {
			freq = n
		}
	}
	return period / time.Duration(freq)
}
