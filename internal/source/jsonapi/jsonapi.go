package jsonapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/theory/jsonpath"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

const accept = "application/json, */*;q=0.1"

// Collector reads JSON APIs.
type Collector struct {
	Options feeds.Options
}

// Kind returns the json kind.
func Kind(opts feeds.Options) source.Kind {
	return source.Kind{Name: scout.SourceJSON, NewConfig: func() source.Config { return &Config{} }, Collector: &Collector{Options: opts}}
}

// Collect decodes src's configuration and reads it.
func (c *Collector) Collect(ctx context.Context, src scout.Source, get source.Getter) (source.Result, error) {
	var cfg Config
	if err := source.Decode(src.Config, &cfg); err != nil {
		return source.Result{}, source.Errorf(scout.ErrorOther, "the source's configuration is invalid: %v", err)
	}
	return Read(ctx, src, get, &cfg, c.Options)
}

// Read fetches src.URL as cfg says, page after page within the cap, and
// maps each item. Only the first answer's failure fails the read; a later
// one that cannot be read is a warning. Change is detected by the hash of
// the answers' bodies, as for html pages.
func Read(ctx context.Context, src scout.Source, get source.Getter, cfg *Config, opts feeds.Options) (source.Result, error) {
	p, err := cfg.compile()
	if err != nil {
		return source.Result{}, source.Errorf(scout.ErrorOther, "the source's configuration is invalid: %v", err)
	}
	r := &reader{cfg: cfg, p: p, opts: opts, max: cmp.Or(opts.MaxItems, feeds.DefaultMaxItems)}
	pg := r.pager()
	req, err := r.request(src.URL, pg.first())
	if err != nil {
		return source.Result{}, err
	}
	res, err := source.Start(ctx, src, get, req)
	if err != nil || res.NotModified {
		return res, err
	}
	r.res = &res
	doc, err := decode(res.First)
	if err != nil {
		return res, err
	}
	bodies := [][]byte{res.First.Body}
	base := cmp.Or(res.First.URL, src.URL)
	for page := 1; ; page++ {
		n := r.items(doc, base, page)
		next, ok := pg.next(doc, n)
		if !ok || page >= pg.maxPages || len(r.entries) >= r.max || ctx.Err() != nil {
			break
		}
		req, err := r.request(src.URL, next)
		if err != nil {
			break
		}
		resp, err := get.Get(ctx, req)
		if err != nil {
			res.Warnf("answer %d could not be read: %v", page+1, err)
			break
		}
		res.Pages++
		res.Bytes += resp.Bytes
		if doc, err = decode(resp); err != nil {
			res.Warnf("answer %d: %v", page+1, err)
			break
		}
		bodies = append(bodies, resp.Body)
	}
	res.PageHash = source.Hash(bodies...)
	if res.PageHash == src.PageHash {
		res.NotModified = true
		return res, nil
	}
	for _, e := range r.entries {
		it := feeds.NewItem(e.Entry, base, opts)
		it.Opportunity = e.stated
		res.Items = append(res.Items, it)
	}
	return res, nil
}

// decode parses a JSON answer, refusing HTML and other text plainly.
func decode(resp *fetch.Response) (any, error) {
	body := bytes.TrimLeft(resp.Body, " \t\r\n\ufeff")
	ct := strings.ToLower(resp.ContentType)
	if len(body) > 0 && body[0] == '<' || strings.Contains(ct, "html") || strings.Contains(ct, "xml") {
		return nil, source.Errorf(scout.ErrorNotAFeed, "expected JSON, got %s", cmpOr(resp.ContentType, "markup"))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, source.Errorf(scout.ErrorParse, "the answer is not valid JSON: %v", err)
	}
	return v, nil
}

// request builds the request for one page: value "" is the unpaged request.
func (r *reader) request(raw, value string) (fetch.Request, error) {
	pg := r.cfg.Paging
	if r.cfg.Method != "POST" {
		if pg == nil || value == "" {
			return fetch.Request{URL: raw, Accept: accept}, nil
		}
		u, err := url.Parse(raw)
		if err != nil {
			return fetch.Request{}, source.Errorf(scout.ErrorOther, "the URL cannot be paged: %v", err)
		}
		q := u.Query()
		q.Set(pg.Param, value)
		u.RawQuery = q.Encode()
		return fetch.Request{URL: u.String(), Accept: accept}, nil
	}
	body := map[string]any{}
	if len(r.cfg.Body) > 0 {
		_ = json.Unmarshal(r.cfg.Body, &body) // checked by compile
	}
	if pg != nil && value != "" {
		if n, err := strconv.Atoi(value); err == nil && pg.Mode != "cursor" {
			body[pg.Param] = n
		} else {
			body[pg.Param] = value
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return fetch.Request{}, source.Errorf(scout.ErrorOther, "encode the request body: %v", err)
	}
	return fetch.Request{URL: raw, Method: http.MethodPost, Body: b, Accept: accept}, nil
}

// reader gathers the items of one Read.
type reader struct {
	cfg     *Config
	p       *paths
	opts    feeds.Options
	res     *source.Result
	max     int
	entries []entry
}

type entry struct {
	feeds.Entry
	stated scout.Opportunity
}

// items maps the items of one answer and returns how many it had.
func (r *reader) items(doc any, base string, page int) int {
	nodes := r.p.items.Select(doc)
	if len(nodes) == 0 {
		r.res.Warnf("items path %q matched 0 elements in answer %d", r.cfg.Items, page)
		return 0
	}
	var untitled int
	for _, n := range nodes {
		if len(r.entries) >= r.max {
			break
		}
		e := r.item(n)
		if e.Title == "" {
			untitled++
		}
		if e.Title != "" || e.URL != "" || e.GUID != "" {
			r.entries = append(r.entries, e)
		}
	}
	if untitled > 0 {
		r.res.Warnf("title path matched nothing in %d of %d items in answer %d", untitled, len(nodes), page)
	}
	return len(nodes)
}

// item maps one item node.
func (r *reader) item(n any) entry {
	p := r.p
	e := entry{Entry: feeds.Entry{GUID: str(p.id, n), Title: str(p.title, n), URL: str(p.link, n), Summary: str(p.summary, n)}}
	if e.URL == "" && r.cfg.LinkTemplate != "" {
		e.URL = fill(r.cfg.LinkTemplate, n, e.GUID)
	}
	body := str(p.body, n)
	if strings.Contains(body, "<") {
		e.HTML = body
	} else {
		e.Text = body
	}
	if t, ok := r.date(p.date, n); ok {
		e.Published = t
	}
	e.Categories = strs(p.cats, n)
	e.stated = r.stated(n)
	e.Stated = source.StatedKey(e.stated)
	return e
}

// stated maps the fields the configuration ties to the opportunity.
func (r *reader) stated(n any) scout.Opportunity {
	p := r.p
	f := source.Facts{Currency: r.cfg.Currency, Funder: truncate(str(p.funder, n), 500)}
	f.Deadline, _ = r.date(p.deadline, n)
	f.Opens, _ = r.date(p.opens, n)
	f.Ceiling, f.HasCeiling = num(p.ceiling, n)
	f.Floor, f.HasFloor = num(p.floor, n)
	f.Total, f.HasTotal = num(p.total, n)
	f.Awards, f.HasAwards = num(p.count, n)
	return f.Opportunity()
}

func (r *reader) date(p *jsonpath.Path, n any) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	nodes := p.Select(n)
	if len(nodes) == 0 {
		return time.Time{}, false
	}
	switch v := nodes[0].(type) {
	case float64: // Unix seconds, or milliseconds when that large
		if v > 1e11 {
			v /= 1000
		}
		if v > 0 && v < 1e10 {
			return time.Unix(int64(v), 0).UTC(), true
		}
		return time.Time{}, false
	case string:
		return feeds.ParseDate(v, r.cfg.DateLayout)
	}
	return time.Time{}, false
}

// str is the first node p selects in n, as text.
func str(p *jsonpath.Path, n any) string {
	if p == nil {
		return ""
	}
	nodes := p.Select(n)
	if len(nodes) == 0 {
		return ""
	}
	return truncate(scalar(nodes[0]), 64<<10)
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// strs is every string p selects in n, flattening one level of arrays.
func strs(p *jsonpath.Path, n any) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, v := range p.Select(n) {
		if arr, ok := v.([]any); ok {
			for _, x := range arr {
				if s := scalar(x); s != "" {
					out = append(out, s)
				}
			}
		} else if s := scalar(v); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// num reads a number: a JSON number, or a string such as "$25,000.00".
func num(p *jsonpath.Path, n any) (float64, bool) {
	if p == nil {
		return 0, false
	}
	nodes := p.Select(n)
	if len(nodes) == 0 {
		return 0, false
	}
	switch v := nodes[0].(type) {
	case float64:
		return v, v >= 0 && v < 1e15
	case string:
		s := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '.' {
				return r
			}
			if r == ',' || r == '$' || r == ' ' || r == '€' || r == '£' {
				return -1
			}
			return 'x'
		}, v)
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil && f >= 0 && f < 1e15
	}
	return 0, false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// fill replaces "{id}" in template by id and each other "{name}" by the
// item's top-level member name, path-escaped; a template naming a member
// the item lacks gives "".
func fill(template string, n any, id string) string {
	obj, _ := n.(map[string]any)
	var b strings.Builder
	for {
		i := strings.IndexByte(template, '{')
		j := strings.IndexByte(template[max(i, 0):], '}') + max(i, 0)
		if i < 0 || j <= i {
			b.WriteString(template)
			return b.String()
		}
		b.WriteString(template[:i])
		name, v := template[i+1:j], ""
		if name == "id" && id != "" {
			v = id
		} else if obj != nil {
			v = scalar(obj[name])
		}
		if v == "" {
			return ""
		}
		b.WriteString(url.PathEscape(v))
		template = template[j+1:]
	}
}
