package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// Threat: every byte of a request is attacker-controlled, and the layers
// below the API disagree about text. PostgreSQL refuses NUL and invalid
// UTF-8 with an error (a 500 if it reaches the driver), SQLite's FTS5 query
// parser stops at a NUL, and encoding/json silently replaces invalid UTF-8
// with U+FFFD, storing text the client never sent. screen refuses such input
// at the door, before any handler, store or log sees it, so that no input
// can produce a 5xx and every stored string is the string that was sent.

// Limits of screen.
const (
	// DefaultMaxHeaderBytes is the largest header section (names and values)
	// the API reads; larger ones get 431 as a problem document.
	DefaultMaxHeaderBytes = 32 << 10
	// maxQueryValueBytes bounds a query value with no declared maxLength.
	maxQueryValueBytes = 4096
)

// screenedHeaders are the request headers Scout reads as text.
var screenedHeaders = []string{"Authorization", "Content-Type", "Last-Event-ID"}

// inputError is a refusal by screen: a status, a detail and, for 422, the
// location of the bad value.
type inputError struct {
	status   int
	detail   string
	location string
}

func (e *inputError) Error() string { return e.detail }

func badInput(status int, detail, location string) *inputError {
	return &inputError{status: status, detail: detail, location: location}
}

// screen checks the parts of r every operation reads: header size, the
// path, the query, the headers Scout interprets, and the body, which it
// reads (within the body limit) and checks when it is JSON. It leaves r's
// body readable again. Repeated values of array query parameters are joined
// into the comma-separated form the operations parse.
func (h *Handler) screen(r *http.Request) *inputError {
	if headerBytes(r.Header) > h.maxHeader {
		return badInput(http.StatusRequestHeaderFieldsTooLarge, "the request headers exceed "+strconv.Itoa(h.maxHeader)+" bytes", "")
	}
	if reason := textFault(r.URL.Path, false); reason != "" {
		return badInput(http.StatusBadRequest, "the path "+reason, "")
	}
	for _, name := range screenedHeaders {
		for _, v := range r.Header.Values(name) {
			if reason := textFault(v, false); reason != "" {
				return badInput(http.StatusBadRequest, "header "+name+" "+reason, "")
			}
		}
	}
	if err := h.screenQuery(r); err != nil {
		return err
	}
	return h.screenBody(r)
}

// screenQuery checks every query name and value and rewrites repeated array
// parameters (status=a&status=b) as one comma-separated value (status=a,b).
func (h *Handler) screenQuery(r *http.Request) *inputError {
	if r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return badInput(http.StatusBadRequest, "the query string cannot be parsed: use percent-encoding", "")
	}
	repeated := false
	if vs, ok := q["cursor"]; ok {
		if err := h.screenCursor(vs); err != nil {
			return err
		}
		repeated = true // rewrite the query with the opened cursor
	}
	for name, vs := range q {
		if reason := textFault(name, false); reason != "" {
			return badInput(http.StatusBadRequest, "a query parameter name "+reason, "")
		}
		for _, v := range vs {
			if reason := textFault(v, true); reason != "" {
				return badInput(http.StatusUnprocessableEntity, "validation failed", "query."+name+": "+reason)
			}
			if len(v) > maxQueryValueBytes {
				return badInput(http.StatusUnprocessableEntity, "validation failed",
					"query."+name+": must be at most "+strconv.Itoa(maxQueryValueBytes)+" bytes")
			}
		}
		if len(vs) > 1 {
			if !h.arrayParams[name] {
				return badInput(http.StatusBadRequest, "query parameter "+name+" is given more than once", "")
			}
			q[name], repeated = []string{strings.Join(vs, ",")}, true
		}
	}
	if repeated {
		r.URL.RawQuery = q.Encode()
	}
	return nil
}

// screenBody reads the body within the limit wrap set, so that a body that
// cannot be read (a malformed chunked encoding, a client that hangs up) is a
// 400 and an oversized one a 413 before any handler runs, and checks JSON
// text for invalid UTF-8 and control characters.
func (h *Handler) screenBody(r *http.Request) *inputError {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	if streamsBody(r) { // read by its operation, as it arrives
		if r.ContentLength > h.bodyLimit(r) {
			return badInput(http.StatusRequestEntityTooLarge, "the body exceeds "+strconv.FormatInt(h.bodyLimit(r), 10)+" bytes", "")
		}
		return nil
	}
	b, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return badInput(http.StatusRequestEntityTooLarge, "the body exceeds "+strconv.FormatInt(h.bodyLimit(r), 10)+" bytes", "")
	case err != nil:
		return badInput(http.StatusBadRequest, "the request body cannot be read (malformed or truncated transfer encoding)", "")
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	if len(b) == 0 || !strings.Contains(strings.ToLower(r.Header.Get("Content-Type")), "json") {
		return nil
	}
	if loc, reason := jsonTextFault(b); reason != "" {
		return badInput(http.StatusUnprocessableEntity, "validation failed", loc+": "+reason)
	}
	return nil
}

// textFault says what is wrong with s as text Scout can store and match, or
// "" when nothing is: it must be valid UTF-8 without NUL or other control
// characters. Tab, line feed and carriage return are allowed when multiline.
func textFault(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, c := range s {
		if c == 0 {
			return "contains a NUL character"
		}
		if isControl(c) && !(multiline && (c == '\t' || c == '\n' || c == '\r')) {
			return "contains a control character"
		}
	}
	return ""
}

// isControl reports C0 and C1 control characters and DEL.
func isControl(c rune) bool { return c < 0x20 || (c >= 0x7f && c < 0xa0) }

// jsonTextFault walks a JSON document and reports the first string (key or
// value) that is not valid UTF-8 or holds a NUL or a control character other
// than tab, line feed and carriage return, with its location ("body.a.b[2]").
// A document that is not JSON is left to the operation's decoder (400).
func jsonTextFault(b []byte) (location, reason string) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var path jsonPath
	prev := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", ""
		}
		off := dec.InputOffset()
		raw := b[prev:off]
		prev = off
		if !utf8.Valid(raw) {
			return path.at(tok), "is not valid UTF-8"
		}
		if s, ok := tok.(string); ok {
			if r := textFault(s, true); r != "" {
				return path.at(tok), r
			}
			if replacedSurrogate(raw, s) {
				return path.at(tok), "contains an unpaired UTF-16 surrogate escape"
			}
		}
		path.step(tok)
	}
}

// replacedSurrogate reports whether the decoder turned an escape in raw into
// U+FFFD, which it does for an unpaired surrogate (\ud800): the client sent
// no U+FFFD, literal or escaped.
func replacedSurrogate(raw []byte, s string) bool {
	return strings.ContainsRune(s, utf8.RuneError) && bytes.Contains(raw, []byte(`\u`)) &&
		!bytes.Contains(raw, []byte("\uFFFD")) && !bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`))
}

// jsonPath follows a decoder's position in a document, for locations.
type jsonPath struct{ frames []jsonFrame }

type jsonFrame struct {
	object  bool
	wantKey bool   // in an object: the next string is a key
	key     string // in an object: the current key
	index   int    // in an array: the index of the current element
}

// at is the location of tok, the token about to be stepped over.
func (p *jsonPath) at(tok any) string {
	var sb strings.Builder
	sb.WriteString("body")
	for i, f := range p.frames {
		top := i == len(p.frames)-1
		switch {
		case f.object && top && f.wantKey:
			if k, ok := tok.(string); ok {
				sb.WriteString("." + k)
			}
		case f.object:
			sb.WriteString("." + f.key)
		case top:
			sb.WriteString("[" + strconv.Itoa(f.index+1) + "]")
		default:
			sb.WriteString("[" + strconv.Itoa(f.index) + "]")
		}
	}
	return sb.String()
}

// step advances the path past tok.
func (p *jsonPath) step(tok any) {
	switch tok {
	case json.Delim('{'), json.Delim('['):
		p.value()
		p.frames = append(p.frames, jsonFrame{object: tok == json.Delim('{'), wantKey: true, index: -1})
		return
	case json.Delim('}'), json.Delim(']'):
		p.frames = p.frames[:len(p.frames)-1]
		return
	}
	if n := len(p.frames); n > 0 && p.frames[n-1].object && p.frames[n-1].wantKey {
		p.frames[n-1].key, p.frames[n-1].wantKey = tok.(string), false
		return
	}
	p.value()
}

// value records that a value was read at the current position.
func (p *jsonPath) value() {
	if n := len(p.frames); n > 0 {
		if f := &p.frames[n-1]; f.object {
			f.wantKey = true
		} else {
			f.index++
		}
	}
}

// headerBytes is the size of a header section as sent, roughly: names,
// values and separators.
func headerBytes(hdr http.Header) int {
	n := 0
	for k, vs := range hdr {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// writeInputError answers a refusal by screen as a problem document.
func writeInputError(w http.ResponseWriter, e *inputError) {
	m := huma.ErrorModel{Type: problemType(e.status), Title: http.StatusText(e.status), Status: e.status, Detail: e.detail}
	if e.location != "" {
		loc, msg, _ := strings.Cut(e.location, ": ")
		m.Errors = []*huma.ErrorDetail{{Location: loc, Message: msg}}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	if e.status == http.StatusRequestHeaderFieldsTooLarge || e.status == http.StatusBadRequest {
		w.Header().Set("Connection", "close")
	}
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(m)
}
