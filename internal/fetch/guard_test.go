package fetch

import (
	"context"
	"errors"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

func TestAddressReason(t *testing.T) {
	tests := []struct {
		addr string
		want string // "" means allowed
	}{
		{"93.184.216.34", ""},
		{"2606:2800:220:1:248:1893:25c8:1946", ""},
		{"64:ff9b::5db8:d822", ""}, // NAT64 of a public address
		{"127.0.0.1", "a loopback address"},
		{"127.8.9.10", "a loopback address"},
		{"::1", "a loopback address"},
		{"10.0.0.5", "a private address"},
		{"172.16.3.4", "a private address"},
		{"192.168.1.1", "a private address"},
		{"fc00::1", "a private address"},
		{"169.254.169.254", "a cloud metadata address"},
		{"fd00:ec2::254", "a cloud metadata address"},
		{"169.254.1.1", "a link-local address"},
		{"fe80::1", "a link-local address"},
		{"fe80::1%eth0", "a link-local address"},
		{"100.64.0.1", "a shared (CGNAT) address"},
		{"100.127.255.254", "a shared (CGNAT) address"},
		{"224.0.0.1", "a multicast address"},
		{"ff02::1", "a multicast address"},
		{"0.0.0.0", "an unspecified address"},
		{"::", "an unspecified address"},
		{"0.1.2.3", `a "this network" address`},
		{"255.255.255.255", "a broadcast address"},
		{"::ffff:8.8.8.8", "an IPv4-mapped IPv6 address"},
		{"::ffff:127.0.0.1", "a loopback address"},
		{"::ffff:169.254.169.254", "a cloud metadata address"},
		{"::8.8.8.8", "an IPv4-compatible IPv6 address"},
		{"64:ff9b::7f00:1", "an address embedding 127.0.0.1 (a loopback address)"},
		{"64:ff9b::a9fe:a9fe", "an address embedding 169.254.169.254 (a cloud metadata address)"},
		{"2002:a00:1::1", "an address embedding 10.0.0.1 (a private address)"},
		{"2002:5db8:d822::1", "a reserved address"}, // 6to4 is refused whatever it embeds
		{"192.0.2.10", "a reserved address"},        // documentation range
		{"198.18.0.1", "a reserved address"},        // benchmarking range
		{"2001:db8::1", "a reserved address"},
		{"240.0.0.1", "a reserved address"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := addressReason(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("addressReason(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

func TestParseAllowlistRejectsBadEntries(t *testing.T) {
	for _, e := range []string{"", "10.0.0.0/33", "localhost", "127.0.0.1:0", "127.0.0.1:99999", "host:http", "bad host:80", "[::1"} {
		t.Run(e, func(t *testing.T) {
			_, err := New(Options{Allow: []string{e}})
			if err == nil || !strings.Contains(err.Error(), "allow entry") {
				t.Errorf("New(Allow: %q) error = %v, want an allow entry error", e, err)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"negative timeout", Options{Timeout: -1}, "timeout: must not be negative"},
		{"negative body cap", Options{MaxBody: -1}, "max body: must not be negative"},
		{"negative concurrency", Options{GlobalConcurrency: -2}, "global concurrency: must not be negative"},
		{"control character in user agent", Options{UserAgent: "Scout/1\r\nX-Evil: 1"}, "user agent"},
		{"proxy without host", Options{Proxy: &url.URL{Scheme: "http"}}, "proxy"},
		{"proxy with odd scheme", Options{Proxy: &url.URL{Scheme: "ftp", Host: "p:21"}}, "proxy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestAllowlistMatches(t *testing.T) {
	a, err := parseAllowlist([]string{"10.1.0.0/16", "192.168.5.5", "127.0.0.1:8080", "[::1]:9090", "Feeds.Intranet:8443"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr string
		want bool
	}{
		{"10.1.200.3:443", true},
		{"10.2.0.1:443", false},
		{"192.168.5.5:1", true},
		{"192.168.5.6:80", false},
		{"127.0.0.1:8080", true},
		{"[::ffff:127.0.0.1]:8080", true}, // the same destination
		{"127.0.0.1:8081", false},
		{"127.0.0.2:8080", false},
		{"[::1]:9090", true},
		{"[::1]:8080", false},
	}
	for _, tt := range tests {
		if got := a.allowsAddr(netip.MustParseAddrPort(tt.addr)); got != tt.want {
			t.Errorf("allowsAddr(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if !a.allowsName("feeds.intranet:8443") || a.allowsName("feeds.intranet:443") {
		t.Error("name entries must match host and port exactly, ignoring case")
	}
}

func TestCheckURL(t *testing.T) {
	c := mustClient(t, Options{Allow: []string{"127.0.0.1:8080", "intranet.example:80"}})
	tests := []struct {
		url     string
		invalid bool
		blocked string // a part of the message, when blocked
	}{
		{url: "https://example.org/feed.xml"},
		{url: "http://localhost/"}, // names are checked at dial time
		{url: "http://127.0.0.1:8080/feed"},
		{url: "http://intranet.example/feed"},
		{url: "ftp://example.org/feed", invalid: true},
		{url: "file:///etc/passwd", invalid: true},
		{url: "https://user:pw@example.org/", invalid: true},
		{url: "/relative", invalid: true},
		{url: "http://127.0.0.1:8081/feed", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://169.254.169.254/latest/meta-data/", blocked: "169.254.169.254 is a cloud metadata address"},
		{url: "http://10.0.0.5/feed", blocked: "blocked: 10.0.0.5 is a private address"},
		{url: "http://[::1]:8080/", blocked: "::1 is a loopback address"},
		{url: "http://[::ffff:a00:5]/", blocked: "::ffff:10.0.0.5 is a private address"},
		{url: "http://[::ffff:8.8.8.8]/", blocked: "an IPv4-mapped IPv6 address"},
		{url: "http://[64:ff9b::a00:5]/", blocked: "embedding 10.0.0.5"},
		{url: "https://[fd00:ec2::254]/", blocked: "a cloud metadata address"},
		{url: "http://0.0.0.0:8080/", blocked: "an unspecified address"},
		// Legacy numeric hosts are read as libc and browsers read them.
		{url: "http://2130706433/", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://0177.0.0.1/", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://0x7f.0.0.1/", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://0x7F000001/", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://127.1/", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://127.0.1/", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://127.0.0.1./", blocked: "127.0.0.1 is a loopback address"},
		{url: "http://0xa9.0xfe.0xa9.0xfe/latest/", blocked: "169.254.169.254 is a cloud metadata address"},
		{url: "http://012.0.0.5/", blocked: "10.0.0.5 is a private address"},
		{url: "http://0/", blocked: "0.0.0.0 is an unspecified address"},
		{url: "http://134744072/", invalid: true},        // 8.8.8.8, but no resolver reads it so
		{url: "http://1.2.3.4.5/", invalid: true},        // ends in a number, not an address
		{url: "http://example.0x1/", invalid: true},      // likewise
		{url: "http://127.0.0.256/", invalid: true},      // a part out of range
		{url: "http://4294967296/", invalid: true},       // beyond 32 bits
		{url: "http://feeds.example.org./"},              // a name with a trailing dot
		{url: "http://0xcafe.example/"},                  // a name whose first label looks hex
		{url: "http://127.0.0.1:8080/feed?x=0177.0.0.1"}, // only the host counts
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := c.CheckURL(context.Background(), tt.url)
			switch {
			case tt.invalid:
				if !errors.Is(err, scout.ErrInvalid) {
					t.Errorf("CheckURL = %v, want an ErrInvalid", err)
				}
			case tt.blocked != "":
				if !errors.Is(err, ErrBlockedAddress) || !strings.Contains(err.Error(), tt.blocked) {
					t.Errorf("CheckURL = %v, want ErrBlockedAddress saying %q", err, tt.blocked)
				}
			case err != nil:
				t.Errorf("CheckURL = %v, want nil", err)
			}
		})
	}
}

func TestLegacyIPv4(t *testing.T) {
	tests := []struct {
		host    string
		want    string // "" when not an address
		numeric bool
	}{
		{"2130706433", "127.0.0.1", true},
		{"0177.0.0.1", "127.0.0.1", true},
		{"0x7f.1", "127.0.0.1", true},
		{"127.1", "127.0.0.1", true},
		{"10.1.65535", "10.1.255.255", true},
		{"1.2.3.4", "1.2.3.4", true},
		{"0x", "0.0.0.0", true},
		{"08", "", true}, // not octal
		{"1.2.3.4.5", "", true},
		{"-1", "", false},
		{"example.org", "", false},
		{"a.1", "", true},
	}
	for _, tt := range tests {
		addr, numeric, ok := legacyIPv4(tt.host)
		if numeric != tt.numeric || ok != (tt.want != "") || (ok && addr.String() != tt.want) {
			t.Errorf("legacyIPv4(%q) = %v, %v, %v; want %q, numeric %v", tt.host, addr, numeric, ok, tt.want, tt.numeric)
		}
	}
}

// FuzzLegacyIPv4 checks that the parser never panics and that whatever it
// reads as an address in dotted-decimal form reads back as the same one.
func FuzzLegacyIPv4(f *testing.F) {
	for _, s := range []string{"2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "1.2.3.4.", "0x", "09", "1..2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		addr, numeric, ok := legacyIPv4(host)
		if ok && !numeric {
			t.Fatalf("%q: an address whose last label is not a number", host)
		}
		if ok {
			again, _, ok2 := legacyIPv4(addr.String())
			if !ok2 || again != addr {
				t.Fatalf("%q -> %v -> %v", host, addr, again)
			}
		}
	})
}
