package fetch

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultUserAgent          = "Scout/dev (+https://github.com/scoutdev/scout)"
	DefaultTimeout            = 30 * time.Second
	DefaultHeaderTimeout      = 15 * time.Second
	DefaultMaxBody            = 10 << 20
	DefaultMaxStreamBody      = 2 << 30
	DefaultStreamTimeout      = 4 * time.Minute
	DefaultMaxHeaderBytes     = 64 << 10
	DefaultMaxRedirects       = 5
	DefaultPerHostConcurrency = 2
	DefaultPerHostInterval    = time.Second
	DefaultGlobalConcurrency  = 16
	DefaultMaxRetryAfter      = 24 * time.Hour
	// DefaultAccept is sent when Request.Accept is empty: feed types first.
	DefaultAccept = "application/rss+xml, application/atom+xml, application/feed+json, " +
		"application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)

// Options configures a Client. Zero fields get the Default* values.
type Options struct {
	// UserAgent is sent with every request; build it with UserAgent().
	UserAgent string
	// Timeout bounds one Get from the moment it holds its slots to the
	// last byte of the body, redirects included.
	Timeout time.Duration
	// HeaderTimeout bounds the wait for response headers after a request
	// is written.
	HeaderTimeout time.Duration
	// MaxBody caps the body after decompression, in bytes.
	MaxBody int64
	// MaxStreamBody and StreamTimeout take the place of MaxBody and
	// Timeout for a Request with Stream set: a bulk file read as it
	// arrives costs no memory per byte, so it may be far larger and slower
	// than a page, yet it still has bounds.
	MaxStreamBody int64
	StreamTimeout time.Duration
	// MaxHeaderBytes caps the response header section.
	MaxHeaderBytes int
	// MaxRedirects is how many redirects one Get follows; negative means
	// none.
	MaxRedirects int
	// PerHostConcurrency is how many requests may be in flight to one host.
	PerHostConcurrency int
	// PerHostInterval is the least time between the starts of two requests
	// to one host; negative means no spacing.
	PerHostInterval time.Duration
	// GlobalConcurrency is how many Gets may run at once.
	GlobalConcurrency int
	// MaxRetryAfter caps the Retry-After hints reported.
	MaxRetryAfter time.Duration
	// Allow lists the operator's exceptions to the address policy: CIDRs
	// ("10.1.0.0/16"), addresses ("10.1.2.3"), address:port
	// ("127.0.0.1:8080") and name:port ("feeds.intranet:8443", matched on
	// the name before it is resolved). Empty by default.
	Allow []string
	// Proxy, when set, carries every request. Scout then cannot see the
	// addresses the proxy resolves: literal IP addresses in URLs are still
	// refused, and the proxy must enforce the rest. The environment's
	// HTTP_PROXY is never used.
	Proxy *url.URL
	// TLSConfig, when set, is cloned for outbound TLS (for example to add
	// RootCAs for an intranet CA).
	TLSConfig *tls.Config
	// Now is the clock used to read HTTP dates; time.Now when nil.
	Now func() time.Time
}

// UserAgent returns an honest User-Agent: "Scout/<version> (+<contact>)".
func UserAgent(version, contact string) string {
	return fmt.Sprintf("Scout/%s (+%s)", version, contact)
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Timeout, DefaultTimeout)
	def(&o.HeaderTimeout, DefaultHeaderTimeout)
	def(&o.PerHostInterval, DefaultPerHostInterval)
	def(&o.MaxRetryAfter, DefaultMaxRetryAfter)
	def(&o.StreamTimeout, DefaultStreamTimeout)
	o.MaxStreamBody = orInt(o.MaxStreamBody, DefaultMaxStreamBody)
	o.MaxBody = orInt(o.MaxBody, DefaultMaxBody)
	o.MaxHeaderBytes = orInt(o.MaxHeaderBytes, DefaultMaxHeaderBytes)
	o.MaxRedirects = orInt(o.MaxRedirects, DefaultMaxRedirects)
	o.PerHostConcurrency = orInt(o.PerHostConcurrency, DefaultPerHostConcurrency)
	o.GlobalConcurrency = orInt(o.GlobalConcurrency, DefaultGlobalConcurrency)
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxRedirects < 0 {
		o.MaxRedirects = 0
	}
	return o
}

func orInt[T int | int64](v, d T) T {
	if v == 0 {
		return d
	}
	return v
}

// validate checks the options after defaults are applied.
func (o Options) validate() error {
	var errs []error
	if strings.ContainsFunc(o.UserAgent, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		errs = append(errs, errors.New("user agent: must not contain control characters"))
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"timeout", int64(o.Timeout)}, {"header timeout", int64(o.HeaderTimeout)},
		{"max body", o.MaxBody}, {"max stream body", o.MaxStreamBody}, {"stream timeout", int64(o.StreamTimeout)},
		{"max header bytes", int64(o.MaxHeaderBytes)},
		{"per-host concurrency", int64(o.PerHostConcurrency)},
		{"global concurrency", int64(o.GlobalConcurrency)}, {"max retry-after", int64(o.MaxRetryAfter)},
	} {
		if f.v < 0 {
			errs = append(errs, fmt.Errorf("%s: must not be negative", f.name))
		}
	}
	if p := o.Proxy; p != nil && (p.Host == "" || !slices.Contains([]string{"http", "https", "socks5", "socks5h"}, p.Scheme)) {
		errs = append(errs, fmt.Errorf("proxy %q: must be an http, https or socks5 URL with a host", p.Redacted()))
	}
	return errors.Join(errs...)
}
