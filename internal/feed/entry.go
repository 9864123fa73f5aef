package feed

import (
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Entry is one item read by a source kind other than a feed (a block of a
// listing page, an element of a JSON answer) as the raw strings it found.
// NewItem normalizes it exactly as a feed item is: cleaned text, sanitized
// HTML with absolute URLs, capped fields and a content hash.
type Entry struct {
	GUID  string
	URL   string // absolute, or relative to the base NewItem is given
	Title string // plain text or HTML; rendered as plain text
	HTML  string // the content as HTML; sanitized
	Text  string // the content as plain text, used when HTML is empty
	// Summary is a short description; the content's start when empty.
	Summary    string
	Published  time.Time // zero when unknown: the item is stamped with now
	Categories []string
	// Stated is folded into the content hash: fields the source maps
	// directly (a deadline, an award ceiling), so that a change of one of
	// them is an edit of the item even when its text stays the same.
	Stated string
}

// NewItem turns e into a normalized item. base is the URL of the document
// e was read from, the base of its relative links.
func NewItem(e Entry, base string, opts Options) scout.Item {
	o := opts.withDefaults()
	now := o.Now().UTC()
	item := scout.Item{GUID: itemGUID(e.GUID), Title: truncate(cleanText(plainText(repairText(e.Title))), shortFieldBytes)}
	if u, err := CanonicalURL(cleanText(strings.TrimSpace(e.URL)), base); err == nil && len(u) <= scout.MaxURLLength {
		item.URL = u
	}
	contentBase := base
	if item.URL != "" {
		contentBase = item.URL
	}
	raw := repairText(e.HTML)
	if strings.TrimSpace(raw) == "" {
		raw = textHTML(repairText(e.Text))
	}
	item.ContentHTML = cappedHTML(cleanText(raw), contentBase, o.MaxFieldBytes)
	item.ContentText = truncate(htmlText(item.ContentHTML), o.MaxFieldBytes)
	item.Summary = itemSummary(repairText(e.Summary), item.ContentText)
	item.PublishedAt, item.DateEstimated = now, true
	if !e.Published.IsZero() && saneDate(e.Published, now) {
		item.PublishedAt, item.DateEstimated = e.Published.UTC(), false
	}
	item.Categories = itemCategories(e.Categories)
	item.ContentHash = contentHash(item.Title, item.URL, item.ContentText+"\x00"+e.Stated)
	if e.Stated == "" {
		item.ContentHash = contentHash(item.Title, item.URL, item.ContentText)
	}
	return item
}

// dateLayouts are the forms ParseDate reads, most specific first. Forms
// without a zone are taken as UTC; slashed numeric dates are month first,
// as the US funders that write them mean.
var dateLayouts = append([]string{
	time.RFC3339Nano, time.RFC3339, time.RFC1123Z, time.RFC1123, time.RFC850, time.RFC822Z, time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2006-01-02", "January 2, 2006", "Jan 2, 2006", "Jan. 2, 2006", "2 January 2006", "2 Jan 2006",
	"Monday, January 2, 2006", "Mon, Jan 2, 2006", "01/02/2006", "1/2/2006", "2006-01-02T15:04:05",
	"January 2006", "Jan 2006",
}, looseLayouts...)

// ParseDate reads a date in a common form (RFC 3339, RFC 1123, ISO dates,
// "March 3, 2027", "3 March 2027", "03/03/2027"), or in layout when it is
// not empty. It reports false when s is none of them.
func ParseDate(s, layout string) (time.Time, bool) {
	s = collapseSpace(strings.TrimSpace(s))
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	layouts := dateLayouts
	if layout != "" {
		layouts = []string{layout}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
