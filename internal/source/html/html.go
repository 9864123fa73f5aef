package html

import (
	"bytes"
	"cmp"
	"context"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// accept asks for HTML first.
const accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

// Collector reads listing pages.
type Collector struct {
	Options feeds.Options // item caps and the clock, as for feeds
}

// Kind returns the html kind.
func Kind(opts feeds.Options) source.Kind {
	return source.Kind{Name: scout.SourceHTML, NewConfig: func() source.Config { return &Config{} }, Collector: &Collector{Options: opts}}
}

// Collect reads src's listing (and its next pages and detail pages, within
// the caps). Only a failure of the first page fails the fetch; a later page
// that cannot be read is a warning, and what was read so far is kept.
func (c *Collector) Collect(ctx context.Context, src scout.Source, get source.Getter) (source.Result, error) {
	var cfg Config
	if err := source.Decode(src.Config, &cfg); err != nil {
		return source.Result{}, source.Errorf(scout.ErrorOther, "the source's configuration is invalid: %v", err)
	}
	sel, err := cfg.compile()
	if err != nil {
		return source.Result{}, source.Errorf(scout.ErrorOther, "the source's configuration is invalid: %v", err)
	}
	res, err := source.Start(ctx, src, get, fetch.Request{Accept: accept})
	if err != nil || res.NotModified {
		return res, err
	}
	resp := res.First
	res.PageHash = source.Hash(resp.Body)
	if res.PageHash == src.PageHash {
		res.NotModified = true // same content as last time: nothing to parse or write
		return res, nil
	}
	doc, err := parse(resp)
	if err != nil {
		return res, err
	}
	r := reader{c: c, sel: sel, res: &res, max: c.Options.MaxItems}
	if r.max <= 0 {
		r.max = feeds.DefaultMaxItems
	}
	res.Title = strings.TrimSpace(doc.Find("title").First().Text())
	r.listing(ctx, get, doc, cmp.Or(resp.URL, src.URL))
	if sel.detail != nil {
		r.details(ctx, get)
	}
	return res, nil
}

// parse decodes an HTML answer, refusing what is plainly not HTML.
func parse(resp *fetch.Response) (*goquery.Document, error) {
	if !looksHTML(resp.ContentType, resp.Body) {
		return nil, source.Errorf(scout.ErrorNotAFeed, "expected an HTML page, got %s", describe(resp.ContentType, resp.Body))
	}
	r, err := charset.NewReader(bytes.NewReader(resp.Body), resp.ContentType)
	if err != nil {
		return nil, source.Errorf(scout.ErrorParse, "decode the page: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, source.Errorf(scout.ErrorParse, "parse the page: %v", err)
	}
	return doc, nil
}

// looksHTML accepts an HTML or XHTML content type, or an untyped body
// whose first markup is a tag.
func looksHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "html") {
		return true
	}
	if ct != "" && !strings.HasPrefix(ct, "text/plain") && !strings.Contains(ct, "octet-stream") {
		return false
	}
	t := bytes.TrimLeft(body, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '<'
}

func describe(contentType string, body []byte) string {
	if contentType != "" {
		return contentType
	}
	return "a body starting " + strings.TrimSpace(string(body[:min(len(body), 16)]))
}

// reader gathers the items of one Collect.
type reader struct {
	c     *Collector
	sel   *compiled
	res   *source.Result
	max   int
	items []entry
}

// entry is an item read from a listing, and the page it came from.
type entry struct {
	feeds.Entry
	base string
}

// listing reads the first page and follows "next" up to the page cap.
func (r *reader) listing(ctx context.Context, get source.Getter, doc *goquery.Document, pageURL string) {
	seen := map[string]bool{pageURL: true}
	for page := 1; ; page++ {
		r.page(doc, pageURL, page)
		next := r.nextURL(doc, pageURL, page)
		if next == "" || seen[next] || page >= r.sel.maxPages || len(r.items) >= r.max {
			break
		}
		seen[next] = true
		resp, err := get.Get(ctx, fetch.Request{URL: next, Accept: accept})
		if err != nil {
			r.res.Warnf("listing page %d (%s) could not be read: %v", page+1, next, err)
			break
		}
		r.res.Pages++
		r.res.Bytes += resp.Bytes
		if doc, err = parse(resp); err != nil {
			r.res.Warnf("listing page %d (%s): %v", page+1, next, err)
			break
		}
		pageURL = cmp.Or(resp.URL, next)
	}
	r.finish()
}

// nextURL is the absolute URL of the next page, or "".
func (r *reader) nextURL(doc *goquery.Document, pageURL string, page int) string {
	if r.sel.next == nil {
		return ""
	}
	s := doc.FindMatcher(r.sel.next.match).First()
	if s.Length() == 0 {
		if page == 1 {
			r.res.Warnf("next selector %s matched 0 elements on the first page", r.sel.next)
		}
		return ""
	}
	raw := r.sel.next.value(s)
	if r.sel.next.attr == "" {
		raw, _ = s.Attr("href")
		if raw == "" {
			raw, _ = s.Find("a[href]").First().Attr("href")
		}
	}
	return absolute(raw, pageURL)
}

func absolute(raw, base string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || raw == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	abs := b.ResolveReference(u)
	if abs.Scheme != "http" && abs.Scheme != "https" {
		return ""
	}
	abs.Fragment = ""
	return abs.String()
}

// page reads the item blocks of one listing page.
func (r *reader) page(doc *goquery.Document, pageURL string, page int) {
	blocks := doc.FindMatcher(r.sel.item.match)
	if blocks.Length() == 0 {
		r.res.Warnf("item selector %s matched 0 elements on listing page %d", r.sel.item, page)
		return
	}
	var noTitle, noLink int
	blocks.EachWithBreak(func(_ int, b *goquery.Selection) bool {
		e := r.block(b)
		if e.Title == "" {
			noTitle++
		}
		if e.URL == "" {
			noLink++
		}
		if e.Title != "" || e.URL != "" {
			r.items = append(r.items, entry{Entry: e, base: pageURL})
		}
		return len(r.items) < r.max
	})
	if noTitle > 0 {
		r.res.Warnf("title selector %s matched nothing in %d of %d items on listing page %d", r.sel.title, noTitle, blocks.Length(), page)
	}
	if noLink > 0 {
		r.res.Warnf("link selector %s matched nothing in %d of %d items on listing page %d", r.sel.link, noLink, blocks.Length(), page)
	}
}

// block reads one item block.
func (r *reader) block(b *goquery.Selection) feeds.Entry {
	var e feeds.Entry
	e.Title = text(r.sel.title.find(b, "h1, h2, h3, h4, h5, h6, a[href]"), r.sel.title)
	link := r.sel.link.find(b, "a[href]")
	if r.sel.link == nil || r.sel.link.attr == "" {
		if b.Is("a[href]") && r.sel.link == nil {
			link = b
		}
		e.URL, _ = link.Attr("href")
		if e.URL == "" {
			e.URL, _ = link.Find("a[href]").First().Attr("href")
		}
	} else {
		e.URL = r.sel.link.value(link)
	}
	if d, ok := r.date(r.sel.date.find(b, "time"), r.sel.date); ok {
		e.Published = d
	}
	if r.sel.summary == nil {
		e.HTML, _ = b.Html()
	} else if s := r.sel.summary.find(b, ""); s.Length() > 0 {
		if r.sel.summary.attr != "" {
			e.Text = r.sel.summary.value(s)
		} else {
			e.HTML, _ = s.Html()
		}
	}
	return e
}

// finish turns the gathered entries into items.
func (r *reader) finish() {
	r.res.Items = r.res.Items[:0]
	for _, e := range r.items {
		r.res.Items = append(r.res.Items, feeds.NewItem(e.Entry, e.base, r.c.Options))
	}
}

// find is the first match of s within b, or of def when s is nil (no
// match when def is empty too).
func (s *selector) find(b *goquery.Selection, def string) *goquery.Selection {
	if s == nil {
		if def == "" {
			return b.Slice(0, 0)
		}
		return b.Find(def).First()
	}
	return b.FindMatcher(s.match).First()
}

// value is the attribute s reads, or the text.
func (s *selector) value(sel *goquery.Selection) string {
	if s != nil && s.attr != "" {
		v, _ := sel.Attr(s.attr)
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(sel.Text())
}

func text(sel *goquery.Selection, s *selector) string {
	if sel.Length() == 0 {
		return ""
	}
	return s.value(sel)
}
