package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// Previewer reads a source once without storing it (ingest.Ingester).
type Previewer interface {
	Preview(ctx context.Context, src scout.Source) (source.Result, error)
}

// kindSchemas publishes each kind's configuration schema in the document's
// components, as SourceConfig<Kind> (its nested objects as
// SourceConfig<Kind><Type>), and keeps them to validate against. Each kind
// is named in a registry of its own, since every kind calls its type Config.
func (h *Handler) kindSchemas(api huma.API) {
	components := api.OpenAPI().Components.Schemas
	h.kindSchema = map[scout.SourceKind]*huma.Schema{}
	for _, k := range h.kinds.Kinds() {
		prefix := "SourceConfig" + kindTitle(k.Name)
		reg := huma.NewMapRegistry("#/components/schemas/", func(t reflect.Type, hint string) string {
			if name := huma.DefaultSchemaNamer(t, hint); name != "Config" {
				return prefix + name
			}
			return prefix
		})
		reg.Schema(reflect.TypeOf(k.NewConfig()).Elem(), true, prefix)
		for name, s := range reg.Map() {
			components.Map()[name] = s
		}
		s := components.Map()[prefix]
		s.Description = "The configuration of a source of kind " + string(k.Name) + "."
		h.kindSchema[k.Name] = s
	}
}

func kindTitle(k scout.SourceKind) string {
	switch k {
	case scout.SourceHTML:
		return "HTML"
	case scout.SourceJSON:
		return "JSON"
	case scout.SourceGrantsGov:
		return "GrantsGov"
	}
	return strings.ToUpper(string(k[:1])) + string(k[1:])
}

// checkNewSource checks what a new source is made of, before anything is
// fetched: its kind (feed when empty), the kind's configuration, and its URL.
func (h *Handler) checkNewSource(ctx context.Context, kind string, cfg json.RawMessage, url string) (scout.SourceKind, error) {
	k := scout.SourceKind(cmp.Or(kind, string(scout.SourceFeed)))
	if err := h.checkConfig(k, cfg); err != nil {
		return "", err
	}
	return k, h.fetch.CheckURL(ctx, url)
}

// checkConfig validates a kind and its configuration: against the kind's
// published schema first, then the kind's own checks (selectors compile,
// paths parse). Every failure is a 422 naming the field.
func (h *Handler) checkConfig(kind scout.SourceKind, raw json.RawMessage) error {
	s, ok := h.kindSchema[kind]
	if !ok {
		return scout.Invalid("kind", "must be one of %q", h.kindNames())
	}
	var v any = map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			return scout.Invalid("config", "is not valid JSON")
		}
	}
	res := &huma.ValidateResult{}
	huma.Validate(h.api.OpenAPI().Components.Schemas, s, huma.NewPathBuffer([]byte("body.config"), len("body.config")), huma.ModeWriteToServer, v, res)
	if len(res.Errors) > 0 {
		details := make([]error, 0, len(res.Errors))
		for _, e := range res.Errors {
			if d, ok := e.(*huma.ErrorDetail); ok {
				details = append(details, namedRequired(d))
			}
		}
		return huma.Error422UnprocessableEntity("validation failed", details...)
	}
	return h.kinds.Check(kind, raw)
}

func (h *Handler) kindNames() []string {
	var out []string
	for _, k := range h.kinds.Kinds() {
		out = append(out, string(k.Name))
	}
	return out
}

// compactConfig stores a configuration without insignificant space, and
// none at all for an empty object.
func compactConfig(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil || b.String() == "{}" || b.String() == "null" {
		return nil
	}
	return b.Bytes()
}

// namedRequired points a missing-member error at the member itself, so
// that the location names the field to add.
func namedRequired(d *huma.ErrorDetail) *huma.ErrorDetail {
	const pre, post = "expected required property ", " to be present"
	if name, ok := strings.CutPrefix(d.Message, pre); ok && strings.HasSuffix(name, post) {
		d.Location += "." + strings.TrimSuffix(name, post)
		d.Message = "is required"
	}
	return d
}
