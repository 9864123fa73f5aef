package fetch

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Client is Scout's outbound HTTP client. It is safe for concurrent use; make
// one per process so that its host limits are shared.
type Client struct {
	opts   Options
	allow  allowlist
	http   *http.Client
	global semaphore
	hosts  *hostLimits
}

// Request is one conditional GET, or a POST of a small body for the API
// kinds of source that search by POST.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match when not empty
	LastModified string // sent as If-Modified-Since when not empty
	Accept       string // DefaultAccept when empty
	// HostReserved says the caller's scheduler already granted this fetch
	// a slot on the URL's host (and its spacing) before it started, so Get
	// does not wait for that host's limits again. A redirect to another
	// host still waits for that host's limits.
	HostReserved bool
	// Method is GET when empty; only GET and POST are sent.
	Method string
	// Body is sent with a POST, with BodyType as its Content-Type
	// (application/json when empty).
	Body     []byte
	BodyType string
	// Stream, when set, is handed a 2xx body as it arrives (decoded, and
	// failing once it passes Options.MaxStreamBody) instead of the body
	// being read whole into Response.Body, and the Get is bounded by
	// Options.StreamTimeout instead of Timeout. When the body itself
	// failed (too large, too slow, cut off), that failure is returned as a
	// *Error, whatever Stream made of it; any other error of Stream is
	// returned as is.
	Stream func(resp *Response, body io.Reader) error
}

// Response is a 2xx or 304 answer.
type Response struct {
	// URL is the final URL, after redirects.
	URL string
	// PermanentURL is the final URL when the request was redirected and
	// every hop was a 301 or 308, so the stored URL should change; else "".
	PermanentURL string
	StatusCode   int
	Header       http.Header
	// Body is the decoded body; nil for a 304.
	Body        []byte
	ContentType string
	// ETag and LastModified are the validators to send next time. A 304
	// that omits them reports the ones the Request sent.
	ETag         string
	LastModified string
	NotModified  bool
	// RetryAfter and MaxAge are scheduling hints: the server's Retry-After
	// (capped by Options.MaxRetryAfter) and its freshness lifetime from
	// Cache-Control max-age or Expires. Zero when absent.
	RetryAfter time.Duration
	MaxAge     time.Duration
	// Bytes counts the body bytes received on the wire (before decoding).
	Bytes int64
	// Duration is the network exchange: from the first request sent to the
	// last byte of the body, redirects included, waits for slots excluded.
	Duration time.Duration
}

// New returns a Client. Zero Options fields get defaults; it fails when an
// option is out of range or an Allow entry cannot be parsed.
func New(opts Options) (*Client, error) {
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("fetch options: %w", err)
	}
	allow, err := parseAllowlist(o.Allow)
	if err != nil {
		return nil, fmt.Errorf("fetch options: %w", err)
	}
	c := &Client{
		opts:   o,
		allow:  allow,
		global: make(semaphore, o.GlobalConcurrency),
		hosts:  newHostLimits(o.PerHostConcurrency, o.PerHostInterval),
	}
	c.http = &http.Client{Transport: c.transport(), CheckRedirect: c.checkRedirect}
	return c, nil
}

func (c *Client) transport() *http.Transport {
	o := c.opts
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.TLSConfig != nil {
		tlsConf = o.TLSConfig.Clone()
	}
	t := &http.Transport{
		DialContext:            c.allow.dialer(net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}, proxyAddr(o.Proxy)),
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		MaxResponseHeaderBytes: int64(o.MaxHeaderBytes),
		DisableCompression:     true, // we ask for gzip ourselves and cap the decoded size
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    o.PerHostConcurrency,
		IdleConnTimeout:        90 * time.Second,
	}
	if o.Proxy != nil {
		t.Proxy = http.ProxyURL(o.Proxy)
	}
	return t
}

// proxyAddr is the host:port the transport dials for proxy p, or "".
func proxyAddr(p *url.URL) string {
	if p == nil {
		return ""
	}
	if p.Port() != "" {
		return p.Host
	}
	port := map[string]string{"http": "80", "https": "443"}[p.Scheme]
	if port == "" {
		port = "1080"
	}
	return net.JoinHostPort(p.Hostname(), port)
}

// CheckURL applies the policy that needs no network: an absolute http or
// https URL with a host and no credentials, whose host, when it is a literal
// IP address, is one the policy allows. Names are checked at dial time only.
// It returns an error wrapping scout.ErrInvalid for a malformed URL and one
// wrapping ErrBlockedAddress for a refused address.
func (c *Client) CheckURL(ctx context.Context, raw string) error {
	if err := scout.ValidateFetchURL("url", raw); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return scout.Invalid("url", "is not a valid URL")
	}
	return c.checkHost(u)
}

// CheckResolved is CheckURL plus a lookup of a host name, refusing the URL
// when any address the name resolves to is refused, as a dial would. A name
// that does not resolve (within ctx) passes: only a refused address fails.
// Use it to vet URLs Scout hands out without fetching them (discovered
// feeds); fetches themselves are checked at dial time.
func (c *Client) CheckResolved(ctx context.Context, raw string) error {
	if err := c.CheckURL(ctx, raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if _, err := netip.ParseAddr(host); err == nil || c.allow.allowsName(net.JoinHostPort(host, port)) || c.opts.Proxy != nil {
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if err := c.allow.checkAddrPort(netip.AddrPortFrom(a.Unmap(), mustPort(port))); err != nil {
			return fmt.Errorf("%s resolves to %w", host, err)
		}
	}
	return nil
}

func (c *Client) checkHost(u *url.URL) error {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if c.allow.allowsName(net.JoinHostPort(u.Hostname(), port)) {
		return nil
	}
	addr, err := netip.ParseAddr(u.Hostname())
	if err == nil {
		return c.allow.checkAddrPort(netip.AddrPortFrom(addr, mustPort(port)))
	}
	legacy, numeric, ok := legacyIPv4(u.Hostname())
	switch {
	case ok:
		// Refused when the address is; otherwise still refused, since the
		// resolver would not read it as an address: ask for the usual form.
		if err := c.allow.checkAddrPort(netip.AddrPortFrom(legacy, mustPort(port))); err != nil {
			return err
		}
		return scout.Invalid("url", "writes the IP address %s in a legacy form; write it as %s", u.Hostname(), legacy)
	case numeric:
		return scout.Invalid("url", "host %q ends in a number but is not an IP address", u.Hostname())
	}
	return nil // a name: the dialer checks what it resolves to
}

// Get fetches r.URL. It waits for a slot on the host (and the host's
// spacing), then for a global slot, as long as ctx allows; the Timeout starts
// once it holds them and covers redirects and the whole body. Every failure, including a
// status other than 2xx and 304, is a *Error.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	start := time.Now()
	st := &getState{c: c, url: r.URL, permanent: true}
	if r.HostReserved {
		st.reserved = scout.HostKey(r.URL)
	}
	resp, err := c.get(ctx, r, st)
	d := time.Since(start) - st.waited
	if resp != nil {
		resp.Duration = d
	}
	if e, ok := errors.AsType[*Error](err); ok {
		e.Duration = d
	}
	return resp, err
}

func (c *Client) get(ctx context.Context, r Request, st *getState) (*Response, error) {
	if err := c.CheckURL(ctx, r.URL); err != nil {
		return nil, &Error{Class: classifyCause(err), URL: r.URL, Err: err}
	}
	u, _ := url.Parse(r.URL)
	if err := st.enter(ctx, u); err != nil {
		return nil, c.fail(ctx, ctx, st, err)
	}
	defer st.leave()

	st.timeout = c.opts.Timeout
	if r.Stream != nil {
		st.timeout = c.opts.StreamTimeout
	}
	tctx, cancel := context.WithTimeout(context.WithValue(ctx, stateKey{}, st), st.timeout)
	defer cancel()
	req, err := c.newRequest(tctx, u, r)
	if err != nil {
		return nil, c.fail(ctx, tctx, st, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.fail(ctx, tctx, st, err)
	}
	defer resp.Body.Close()
	return c.finish(ctx, tctx, st, resp, r)
}

func (c *Client) newRequest(ctx context.Context, u *url.URL, r Request) (*http.Request, error) {
	method, body := http.MethodGet, io.Reader(nil)
	switch r.Method {
	case "", http.MethodGet:
	case http.MethodPost:
		method, body = http.MethodPost, bytes.NewReader(r.Body)
	default:
		return nil, fmt.Errorf("build request: method %q is not GET or POST", r.Method)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", cmpOr(r.BodyType, "application/json"))
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", cmpOr(r.Accept, DefaultAccept))
	req.Header.Set("Accept-Encoding", "gzip")
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	return req, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// finish turns a response into a *Response, or into a *Error for a status
// other than 2xx and 304.
func (c *Client) finish(parent, tctx context.Context, st *getState, resp *http.Response, r Request) (*Response, error) {
	st.url = resp.Request.URL.String()
	out := &Response{
		URL:          st.url,
		StatusCode:   resp.StatusCode,
		Header:       resp.Header,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		RetryAfter:   retryAfter(resp.Header, c.opts.Now(), c.opts.MaxRetryAfter),
		MaxAge:       maxAge(resp.Header, c.opts.Now()),
	}
	if st.redirected && st.permanent {
		out.PermanentURL = out.URL
	}
	switch code := resp.StatusCode; {
	case code == http.StatusNotModified:
		out.NotModified = true
		out.ETag = cmpOr(out.ETag, r.ETag)
		out.LastModified = cmpOr(out.LastModified, r.LastModified)
		return out, nil
	case code >= 200 && code < 300 && r.Stream != nil:
		if err := c.stream(parent, tctx, st, resp, out, r.Stream); err != nil {
			return nil, err
		}
		return out, nil
	case code >= 200 && code < 300:
		body, n, err := readBody(resp, c.opts.MaxBody)
		out.Body, out.Bytes = body, n
		if err != nil {
			return nil, c.fail(parent, tctx, st, err)
		}
		return out, nil
	}
	// Read a little so the connection can be reused; the rest is dropped.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	return nil, &Error{Class: scout.ErrorHTTP, URL: st.url, StatusCode: resp.StatusCode, RetryAfter: out.RetryAfter}
}

// fail wraps err in a *Error for the hop being fetched. A passed deadline of
// tctx (and not of the caller's parent) becomes a timeout, whatever error
// the transport chose to report it with.
func (c *Client) fail(parent, tctx context.Context, st *getState, err error) *Error {
	cause := err
	if ue, ok := errors.AsType[*url.Error](err); ok {
		cause = ue.Err
	}
	if parent.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		cause = &timeoutError{limit: cmp.Or(st.timeout, c.opts.Timeout), err: cause}
	}
	if headersTooLarge(cause) {
		cause = &tooLargeError{what: "response headers", limit: int64(c.opts.MaxHeaderBytes), err: cause}
	}
	class := classifyCause(cause)
	// Prefer the precise cause's text to the dialer's wrapping of it.
	if b, ok := errors.AsType[*blockedError](cause); ok {
		cause = b
	} else if d, ok := errors.AsType[*net.DNSError](cause); ok {
		cause = d
	}
	return &Error{Class: class, URL: st.url, Err: cause}
}

// stateKey carries a Get's *getState to its redirect hook.
type stateKey struct{}

// getState is the bookkeeping of one Get, touched only by the goroutine
// running it (the redirect hook runs there too).
type getState struct {
	c          *Client
	url        string // the hop being fetched
	host       string // the host whose slot is held
	release    func()
	redirected bool
	permanent  bool          // every redirect so far was 301 or 308
	reserved   string        // the host whose slot the caller's scheduler holds
	waited     time.Duration // time spent waiting for slots
	timeout    time.Duration // the bound of this Get once it holds its slots
}

// enter makes sure the Get holds the slot for u's host and a global slot.
// It gives back both before waiting for another host, and takes the host's
// slot before the global one, so a Get never holds a global slot while it
// waits: fetches queued on one slow host cannot starve the others, and two
// Gets redirecting between two hosts cannot wait on each other.
func (s *getState) enter(ctx context.Context, u *url.URL) error {
	k := scout.HostKeyOf(u)
	if k == s.host && s.release != nil {
		return nil
	}
	s.leave()
	t0 := time.Now()
	defer func() { s.waited += time.Since(t0) }()
	releaseHost := func() {}
	if k != s.reserved || s.redirected {
		var err error
		if releaseHost, err = s.c.hosts.acquire(ctx, k); err != nil {
			return err
		}
	}
	if err := s.c.global.acquire(ctx); err != nil {
		releaseHost()
		return fmt.Errorf("wait for a fetch slot: %w", err)
	}
	s.host = k
	s.release = func() {
		s.c.global.release()
		releaseHost()
	}
	return nil
}

func (s *getState) leave() {
	if s.release != nil {
		s.release()
		s.host, s.release = "", nil
	}
}

// checkRedirect vets each redirect hop before it is sent: count, scheme, no
// downgrade from https to http, literal addresses, and the host's limits.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	st, ok := req.Context().Value(stateKey{}).(*getState)
	if !ok {
		return errors.New("redirect outside Get")
	}
	st.url, st.redirected = req.URL.String(), true
	if code := req.Response.StatusCode; code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
		st.permanent = false
	}
	if len(via) > c.opts.MaxRedirects {
		return &redirectError{fmt.Sprintf("stopped after %d redirects", c.opts.MaxRedirects)}
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return &redirectError{fmt.Sprintf("refused redirect to scheme %q", s)}
	}
	if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme == "http" {
		return &redirectError{"refused redirect from https to http"}
	}
	if req.URL.User != nil {
		return &redirectError{"refused redirect to a URL with credentials"}
	}
	if err := c.checkHost(req.URL); err != nil {
		return err
	}
	return st.enter(req.Context(), req.URL)
}
