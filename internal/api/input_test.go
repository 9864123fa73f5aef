package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/source/grantsgov"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	jsonkind "github.com/scoutdev/scout/internal/source/jsonapi"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// hostile are the string payloads every input must survive: each must get
// a 4xx problem document or a success, never a 5xx, on either engine.
var hostile = []struct {
	name string
	raw  string // the text itself, for paths, queries and headers
	json string // how it appears between the quotes of a JSON string
}{
	{"nul", "a\x00b", `a\u0000b`},
	{"invalid utf-8", "a\xff\xfeb", "a\xff\xfeb"},
	{"control characters", "a\x01\x1b[0mb", `a\u0001\u001b[0mb`},
	{"lone surrogate", "a\xed\xa0\x80b", `a\ud800b`},
	{"overlong", strings.Repeat("ä", 6000), strings.Repeat("ä", 6000)},
}

func TestHostileInputOnSQLite(t *testing.T) {
	testHostileInput(t, hostileEnv(t, testdb.SQLite(t, nil)))
}

func TestHostileInputOnPostgres(t *testing.T) {
	testHostileInput(t, hostileEnv(t, testdb.Postgres(t, nil)))
}

// hostileEnv is a server with every kind of source, a preview that reads
// sources, and a loopback site that the sample URLs of bodies point to, so
// that a request the screen lets through reaches the handler's own work.
func hostileEnv(t *testing.T, st store.Store) *env {
	site := clientSite(t)
	kinds := source.NewRegistry(feedkind.Kind(feed.Options{}), htmlkind.Kind(feed.Options{}),
		jsonkind.Kind(feed.Options{}), grantsgov.Kind(feed.Options{}))
	e := newEnv(t, func(o *Options) {
		o.Store, o.Sources = st, kinds
		o.Fetch = mustFetchClient(t, []string{site.Listener.Addr().String()})
		o.Preview = ingest.New(ingest.Options{Fetcher: o.Fetch, Store: st, Sources: kinds})
	})
	e.sampleURL = site.URL + "/feed.xml"
	return e
}

// testHostileInput sends every hostile payload in every input of every
// operation the document declares: each path, query and header parameter
// whatever its type, a header no operation declares, each field of the
// JSON body at any depth whatever its type, and each string setting of
// every kind of source in the bodies that configure one. It fails unless
// every operation was reached in each of the places it takes input.
func testHostileInput(t *testing.T, e *env) {
	admin := e.mustUser("root@example.org", true)
	src := e.mustSource(admin.ID, "https://example.org/feed.xml", scout.VisibilityPublic)
	e.mustItems(src, grantItem("g1", "Arts grant", time.Now().Add(-time.Hour)))
	feedToken := e.do(http.MethodPost, "/v1/me/feed-token", admin.token, nil)
	wantStatus(t, feedToken, http.StatusOK, "feed token")
	cases, missing := inputCases(e)
	for _, m := range missing {
		t.Errorf("not reached by the hostile inputs: %s", m)
	}
	sent := 0
	for _, c := range cases {
		for _, p := range hostile {
			r := c.send(e, admin.token, p.raw, p.json)
			sent++
			if r.status >= 500 {
				t.Errorf("%s with %s: status %d: %s", c.name, p.name, r.status, r.raw)
			}
			if r.status >= 400 && r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s with %s: %d as %q", c.name, p.name, r.status, r.header.Get("Content-Type"))
			}
		}
	}
	if sent < 1000 {
		t.Fatalf("only %d hostile requests sent: the walk over the document found too few inputs", sent)
	}
}

// inputCase puts a payload in one input of one operation.
type inputCase struct {
	name string
	send func(e *env, token, raw, jsonText string) resp
}

// inputCases walks the served document for every input, and names each
// operation and place of input (path, query, header, body) it found no
// case for.
func inputCases(e *env) (cases []inputCase, missing []string) {
	doc := e.h.OpenAPI()
	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for method, o := range pathOps(doc.Paths[path]) {
			cases = append(cases, operationCases(e, method, path, o)...)
		}
	}
	defer func() {
		for _, path := range paths {
			for method, o := range pathOps(doc.Paths[path]) {
				for _, place := range inputPlaces(o) {
					prefix := method + " " + path + " " + place + " "
					if !slices.ContainsFunc(cases, func(c inputCase) bool { return strings.HasPrefix(c.name, prefix) }) {
						missing = append(missing, method+" "+path+" "+place)
					}
				}
			}
		}
	}()
	// The Atom and iCalendar feeds, served outside huma, read one string.
	for _, path := range []string{"/v1/digest.atom", "/v1/deadlines.ics"} {
		cases = append(cases, inputCase{name: "GET " + path + " query token", send: func(e *env, _, raw, _ string) resp {
			return e.doRaw(http.MethodGet, path+"?token="+url.QueryEscape(raw), "", "", nil)
		}})
	}
	// The OPML import reads XML, not JSON: the text goes into an outline.
	for _, attr := range []string{"text", "xmlUrl"} {
		cases = append(cases, inputCase{name: "POST /v1/opml body outline " + attr, send: func(e *env, token, raw, _ string) resp {
			v := map[string]string{"text": "Calls", "xmlUrl": e.sampleURL}
			v[attr] += raw
			opml := `<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" text="` + v["text"] +
				`" xmlUrl="` + v["xmlUrl"] + `"/></body></opml>`
			return e.rawSend(http.MethodPost, "/v1/opml", map[string]string{"Authorization": "Bearer " + token,
				"Content-Type": "text/x-opml"}, []byte(opml))
		}})
	}
	cases = append(cases, inputCase{name: "GET /v1/items header Authorization", send: func(e *env, _, raw, _ string) resp {
		return e.rawSend(http.MethodGet, "/v1/items", map[string]string{"Authorization": "Bearer " + raw}, nil)
	}})
	return cases, missing
}

// inputPlaces are the places an operation takes input: always headers,
// and the path, query and body where it has them.
func inputPlaces(o *huma.Operation) []string {
	places := []string{"header"}
	for _, in := range []string{"path", "query"} {
		if slices.ContainsFunc(o.Parameters, func(p *huma.Param) bool { return p.In == in }) {
			places = append(places, in)
		}
	}
	if o.RequestBody != nil {
		places = append(places, "body")
	}
	return places
}

func pathOps(item *huma.PathItem) map[string]*huma.Operation {
	m := map[string]*huma.Operation{}
	for method, o := range map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post,
		http.MethodPut: item.Put, http.MethodPatch: item.Patch, http.MethodDelete: item.Delete} {
		if o != nil {
			m[method] = o
		}
	}
	return m
}

// operationCases are the cases of one operation: each parameter, a header
// it does not declare, each field of its JSON body, and for the bodies
// that configure a source, each string setting of each kind.
func operationCases(e *env, method, path string, o *huma.Operation) []inputCase {
	var cases []inputCase
	fill := func(skip string) (string, url.Values) {
		p := path
		q := url.Values{}
		for _, prm := range o.Parameters {
			if prm.Name == skip {
				continue
			}
			switch prm.In {
			case "path":
				p = strings.ReplaceAll(p, "{"+prm.Name+"}", sampleParam(prm))
			case "query":
				if prm.Required {
					q.Set(prm.Name, sampleParam(prm))
				}
			}
		}
		return p, q
	}
	withQuery := func(p string, q url.Values) string {
		if enc := q.Encode(); enc != "" {
			return p + "?" + enc
		}
		return p
	}
	// A stream would stay open on input the screen lets through: it is
	// sent raw, and its answer read no further than its headers.
	stream := o.OperationID == "streamEvents"
	send := func(e *env, method, p, token string, hdr map[string]string, body []byte) resp {
		if hdr != nil || stream {
			if hdr == nil {
				hdr = map[string]string{}
			}
			hdr["Authorization"] = "Bearer " + token
			return e.rawSend(method, p, hdr, body)
		}
		return e.doRaw(method, p, "Bearer "+token, "application/json", body)
	}
	body := func() []byte {
		b := sampleBody(e, o)
		if b == nil {
			return nil
		}
		j, _ := json.Marshal(b)
		return j
	}
	params := append([]*huma.Param{}, o.Parameters...)
	params = append(params, &huma.Param{Name: "X-Probe", In: "header"}) // read by no operation
	for _, prm := range params {
		prm := prm
		name := method + " " + path + " " + prm.In + " " + prm.Name
		cases = append(cases, inputCase{name: name, send: func(e *env, token, raw, _ string) resp {
			p, q := fill(prm.Name)
			switch prm.In {
			case "path":
				p = strings.ReplaceAll(p, "{"+prm.Name+"}", url.PathEscape(raw))
			case "query":
				q.Set(prm.Name, raw)
			case "header":
				return send(e, method, withQuery(p, q), token, map[string]string{prm.Name: raw}, body())
			}
			return send(e, method, withQuery(p, q), token, nil, body())
		}})
	}
	schema := bodySchema(e, o)
	if schema == nil {
		return cases
	}
	for _, field := range bodyFields(e, schema, nil) {
		field := field
		name := method + " " + path + " body " + strings.Join(field, ".")
		cases = append(cases, inputCase{name: name, send: func(e *env, token, _, jsonText string) resp {
			p, q := fill("")
			return send(e, method, withQuery(p, q), token, nil, markedBody(sampleBody(e, o), field, jsonText))
		}})
	}
	if _, ok := schema.Properties["config"]; ok && schema.Properties["kind"] != nil {
		for kind, ks := range e.h.kindSchema {
			for _, field := range stringFields(e, ks, nil) {
				kind, field := kind, field
				name := method + " " + path + " body config." + strings.Join(field, ".") + " of kind " + string(kind)
				cases = append(cases, inputCase{name: name, send: func(e *env, token, _, jsonText string) resp {
					p, q := fill("")
					b, _ := sampleBody(e, o).(map[string]any)
					b["kind"], b["config"] = string(kind), sampleValue(e, ks, 0)
					return send(e, method, withQuery(p, q), token, nil, markedBody(b, append([]string{"config"}, field...), jsonText))
				}})
			}
		}
	}
	return cases
}

// markedBody is body with the field at path set to the JSON string text
// jsonText (the bytes between the quotes, sent as they are).
func markedBody(body any, path []string, jsonText string) []byte {
	b := withField(body, path, "\x00marker\x00")
	j, _ := json.Marshal(b)
	return bytes.Replace(j, []byte(`"\u0000marker\u0000"`), []byte(`"`+jsonText+`"`), 1)
}

// rawSend sends a request over TCP as written, headers included, through
// the listener the app serves with, for bytes a client library refuses to
// send. An event stream's answer is read no further than its headers.
func (e *env) rawSend(method, path string, hdr map[string]string, body []byte) resp {
	e.t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(e.srv.URL, "http://"), 5*time.Second)
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var req strings.Builder
	req.WriteString(method + " " + path + " HTTP/1.1\r\nHost: scout.test\r\nConnection: close\r\n")
	for k, v := range hdr {
		req.WriteString(k + ": " + v + "\r\n")
	}
	if body != nil {
		if _, ok := hdr["Content-Type"]; !ok {
			req.WriteString("Content-Type: application/json\r\n")
		}
		req.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	req.WriteString("\r\n")
	req.Write(body)
	if _, err := io.WriteString(c, req.String()); err != nil {
		e.t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		e.t.Fatalf("%s %s: read response: %v", method, path, err)
	}
	r := resp{status: res.StatusCode, header: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return r // closing the connection ends it; closing the body would drain it
	}
	r.raw, _ = io.ReadAll(res.Body)
	res.Body.Close()
	e.validate(method, strings.SplitN(path, "?", 2)[0], r)
	return r
}

// sampleParam is a valid-looking value for a parameter not under test.
func sampleParam(p *huma.Param) string {
	if p.Schema != nil && (p.Schema.Type == huma.TypeInteger || p.Schema.Type == huma.TypeNumber) {
		return "1"
	}
	if p.Schema != nil && len(p.Schema.Enum) > 0 {
		if s, ok := p.Schema.Enum[0].(string); ok {
			return s
		}
	}
	return "sample"
}

func resolve(e *env, s *huma.Schema) *huma.Schema {
	if s != nil && s.Ref != "" {
		return e.h.OpenAPI().Components.Schemas.SchemaFromRef(s.Ref)
	}
	return s
}

func bodySchema(e *env, o *huma.Operation) *huma.Schema {
	if o.RequestBody == nil {
		return nil
	}
	mt := o.RequestBody.Content["application/json"]
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return resolve(e, mt.Schema)
}

// bodyFields lists the paths of every field of an object schema, whatever
// its type, descending into objects and arrays (an array index is written
// "0", a key of a free-form object "key"): a string where a number, a
// boolean, an object or a list belongs must be refused as surely as bad
// text.
func bodyFields(e *env, s *huma.Schema, prefix []string) [][]string {
	return fields(e, s, prefix, func(*huma.Schema) bool { return true })
}

// stringFields lists the paths of the string fields of an object schema,
// descending as bodyFields does.
func stringFields(e *env, s *huma.Schema, prefix []string) [][]string {
	return fields(e, s, prefix, func(f *huma.Schema) bool { return f.Type == huma.TypeString })
}

// fields lists the paths of the fields of s that keep accepts.
func fields(e *env, s *huma.Schema, prefix []string, keep func(*huma.Schema) bool) [][]string {
	s = resolve(e, s)
	var out [][]string
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := resolve(e, s.Properties[n])
		path := append(append([]string(nil), prefix...), n)
		if keep(f) {
			out = append(out, path)
		}
		switch {
		case f.Type == huma.TypeArray && f.Items != nil && len(prefix) < 3:
			if it := resolve(e, f.Items); it.Type == huma.TypeObject {
				out = append(out, fields(e, it, append(path, "0"), keep)...)
			} else if keep(it) {
				out = append(out, append(path, "0"))
			}
		case f.Type == huma.TypeObject && len(prefix) < 3:
			out = append(out, fields(e, f, path, keep)...)
			if f.AdditionalProperties != nil && len(f.Properties) == 0 {
				out = append(out, append(path, "key"))
			}
		}
	}
	return out
}

// sampleBody is a body the operation accepts, as far as the test can tell:
// required fields set to plausible values.
func sampleBody(e *env, o *huma.Operation) any {
	s := bodySchema(e, o)
	if s == nil {
		return nil
	}
	return sampleValue(e, s, 0)
}

func sampleValue(e *env, s *huma.Schema, depth int) any {
	s = resolve(e, s)
	switch s.Type {
	case huma.TypeObject:
		m := map[string]any{}
		for _, n := range s.Required {
			if depth < 4 {
				m[n] = sampleValue(e, s.Properties[n], depth+1)
			}
		}
		return m
	case huma.TypeArray:
		return []any{}
	case huma.TypeInteger, huma.TypeNumber:
		return 1
	case huma.TypeBoolean:
		return false
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	if s.Format == "uri" || strings.Contains(strings.ToLower(s.Description), "url") {
		if e.sampleURL != "" {
			return e.sampleURL
		}
		return "https://example.org/x"
	}
	if s.Format == "date-time" {
		return "2026-04-01T00:00:00Z"
	}
	return "sample text"
}

// withField returns a copy of body with the string at path set to v,
// creating the objects and one-element arrays on the way.
func withField(body any, path []string, v string) any {
	if len(path) == 0 {
		return v
	}
	if path[0] == "0" {
		return []any{withField(nil, path[1:], v)}
	}
	m, _ := body.(map[string]any)
	out := map[string]any{}
	for k, x := range m {
		out[k] = x
	}
	out[path[0]] = withField(out[path[0]], path[1:], v)
	if path[0] == "key" && len(path) == 1 {
		delete(out, "key")
		out[v] = "value"
	}
	return out
}

// doRaw sends exact bytes, with an Authorization header value and a
// Content-Type when not empty, and checks what every response must carry.
func (e *env) doRaw(method, path, authz, ct string, body []byte) resp {
	e.t.Helper()
	return e.doHeader(method, path, "", "", "", body, withAuthz(authz), withCT(ct, body))
}

type reqOption func(*http.Request)

func withAuthz(v string) reqOption {
	return func(r *http.Request) {
		if v != "" {
			r.Header["Authorization"] = []string{v}
		}
	}
}

func withCT(ct string, body []byte) reqOption {
	return func(r *http.Request) {
		if ct != "" && body != nil {
			r.Header.Set("Content-Type", ct)
		}
	}
}

// doHeader sends a request with header name set to the raw value v.
func (e *env) doHeader(method, path, token, name, v string, body []byte, opts ...reqOption) resp {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if name != "" {
		req.Header[http.CanonicalHeaderKey(name)] = []string{v}
	}
	for _, o := range opts {
		o(req)
	}
	res, err := e.client.Do(req)
	if err != nil {
		// The client refuses to send some header bytes at all: nothing to test.
		if strings.Contains(err.Error(), "invalid header field value") {
			return resp{status: http.StatusBadRequest, header: http.Header{"Content-Type": {"application/problem+json"}}}
		}
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return e.read(method, path, res)
}

// The specific answers the screen gives, beyond "never a 5xx".
func TestScreenRefusesBadText(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		loc    string
	}{
		{"a NUL in a search", "GET", "/v1/items?q=a%00b", "", 422, "query.q"},
		{"invalid UTF-8 in a tag filter", "GET", "/v1/items?tag=%ff", "", 422, "query.tag"},
		{"a NUL in a login e-mail", "POST", "/v1/auth/token", `{"email":"a\u0000@x.org","password":"p"}`, 422, "body.email"},
		{"invalid UTF-8 in a source URL", "POST", "/v1/sources", "{\"url\":\"https://example.org/\xff\xfe\"}", 422, "body.url"},
		{"a control character in a nested tag", "POST", "/v1/sources", `{"url":"https://example.org/f","tags":["ok","a\u0007"]}`, 422, "body.tags[1]"},
		{"a lone surrogate", "PATCH", "/v1/sources/1", `{"title":"a\udc00"}`, 422, "body.title"},
		{"a control character in a key", "POST", "/v1/sources", `{"url":"https://example.org/f","a\u0001":1}`, 422, "body.a\x01"},
		{"a repeated scalar parameter", "GET", "/v1/items?q=a&q=b", "", 400, ""},
		{"an unparsable query", "GET", "/v1/items?q=%zz", "", 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b []byte
			if c.body != "" {
				b = []byte(c.body)
			}
			r := e.doRaw(c.method, c.path, "Bearer "+u.token, "application/json", b)
			wantStatus(t, r, c.status, c.name)
			p := r.problem(t)
			if c.loc != "" && (len(p.Errors) != 1 || p.Errors[0].Location != c.loc) {
				t.Errorf("errors = %+v, want location %q", p.Errors, c.loc)
			}
		})
	}
}

func TestRepeatedArrayParametersAreHonoured(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed.xml", scout.VisibilityPublic)
	now := time.Now()
	open := grantItem("open", "Open grant", now.Add(-time.Hour))
	open.Opportunity.Deadline = now.Add(60 * 24 * time.Hour)
	closed := grantItem("closed", "Closed grant", now.Add(-2*time.Hour))
	closed.Opportunity.Deadline = now.Add(-24 * time.Hour)
	e.mustItems(src, open, closed)
	count := func(q string) int {
		r := e.do(http.MethodGet, "/v1/items?"+q, u.token, nil)
		wantStatus(t, r, http.StatusOK, q)
		var out struct{ Items []Item }
		r.json(t, &out)
		return len(out.Items)
	}
	for q, want := range map[string]int{"status=closed": 1, "status=open": 1, "status=closed,open": 2,
		"status=closed&status=open": 2, "status=open&status=closed": 2} {
		if got := count(q); got != want {
			t.Errorf("%s: %d items, want %d", q, got, want)
		}
	}
}

func TestUnreadableBodyIsBadRequest(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	conn := dialRaw(t, e)
	req := "POST /v1/sources HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + u.token +
		"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"url\r\nzz\r\n"
	status, ct, body := rawExchange(t, conn, req)
	if status != http.StatusBadRequest || ct != "application/problem+json" {
		t.Fatalf("malformed chunked body: %d %q %s", status, ct, body)
	}
}

// dialRaw opens a TCP connection to the test server, for requests a client
// library would refuse to send.
func dialRaw(t *testing.T, e *env) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(e.srv.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// rawExchange writes req and reads one response.
func rawExchange(t *testing.T, c net.Conn, req string) (status int, contentType string, body []byte) {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer res.Body.Close()
	body, _ = io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), body
}

func TestCursorsAreSealed(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", true)
	for i := range 3 {
		e.mustSource(u.ID, "https://example.org/feed"+itoa(int64(i))+".xml", scout.VisibilityPublic)
	}
	r := e.do(http.MethodGet, "/v1/sources?limit=1", u.token, nil)
	wantStatus(t, r, http.StatusOK, "first page")
	var page struct {
		Sources []Source
		Next    string
	}
	r.json(t, &page)
	if page.Next == "" || len(page.Sources) != 1 {
		t.Fatalf("first page = %s", r.raw)
	}
	r = e.do(http.MethodGet, "/v1/sources?limit=1&cursor="+url.QueryEscape(page.Next), u.token, nil)
	wantStatus(t, r, http.StatusOK, "second page")
	var second struct{ Sources []Source }
	r.json(t, &second)
	if len(second.Sources) != 1 || second.Sources[0].ID == page.Sources[0].ID {
		t.Fatalf("second page = %s", r.raw)
	}
	inner, _, _ := strings.Cut(page.Next, "~")
	forged := []string{
		inner,                             // the position without its seal
		"eyJpIjo5OTk5OX0",                 // {"i":99999}: well-formed, never issued
		"e30",                             // {}
		inner + "~AAAAAAAAAAAAAAAAAAAAAA", // a wrong seal
		"eyJpIjo5OTk5OX0" + page.Next[len(inner):], // another position under this seal
	}
	for _, c := range forged {
		r := e.do(http.MethodGet, "/v1/sources?limit=1&cursor="+url.QueryEscape(c), u.token, nil)
		wantStatus(t, r, http.StatusBadRequest, "forged cursor "+c)
	}
	for _, path := range []string{"/v1/items", "/v1/users", "/v1/entities"} {
		wantStatus(t, e.do(http.MethodGet, path+"?cursor=eyJpIjo1fQ", u.token, nil), http.StatusBadRequest, path+" forged cursor")
	}
}
