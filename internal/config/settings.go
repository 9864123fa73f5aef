package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// setting binds one variable to one field of a Config.
type setting struct {
	name   string // without the SCOUT_ prefix
	def    string
	help   string
	secret bool
	set    func(string) error
	get    func() string
}

func (s setting) env() string { return "SCOUT_" + s.name }

// settings is the one table of every setting; defaults live here only.
func settings(c *Config) []setting {
	return []setting{
		{name: "ADDR", def: "127.0.0.1:8080", help: "address the HTTP server listens on", set: addr(&c.Addr), get: str(&c.Addr)},
		{name: "DATA_DIR", def: "./data", help: "directory for the SQLite database and generated secrets", set: nonEmpty(&c.DataDir), get: str(&c.DataDir)},
		{name: "DATABASE_URL", def: "", help: "sqlite:PATH or postgres://…; empty means DATA_DIR/scout.db", set: setStr(&c.DatabaseURL), get: str(&c.DatabaseURL)},
		{name: "LOG_LEVEL", def: "info", help: "debug, info, warn or error", set: level(&c.LogLevel), get: func() string { return strings.ToLower(c.LogLevel.String()) }},
		{name: "LOG_FORMAT", def: "text", help: "text or json", set: oneOf(&c.LogFormat, "text", "json"), get: str(&c.LogFormat)},
		{name: "SEED_SOURCES", def: "true", help: "create the default public funding feeds on first start", set: boolean(&c.SeedSources), get: boolStr(&c.SeedSources)},
		{name: "AUTO_MIGRATE", def: "true", help: "apply database migrations when serve starts", set: boolean(&c.AutoMigrate), get: boolStr(&c.AutoMigrate)},
		{name: "JWT_SECRET", def: "", help: "HS256 signing secret, at least 32 bytes (also SCOUT_JWT_SECRET_FILE); empty: generated in DATA_DIR", secret: true, set: setStr(&c.JWTSecret), get: str(&c.JWTSecret)},
		{name: "BASE_URL", def: "", help: "public URL of this server, for links in feeds it serves", set: optionalURL(&c.BaseURL), get: str(&c.BaseURL)},
		{name: "SHUTDOWN_TIMEOUT", def: "15s", help: "how long shutdown waits for requests and fetches in flight", set: duration(&c.ShutdownTimeout, time.Second, time.Hour), get: durStr(&c.ShutdownTimeout)},
		{name: "READ_HEADER_TIMEOUT", def: "5s", help: "HTTP server: time to read request headers", set: duration(&c.ReadHeaderTimeout, 100*time.Millisecond, 5*time.Minute), get: durStr(&c.ReadHeaderTimeout)},
		{name: "READ_TIMEOUT", def: "30s", help: "HTTP server: time to read a whole request", set: duration(&c.ReadTimeout, time.Second, time.Hour), get: durStr(&c.ReadTimeout)},
		{name: "WRITE_TIMEOUT", def: "60s", help: "HTTP server: time to write a response (event streams are exempt)", set: duration(&c.WriteTimeout, time.Second, time.Hour), get: durStr(&c.WriteTimeout)},
		{name: "IDLE_TIMEOUT", def: "120s", help: "HTTP server: keep-alive idle time", set: duration(&c.IdleTimeout, time.Second, time.Hour), get: durStr(&c.IdleTimeout)},
		{name: "MAX_BODY_BYTES", def: "1048576", help: "largest request body the API accepts", set: int64In(&c.MaxBodyBytes, 1024, 1<<30), get: int64Str(&c.MaxBodyBytes)},
		{name: "RATE_LIMIT", def: "20", help: "API requests per second each principal may make (then 429 with Retry-After)", set: floatIn(&c.RateLimit, 0.1, 1e6), get: floatStr(&c.RateLimit)},
		{name: "RATE_BURST", def: "40", help: "API requests a principal may make at once above the rate", set: intIn(&c.RateBurst, 1, 1000000), get: intStr(&c.RateBurst)},
		{name: "STATS_TTL", def: "30s", help: "how long GET /v1/stats reuses the numbers it computed for a view (public, one user's, admin's); 0s computes them on every request", set: duration(&c.StatsTTL, 0, time.Hour), get: durStr(&c.StatsTTL)},
		{name: "LOGIN_BURST", def: "5", help: "login attempts one client address may make for one e-mail at once (then 429 with Retry-After)", set: intIn(&c.LoginBurst, 1, 1000000), get: intStr(&c.LoginBurst)},
		{name: "LOGIN_INTERVAL", def: "5s", help: "after SCOUT_LOGIN_BURST, one more attempt per address and e-mail per this", set: duration(&c.LoginInterval, time.Millisecond, 24*time.Hour), get: durStr(&c.LoginInterval)},
		{name: "LOGIN_ADDRESS_BURST", def: "10", help: "login attempts one client address may make at once across e-mails (bounds password spraying)", set: intIn(&c.LoginAddressBurst, 1, 1000000), get: intStr(&c.LoginAddressBurst)},
		{name: "LOGIN_ADDRESS_INTERVAL", def: "6s", help: "after SCOUT_LOGIN_ADDRESS_BURST, one more attempt per address per this", set: duration(&c.LoginAddressInterval, time.Millisecond, 24*time.Hour), get: durStr(&c.LoginAddressInterval)},
		{name: "LOGIN_ACCOUNT_BURST", def: "20", help: "failed logins one account may take from all addresses at once (an address that has not been failing may still try)", set: intIn(&c.LoginAccountBurst, 1, 1000000), get: intStr(&c.LoginAccountBurst)},
		{name: "LOGIN_ACCOUNT_INTERVAL", def: "1m", help: "after SCOUT_LOGIN_ACCOUNT_BURST, one more failed login per account per this", set: duration(&c.LoginAccountInterval, time.Millisecond, 24*time.Hour), get: durStr(&c.LoginAccountInterval)},
		{name: "PASSWORD_HASHES", def: "2", help: "password hashes (argon2id, 19 MiB and a core each) computed at once; logins beyond a short queue get 429", set: intIn(&c.PasswordHashes, 1, 256), get: intStr(&c.PasswordHashes)},
		{name: "FETCH_TIMEOUT", def: "30s", help: "total time for one fetch, body included", set: duration(&c.FetchTimeout, time.Second, 10*time.Minute), get: durStr(&c.FetchTimeout)},
		{name: "FETCH_MAX_BYTES", def: "10485760", help: "largest feed body after decompression", set: int64In(&c.FetchMaxBytes, 1024, 1<<30), get: int64Str(&c.FetchMaxBytes)},
		{name: "FETCH_MAX_REDIRECTS", def: "5", help: "redirects followed per fetch", set: intIn(&c.FetchMaxRedirects, 0, 20), get: intStr(&c.FetchMaxRedirects)},
		{name: "FETCH_PER_HOST", def: "2", help: "concurrent fetches to one host", set: intIn(&c.FetchPerHost, 1, 64), get: intStr(&c.FetchPerHost)},
		{name: "FETCH_HOST_INTERVAL", def: "1s", help: "minimum spacing between requests to one host (0s: none)", set: duration(&c.FetchHostInterval, 0, time.Minute), get: durStr(&c.FetchHostInterval)},
		{name: "FETCH_CONCURRENCY", def: "16", help: "concurrent fetches in all", set: intIn(&c.FetchConcurrency, 1, 1024), get: intStr(&c.FetchConcurrency)},
		{name: "FETCH_ALLOW", def: "", help: "comma-separated CIDRs or host:port that fetches may reach although private (intranet feeds)", set: allowList(&c.FetchAllow), get: func() string { return strings.Join(c.FetchAllow, ",") }},
		{name: "OIDC_ISSUER", def: "", help: "OpenID Connect issuer URL whose access tokens sign users in (discovery at ISSUER/.well-known/openid-configuration); empty: off", set: issuerURL(&c.OIDCIssuer), get: str(&c.OIDCIssuer)},
		{name: "OIDC_AUDIENCE", def: "", help: "the aud the provider's access tokens must carry for Scout", set: setStr(&c.OIDCAudience), get: str(&c.OIDCAudience)},
		{name: "OIDC_EMAIL_CLAIM", def: "email", help: "claim holding the user's e-mail", set: setStr(&c.OIDCEmailClaim), get: str(&c.OIDCEmailClaim)},
		{name: "OIDC_ADMIN_CLAIM", def: "", help: "claim (dots for nesting, e.g. realm_access.roles or groups) whose value SCOUT_OIDC_ADMIN_VALUE makes an admin; empty: admin roles are Scout's own", set: setStr(&c.OIDCAdminClaim), get: str(&c.OIDCAdminClaim)},
		{name: "OIDC_ADMIN_VALUE", def: "", help: "the role or group in SCOUT_OIDC_ADMIN_CLAIM that makes an admin", set: setStr(&c.OIDCAdminValue), get: str(&c.OIDCAdminValue)},
		{name: "OIDC_AUTO_PROVISION", def: "true", help: "create a Scout user on an identity's first sign-in (else only existing e-mails are linked)", set: boolean(&c.OIDCAutoProvision), get: boolStr(&c.OIDCAutoProvision)},
		{name: "CONTACT_URL", def: "https://github.com/scoutdev/scout", help: "contact URL sent in the User-Agent", set: optionalURL(&c.ContactURL), get: str(&c.ContactURL)},
		{name: "WORKERS", def: "8", help: "fetch workers", set: intIn(&c.Workers, 1, 512), get: intStr(&c.Workers)},
		{name: "INTERVAL", def: "60m", help: "default time between fetches of a source", set: duration(&c.Interval, time.Minute, 7*24*time.Hour), get: durStr(&c.Interval)},
		{name: "MIN_INTERVAL", def: "15m", help: "shortest adaptive interval", set: duration(&c.MinInterval, time.Minute, 7*24*time.Hour), get: durStr(&c.MinInterval)},
		{name: "MAX_INTERVAL", def: "24h", help: "longest adaptive interval (and backoff cap)", set: duration(&c.MaxInterval, time.Minute, 30*24*time.Hour), get: durStr(&c.MaxInterval)},
		{name: "LEASE", def: "5m", help: "how long a claimed source stays leased to its worker", set: duration(&c.Lease, 10*time.Second, time.Hour), get: durStr(&c.Lease)},
		{name: "MAX_ITEMS_PER_FEED", def: "1000", help: "items kept from one fetch", set: intIn(&c.MaxItemsPerFeed, 1, 100000), get: intStr(&c.MaxItemsPerFeed)},
		{name: "MAX_ITEMS_PER_SOURCE", def: "2000", help: "items kept per source: beyond it the oldest posts and closed calls are deleted first, then the oldest open calls, each a tombstone in the change stream (0: no cap; else at least SCOUT_MAX_ITEMS_PER_FEED)", set: intIn(&c.MaxItemsPerSource, 0, 10000000), get: intStr(&c.MaxItemsPerSource)},
		{name: "NATS_URL", def: "", help: "nats://host:4222 to relay every change to NATS JetStream; empty keeps events in-process", secret: true, set: natsURL(&c.NATSURL), get: str(&c.NATSURL)},
		{name: "NATS_STREAM", def: "SCOUT", help: "JetStream stream for the changes (subjects PREFIX.>), created when missing", set: streamName(&c.NATSStream), get: str(&c.NATSStream)},
		{name: "NATS_SUBJECT_PREFIX", def: "scout", help: "subjects are PREFIX.<event type> (e.g. scout.item.created): dot-separated tokens of letters, digits, '-' and '_'", set: subjectPrefix(&c.NATSSubjectPrefix), get: str(&c.NATSSubjectPrefix)},
		{name: "OUTBOX_RETENTION", def: "168h", help: "how long relayed changes stay replayable from /v1/changes and /v1/events", set: duration(&c.OutboxRetention, time.Hour, 365*24*time.Hour), get: durStr(&c.OutboxRetention)},
		{name: "ENRICHER_PRECEDENCE", def: "rules/1", help: "comma-separated enrichers, highest first, that set an item's opportunity fields: above rules/1 overrides the built-in extractor, below fills only its gaps, unlisted never; rank a field group (kind, dates, funding, eligibility) on its own after a semicolon, e.g. ai,rules/1;funding=rules/1,ai", set: precedence(&c.EnricherPrecedence, &c.EnricherPrecedenceGroups), get: func() string { return precedenceString(c.EnricherPrecedence, c.EnricherPrecedenceGroups) }},
		{name: "ARCHIVE_CLOSED_AFTER", def: "90", help: "days after its deadline a closed opportunity is archived (0: never)", set: intIn(&c.ArchiveClosedAfter, 0, 36500), get: intStr(&c.ArchiveClosedAfter)},
	}
}

func str(p *string) func() string     { return func() string { return *p } }
func boolStr(p *bool) func() string   { return func() string { return strconv.FormatBool(*p) } }
func intStr(p *int) func() string     { return func() string { return strconv.Itoa(*p) } }
func int64Str(p *int64) func() string { return func() string { return strconv.FormatInt(*p, 10) } }
func durStr(p *time.Duration) func() string {
	return func() string { return p.String() }
}

func setStr(p *string) func(string) error {
	return func(v string) error { *p = v; return nil }
}

func nonEmpty(p *string) func(string) error {
	return func(v string) error {
		if v == "" {
			return fmt.Errorf("must not be empty")
		}
		*p = v
		return nil
	}
}

func addr(p *string) func(string) error {
	return func(v string) error {
		if _, port, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("must be host:port, like 127.0.0.1:8080")
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return fmt.Errorf("port must be a number from 0 to 65535")
		}
		*p = v
		return nil
	}
}

func boolean(p *bool) func(string) error {
	return func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("must be true or false")
		}
		*p = b
		return nil
	}
}

func intIn(p *int, lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %d to %d", lo, hi)
		}
		*p = n
		return nil
	}
}

func floatStr(p *float64) func() string {
	return func() string { return strconv.FormatFloat(*p, 'g', -1, 64) }
}

func floatIn(p *float64, lo, hi float64) func(string) error {
	return func(v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < lo || f > hi {
			return fmt.Errorf("must be a number from %g to %g", lo, hi)
		}
		*p = f
		return nil
	}
}

func int64In(p *int64, lo, hi int64) func(string) error {
	return func(v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %d to %d", lo, hi)
		}
		*p = n
		return nil
	}
}

func duration(p *time.Duration, lo, hi time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("must be a duration like 30s, 15m or 2h")
		}
		if d < lo || d > hi {
			return fmt.Errorf("must be from %s to %s", lo, hi)
		}
		*p = d
		return nil
	}
}

func level(p *slog.Level) func(string) error {
	return func(v string) error {
		switch strings.ToLower(v) {
		case "debug", "info", "warn", "error":
			return p.UnmarshalText([]byte(v))
		}
		return fmt.Errorf("must be debug, info, warn or error")
	}
}

func oneOf(p *string, choices ...string) func(string) error {
	return func(v string) error {
		for _, c := range choices {
			if v == c {
				*p = v
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(choices, ", "))
	}
}

func optionalURL(p *string) func(string) error {
	return func(v string) error {
		if v == "" {
			*p = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("must be an absolute http(s) URL")
		}
		*p = strings.TrimRight(v, "/")
		return nil
	}
}

func allowList(p *[]string) func(string) error {
	return func(v string) error {
		*p = nil
		for _, e := range strings.Split(v, ",") {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			if _, err := netip.ParsePrefix(e); err != nil {
				if _, _, err := net.SplitHostPort(e); err != nil {
					return fmt.Errorf("entry %q must be a CIDR like 10.0.0.0/8 or a host:port", e)
				}
			}
			*p = append(*p, e)
		}
		return nil
	}
}

func natsURL(p *string) func(string) error {
	return func(v string) error {
		if v == "" {
			*p = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
			return fmt.Errorf("must be a nats:// or tls:// URL with a host")
		}
		*p = v
		return nil
	}
}

func streamName(p *string) func(string) error {
	return func(v string) error {
		if v == "" || len(v) > 64 || strings.ContainsAny(v, " .*>/\\\t") {
			return fmt.Errorf("must be 1 to 64 characters without spaces, '.', '*', '>', '/' or '\\'")
		}
		*p = v
		return nil
	}
}

// subjectPrefix reads a NATS subject prefix: 1 to 64 characters of
// dot-separated tokens, each letters, digits, '-' or '_' (no wildcards,
// no empty token), so that PREFIX.> captures exactly Scout's subjects.
func subjectPrefix(p *string) func(string) error {
	return func(v string) error {
		bad := v == "" || len(v) > 64
		for _, tok := range strings.Split(v, ".") {
			bad = bad || tok == "" || strings.IndexFunc(tok, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
			}) >= 0
		}
		if bad {
			return fmt.Errorf("must be 1 to 64 characters of dot-separated tokens of letters, digits, '-' and '_'")
		}
		*p = v
		return nil
	}
}

// precedence reads a ranked list of enricher names: each 1 to 100
// characters, none twice.
func precedence(p *[]string, groups *map[string][]string) func(string) error {
	return func(v string) error {
		*groups = nil
		def := []string(nil)
		for _, seg := range strings.Split(v, ";") {
			group, list, ok := strings.Cut(seg, "=")
			if !ok {
				group, list = "", seg
			}
			group = strings.TrimSpace(group)
			if ok && !slices.Contains(PrecedenceGroups, group) {
				return fmt.Errorf("field group %q is not one of %s", group, strings.Join(PrecedenceGroups, ", "))
			}
			names, err := precedenceNames(list)
			if err != nil {
				return err
			}
			switch {
			case !ok && def != nil:
				return errors.New("two lists without a field group: name the group of each but one (dates=…)")
			case !ok:
				def = names
			case (*groups)[group] != nil:
				return fmt.Errorf("field group %q is ranked twice", group)
			default:
				if *groups == nil {
					*groups = map[string][]string{}
				}
				(*groups)[group] = names
			}
		}
		if def == nil {
			def = []string{"rules/1"}
		}
		*p = def
		return nil
	}
}

// PrecedenceGroups are the field groups SCOUT_ENRICHER_PRECEDENCE may rank
// on their own.
var PrecedenceGroups = []string{"kind", "dates", "funding", "eligibility"}

// precedenceString renders a precedence as SCOUT_ENRICHER_PRECEDENCE reads it.
func precedenceString(def []string, groups map[string][]string) string {
	out := strings.Join(def, ",")
	for _, g := range PrecedenceGroups {
		if l, ok := groups[g]; ok {
			out += ";" + g + "=" + strings.Join(l, ",")
		}
	}
	return out
}

// enricherName is the form of the names enrichers write under (the API's
// PUT /v1/items/{id}/enrichments/{enricher}).
var enricherName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

func precedenceNames(v string) ([]string, error) {
	var names []string
	for _, n := range strings.Split(v, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			continue
		case len(n) > 100:
			return nil, fmt.Errorf("enricher %q is longer than 100 characters", n[:20]+"…")
		case slices.Contains(names, n):
			return nil, fmt.Errorf("enricher %q is listed twice", n)
		case n != "rules/1" && !enricherName.MatchString(n):
			return nil, fmt.Errorf("no enricher can be called %q, so it would rank nothing: names are up to 64 lowercase letters, digits, '.', '_' and '-' (ai-facts), and the built-in extractor is rules/1", n)
		}
		names = append(names, n)
	}
	return names, nil
}

// issuerURL is optionalURL without trimming a trailing slash: an OIDC
// issuer must match its tokens' iss claim byte for byte (Auth0's end in /).
func issuerURL(p *string) func(string) error {
	check := optionalURL(new(string))
	return func(v string) error {
		if err := check(v); err != nil {
			return err
		}
		*p = v
		return nil
	}
}
