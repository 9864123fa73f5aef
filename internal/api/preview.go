package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// maxPreviewItems bounds the items a preview answers with.
const maxPreviewItems = 100

// PreviewSourceInput is a source to read once, as it would be created.
type PreviewSourceInput struct {
	Body struct {
		Kind   string          `json:"kind,omitempty" enum:"feed,html,json,grantsgov" default:"feed"`
		Config json.RawMessage `json:"config,omitempty" doc:"as for createSource"`
		URL    string          `json:"url" minLength:"1" maxLength:"2048"`
	}
}

// PreviewOutput is what a source would ingest now.
type PreviewOutput struct {
	Body struct {
		Items      []Item   `json:"items" doc:"the first 100 items, with their extracted fields"`
		ItemsTotal int      `json:"items_total"`
		Title      string   `json:"title,omitempty"`
		Pages      int      `json:"pages" doc:"documents fetched, detail pages included"`
		Bytes      int64    `json:"bytes"`
		Warnings   []string `json:"warnings" doc:"what looked wrong without failing, e.g. a selector that matched nothing"`
		ErrorClass string   `json:"error_class,omitempty" doc:"set when the source could not be read; then items is empty"`
		Error      string   `json:"error,omitempty"`
	}
}

func (h *Handler) registerPreview(api huma.API) {
	o := op("previewSource", http.MethodPost, "/v1/sources/preview",
		"Read a source once without saving it, and show what it would ingest", scout.ScopeWrite, "sources")
	o.Errors = append(o.Errors, http.StatusServiceUnavailable)
	huma.Register(api, o, h.previewSource)
}

func (h *Handler) previewSource(ctx context.Context, in *PreviewSourceInput) (*PreviewOutput, error) {
	if h.preview == nil {
		return nil, huma.NewError(http.StatusServiceUnavailable, "this server does not preview sources")
	}
	b := in.Body
	kind, err := h.checkNewSource(ctx, b.Kind, b.Config, b.URL)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	got, err := h.preview.Preview(ctx, scout.Source{Kind: kind, Config: compactConfig(b.Config), URL: b.URL})
	if ctx.Err() != nil {
		return nil, h.problem(ctx, ctx.Err())
	}
	return previewDTO(got, err, h.now()), nil
}

func previewDTO(got source.Result, err error, now time.Time) *PreviewOutput {
	out := &PreviewOutput{}
	ob := &out.Body
	ob.ItemsTotal, ob.Title, ob.Pages, ob.Bytes, ob.Warnings = len(got.Items), got.Title, got.Pages, got.Bytes, nonNil(got.Warnings)
	if err != nil {
		ob.ErrorClass, ob.Error = string(source.Classify(err)), err.Error()
		ob.Items = []Item{}
		return out
	}
	ob.Items = mapSlice(got.Items[:min(len(got.Items), maxPreviewItems)], func(it scout.Item) Item { return itemDTO(it, now) })
	return out
}
