package html

import (
	"context"
	"time"

	"github.com/PuerkitoBio/goquery"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/source"
)

// date reads a date from sel: the attribute s names, else a datetime
// attribute, else the text.
func (r *reader) date(sel *goquery.Selection, s *selector) (time.Time, bool) {
	if sel.Length() == 0 {
		return time.Time{}, false
	}
	v := ""
	if s == nil || s.attr == "" {
		v, _ = sel.Attr("datetime")
	}
	if v == "" {
		v = s.value(sel)
	}
	return feeds.ParseDate(v, r.sel.dateLayout)
}

// details reads the page of each item with a link, up to the cap, and
// takes its content (and title and date, when their selectors match).
func (r *reader) details(ctx context.Context, get source.Getter) {
	d := r.sel.detail
	read, unmatched := 0, 0
	for i := range r.items {
		e := &r.items[i]
		u := absolute(e.URL, e.base)
		if u == "" || read >= d.maxItems || ctx.Err() != nil {
			continue
		}
		read++
		resp, err := get.Get(ctx, fetch.Request{URL: u, Accept: accept})
		if err != nil {
			r.res.Warnf("detail page %s could not be read: %v", u, err)
			continue
		}
		r.res.Pages++
		r.res.Bytes += resp.Bytes
		doc, err := parse(resp)
		if err != nil {
			r.res.Warnf("detail page %s: %v", u, err)
			continue
		}
		content := d.content.find(doc.Selection, "main, article, body")
		if content.Length() == 0 {
			unmatched++
		} else if h, err := content.Html(); err == nil {
			e.HTML, e.Text = h, ""
			if d.content != nil && d.content.attr != "" {
				e.HTML, e.Text = "", d.content.value(content)
			}
		}
		if t := text(d.title.find(doc.Selection, ""), d.title); t != "" {
			e.Title = t
		}
		if t, ok := r.date(d.date.find(doc.Selection, ""), d.date); ok {
			e.Published = t
		}
	}
	if unmatched > 0 {
		r.res.Warnf("detail content selector %s matched 0 elements on %d of %d detail pages", d.content, unmatched, read)
	}
	if len(r.items) > 0 && read == 0 {
		r.res.Warnf("no item had a link to follow to its detail page")
	}
	r.finish()
}
