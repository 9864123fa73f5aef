// Package jsonapi is the json kind of source: a JSON API fetched with GET
// or POST, whose items are located and mapped by RFC 9535 JSON paths
// (github.com/theory/jsonpath), with page-number, offset or cursor paging
// up to a page cap. Fields mapped directly to the opportunity (deadline,
// award ceiling and floor, funder, …) carry "feed" provenance.
package jsonapi

import (
	"encoding/json"
	"strings"

	"github.com/theory/jsonpath"

	"github.com/scoutdev/scout/internal/scout"
)

// Caps of the configuration.
const (
	DefaultMaxPages = 5
	MaxPages        = 20
)

// Config is the json kind's configuration. Items is a path from the root of
// each answer; the field paths are relative to one item ("$.title"; a bare
// name such as "title" means "$.title").
type Config struct {
	Method string          `json:"method,omitempty" enum:"GET,POST" doc:"default GET"`
	Body   json.RawMessage `json:"body,omitempty" doc:"the JSON object sent with a POST"`
	Items  string          `json:"items" minLength:"1" maxLength:"500" doc:"path of the items in an answer, e.g. \"$.data.results[*]\""`
	Fields Fields          `json:"fields,omitempty"`
	// LinkTemplate builds the link when the item has none: "{id}" is
	// replaced by the item's id.
	LinkTemplate string  `json:"link_template,omitempty" maxLength:"2048" doc:"the item's link when it has none; {id} is replaced by the item's id, {name} by its member name"`
	DateLayout   string  `json:"date_layout,omitempty" maxLength:"64" doc:"a Go time layout for dates in an unusual form"`
	Currency     string  `json:"currency,omitempty" pattern:"^[A-Z]{3}$" doc:"ISO 4217 currency of the amounts, e.g. USD"`
	Paging       *Paging `json:"paging,omitempty"`
}

// Fields are the paths of an item's fields.
type Fields struct {
	ID           string `json:"id,omitempty" maxLength:"500"`
	Title        string `json:"title,omitempty" maxLength:"500" doc:"default $.title"`
	Link         string `json:"link,omitempty" maxLength:"500" doc:"default $.url"`
	Date         string `json:"date,omitempty" maxLength:"500" doc:"publication date"`
	Body         string `json:"body,omitempty" maxLength:"500" doc:"the content, HTML or text"`
	Summary      string `json:"summary,omitempty" maxLength:"500"`
	Deadline     string `json:"deadline,omitempty" maxLength:"500" doc:"mapped to the opportunity's deadline"`
	OpensAt      string `json:"opens_at,omitempty" maxLength:"500"`
	AwardCeiling string `json:"award_ceiling,omitempty" maxLength:"500" doc:"the largest award"`
	AwardFloor   string `json:"award_floor,omitempty" maxLength:"500" doc:"the smallest award"`
	TotalFunding string `json:"total_funding,omitempty" maxLength:"500" doc:"the funding available across all awards"`
	AwardCount   string `json:"award_count,omitempty" maxLength:"500" doc:"how many awards are expected"`
	Funder       string `json:"funder,omitempty" maxLength:"500"`
	Categories   string `json:"categories,omitempty" maxLength:"500" doc:"strings, or an array of them"`
}

// Paging says how to ask for the next answer.
type Paging struct {
	Mode string `json:"mode" enum:"page,offset,cursor" doc:"page: a page number; offset: a record offset advanced by each page's item count; cursor: a token read from the answer"`
	// Param is the query parameter (GET) or top-level body member (POST)
	// that carries the page number, offset or cursor.
	Param    string `json:"param" minLength:"1" maxLength:"100"`
	Start    int    `json:"start,omitempty" minimum:"0" doc:"the first page number or offset; default 1 for page, 0 for offset"`
	Cursor   string `json:"cursor,omitempty" maxLength:"500" doc:"cursor mode: path of the next cursor in the answer"`
	Total    string `json:"total,omitempty" maxLength:"500" doc:"offset mode: path of the total number of records, to stop at"`
	MaxPages int    `json:"max_pages,omitempty" minimum:"1" maximum:"20" doc:"answers read per fetch; default 5"`
}

// paths is a Config compiled.
type paths struct {
	items                                                       *jsonpath.Path
	id, title, link, date, body, summary                        *jsonpath.Path
	deadline, opens, ceiling, floor, total, count, funder, cats *jsonpath.Path
	cursor, totalRecords                                        *jsonpath.Path
}

// Check parses every path and the paging settings.
func (c *Config) Check() error {
	_, err := c.compile()
	return err
}

func (c *Config) compile() (*paths, error) {
	p := &paths{}
	var err error
	if p.items, err = parsePath("config.items", c.Items, true); err != nil {
		return nil, err
	}
	if p.items == nil {
		return nil, scout.Invalid("config.items", "must not be empty")
	}
	f := c.Fields
	for _, x := range []struct {
		name, raw string
		dst       **jsonpath.Path
	}{{"id", f.ID, &p.id}, {"title", cmpOr(f.Title, "$.title"), &p.title}, {"link", cmpOr(f.Link, "$.url"), &p.link},
		{"date", f.Date, &p.date}, {"body", f.Body, &p.body}, {"summary", f.Summary, &p.summary},
		{"deadline", f.Deadline, &p.deadline}, {"opens_at", f.OpensAt, &p.opens}, {"award_ceiling", f.AwardCeiling, &p.ceiling},
		{"award_floor", f.AwardFloor, &p.floor}, {"total_funding", f.TotalFunding, &p.total}, {"award_count", f.AwardCount, &p.count},
		{"funder", f.Funder, &p.funder}, {"categories", f.Categories, &p.cats}} {
		if *x.dst, err = parsePath("config.fields."+x.name, x.raw, false); err != nil {
			return nil, err
		}
	}
	if c.Method != "" && c.Method != "GET" && c.Method != "POST" {
		return nil, scout.Invalid("config.method", "must be GET or POST")
	}
	if len(c.Body) > 0 {
		var obj map[string]any
		if c.Method != "POST" {
			return nil, scout.Invalid("config.body", "is sent only with method POST")
		}
		if json.Unmarshal(c.Body, &obj) != nil {
			return nil, scout.Invalid("config.body", "must be a JSON object")
		}
	}
	return p, c.compilePaging(p)
}

func (c *Config) compilePaging(p *paths) error {
	pg := c.Paging
	if pg == nil {
		return nil
	}
	var err error
	switch pg.Mode {
	case "page", "offset":
	case "cursor":
		if pg.Cursor == "" {
			return scout.Invalid("config.paging.cursor", "must name the path of the next cursor")
		}
	default:
		return scout.Invalid("config.paging.mode", "must be page, offset or cursor")
	}
	if strings.TrimSpace(pg.Param) == "" {
		return scout.Invalid("config.paging.param", "must not be empty")
	}
	if pg.MaxPages > MaxPages || pg.MaxPages < 0 {
		return scout.Invalid("config.paging.max_pages", "must be 1 to %d", MaxPages)
	}
	if p.cursor, err = parsePath("config.paging.cursor", pg.Cursor, true); err != nil {
		return err
	}
	p.totalRecords, err = parsePath("config.paging.total", pg.Total, true)
	return err
}

// parsePath parses a JSONPath; a relative path may omit its "$.".
func parsePath(field, raw string, root bool) (*jsonpath.Path, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	if !root && !strings.HasPrefix(raw, "$") {
		raw = "$." + raw
	}
	p, err := jsonpath.Parse(raw)
	if err != nil {
		msg := err.Error()
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		return nil, scout.Invalid(field, "is not a JSON path: %s", msg)
	}
	return p, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
