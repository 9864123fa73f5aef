package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/feed/opml"
	"github.com/scoutdev/scout/internal/progress"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Limits of OPML import and export. A subscription list is the one body
// allowed to be larger than SCOUT_MAX_BODY_BYTES (16 MiB by default), so
// that the 10,000-source installation Scout is built for can send its list
// in one request.
const (
	maxImportOutlines = 20000
	maxExportSources  = 20000
	opmlBodyFactor    = 16
)

// bodyLimit is the largest body a request may send.
func (h *Handler) bodyLimit(r *http.Request) int64 {
	if streamsBody(r) {
		return h.maxBody * opmlBodyFactor
	}
	return h.maxBody
}

// ImportOPMLInput is a subscription list, read as a stream: the request
// body is not buffered (screenBody leaves it alone), so a list of tens of
// thousands of feeds costs the memory of one outline and the report.
type ImportOPMLInput struct {
	body   io.Reader
	length int64 // the declared Content-Length; 0 when sent chunked
}

// Resolve keeps the request body for the handler to stream.
func (in *ImportOPMLInput) Resolve(ctx huma.Context) []error {
	in.body = ctx.BodyReader()
	in.length, _ = strconv.ParseInt(ctx.Header("Content-Length"), 10, 64)
	return nil
}

// streamsBody reports the requests whose operation reads the body itself,
// as a stream, instead of having it read and screened whole first.
func streamsBody(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/v1/opml"
}

// ImportResult is what happened to one outline.
type ImportResult struct {
	URL      string `json:"url"`
	Title    string `json:"title,omitempty"`
	Kind     string `json:"kind,omitempty" doc:"the source's kind when the outline is not a feed"`
	Status   string `json:"status" enum:"created,existing,error" doc:"existing: you already have this feed, or it is public (source_id is that source)"`
	SourceID int64  `json:"source_id,omitempty"`
	Error    string `json:"error,omitempty"`
}

// ImportOPMLOutput reports an import outline by outline.
type ImportOPMLOutput struct {
	Body struct {
		Created  int            `json:"created"`
		Existing int            `json:"existing" doc:"outlines whose feed you already have, or that is public"`
		Errors   int            `json:"errors"`
		Results  []ImportResult `json:"results"`
		Stopped  string         `json:"stopped,omitempty" doc:"why the import stopped before the end of the document; the results above it were applied"`
	}
}

// ExportOPMLOutput is an OPML document.
type ExportOPMLOutput struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (h *Handler) registerOPML(api huma.API) {
	imp := op("importOPML", http.MethodPost, "/v1/opml", "Add the feeds (and Scout sources of other kinds) of an OPML subscription list", scout.ScopeWrite, "sources")
	imp.Description = "Each outline becomes a source as soon as it is read. An outline carrying `scout:kind` and `scout:config` " +
		"(namespace " + opml.Namespace + "), as the export writes for a source that is not a feed, becomes a source of that kind, " +
		"its configuration checked as on creation. A document that breaks after some outlines " +
		"were imported answers 200 with those results and `stopped` saying what broke; one that breaks before any is a problem."
	imp.Errors = append(imp.Errors, http.StatusBadRequest) // a body that cannot be read
	imp.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"text/x-opml": {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "an OPML 1.0 or 2.0 document"}}}}
	huma.Register(api, imp, h.importOPML)
	exp := op("exportOPML", http.MethodGet, "/v1/opml", "Your visible sources as OPML", scout.ScopeRead, "sources")
	exp.Description = "Feeds are outlines with an `xmlUrl`. A source of another kind is an outline of type `link` whose `url` is the source's, " +
		"with its kind and configuration in the attributes `scout:kind` and `scout:config` (namespace " + opml.Namespace + "), " +
		"so that the export imports back into Scout as it was and other readers see a link."
	exp.Responses = map[string]*huma.Response{"200": {Description: "OPML 2.0", Content: map[string]*huma.MediaType{
		"text/x-opml": {Schema: &huma.Schema{Type: "string"}}}}}
	huma.Register(api, exp, h.exportOPML)
}

func (h *Handler) importOPML(ctx context.Context, in *ImportOPMLInput) (*ImportOPMLOutput, error) {
	out := &ImportOPMLOutput{}
	out.Body.Results = []ImportResult{}
	body := &progress.Reader{R: in.body}
	p := progress.New(h.log, "importing OPML", "bytes", in.length, h.progressEvery)
	counts := func() []slog.Attr {
		return []slog.Attr{slog.Int64("user_id", principal(ctx).UserID), slog.Int("created", out.Body.Created),
			slog.Int("existing", out.Body.Existing), slog.Int("errors", out.Body.Errors)}
	}
	// Each outline is imported as it is read, so the list is never held
	// twice; a problem further down the document refuses the request only
	// when nothing was imported yet, and otherwise ends the report.
	err := opml.Stream(body, h.maxBody*opmlBodyFactor, maxImportOutlines, func(o opml.Outline) error {
		r := h.importOutline(ctx, o)
		switch r.Status {
		case "created":
			out.Body.Created++
		case "existing":
			out.Body.Existing++
		default:
			out.Body.Errors++
		}
		out.Body.Results = append(out.Body.Results, r)
		p.Step(ctx, body.N, counts()...)
		return ctx.Err()
	})
	switch {
	case err != nil && len(out.Body.Results) == 0:
		return nil, h.problem(ctx, streamError(err, h.maxBody*opmlBodyFactor))
	case err != nil:
		out.Body.Stopped = userMessage(streamError(err, h.maxBody*opmlBodyFactor))
	}
	p.Done(ctx, "imported OPML", body.N, append(counts(), slog.String("stopped", out.Body.Stopped))...)
	return out, nil
}

// streamError words a failure to read the body itself, which screenBody
// reports for the other operations: too large (413) or unreadable (400).
// Everything Stream returns is a document problem (*opml.Error), the
// request's end (ctx) or a failure of the body's reader.
func streamError(err error, limit int64) error {
	var tooLarge *http.MaxBytesError
	var doc *opml.Error
	switch {
	case errors.As(err, &tooLarge), errors.Is(err, opml.ErrTooLarge):
		return huma.Error413RequestEntityTooLarge("the body exceeds " + strconv.FormatInt(limit, 10) + " bytes")
	case errors.As(err, &doc), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return huma.Error400BadRequest("the request body cannot be read (malformed or truncated transfer encoding)")
}

// importOutline creates one source for the caller and says how it went.
func (h *Handler) importOutline(ctx context.Context, o opml.Outline) ImportResult {
	r := ImportResult{URL: o.XMLURL, Title: o.Title, Kind: o.Kind}
	cfg := json.RawMessage(o.Config)
	kind, err := h.checkNewSource(ctx, o.Kind, cfg, o.XMLURL)
	if err != nil {
		r.Status, r.Error = "error", outlineError(err)
		return r
	}
	s, created, err := h.st.AddSource(ctx, scout.Source{OwnerID: principal(ctx).UserID, Kind: kind, Config: compactConfig(cfg), URL: o.XMLURL,
		SiteURL: o.HTMLURL, Title: truncateRunes(o.Title, scout.MaxTitleLength), Tags: importTags(o.Categories)})
	switch {
	case err != nil:
		r.Status, r.Error = "error", outlineError(err)
	case created:
		r.Status, r.SourceID = "created", s.ID
	default:
		r.Status, r.SourceID = "existing", s.ID
	}
	return r
}

// outlineError words a per-outline failure without internal detail.
func outlineError(err error) string {
	var fe *scout.FieldError
	var em *huma.ErrorModel
	switch {
	case errors.As(err, &fe):
		return fe.Error()
	case errors.As(err, &em) && len(em.Errors) > 0: // the kind's schema refused the configuration
		d := em.Errors[0]
		return strings.TrimPrefix(d.Location, "body.") + ": " + d.Message
	case errors.Is(err, scout.ErrInvalid):
		return "invalid feed"
	}
	return "address not allowed or not stored"
}

// importTags keeps the categories that are valid tags.
func importTags(cats []string) []string {
	var out []string
	for _, c := range cats {
		if len(out) < scout.MaxTags && scout.ValidateTags([]string{c}) == nil {
			out = append(out, c)
		}
	}
	return out
}

func (h *Handler) exportOPML(ctx context.Context, _ *struct{}) (*ExportOPMLOutput, error) {
	var outlines []opml.Outline
	f := store.SourceFilter{Viewer: viewer(ctx), PageRequest: store.PageRequest{Limit: store.MaxLimit}}
	for len(outlines) < maxExportSources {
		p, err := h.st.ListSources(ctx, f)
		if err != nil {
			return nil, h.problem(ctx, err)
		}
		for _, s := range p.Items {
			outlines = append(outlines, opml.SourceOutline(s))
		}
		if f.Cursor = p.Next; f.Cursor == "" {
			break
		}
	}
	var buf bytes.Buffer
	if err := opml.Write(&buf, "Scout sources", outlines, h.now()); err != nil {
		return nil, h.problem(ctx, err)
	}
	return &ExportOPMLOutput{ContentType: "text/x-opml; charset=utf-8", Body: buf.Bytes()}, nil
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
