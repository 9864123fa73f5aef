package config

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is the effective configuration of one Scout process.
type Config struct {
	Addr        string
	DataDir     string
	DatabaseURL string // sqlite:PATH or postgres://…; empty means sqlite in DataDir
	LogLevel    slog.Level
	LogFormat   string // text or json
	SeedSources bool
	AutoMigrate bool
	JWTSecret   string // empty: generated on first run and kept in DataDir
	BaseURL     string // the public URL of this server, used in links it hands out

	ShutdownTimeout   time.Duration
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxBodyBytes      int64
	RateLimit         float64 // API requests per second per principal
	RateBurst         int
	StatsTTL          time.Duration // how long a view's dashboard numbers are reused; 0 computes every request

	// Login limits (token buckets: a burst, then one attempt per interval)
	// and the bound on concurrent password hashing.
	LoginBurst           int // per client address and e-mail
	LoginInterval        time.Duration
	LoginAddressBurst    int // per client address, across e-mails
	LoginAddressInterval time.Duration
	LoginAccountBurst    int // failed logins per account, from every address
	LoginAccountInterval time.Duration
	PasswordHashes       int // argon2id hashes computed at once

	FetchTimeout      time.Duration
	FetchMaxBytes     int64
	FetchMaxRedirects int
	FetchPerHost      int
	FetchHostInterval time.Duration
	FetchConcurrency  int
	FetchAllow        []string // CIDRs or host:port allowed although private
	ContactURL        string

	// Sign-in with an external OpenID Connect provider; off when OIDCIssuer is empty.
	OIDCIssuer        string
	OIDCAudience      string
	OIDCEmailClaim    string
	OIDCAdminClaim    string
	OIDCAdminValue    string
	OIDCAutoProvision bool

	Workers         int
	Interval        time.Duration
	MinInterval     time.Duration
	MaxInterval     time.Duration
	Lease           time.Duration
	MaxItemsPerFeed int
	// MaxItemsPerSource caps the items kept per source; 0 keeps them all.
	MaxItemsPerSource int

	NATSURL            string        // empty: no relay to NATS; events stay in-process
	NATSStream         string        // JetStream stream, created when missing
	NATSSubjectPrefix  string        // subjects are PREFIX.<event type>
	OutboxRetention    time.Duration // relayed outbox rows older than this are pruned
	ArchiveClosedAfter int           // days after its deadline an item is archived; 0 never

	// EnricherPrecedence ranks who may set an item's opportunity fields
	// (kind, deadline, amount), highest first: the built-in extractor and
	// the enrichers trusted to override it or fill what it leaves empty.
	EnricherPrecedence []string
	// EnricherPrecedenceGroups ranks one field group (kind, dates, funding,
	// eligibility) differently; a group not listed follows EnricherPrecedence.
	EnricherPrecedenceGroups map[string][]string
}

// Load reads the configuration from lookup (os.LookupEnv in production, a map
// in tests). Every invalid setting is reported, joined into one error, each
// naming its variable and value.
func Load(lookup func(string) (string, bool)) (Config, error) {
	var c Config
	var errs []error
	bad := map[string]bool{}
	for _, s := range settings(&c) {
		raw, err := value(s, lookup)
		if err == nil {
			err = s.set(raw)
			if err != nil {
				err = fmt.Errorf("%s: invalid value %q: %w", s.env(), display(s, raw), err)
			}
		}
		if err != nil {
			errs = append(errs, err)
			bad[s.env()] = true
		}
	}
	errs = append(errs, c.check(bad)...)
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "scout.db")
	}
	return c, errors.Join(errs...)
}

// value returns the raw text of one setting: the variable, else its _FILE
// twin for secrets, else the default.
func value(s setting, lookup func(string) (string, bool)) (string, error) {
	v, ok := lookup(s.env())
	if s.secret {
		path, fileOK := lookup(s.env() + "_FILE")
		switch {
		case ok && fileOK:
			return "", fmt.Errorf("%s and %s_FILE are both set: choose one", s.env(), s.env())
		case fileOK:
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("%s_FILE: %w", s.env(), err)
			}
			return strings.TrimRight(string(b), "\r\n"), nil
		}
	}
	if !ok {
		return s.def, nil
	}
	return strings.TrimSpace(v), nil
}

func display(s setting, raw string) string {
	if s.secret {
		return "[redacted]"
	}
	return raw
}

// check validates relations between settings, leaving out the relations of
// settings that did not parse (bad), whose fields hold no value.
func (c *Config) check(bad map[string]bool) []error {
	var errs []error
	parsed := func(names ...string) bool {
		for _, n := range names {
			if bad[n] {
				return false
			}
		}
		return true
	}
	if parsed("SCOUT_MIN_INTERVAL", "SCOUT_INTERVAL", "SCOUT_MAX_INTERVAL") && (c.MinInterval > c.Interval || c.Interval > c.MaxInterval) {
		errs = append(errs, fmt.Errorf("SCOUT_MIN_INTERVAL (%s) <= SCOUT_INTERVAL (%s) <= SCOUT_MAX_INTERVAL (%s) must hold",
			c.MinInterval, c.Interval, c.MaxInterval))
	}
	if parsed("SCOUT_LEASE", "SCOUT_FETCH_TIMEOUT") && c.Lease <= c.FetchTimeout {
		errs = append(errs, fmt.Errorf("SCOUT_LEASE (%s) must be longer than SCOUT_FETCH_TIMEOUT (%s), or a slow fetch could be claimed twice",
			c.Lease, c.FetchTimeout))
	}
	if parsed("SCOUT_MAX_ITEMS_PER_SOURCE", "SCOUT_MAX_ITEMS_PER_FEED") && c.MaxItemsPerSource != 0 && c.MaxItemsPerSource < c.MaxItemsPerFeed {
		errs = append(errs, fmt.Errorf("SCOUT_MAX_ITEMS_PER_SOURCE (%d) must be 0 or at least SCOUT_MAX_ITEMS_PER_FEED (%d), or each fetch would delete what it just stored",
			c.MaxItemsPerSource, c.MaxItemsPerFeed))
	}
	if c.DatabaseURL != "" {
		if _, _, err := ParseDatabaseURL(c.DatabaseURL); err != nil {
			errs = append(errs, fmt.Errorf("SCOUT_DATABASE_URL: %w", err))
		}
	}
	if c.OIDCIssuer != "" && c.OIDCAudience == "" {
		errs = append(errs, errors.New("SCOUT_OIDC_AUDIENCE: must be set with SCOUT_OIDC_ISSUER (the aud its access tokens carry for Scout)"))
	}
	if (c.OIDCAdminClaim == "") != (c.OIDCAdminValue == "") {
		errs = append(errs, errors.New("SCOUT_OIDC_ADMIN_CLAIM and SCOUT_OIDC_ADMIN_VALUE: set both or neither"))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		errs = append(errs, errors.New("SCOUT_JWT_SECRET: must be at least 32 bytes (leave it unset to generate one)"))
	}
	return errs
}

// Engines of ParseDatabaseURL.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// ParseDatabaseURL splits a database URL into the engine and what the engine
// opens: a file path for sqlite:PATH (or sqlite:///abs/path), the whole URL
// for postgres:// and postgresql://.
func ParseDatabaseURL(s string) (engine, target string, err error) {
	switch {
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return EnginePostgres, s, nil
	case strings.HasPrefix(s, "sqlite://"):
		target = strings.TrimPrefix(s, "sqlite://")
	case strings.HasPrefix(s, "sqlite:"):
		target = strings.TrimPrefix(s, "sqlite:")
	default:
		scheme, _, found := strings.Cut(s, ":")
		if !found {
			return "", "", fmt.Errorf("%q has no scheme: use sqlite:PATH or postgres://…", s)
		}
		return "", "", fmt.Errorf("unknown scheme %q in %q: use sqlite:PATH or postgres://…", scheme, s)
	}
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if target == "" {
		return "", "", fmt.Errorf("%q names no file", s)
	}
	return EngineSQLite, target, nil
}

// Dump writes the effective configuration as VAR=value lines, secrets redacted.
func (c Config) Dump() string {
	var b strings.Builder
	cp := c
	for _, s := range settings(&cp) {
		v := s.get()
		if s.secret && v != "" {
			v = "[redacted]"
		}
		fmt.Fprintf(&b, "%s=%s\n", s.env(), v)
	}
	return b.String()
}

// Usage lists every variable with its default and meaning, for --help.
func Usage() string {
	var b strings.Builder
	var c Config
	for _, s := range settings(&c) {
		def := s.def
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(&b, "  %-28s %s (default %s)\n", s.env(), s.help, def)
	}
	return b.String()
}
