package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/scoutdev/scout/internal/scout"
)

// Caps on the short fields of an item. The content fields are capped by
// Options.MaxFieldBytes.
const (
	shortFieldBytes  = 2048 // title, author, GUID, feed title and description
	summaryChars     = scout.SummaryChars
	maxCategories    = 32
	maxCategoryBytes = 256
	maxEnclosures    = 32
)

// earliestDate is the first date accepted from a feed; earlier dates are
// placeholders (the Unix epoch, year 1) rather than real publication times.
var earliestDate = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

// futureSlack is how far in the future a date may be before it is treated
// as a publisher's mistake.
const futureSlack = 48 * time.Hour

// normalizeFeed turns the parser's result into a Feed. feedURL is the base
// for relative links.
func normalizeFeed(gf *gofeed.Feed, feedURL string, o Options) *Feed {
	gf.Items = gf.Items[:min(len(gf.Items), o.MaxItems)]
	repairFeed(gf)
	f := &Feed{
		Title:       truncate(cleanText(plainText(gf.Title)), shortFieldBytes),
		Description: truncate(cleanText(plainText(gf.Description)), shortFieldBytes),
		Language:    truncate(cleanText(strings.TrimSpace(gf.Language)), 64),
		TTL:         feedTTL(gf),
		Format:      gf.FeedType,
	}
	f.SiteURL, _ = CanonicalURL(gf.Link, feedURL)
	base := feedURL
	if base == "" {
		base = f.SiteURL
	}
	f.Items = make([]scout.Item, 0, len(gf.Items))
	now := o.Now().UTC()
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		f.Items = append(f.Items, normalizeItem(gf, it, base, o.MaxFieldBytes, now))
	}
	return f
}

// normalizeItem turns one parsed item into a scout.Item.
func normalizeItem(gf *gofeed.Feed, it *gofeed.Item, base string, maxBytes int, now time.Time) scout.Item {
	item := scout.Item{
		GUID:  itemGUID(it.GUID),
		URL:   itemURL(it, base),
		Title: truncate(cleanText(itemTitle(gf.FeedType, it.Title)), shortFieldBytes),
	}
	contentBase := base
	if item.URL != "" {
		contentBase = item.URL
	}
	raw := it.Content
	if strings.TrimSpace(raw) == "" {
		raw = it.Description
	}
	if strings.TrimSpace(raw) == "" {
		raw = textHTML(mediaDescription(it.Extensions))
	}
	item.ContentHTML = cappedHTML(cleanText(raw), contentBase, maxBytes)
	item.ContentText = truncate(htmlText(item.ContentHTML), maxBytes)
	item.Summary = itemSummary(it.Description, item.ContentText)
	item.Author = itemAuthor(gf, it)
	item.PublishedAt, item.DateEstimated = itemDate(it, now)
	item.ImageURL = itemImage(gf.FeedType, it, contentBase)
	item.Enclosures = itemEnclosures(it.Enclosures, contentBase)
	item.Categories = itemCategories(append(it.Categories, mediaKeywords(it.Extensions)...))
	item.ContentHash = contentHash(item.Title, item.URL, item.ContentText)
	return item
}

// itemTitle renders a title as plain text. JSON Feed titles are plain text
// by definition, so a "<b>" in one is kept; only the HTML entities some
// publishers put in them are decoded.
func itemTitle(format, title string) string {
	if format == "json" {
		return collapseSpace(html.UnescapeString(title))
	}
	return plainText(title)
}

// contentHash is the hex SHA-256 of what counts as an edit of an item: its
// title, its canonical URL and the plain text of its content. Changes that
// only touch markup, dates, authors, categories or enclosures are not edits.
// The fields are separated by NUL, which none of them can contain.
func contentHash(title, url, text string) string {
	h := sha256.New()
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(url))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil))
}

// itemGUID trims a GUID. One too long to store is replaced by its hash,
// which keeps it stable and unique.
func itemGUID(guid string) string {
	guid = cleanText(strings.TrimSpace(guid))
	if len(guid) <= shortFieldBytes {
		return guid
	}
	sum := sha256.Sum256([]byte(guid))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// itemURL returns the canonical URL of the item: its link, else its first
// other link, else a GUID that is itself a web URL (an RSS permalink).
func itemURL(it *gofeed.Item, base string) string {
	cands := []string{it.Link}
	cands = append(cands, it.Links...)
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		cands = append(cands, g)
	}
	for _, c := range cands {
		if u, err := CanonicalURL(cleanText(c), base); err == nil && len(u) <= scout.MaxURLLength {
			return u
		}
	}
	return ""
}

// cappedHTML sanitizes an HTML fragment and keeps the result within max
// bytes. The input is cut before sanitizing, so that the sanitizer repairs
// the cut; the rare output that still overflows is cut again at a tag
// boundary.
func cappedHTML(raw, base string, max int) string {
	out := sanitizeHTML(truncate(raw, max), base)
	if len(out) <= max {
		return out
	}
	out = sanitizeHTML(truncate(raw, max-(len(out)-max)-1024), base)
	if len(out) <= max {
		return out
	}
	out = truncate(out, max)
	if i := strings.LastIndexByte(out, '<'); i >= 0 {
		out = out[:i]
	}
	return out
}

// itemSummary is the plain text of the description, or of the content when
// there is none, cut to about summaryChars characters at a word boundary.
func itemSummary(description, contentText string) string {
	s := cleanText(plainText(truncate(description, 4*summaryChars*4)))
	if s == "" {
		return scout.TextSummary(contentText)
	}
	return truncateWords(s, summaryChars)
}

// repairFeed applies repairText to the text fields of the feed and its
// items, in place.
func repairFeed(gf *gofeed.Feed) {
	gf.Title, gf.Description = repairText(gf.Title), repairText(gf.Description)
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		it.Title, it.Description, it.Content = repairText(it.Title), repairText(it.Description), repairText(it.Content)
		for i, c := range it.Categories {
			it.Categories[i] = repairText(c)
		}
		for _, p := range it.Authors {
			if p != nil {
				p.Name = repairText(p.Name)
			}
		}
	}
}
