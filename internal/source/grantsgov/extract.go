package grantsgov

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"container/heap"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// Bounds of reading an extract. The file itself is bounded by the fetch
// client (fetch.Options.MaxStreamBody and StreamTimeout); these bound
// what it unpacks to and the pieces the decoder may be made to hold.
const (
	// DefaultMaxXMLBytes bounds the XML a zipped extract inflates to (the
	// real one is a few hundred MB), so a zip bomb is refused.
	DefaultMaxXMLBytes = 8 << 30
	// DefaultMaxExtractItems is how many matching opportunities a read
	// keeps when the configuration does not say: the most recently updated.
	DefaultMaxExtractItems = 1000
	maxRunBytes            = 4 << 20 // text between two '<': one token the decoder buffers
	maxFieldBytes          = 64 << 10
	maxDepth               = 16
	maxRepeats             = 64 // repeated elements kept per record (categories, eligibilities)
)

// record is one opportunity of the extract: its elements' text by local name.
type record struct {
	forecast bool
	fields   map[string]string
	lists    map[string][]string // repeated elements
	updated  time.Time
	seq      int // position in the file, to order ties
}

func (r *record) get(name string) string { return r.fields[name] }

// extractDate is how the extract writes dates: MMDDYYYY.
const extractDate = "01022006"

func (r *record) date(name string) time.Time {
	t, _ := time.Parse(extractDate, strings.TrimSpace(r.fields[name]))
	return t
}

// filter is a configuration's search filters, applied to each record.
type filter struct {
	words         []string
	statuses      map[string]bool
	agencies      []string
	categories    map[string]bool
	eligibilities map[string]bool
	today         time.Time
}

func newFilter(c *Config, now time.Time) *filter {
	set := func(codes []string) map[string]bool {
		if len(codes) == 0 {
			return nil
		}
		m := make(map[string]bool, len(codes))
		for _, c := range codes {
			m[strings.ToUpper(c)] = true
		}
		return m
	}
	f := &filter{words: strings.Fields(strings.ToLower(c.Keyword)), statuses: set(c.statuses()),
		categories: set(c.Categories), eligibilities: set(c.Eligibilities), today: now.UTC().Truncate(24 * time.Hour)}
	for _, a := range c.Agencies {
		f.agencies = append(f.agencies, strings.ToUpper(a))
	}
	return f
}

// status is what Search2 calls the record's state on the filter's day.
func (f *filter) status(r *record) string {
	if archive := r.date("ArchiveDate"); !archive.IsZero() && archive.Before(f.today) {
		return "archived"
	}
	if r.forecast {
		return "forecasted"
	}
	if closes := r.date("CloseDate"); !closes.IsZero() && closes.Before(f.today) {
		return "closed"
	}
	return "posted"
}

func (f *filter) match(r *record) bool {
	if !f.statuses[strings.ToUpper(f.status(r))] {
		return false
	}
	if len(f.agencies) > 0 {
		code := strings.ToUpper(r.get("AgencyCode"))
		if !slices.ContainsFunc(f.agencies, func(a string) bool { return code == a || strings.HasPrefix(code, a+"-") }) {
			return false
		}
	}
	anyOf := func(set map[string]bool, name string) bool {
		return set == nil || slices.ContainsFunc(r.lists[name], func(v string) bool { return set[strings.ToUpper(v)] })
	}
	if !anyOf(f.categories, "CategoryOfFundingActivity") || !anyOf(f.eligibilities, "EligibleApplicants") {
		return false
	}
	if len(f.words) > 0 {
		text := strings.ToLower(r.get("OpportunityTitle") + "\n" + r.get("OpportunityNumber") + "\n" + r.get("Description"))
		for _, w := range f.words {
			if !strings.Contains(text, w) {
				return false
			}
		}
	}
	return true
}

// newest keeps the n most recently updated records: a min-heap on
// (updated, position), so memory is bounded by n whatever the file's size.
type newest []*record

func (h newest) Len() int { return len(h) }
func (h newest) Less(i, j int) bool {
	if !h[i].updated.Equal(h[j].updated) {
		return h[i].updated.Before(h[j].updated)
	}
	return h[i].seq < h[j].seq
}
func (h newest) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *newest) Push(x any)   { *h = append(*h, x.(*record)) }
func (h *newest) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *newest) offer(r *record, n int) {
	if h.Len() < n {
		heap.Push(h, r)
		return
	}
	if top := (*h)[0]; r.updated.After(top.updated) || r.updated.Equal(top.updated) && r.seq > top.seq {
		(*h)[0] = r
		heap.Fix(h, 0)
	}
}

// extract is the state of reading one extract.
type extract struct {
	filter   *filter
	max      int
	maxXML   int64
	kept     newest
	records  int // opportunity records read
	matched  int
	skipped  int // records without an id or title
	sawRoot  bool
	truncate int // fields cut at maxFieldBytes
}

// readExtract reads an extract (a zip holding one XML file, or the XML
// itself) from body as it arrives.
func (x *extract) read(resp *fetch.Response, body io.Reader) error {
	if strings.Contains(strings.ToLower(resp.ContentType), "html") {
		return source.Errorf(scout.ErrorNotAFeed, "expected the Grants.gov XML extract, got %s", resp.ContentType)
	}
	br := bufio.NewReaderSize(body, 64<<10)
	head, _ := br.Peek(4)
	var r io.Reader = br
	if bytes.Equal(head, []byte("PK\x03\x04")) {
		var err error
		if r, err = zipEntry(br); err != nil {
			return err
		}
		r = &xmlCap{r: r, left: x.maxXML}
	}
	return x.decode(&runCap{r: r})
}

// zipEntry positions br at the data of a zip file's first entry and
// returns a reader of it inflated. A zip is read from its start, entry by
// entry, without its central directory, which comes last: the local header
// says how the entry is packed.
func zipEntry(br *bufio.Reader) (io.Reader, error) {
	var h [30]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return nil, fmt.Errorf("read the zip header: %w", err)
	}
	flags, method := binary.LittleEndian.Uint16(h[6:]), binary.LittleEndian.Uint16(h[8:])
	size := binary.LittleEndian.Uint32(h[18:])
	skip := int64(binary.LittleEndian.Uint16(h[26:])) + int64(binary.LittleEndian.Uint16(h[28:]))
	if _, err := io.CopyN(io.Discard, br, skip); err != nil {
		return nil, fmt.Errorf("read the zip header: %w", err)
	}
	switch {
	case flags&1 != 0:
		return nil, source.Errorf(scout.ErrorParse, "the extract's zip is encrypted")
	case method == 8:
		return flate.NewReader(br), nil
	case method == 0 && flags&8 == 0 && size != 0xffffffff:
		return io.LimitReader(br, int64(size)), nil
	}
	return nil, source.Errorf(scout.ErrorParse, "the extract's zip entry is packed with method %d, not deflate", method)
}

// errXMLTooLarge is the zip's content passing DefaultMaxXMLBytes.
var errXMLTooLarge = errors.New("inflated extract too large")

type xmlCap struct {
	r    io.Reader
	left int64
}

func (c *xmlCap) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left < 0 {
		return 0, errXMLTooLarge
	}
	return n, err
}

// errRunTooLong is text running on without markup past maxRunBytes.
var errRunTooLong = errors.New("text runs too long without markup")

// runCap fails once more than maxRunBytes pass without a '<': the XML
// decoder buffers a whole token (a text, a comment, a tag), so this bounds
// what one token can make it hold.
type runCap struct {
	r   io.Reader
	run int
}

func (c *runCap) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			c.run += len(b)
			break
		}
		b, c.run = b[i+1:], 0
	}
	if c.run > maxRunBytes {
		return 0, errRunTooLong
	}
	return n, err
}

// decode walks the XML: <Grants> holding one element per opportunity
// (OpportunitySynopsisDetail_1_0 or OpportunityForecastDetail_1_0) whose
// children are its fields.
func (x *extract) decode(r io.Reader) error {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	var (
		depth int
		rec   *record
		field string
		text  strings.Builder
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if !x.sawRoot {
				return source.Errorf(scout.ErrorNotAFeed, "expected the Grants.gov XML extract, got no XML")
			}
			return nil
		}
		if err != nil {
			return x.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return source.Errorf(scout.ErrorParse, "the extract nests elements deeper than %d", maxDepth)
			}
			switch depth {
			case 1:
				if t.Name.Local != "Grants" {
					return source.Errorf(scout.ErrorNotAFeed, "expected the Grants.gov XML extract, got a document of <%s>", t.Name.Local)
				}
				x.sawRoot = true
			case 2:
				if f := strings.HasPrefix(t.Name.Local, "OpportunityForecastDetail"); f || strings.HasPrefix(t.Name.Local, "OpportunitySynopsisDetail") {
					rec = &record{forecast: f, fields: map[string]string{}, lists: map[string][]string{}}
				}
			case 3:
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if depth == 3 && rec != nil {
				if room := maxFieldBytes - text.Len(); room < len(t) {
					t = t[:max(room, 0)]
					x.truncate++
				}
				text.Write(t)
			}
		case xml.EndElement:
			switch depth {
			case 3:
				if rec != nil {
					rec.set(field, text.String())
				}
			case 2:
				if rec != nil {
					x.add(rec)
				}
				rec = nil
			}
			depth--
		}
	}
}

// repeated names the elements a record may hold more than once.
var repeated = map[string]bool{"CategoryOfFundingActivity": true, "EligibleApplicants": true, "CFDANumbers": true}

func (r *record) set(name, value string) {
	value = strings.ToValidUTF8(strings.TrimSpace(value), "")
	if value == "" {
		return
	}
	if _, seen := r.fields[name]; !seen {
		r.fields[name] = value
	}
	if l := r.lists[name]; repeated[name] && len(l) < maxRepeats {
		r.lists[name] = append(l, value)
	}
}

func (x *extract) add(r *record) {
	x.records++
	if r.get("OpportunityID") == "" || r.get("OpportunityTitle") == "" {
		x.skipped++
		return
	}
	if !x.filter.match(r) {
		return
	}
	x.matched++
	r.seq = x.records
	r.updated = cmp.Or(r.date("LastUpdatedDate"), r.date("PostDate"))
	delete(r.lists, "CategoryOfFundingActivity") // filtered on; not part of the item
	delete(r.lists, "EligibleApplicants")
	x.kept.offer(r, x.max)
}

// fail classes a failure of the decoder: the caps above, a truncated or
// malformed file, or markup that is not the extract at all.
func (x *extract) fail(err error) error {
	switch {
	case errors.Is(err, errXMLTooLarge):
		return source.Errorf(scout.ErrorTooLarge, "the extract inflates to more than %d bytes", x.maxXML)
	case errors.Is(err, errRunTooLong):
		return source.Errorf(scout.ErrorParse, "the extract has text running past %d bytes without markup", maxRunBytes)
	}
	if _, ok := errors.AsType[*fetch.Error](err); ok {
		return err
	}
	if !x.sawRoot {
		return source.Errorf(scout.ErrorNotAFeed, "expected the Grants.gov XML extract: %v", err)
	}
	if x.records > 0 && errors.Is(err, io.ErrUnexpectedEOF) {
		return source.Errorf(scout.ErrorParse, "the extract ends early, after %d records", x.records)
	}
	return source.Errorf(scout.ErrorParse, "the extract is not well-formed XML after %d records: %v", x.records, err)
}

// items turns the kept records into items, most recently updated first.
func (x *extract) items(opts feeds.Options) []scout.Item {
	recs := []*record(x.kept)
	slices.SortFunc(recs, func(a, b *record) int {
		if c := b.updated.Compare(a.updated); c != 0 {
			return c
		}
		return b.seq - a.seq
	})
	out := make([]scout.Item, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.item(opts))
	}
	return out
}

func (r *record) item(opts feeds.Options) scout.Item {
	id := r.get("OpportunityID")
	f := source.Facts{Currency: "USD", Funder: r.get("AgencyName"), Opens: r.date("PostDate"), Deadline: r.date("CloseDate")}
	if r.forecast {
		f.Estimated = true
		f.Opens = cmp.Or(r.date("EstimatedSynopsisPostDate"), f.Opens)
		f.Deadline = cmp.Or(r.date("EstimatedApplicationDueDate"), r.date("EstimatedSynopsisCloseDate"))
	}
	f.Ceiling, f.HasCeiling = money(r.get("AwardCeiling"))
	f.Floor, f.HasFloor = money(r.get("AwardFloor"))
	f.Total, f.HasTotal = money(r.get("EstimatedTotalProgramFunding"))
	f.Awards, f.HasAwards = money(r.get("ExpectedNumberOfAwards"))
	o := f.Opportunity()
	o.Kind, o.KindConfidence, o.Provenance["kind"] = scout.KindGrant, source.Stated.Confidence, source.Stated
	e := feeds.Entry{GUID: id, Title: r.get("OpportunityTitle"), URL: strings.ReplaceAll(DetailURL, "{id}", id),
		Published: r.date("PostDate"), Stated: source.StatedKey(o),
		Categories: append([]string{r.get("OpportunityNumber")}, r.lists["CFDANumbers"]...)}
	if body := r.get("Description"); strings.Contains(body, "<") {
		e.HTML = body
	} else {
		e.Text = body
	}
	it := feeds.NewItem(e, DetailURL, opts)
	it.Opportunity = o
	return it
}

// money reads an amount as the extract writes it ("100000", "0" meaning
// none stated, sometimes "$1,500,000" or "none").
func money(s string) (float64, bool) {
	s = strings.NewReplacer("$", "", ",", "").Replace(strings.TrimSpace(s))
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil || v <= 0 || v >= 1e15 {
		return 0, false
	}
	return v, true
}

// collectExtract reads the extract at src's URL.
func (c *Collector) collectExtract(ctx context.Context, src scout.Source, get source.Getter, cfg *Config) (source.Result, error) {
	opts := c.Options
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	x := &extract{filter: newFilter(cfg, now()), max: cmp.Or(cfg.MaxItems, min(cmp.Or(opts.MaxItems, DefaultMaxExtractItems), DefaultMaxExtractItems)),
		maxXML: cmp.Or(c.MaxXMLBytes, DefaultMaxXMLBytes)}
	req := fetch.Request{URL: dated(src.URL, now()), Accept: "application/zip, application/xml;q=0.9, */*;q=0.1", Stream: x.read}
	res, err := source.Start(ctx, src, get, req)
	if fe, ok := errors.AsType[*fetch.Error](err); ok && fe.StatusCode == http.StatusNotFound && req.URL != src.URL {
		// Today's extract is not out yet: read yesterday's.
		x = &extract{filter: x.filter, max: x.max, maxXML: x.maxXML}
		req.URL, req.Stream = dated(src.URL, now().Add(-24*time.Hour)), x.read
		res, err = source.Start(ctx, src, get, req)
	}
	if err != nil || res.NotModified {
		return res, err
	}
	res.Title = "Grants.gov extract"
	if cfg.Keyword != "" {
		res.Title += ": " + cfg.Keyword
	}
	res.SiteURL = "https://www.grants.gov/"
	res.Items = x.items(opts)
	if x.matched > len(res.Items) {
		res.Warnf("%d of %d opportunities matched; kept the %d most recently updated", x.matched, x.records, len(res.Items))
	}
	if x.skipped > 0 {
		res.Warnf("%d records without an id or title were skipped", x.skipped)
	}
	if x.truncate > 0 {
		res.Warnf("%d fields were cut at %d bytes", x.truncate, maxFieldBytes)
	}
	return res, nil
}

// dated replaces {date} in an extract URL by t's date.
func dated(raw string, t time.Time) string {
	d := t.UTC().Format("20060102")
	return strings.NewReplacer("{date}", d, "%7Bdate%7D", d, "%7bdate%7d", d).Replace(raw)
}
