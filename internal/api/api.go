package api

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"golang.org/x/time/rate"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/metrics"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/store"
)

// Defaults of Options.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultRate         = 20 // requests per second per principal
	DefaultBurst        = 40
	DefaultLoginRate    = 0.2 // one login attempt per 5 s per address and e-mail
	DefaultLoginBurst   = 5
	// Per address across e-mails: 10 attempts, then one every 6 s.
	DefaultLoginAddressRate  = 1.0 / 6
	DefaultLoginAddressBurst = 10
	// Failed logins per account from all addresses: 20, then one a minute.
	DefaultLoginAccountRate  = 1.0 / 60
	DefaultLoginAccountBurst = 20
	DefaultContact           = "https://github.com/scoutdev/scout"
)

// Options are what the API needs; Store, Auth and Fetch are required.
type Options struct {
	Store   store.Store
	Auth    *auth.Authenticator
	Fetch   *fetch.Client     // the guarded client used by discover and URL checks
	Metrics *metrics.Registry // nil records nothing
	Logger  *slog.Logger      // nil discards
	Now     func() time.Time  // nil means time.Now
	Version string            // shown in the OpenAPI document
	Contact string            // contact URL shown in the OpenAPI document (SCOUT_CONTACT_URL)

	MaxBodyBytes int64 // largest request body (SCOUT_MAX_BODY_BYTES)
	// ProgressEvery is how often an OPML import logs how far it has come;
	// 0 means every 5 s, a negative value every outline.
	ProgressEvery time.Duration
	// MaxHeaderBytes is the largest header section answered with anything
	// but 431; zero means DefaultMaxHeaderBytes. The HTTP server's own limit
	// must be larger, so that the 431 is a problem document.
	MaxHeaderBytes int

	Events  *event.Bus // live changes for /v1/events; nil: the stream polls the store at each heartbeat
	BaseURL string     // public URL of the server, for links in feeds (SCOUT_BASE_URL)

	// Rate and Burst limit each authenticated principal (and each client
	// address on the unauthenticated routes); LoginRate and LoginBurst limit
	// login attempts per client address and e-mail. Zero means the default.
	Rate, LoginRate   rate.Limit
	Burst, LoginBurst int
	// LoginAddress* limit login attempts per client address across e-mails,
	// LoginAccount* failed logins per account from every address (see
	// login.go). Zero means the defaults.
	LoginAddressRate, LoginAccountRate   rate.Limit
	LoginAddressBurst, LoginAccountBurst int

	// StatsTTL is how long GET /v1/stats reuses the numbers it computed for
	// a view (SCOUT_STATS_TTL); zero computes them on every request.
	StatsTTL time.Duration

	// Sources are the kinds of source the installation reads; nil reads
	// feeds only. Preview reads a source once without storing it; nil
	// answers POST /v1/sources/preview with 503.
	Sources *source.Registry
	Preview Previewer

	// Hosts is the per-host politeness the scheduler's claims keep, so that
	// "fetch now" can say whether a source's host is saturated.
	Hosts store.HostPolicy
}

// Handler serves the whole HTTP surface. It is safe for concurrent use.
type Handler struct {
	st      store.Store
	auth    *auth.Authenticator
	fetch   *fetch.Client
	metrics *metrics.Registry
	log     *slog.Logger
	now     func() time.Time
	maxBody int64

	progressEvery time.Duration // see Options.ProgressEvery

	maxHeader   int
	arrayParams map[string]bool // query parameters that are arrays in some operation

	events    *event.Bus
	baseURL   string
	heartbeat time.Duration // of event streams; 0 means defaultHeartbeat

	api    huma.API
	mux    *http.ServeMux
	root   http.Handler
	limits *limiter // per principal and, before authentication, per address
	logins *limiter // per address and e-mail

	loginAddrs *limiter // logins per address
	loginFails *limiter // failed logins per account

	stats *statsCache // nil: every request computes the numbers

	kinds      *source.Registry
	kindSchema map[scout.SourceKind]*huma.Schema
	preview    Previewer
	hosts      store.HostPolicy
}

// New builds the handler and registers every operation.
func New(opts Options) (*Handler, error) {
	if opts.Store == nil || opts.Auth == nil || opts.Fetch == nil {
		return nil, errors.New("new api: Store, Auth and Fetch are required")
	}
	h := &Handler{st: opts.Store, auth: opts.Auth, fetch: opts.Fetch, metrics: opts.Metrics,
		log: opts.Logger, now: opts.Now, maxBody: opts.MaxBodyBytes, mux: http.NewServeMux(), hosts: opts.Hosts,
		progressEvery: opts.ProgressEvery}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	h.maxHeader, h.arrayParams = orInt(opts.MaxHeaderBytes, DefaultMaxHeaderBytes), map[string]bool{}
	h.events, h.baseURL = opts.Events, strings.TrimRight(opts.BaseURL, "/")
	if h.events == nil {
		h.events = &event.Bus{}
	}
	h.limits = newLimiter(orRate(opts.Rate, DefaultRate), orInt(opts.Burst, DefaultBurst), h.now)
	h.logins = newLimiter(orRate(opts.LoginRate, DefaultLoginRate), orInt(opts.LoginBurst, DefaultLoginBurst), h.now)
	h.loginAddrs = newLimiter(orRate(opts.LoginAddressRate, DefaultLoginAddressRate), orInt(opts.LoginAddressBurst, DefaultLoginAddressBurst), h.now)
	h.loginFails = newLimiter(orRate(opts.LoginAccountRate, DefaultLoginAccountRate), orInt(opts.LoginAccountBurst, DefaultLoginAccountBurst), h.now)
	h.stats = newStatsCache(opts.StatsTTL, h.computeStats, h.now, h.log)
	if h.stats != nil {
		h.events.Watch(h.stats.observe) // the changes of every replica (see statsCache.observe)
	}
	h.kinds, h.preview = opts.Sources, opts.Preview
	if h.kinds == nil {
		h.kinds = source.NewRegistry(feedkind.Kind(feed.Options{}))
	}
	h.api = humago.New(h.mux, h.config(opts.Version, opts.Contact))
	h.kindSchemas(h.api)
	h.api.UseMiddleware(h.authenticate)
	for _, register := range []func(huma.API){
		h.registerOps, h.registerAuth, h.registerUsers, h.registerAPIKeys, h.registerSources, h.registerPreview, h.registerFetches, h.registerOPML,
		h.registerDiscover, h.registerItems, h.registerHistory, h.registerOpportunities, h.registerCommonGrants, h.registerEntities, h.registerEnrichment, h.registerStats,
		h.registerPreferences,
		h.registerDigest,
		h.registerChanges,
		h.registerEvents,
	} {
		register(h.api)
	}
	h.completeContract()
	h.mux.Handle("GET /metrics", h.metrics.Handler())
	h.mux.HandleFunc("GET /docs", serveDocs)
	h.mux.HandleFunc("GET /docs/{file}", serveDocs)
	h.mux.HandleFunc("/", h.notFound)
	h.root = h.wrap(h.mux)
	return h, nil
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.root.ServeHTTP(w, r) }

// Wait blocks until the work the handler started in the background (a
// refresh of cached stats) is done, so that the store can be closed after
// it. Call it once the HTTP server has stopped.
func (h *Handler) Wait() {
	if h.stats != nil {
		h.stats.wait()
	}
}

// OpenAPI returns the OpenAPI 3.1 document the handler serves at /openapi.json.
func (h *Handler) OpenAPI() *huma.OpenAPI { return h.api.OpenAPI() }

// config is huma's configuration: OpenAPI 3.1 at /openapi.json, no
// CDN-backed docs page (docs.go serves an offline one), no $schema links in
// bodies, bearer security, and problem documents with stable type URIs.
func (h *Handler) config(version, contact string) huma.Config {
	if version == "" {
		version = "dev"
	}
	if contact == "" {
		contact = DefaultContact
	}
	c := huma.DefaultConfig("Scout API", version)
	c.Info.Description = "Scout collects funding opportunities from feeds and serves them. " +
		"Errors are RFC 9457 problem documents whose type is " + problemBase + "<name>; see /docs."
	c.Info.Contact = &huma.Contact{Name: "Scout", URL: contact}
	c.Info.License = &huma.License{Name: "Proprietary", URL: contact}
	// The document is served by the server it describes, so its own origin
	// is the one server; SCOUT_BASE_URL names it for clients that download
	// the document elsewhere.
	server := h.baseURL
	if server == "" {
		server = "/"
	}
	c.Servers = []*huma.Server{{URL: server, Description: "this Scout server"}}
	c.DocsPath = ""
	c.SchemasPath = ""
	c.CreateHooks = nil
	c.OpenAPIPath = "/openapi"
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityName: {Type: "http", Scheme: "bearer", BearerFormat: "JWT or API key (sk_…)",
			Description: "An access token from POST /v1/auth/token, or an API key."},
	}
	c.Transformers = append(c.Transformers, h.problemTransformer, h.sealTransformer)
	// The defaults are huma's shared map: copy it before replacing JSON.
	c.Formats = maps.Clone(c.Formats)
	c.Formats["application/json"], c.Formats["json"] = jsonFormat, jsonFormat
	c.OnAddOperation = append(c.OnAddOperation, func(_ *huma.OpenAPI, o *huma.Operation) {
		o.MaxBodyBytes = h.maxBody
		if o.OperationID == "importOPML" {
			o.MaxBodyBytes = h.maxBody * opmlBodyFactor
		}
		for _, p := range o.Parameters {
			if p.In == "query" && p.Schema != nil && p.Schema.Type == huma.TypeArray {
				h.arrayParams[p.Name] = true
			}
		}
	})
	return c
}

func orRate(r, def rate.Limit) rate.Limit {
	if r <= 0 {
		return def
	}
	return r
}

func orInt(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}
