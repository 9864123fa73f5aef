// Package html is the html kind of source: a listing page read with CSS
// selectors (github.com/andybalholm/cascadia through goquery, on
// golang.org/x/net/html), with "next" pagination up to a page cap and,
// optionally, each item's detail page read with its own selectors. A
// listing whose first page has the same content hash as last time is not
// parsed, followed or written again.
package html

import (
	"fmt"
	"strings"

	"github.com/andybalholm/cascadia"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// Defaults and caps of the configuration.
const (
	DefaultMaxPages   = 5
	MaxPages          = 20
	DefaultMaxDetails = 20
	MaxDetails        = 100
)

// Config is the html kind's configuration. Every selector is a CSS
// selector, relative to the item's block except Item and Next; a selector
// may end in "@attr" to read that attribute instead of the text (e.g.
// "time@datetime", "a.more@href").
type Config struct {
	Item       string  `json:"item" minLength:"1" maxLength:"500" doc:"selector of each item's block on the listing page, e.g. \".listing article\""`
	Title      string  `json:"title,omitempty" maxLength:"500" doc:"the title; default: the first heading, else the first link"`
	Link       string  `json:"link,omitempty" maxLength:"500" doc:"the link to the item's page (its href); default: the first a[href]"`
	Date       string  `json:"date,omitempty" maxLength:"500" doc:"the publication date (a datetime attribute, else the text); default: the first time element"`
	DateLayout string  `json:"date_layout,omitempty" maxLength:"64" doc:"a Go time layout for dates in an unusual form, e.g. \"02.01.2006\""`
	Summary    string  `json:"summary,omitempty" maxLength:"500" doc:"the summary or content (its HTML); default: the whole block"`
	Next       string  `json:"next,omitempty" maxLength:"500" doc:"selector of the link to the next listing page; none reads one page"`
	MaxPages   int     `json:"max_pages,omitempty" minimum:"1" maximum:"20" doc:"listing pages read per fetch; default 5"`
	Detail     *Detail `json:"detail,omitempty" doc:"follow each item's link and read its page"`
}

// Detail says how to read an item's own page.
type Detail struct {
	Content  string `json:"content,omitempty" maxLength:"500" doc:"the content; default: main, else article, else body"`
	Title    string `json:"title,omitempty" maxLength:"500" doc:"replaces the listing's title when it matches"`
	Date     string `json:"date,omitempty" maxLength:"500" doc:"replaces the listing's date when it matches"`
	MaxItems int    `json:"max_items,omitempty" minimum:"1" maximum:"100" doc:"detail pages read per fetch; default 20"`
}

// selector is a compiled selector and the attribute it reads ("" = text).
type selector struct {
	raw   string
	match cascadia.Selector
	attr  string
}

// compile parses "css" or "css@attr"; an empty raw gives a nil selector.
func compile(field, raw string) (*selector, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	css, attr := raw, ""
	if i := strings.LastIndexByte(raw, '@'); i >= 0 && !strings.ContainsAny(raw[i:], "]\"' ") {
		css, attr = strings.TrimSpace(raw[:i]), raw[i+1:]
		if attr == "" || !validAttr(attr) {
			return nil, scout.Invalid(field, "names no attribute after @")
		}
	}
	if css == "" {
		return nil, scout.Invalid(field, "has no selector before @")
	}
	m, err := cascadia.Compile(css)
	if err != nil {
		return nil, scout.Invalid(field, "is not a CSS selector: %s", shorten(err.Error()))
	}
	return &selector{raw: raw, match: m, attr: strings.ToLower(attr)}, nil
}

func validAttr(a string) bool {
	for _, r := range a {
		if !(r == '-' || r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return len(a) <= 64
}

func shorten(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// compiled is a Config with its selectors compiled and defaults applied.
type compiled struct {
	item, title, link, date, summary, next *selector
	detail                                 *compiledDetail
	dateLayout                             string
	maxPages                               int
}

type compiledDetail struct {
	content, title, date *selector
	maxItems             int
}

// Check compiles every selector.
func (c *Config) Check() error {
	_, err := c.compile()
	return err
}

func (c *Config) compile() (*compiled, error) {
	out := &compiled{dateLayout: c.DateLayout, maxPages: c.MaxPages}
	if out.maxPages <= 0 {
		out.maxPages = DefaultMaxPages
	}
	if out.maxPages > MaxPages {
		return nil, scout.Invalid("config.max_pages", "must be at most %d", MaxPages)
	}
	if strings.TrimSpace(c.Item) == "" {
		return nil, scout.Invalid("config.item", "must not be empty")
	}
	for _, f := range []struct {
		name string
		raw  string
		dst  **selector
	}{{"item", c.Item, &out.item}, {"title", c.Title, &out.title}, {"link", c.Link, &out.link},
		{"date", c.Date, &out.date}, {"summary", c.Summary, &out.summary}, {"next", c.Next, &out.next}} {
		s, err := compile(source.Field(f.name), f.raw)
		if err != nil {
			return nil, err
		}
		*f.dst = s
	}
	if out.item.attr != "" {
		return nil, scout.Invalid("config.item", "selects blocks, not an attribute")
	}
	if c.Detail != nil {
		d, err := c.Detail.compile()
		if err != nil {
			return nil, err
		}
		out.detail = d
	}
	return out, nil
}

func (d *Detail) compile() (*compiledDetail, error) {
	out := &compiledDetail{maxItems: d.MaxItems}
	if out.maxItems <= 0 {
		out.maxItems = DefaultMaxDetails
	}
	if out.maxItems > MaxDetails {
		return nil, scout.Invalid("config.detail.max_items", "must be at most %d", MaxDetails)
	}
	var err error
	for _, f := range []struct {
		name string
		raw  string
		dst  **selector
	}{{"content", d.Content, &out.content}, {"title", d.Title, &out.title}, {"date", d.Date, &out.date}} {
		if *f.dst, err = compile("config.detail."+f.name, f.raw); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *selector) String() string {
	if s == nil {
		return "(default)"
	}
	return fmt.Sprintf("%q", s.raw)
}
