package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

func TestClassify(t *testing.T) {
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want scout.ErrorClass
	}{
		{"nil", nil, scout.ErrorNone},
		{"fetch error", &Error{Class: scout.ErrorHTTP, StatusCode: 410}, scout.ErrorHTTP},
		{"wrapped fetch error", fmt.Errorf("ingest source 7: %w", &Error{Class: scout.ErrorTLS}), scout.ErrorTLS},
		{"blocked", &net.OpError{Op: "dial", Err: blocked(netip.MustParseAddr("10.0.0.1"), "a private address")}, scout.ErrorBlocked},
		{"dns", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}, scout.ErrorDNS},
		{"connection refused", dialRefused, scout.ErrorConnect},
		{"deadline", context.DeadlineExceeded, scout.ErrorTimeout},
		{"our timeout", &timeoutError{err: context.Canceled}, scout.ErrorTimeout},
		{"tls record", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, scout.ErrorTLS},
		{"unknown authority", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, scout.ErrorTLS},
		{"tls alert", &net.OpError{Op: "remote error", Err: tls.AlertError(40)}, scout.ErrorTLS},
		{"too large", bodyTooLarge(10), scout.ErrorTooLarge},
		{"headers too large", errors.New("net/http: server response headers exceeded 4096 bytes; aborted"), scout.ErrorTooLarge},
		{"redirects", &redirectError{"stopped after 5 redirects"}, scout.ErrorRedirects},
		{"canceled", context.Canceled, scout.ErrorOther},
		{"anything else", errors.New("boom"), scout.ErrorOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Class: scout.ErrorHTTP, URL: "https://x/feed", StatusCode: 404}, "GET https://x/feed: HTTP 404 Not Found"},
		{&Error{Class: scout.ErrorHTTP, URL: "https://x/feed", StatusCode: 599}, "GET https://x/feed: HTTP 599"},
		{&Error{Class: scout.ErrorBlocked, URL: "http://10.0.0.5/", Err: blocked(netip.MustParseAddr("10.0.0.5"), "a private address")},
			"GET http://10.0.0.5/: blocked: 10.0.0.5 is a private address (an operator may allow it with SCOUT_FETCH_ALLOW)"},
		{&Error{Class: scout.ErrorTooLarge, URL: "https://x/", Err: bodyTooLarge(10 << 20)}, "GET https://x/: response body larger than 10 MiB"},
		{&Error{Class: scout.ErrorOther, URL: "https://x/"}, "GET https://x/: other error"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if err := error(&Error{Class: scout.ErrorBlocked, Err: blocked(netip.MustParseAddr("::1"), "a loopback address")}); !errors.Is(err, ErrBlockedAddress) {
		t.Error("errors.Is(blocked *Error, ErrBlockedAddress) = false")
	}
}
