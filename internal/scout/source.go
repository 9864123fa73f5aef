package scout

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// SourceKind says how a source is fetched and parsed. Each kind has its own
// fetch-and-parse step feeding the same pipeline.
type SourceKind string

// The source kinds.
const (
	SourceFeed      SourceKind = "feed"      // RSS, Atom or JSON Feed over HTTP(S)
	SourceHTML      SourceKind = "html"      // a listing page read with CSS selectors
	SourceJSON      SourceKind = "json"      // a JSON API read with JSON paths
	SourceGrantsGov SourceKind = "grantsgov" // the Grants.gov Search2 API
)

// SourceKinds lists every kind, in the order the API documents them.
var SourceKinds = []SourceKind{SourceFeed, SourceHTML, SourceJSON, SourceGrantsGov}

// MaxConfigBytes bounds the JSON configuration of a source.
const MaxConfigBytes = 16 << 10

// Visibility says who may see a source and its items.
type Visibility string

// The visibilities.
const (
	// VisibilityPrivate: only the owner (and admins) see the source and its items.
	VisibilityPrivate Visibility = "private"
	// VisibilityPublic: every authenticated caller sees the source and its items.
	VisibilityPublic Visibility = "public"
)

// SourceStatus is the health of a source, derived from its fetch history.
type SourceStatus string

// Health is the status shown to users: Status, or SourcePending while an
// ok source has never been fetched.
func (s Source) Health() SourceStatus {
	if s.Status == SourceOK && s.LastFetchedAt.IsZero() {
		return SourcePending
	}
	return s.Status
}

// The source statuses.
const (
	SourceOK      SourceStatus = "ok"      // last fetch succeeded (or none yet)
	SourcePending SourceStatus = "pending" // never fetched yet: stored as ok, shown and filtered as pending (Health)
	SourceFailing SourceStatus = "failing" // last fetch failed; retried with backoff
	SourceRetired SourceStatus = "retired" // the server said 410 Gone; no longer fetched
)

// Source is a place Scout collects items from, with its fetch state.
type Source struct {
	ID          int64
	OwnerID     int64 // 0 for sources owned by the installation (seeded defaults)
	Kind        SourceKind
	URL         string // the feed URL; updated on permanent redirects
	Host        string // HostKey(URL), kept by the store: the unit of per-host politeness
	SiteURL     string // the human page the feed belongs to
	Title       string
	Description string
	Tags        []string
	Visibility  Visibility
	Paused      bool
	Status      SourceStatus

	// Scheduling bounds: zero means the installation default.
	MinInterval time.Duration
	MaxInterval time.Duration

	// Config is the kind's configuration as a JSON object (selectors,
	// paths, filters); empty for a feed. Its shape is the kind's schema,
	// checked when the source is created.
	Config json.RawMessage

	// Fetch state, written by the ingestion pipeline.
	ETag           string
	LastModified   string
	PageHash       string        // hash of the last page read, for kinds without validators
	Interval       time.Duration // the current adaptive interval
	NextFetchAt    time.Time
	LeaseUntil     time.Time // zero when not leased
	LastFetchedAt  time.Time
	LastSuccessAt  time.Time
	ErrorCount     int // consecutive failures
	LastErrorClass ErrorClass
	LastError      string

	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt time.Time // non-zero for a tombstone
	Version   int64
}

// Limits on source fields.
const (
	MaxURLLength   = 2048
	MaxTitleLength = 500
	MaxTags        = 32
	MaxTagLength   = 64
)

// Validate checks the invariants of a source about to be stored.
func (s *Source) Validate() error {
	if err := ValidateFetchURL("url", s.URL); err != nil {
		return err
	}
	if !slices.Contains(SourceKinds, s.Kind) {
		return Invalid("kind", "must be one of %q", SourceKinds)
	}
	if len(s.Config) > MaxConfigBytes {
		return Invalid("config", "must be at most %d bytes", MaxConfigBytes)
	}
	if len(s.Config) > 0 && !json.Valid(s.Config) {
		return Invalid("config", "is not valid JSON")
	}
	if s.Visibility != VisibilityPrivate && s.Visibility != VisibilityPublic {
		return Invalid("visibility", "must be %q or %q", VisibilityPrivate, VisibilityPublic)
	}
	if len(s.Title) > MaxTitleLength {
		return Invalid("title", "must be at most %d characters", MaxTitleLength)
	}
	if err := ValidateTags(s.Tags); err != nil {
		return err
	}
	if s.MinInterval < 0 || s.MaxInterval < 0 {
		return Invalid("min_interval", "must not be negative")
	}
	if s.MinInterval > 0 && s.MaxInterval > 0 && s.MinInterval > s.MaxInterval {
		return Invalid("min_interval", "must not exceed max_interval")
	}
	return nil
}

// ValidateFetchURL checks that raw is an absolute http or https URL with a host
// and no user info. It does not resolve the host: the fetcher checks addresses
// at dial time.
func ValidateFetchURL(field, raw string) error {
	if raw == "" {
		return Invalid(field, "must not be empty")
	}
	if len(raw) > MaxURLLength {
		return Invalid(field, "must be at most %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Invalid(field, "is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Invalid(field, "must use http or https")
	}
	if u.Host == "" || u.Hostname() == "" {
		return Invalid(field, "must have a host")
	}
	if u.User != nil {
		return Invalid(field, "must not contain a user name or password")
	}
	return nil
}

// ValidateTags checks the count and shape of tags.
func ValidateTags(tags []string) error {
	if len(tags) > MaxTags {
		return Invalid("tags", "must have at most %d entries", MaxTags)
	}
	for i, t := range tags {
		if t == "" || len(t) > MaxTagLength || strings.TrimSpace(t) != t || strings.ContainsFunc(t, unicode.IsControl) {
			return Invalid("tags", "entry %d must be 1 to %d characters with no surrounding spaces", i, MaxTagLength)
		}
	}
	return nil
}

// ErrorClass names the kind of a fetch failure, so that operators can group them.
type ErrorClass string

// The fetch error classes.
const (
	ErrorNone      ErrorClass = ""
	ErrorDNS       ErrorClass = "dns"
	ErrorConnect   ErrorClass = "connect"
	ErrorTLS       ErrorClass = "tls"
	ErrorTimeout   ErrorClass = "timeout"
	ErrorHTTP      ErrorClass = "http_status"
	ErrorTooLarge  ErrorClass = "too_large"
	ErrorNotAFeed  ErrorClass = "not_a_feed"
	ErrorParse     ErrorClass = "parse"
	ErrorBlocked   ErrorClass = "blocked"
	ErrorRedirects ErrorClass = "redirects"
	ErrorStore     ErrorClass = "store"
	ErrorOther     ErrorClass = "other"
)

// FetchLog records one fetch of one source.
type FetchLog struct {
	ID           int64
	SourceID     int64
	StartedAt    time.Time
	Duration     time.Duration
	StatusCode   int // HTTP status; 0 when no response arrived
	Bytes        int64
	NotModified  bool
	ItemsSeen    int
	ItemsNew     int
	ItemsUpdated int
	ErrorClass   ErrorClass
	Error        string // human-readable; empty on success
}

// OK reports whether the fetch succeeded (including a 304).
func (f *FetchLog) OK() bool { return f.ErrorClass == ErrorNone }
