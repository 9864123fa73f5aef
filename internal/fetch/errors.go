package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// ErrBlockedAddress is the sentinel behind every refusal of the address
// policy: errors.Is(err, ErrBlockedAddress) is true for them.
var ErrBlockedAddress = errors.New("blocked address")

// Error is a failed fetch. Get returns one for every failure, including a
// response whose status is neither 2xx nor 304.
type Error struct {
	// Class names the kind of failure, for grouping and for retry policy.
	Class scout.ErrorClass
	// URL is the URL being fetched when the failure happened; after
	// redirects it is the last hop, not the requested URL.
	URL string
	// StatusCode is the HTTP status for Class http_status, else 0.
	StatusCode int
	// RetryAfter is the server's Retry-After hint (429, 503, ...), capped
	// by Options.MaxRetryAfter; 0 when absent.
	RetryAfter time.Duration
	// Err is the cause.
	Err error
	// Duration is the network time spent before the failure, waits for
	// slots excluded (see Response.Duration).
	Duration time.Duration
}

// Error returns a message for people, such as
// "GET https://x/feed: HTTP 404 Not Found".
func (e *Error) Error() string {
	if e.Class == scout.ErrorHTTP && e.StatusCode != 0 {
		return fmt.Sprintf("GET %s: %s", e.URL, statusLine(e.StatusCode))
	}
	if e.Err == nil {
		return fmt.Sprintf("GET %s: %s error", e.URL, e.Class)
	}
	return fmt.Sprintf("GET %s: %v", e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func statusLine(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("HTTP %d %s", code, text)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// blockedError is a refusal of the address policy.
type blockedError struct {
	addr   string // the address as written: "10.0.0.5" or "10.0.0.5:8080"
	reason string // "a private address"
}

// Error names the address, why it is refused, and the setting that lets an
// operator allow it (intranet feeds), so the refusal is not a dead end.
func (e *blockedError) Error() string {
	return "blocked: " + e.addr + " is " + e.reason + " (an operator may allow it with SCOUT_FETCH_ALLOW)"
}

func (e *blockedError) Is(target error) bool { return target == ErrBlockedAddress }

func blocked(addr netip.Addr, reason string) error {
	return &blockedError{addr: addr.String(), reason: reason}
}

// tooLargeError reports a body or header section over its cap.
type tooLargeError struct {
	what  string // "response body", "response headers"
	limit int64
	err   error // the transport's report, if any
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s larger than %s", e.what, byteSize(e.limit))
}

func (e *tooLargeError) Unwrap() error { return e.err }

func bodyTooLarge(limit int64) error { return &tooLargeError{what: "response body", limit: limit} }

// headersTooLarge recognises net/http's report of an oversized header
// section, which has no type of its own.
func headersTooLarge(err error) bool {
	return strings.Contains(err.Error(), "response headers exceeded")
}

// redirectError reports a redirect that policy refuses (too many, a
// downgrade, an odd scheme).
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// timeoutError reports the per-fetch deadline passing.
type timeoutError struct {
	limit time.Duration
	err   error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out after %s", e.limit)
}

func (e *timeoutError) Unwrap() error { return e.err }
func (e *timeoutError) Timeout() bool { return true }

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Classify returns the class of a fetch failure: the Class of a *Error found
// in err's chain, else a best guess from the standard library's error types.
// It returns scout.ErrorNone for nil.
func Classify(err error) scout.ErrorClass {
	if err == nil {
		return scout.ErrorNone
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Class
	}
	return classifyCause(err)
}

// classifyCause classifies errors from net, net/http, crypto/tls and this
// package's own internal error types. The order matters: a blocked dial is
// also a *net.OpError, and a TLS handshake timeout is also a timeout.
func classifyCause(err error) scout.ErrorClass {
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return scout.ErrorBlocked
	case isType[*tooLargeError](err), headersTooLarge(err):
		return scout.ErrorTooLarge
	case isType[*redirectError](err):
		return scout.ErrorRedirects
	case isType[*net.DNSError](err):
		return scout.ErrorDNS
	case isTimeout(err):
		return scout.ErrorTimeout
	case isTLS(err):
		return scout.ErrorTLS
	case isType[*net.OpError](err):
		return scout.ErrorConnect
	}
	return scout.ErrorOther
}

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	te, ok := errors.AsType[interface {
		error
		Timeout() bool
	}](err)
	return ok && te.Timeout()
}

func isTLS(err error) bool {
	switch {
	case isType[tls.RecordHeaderError](err), isType[tls.AlertError](err),
		isType[*tls.CertificateVerificationError](err), isType[*tls.ECHRejectionError](err),
		isType[x509.UnknownAuthorityError](err), isType[x509.HostnameError](err),
		isType[x509.CertificateInvalidError](err):
		return true
	}
	// Many handshake failures are plain errors whose text starts with "tls: ".
	return strings.Contains(err.Error(), "tls: ")
}
