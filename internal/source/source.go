package source

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
)

// Getter is the guarded client every kind fetches through (fetch.Client).
type Getter interface {
	Get(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Result is what one fetch-and-parse of a source produced.
type Result struct {
	// Items are normalized, in the order the source lists them; not
	// deduplicated. Fields a kind maps directly are set on Opportunity with
	// "feed" provenance (see KeepStated).
	Items   []scout.Item
	Title   string // the source's own title, when it states one
	SiteURL string
	// First is the answer to the first request: its validators, redirect
	// and caching hints are the source's.
	First *fetch.Response
	// NotModified is true when the first answer was a 304 or the page hash
	// equals the stored one: nothing was parsed and nothing is written.
	NotModified bool
	// PageHash is the hash of what was read, for kinds that detect change
	// by content; empty for the others.
	PageHash string
	Pages    int           // documents fetched, detail pages included
	Bytes    int64         // bytes received for all of them
	TTL      time.Duration // the publisher's caching hint, when it gives one
	// Warnings say what looked wrong without failing the fetch, e.g. a
	// selector that matched nothing. Preview shows them.
	Warnings []string
}

// Warnf adds a warning.
func (r *Result) Warnf(format string, args ...any) {
	if len(r.Warnings) < maxWarnings {
		r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
	}
}

const maxWarnings = 50

// Collector is one kind's fetch-and-parse step. Collect reads src once
// through get; it returns a *fetch.Error when a fetch failed and an *Error
// when what came back cannot be read. It must be safe for concurrent use
// on distinct sources.
type Collector interface {
	Collect(ctx context.Context, src scout.Source, get Getter) (Result, error)
}

// Config is a kind's configuration: a struct whose json and validation tags
// are the schema the API publishes for the kind.
type Config interface {
	// Check reports what the schema cannot say (a selector that does not
	// compile, a path that does not parse) as a scout.Invalid naming the
	// field, e.g. "config.item".
	Check() error
}

// Kind is one kind of source.
type Kind struct {
	Name scout.SourceKind
	// NewConfig returns a pointer to a zero configuration.
	NewConfig func() Config
	Collector Collector
}

// Registry is the set of kinds an installation reads. It is itself a
// Collector that dispatches on the source's kind.
type Registry struct {
	kinds []Kind
}

// NewRegistry returns a registry of kinds, in the order given.
func NewRegistry(kinds ...Kind) *Registry { return &Registry{kinds: kinds} }

// Kinds returns the kinds, in registration order.
func (r *Registry) Kinds() []Kind { return slices.Clone(r.kinds) }

// Lookup returns the kind named k.
func (r *Registry) Lookup(k scout.SourceKind) (Kind, bool) {
	for _, kind := range r.kinds {
		if kind.Name == k {
			return kind, true
		}
	}
	return Kind{}, false
}

// Check decodes raw as kind k's configuration and checks it. It returns a
// scout.Invalid naming the field ("kind", or "config" and its member).
func (r *Registry) Check(k scout.SourceKind, raw json.RawMessage) error {
	kind, ok := r.Lookup(k)
	if !ok {
		return scout.Invalid("kind", "must be one of %q", r.names())
	}
	cfg := kind.NewConfig()
	if err := Decode(raw, cfg); err != nil {
		return err
	}
	return cfg.Check()
}

func (r *Registry) names() []scout.SourceKind {
	out := make([]scout.SourceKind, len(r.kinds))
	for i, k := range r.kinds {
		out[i] = k.Name
	}
	return out
}

// Collect reads src with the collector of its kind (feed when empty).
func (r *Registry) Collect(ctx context.Context, src scout.Source, get Getter) (Result, error) {
	if src.Kind == "" {
		src.Kind = scout.SourceFeed
	}
	kind, ok := r.Lookup(src.Kind)
	if !ok {
		return Result{}, Errorf(scout.ErrorOther, "this installation does not read sources of kind %q", src.Kind)
	}
	return kind.Collector.Collect(ctx, src, get)
}

// Decode reads raw (empty means {}) into cfg strictly: an unknown member or
// a value of the wrong type is a scout.Invalid naming "config.<member>".
func Decode(raw json.RawMessage, cfg any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	if len(raw) > scout.MaxConfigBytes {
		return scout.Invalid("config", "must be at most %d bytes", scout.MaxConfigBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(cfg)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return scout.Invalid(Field(te.Field), "must be %s, not %s", jsonType(te.Type.Kind().String()), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return scout.Invalid(Field(name), "is not a setting of this kind")
	}
	return scout.Invalid("config", "is not a JSON object: %v", err)
}

// Field names a configuration member for an error location.
func Field(name string) string {
	if name == "" {
		return "config"
	}
	return "config." + name
}

func jsonType(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "a number"
}

// Error is a failure to read what a source served, with its class.
type Error struct {
	Class scout.ErrorClass
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Errorf returns an *Error of class.
func Errorf(class scout.ErrorClass, format string, args ...any) error {
	return &Error{Class: class, Msg: fmt.Sprintf(format, args...)}
}

// Classify returns the class of an error from Collect: a fetch failure's,
// an *Error's, or the feed parser's.
func Classify(err error) scout.ErrorClass {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Class
	}
	if _, ok := errors.AsType[*fetch.Error](err); ok {
		return fetch.Classify(err)
	}
	return feed.Classify(err)
}

// Hash returns the hex SHA-256 of the bodies, in order, for change
// detection by content.
func Hash(bodies ...[]byte) string {
	h := sha256.New()
	for _, b := range bodies {
		fmt.Fprintf(h, "%d:", len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Stated is the provenance of a field a source maps directly: it comes from
// the publisher's own structured data, so it is trusted above extraction.
var Stated = scout.Provenance{Source: "feed", Confidence: 0.95}

// KeepStated copies onto o the fields of stated whose provenance is "feed"
// (those the kind mapped directly), so that extraction, which rewrites the
// whole facet, cannot replace what the publisher stated.
func KeepStated(o *scout.Opportunity, stated scout.Opportunity) {
	if len(stated.Provenance) == 0 {
		return
	}
	if o.Provenance == nil {
		o.Provenance = make(map[string]scout.Provenance, len(stated.Provenance))
	}
	for field, p := range stated.Provenance {
		if p.Source != Stated.Source {
			continue
		}
		switch field {
		case "deadline":
			o.Deadline, o.KeyDates.Deadline = stated.Deadline, stated.KeyDates.Deadline
		case "opens_at":
			o.OpensAt, o.KeyDates.Opens = stated.OpensAt, stated.KeyDates.Opens
		case "total_available":
			o.Funding.TotalAvailable = stated.Funding.TotalAvailable
		case "awards":
			o.Funding.Awards = stated.Funding.Awards
		case "amount":
			o.AmountMin, o.AmountMax = stated.AmountMin, stated.AmountMax
			if stated.Currency != "" {
				o.Currency = stated.Currency
			}
		case "funder":
			o.Funder = stated.Funder
		case "kind":
			o.Kind, o.KindConfidence = stated.Kind, p.Confidence
		case "location":
			o.Location = stated.Location
		default:
			continue
		}
		o.Provenance[field] = p
	}
}

// Start makes the first request of a fetch, conditional on src's stored
// validators (r.URL defaults to src.URL), and starts its Result. On a 304
// the Result has NotModified set and there is nothing more to do.
func Start(ctx context.Context, src scout.Source, get Getter, r fetch.Request) (Result, error) {
	r.URL = cmp.Or(r.URL, src.URL)
	if r.Method == "" || r.Method == http.MethodGet {
		r.ETag, r.LastModified = src.ETag, src.LastModified
	}
	resp, err := get.Get(ctx, r)
	if err != nil {
		return Result{}, err
	}
	return Result{First: resp, Pages: 1, Bytes: resp.Bytes, NotModified: resp.NotModified}, nil
}
