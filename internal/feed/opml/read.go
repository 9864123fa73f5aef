package opml

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

const (
	// maxElementDepth bounds the nesting of any element, outline or not:
	// <opml><body> plus MaxDepth outlines, with room for stray wrappers.
	maxElementDepth = MaxDepth + 8
	// maxCategories bounds the categories kept per feed, so that a document
	// repeating one feed in many folders cannot grow a list without end.
	maxCategories = 32
)

// errOverLimit is returned by limitReader once the input passes its limit.
var errOverLimit = errors.New("input over limit")

// Read parses an OPML 1.0 or 2.0 document and returns its feeds in document
// order. Folders (outlines without an xmlUrl) are flattened: their titles
// become the Categories of the feeds inside them, followed by the entries of
// each feed's category attribute. Outlines without an xmlUrl are skipped, and a
// feed listed twice (same xmlUrl, scheme and host compared without case) is
// kept once with the categories of both.
//
// Read stops with an *Error once the document passes maxBytes bytes, lists
// more than maxOutlines distinct feeds, or nests outlines deeper than
// MaxDepth. maxBytes <= 0 and maxOutlines <= 0 select DefaultMaxBytes and
// DefaultMaxOutlines. A document that is well-formed up to its root's end tag
// is accepted; anything after it is not read. Errors from r itself are
// returned wrapped, not as *Error.
func Read(r io.Reader, maxBytes int64, maxOutlines int) ([]Outline, error) {
	p, err := parse(r, maxBytes, maxOutlines, nil)
	if err != nil {
		return nil, err
	}
	return p.out, nil
}

// parse runs a parser over r with the limits applied; emit, when not nil,
// receives each new feed instead of the parser's list.
func parse(r io.Reader, maxBytes int64, maxOutlines int, emit func(Outline) error) (*parser, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxOutlines <= 0 {
		maxOutlines = DefaultMaxOutlines
	}
	src, transcoded, err := unwrapBOM(&limitReader{r: r, n: maxBytes})
	if err != nil {
		return nil, readError(err, maxBytes)
	}
	p := &parser{max: maxOutlines, index: make(map[string]int), emit: emit}
	if err := p.run(newDecoder(src, transcoded)); err != nil {
		if e, ok := errors.AsType[*emitError](err); ok {
			return nil, e.err
		}
		return nil, readError(err, maxBytes)
	}
	return p, nil
}

// Stream is Read for lists too long to hold: it calls emit with each feed as
// soon as its outline is read, so memory stays bounded by one outline and
// the set of URLs seen. A feed listed again later is not emitted twice (its
// extra categories are dropped, unlike Read, which merges them). Feeds
// emitted before a problem in the document stay emitted; the *Error then
// says what stopped the reading. An error from emit stops it and is
// returned as is. maxBytes <= 0 and maxOutlines <= 0 select DefaultMaxBytes
// and DefaultMaxOutlines.
func Stream(r io.Reader, maxBytes int64, maxOutlines int, emit func(Outline) error) error {
	_, err := parse(r, maxBytes, maxOutlines, emit)
	return err
}

// emitError carries an error of Stream's emit through the parser.
type emitError struct{ err error }

func (e *emitError) Error() string { return e.err.Error() }

// limitReader passes through at most n bytes and fails with errOverLimit if
// the source holds more.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var probe [1]byte
		n, err := io.ReadFull(l.r, probe[:])
		if n > 0 {
			return 0, errOverLimit
		}
		return 0, tagSource(err)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, tagSource(err)
}

// sourceError marks a failure of the caller's reader, which is not the
// document's fault, so that Read can tell it from the decoder's complaints.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }

func tagSource(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	return &sourceError{err: err}
}

// unwrapBOM drops a UTF-8 byte-order mark and decodes UTF-16 (recognised by
// its mark) to UTF-8, which encoding/xml cannot read on its own. It reports
// whether it transcoded, in which case any declared charset is already applied.
func unwrapBOM(r io.Reader) (io.Reader, bool, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		_, err = br.Discard(3)
		return br, false, err
	case bytes.HasPrefix(head, []byte("\xFE\xFF")), bytes.HasPrefix(head, []byte("\xFF\xFE")):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), true, nil
	}
	return br, false, nil
}

// newDecoder returns a forgiving decoder: real subscription lists carry HTML
// entities (&nbsp;), bare ampersands in URLs and mismatched end tags.
func newDecoder(r io.Reader, transcoded bool) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if transcoded {
			return in, nil
		}
		enc, name := charset.Lookup(label)
		if enc == nil {
			return nil, &charsetError{label: label}
		}
		if strings.HasPrefix(name, "utf-16") {
			// The declaration was read byte by byte, so the bytes are not
			// UTF-16 whatever the label says: read them as they are.
			return in, nil
		}
		return transform.NewReader(in, enc.NewDecoder()), nil
	}
	return d
}

// charsetError reports a declared encoding that Read does not know.
type charsetError struct{ label string }

func (e *charsetError) Error() string { return fmt.Sprintf("unknown charset %q", e.label) }

// readError turns what the decoder returned into an *Error, except for
// failures of the caller's reader, which it wraps.
func readError(err error, maxBytes int64) error {
	var (
		docErr *Error
		synErr *xml.SyntaxError
		csErr  *charsetError
		srcErr *sourceError
	)
	switch {
	case errors.As(err, &srcErr):
		return fmt.Errorf("read opml: %w", srcErr.err)
	case errors.As(err, &docErr):
		return docErr
	case errors.Is(err, errOverLimit):
		return &Error{Kind: ErrTooLarge, Detail: fmt.Sprintf("document larger than %d bytes", maxBytes)}
	case errors.As(err, &csErr):
		return &Error{Kind: ErrMalformed, Detail: "declared charset " + fmt.Sprintf("%q", csErr.label) + " is not supported"}
	case errors.As(err, &synErr) && synErr.Msg == "unexpected EOF", errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Kind: ErrMalformed, Detail: "document ends before its root element is closed"}
	case errors.As(err, &synErr):
		return &Error{Kind: ErrMalformed, Detail: fmt.Sprintf("malformed XML on line %d: %s", synErr.Line, synErr.Msg)}
	}
	// What remains comes from the decoder, such as an unsupported XML version.
	return &Error{Kind: ErrMalformed, Detail: "malformed XML: " + strings.TrimPrefix(err.Error(), "xml: ")}
}

// frame is one open element.
type frame struct {
	outline bool
	folder  string // the title of a folder outline, else ""
}

// parser walks the decoder's tokens and collects feeds.
type parser struct {
	max      int
	emit     func(Outline) error // Stream: called per new feed instead of appending to out
	emitted  int
	out      []Outline
	index    map[string]int // feed key → position in out
	stack    []frame
	outlines int // open outline elements
}

func (p *parser) run(d *xml.Decoder) error {
	if err := p.root(d); err != nil {
		return err
	}
	for len(p.stack) > 0 {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := p.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			p.end()
		}
	}
	return nil
}

// root reads up to the first element and checks that it is <opml>.
func (p *parser) root(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return &Error{Kind: ErrNotOPML, Detail: "not an OPML document (no root element)"}
		}
		var synErr *xml.SyntaxError
		if errors.As(err, &synErr) {
			return &Error{Kind: ErrNotOPML, Detail: "not an OPML document (not XML: " + synErr.Msg + ")"}
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok {
			if !strings.EqualFold(t.Name.Local, "opml") {
				return &Error{Kind: ErrNotOPML, Detail: fmt.Sprintf("not an OPML document (root element <%.40s>)", t.Name.Local)}
			}
			p.stack = append(p.stack, frame{})
			return nil
		}
	}
}

func (p *parser) start(t xml.StartElement) error {
	if len(p.stack) >= maxElementDepth {
		return &Error{Kind: ErrTooDeep, Detail: fmt.Sprintf("elements nested deeper than %d levels", maxElementDepth)}
	}
	if !strings.EqualFold(t.Name.Local, "outline") {
		p.stack = append(p.stack, frame{})
		return nil
	}
	if p.outlines >= MaxDepth {
		return &Error{Kind: ErrTooDeep, Detail: fmt.Sprintf("outlines nested deeper than %d levels", MaxDepth)}
	}
	a := outlineAttrs(t.Attr)
	f := frame{outline: true}
	if a.XMLURL == "" {
		f.folder = a.Title
	}
	p.stack = append(p.stack, f)
	p.outlines++
	if a.XMLURL == "" {
		return nil
	}
	return p.add(a)
}

func (p *parser) end() {
	top := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if top.outline {
		p.outlines--
	}
}

// add records a feed, merging it into an earlier entry with the same URL.
func (p *parser) add(o Outline) error {
	var cats []string
	for _, f := range p.stack {
		if f.folder != "" {
			cats = appendUnique(cats, f.folder)
		}
	}
	for _, c := range o.Categories {
		cats = appendUnique(cats, c)
	}
	key := feedKey(o.XMLURL)
	if o.Kind != "" {
		key = o.Kind + " " + key // one page may be read both as a feed and with selectors
	}
	if p.emit != nil {
		if _, ok := p.index[key]; ok {
			return nil
		}
		if p.emitted >= p.max {
			return &Error{Kind: ErrTooManyFeeds, Detail: fmt.Sprintf("more than %d feeds", p.max)}
		}
		p.index[key] = 0
		p.emitted++
		o.Categories = cats
		if err := p.emit(o); err != nil {
			return &emitError{err: err}
		}
		return nil
	}
	if i, ok := p.index[key]; ok {
		for _, c := range cats {
			p.out[i].Categories = appendUnique(p.out[i].Categories, c)
		}
		return nil
	}
	if len(p.out) >= p.max {
		return &Error{Kind: ErrTooManyFeeds, Detail: fmt.Sprintf("more than %d feeds", p.max)}
	}
	o.Categories = cats
	p.index[key] = len(p.out)
	p.out = append(p.out, o)
	return nil
}

// outlineAttrs reads an outline's attributes. Names are matched without case:
// exporters write xmlUrl, xmlurl and XMLURL alike.
func outlineAttrs(attrs []xml.Attr) Outline {
	var o Outline
	var text, category, link string
	for _, a := range attrs {
		if a.Name.Space == Namespace || a.Name.Space == "scout" { // declared, or a bare prefix
			switch a.Name.Local {
			case "kind":
				o.Kind = strings.ToLower(strings.TrimSpace(a.Value))
			case "config":
				o.Config = a.Value
			}
			continue
		}
		switch strings.ToLower(a.Name.Local) {
		case "url":
			link = strings.TrimSpace(a.Value)
		case "xmlurl":
			o.XMLURL = strings.TrimSpace(a.Value)
		case "htmlurl":
			o.HTMLURL = strings.TrimSpace(a.Value)
		case "title":
			o.Title = collapse(a.Value)
		case "text":
			text = collapse(a.Value)
		case "category":
			category = a.Value
		}
	}
	if o.Title == "" {
		o.Title = text
	}
	if o.Kind == "feed" {
		o.Kind, o.Config = "", ""
	}
	if o.Kind != "" && o.XMLURL == "" {
		o.XMLURL = link
	}
	o.Categories = splitCategories(category)
	return o
}

// splitCategories reads OPML 2.0's category attribute: comma-separated,
// each entry a slash-delimited path such as "/Arts/Music".
func splitCategories(s string) []string {
	var cats []string
	for s != "" && len(cats) < maxCategories {
		var c string
		c, s, _ = strings.Cut(s, ",")
		if c = collapse(strings.Trim(strings.TrimSpace(c), "/")); c != "" {
			cats = appendUnique(cats, c)
		}
	}
	return cats
}

// appendUnique appends s unless it is present or the list is full.
func appendUnique(list []string, s string) []string {
	if len(list) >= maxCategories {
		return list
	}
	for _, c := range list {
		if c == s {
			return list
		}
	}
	return append(list, s)
}

// feedKey is the identity used to drop duplicate feeds: the URL with its
// scheme and host in lower case and without a fragment.
func feedKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// collapse trims s and replaces each run of white space with one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
