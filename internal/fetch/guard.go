package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"

	"code.dny.dev/ssrf"
)

// Threat: feed URLs are user input, so a fetch could be aimed at the
// machine's own services, the private network or a cloud metadata endpoint
// (server-side request forgery). A check of the URL alone is not enough: a
// public-looking name can resolve to 127.0.0.1, or resolve differently on the
// second lookup (DNS rebinding), and a redirect can point anywhere. So the
// policy runs in the dialer's Control hook, on the address actually being
// connected to, for every connection and therefore every redirect hop.

var (
	metadataAddrs = []netip.Addr{
		netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack
		netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
	}
	cgnat      = netip.MustParsePrefix("100.64.0.0/10")
	thisNet    = netip.MustParsePrefix("0.0.0.0/8")
	ipv4Mapped = netip.MustParsePrefix("::ffff:0:0/96")
	ipv4Compat = netip.MustParsePrefix("::/96")
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour  = netip.MustParsePrefix("2002::/16")
	broadcast  = netip.MustParseAddr("255.255.255.255")
)

// backstop refuses what the named checks below miss: every other special-use
// range in the IANA registries (documentation, benchmarking, Teredo ...) and,
// for IPv6, anything outside global unicast. Ports are not its business: the
// risk is the address. NAT64 is let through here because addressReason
// inspects the IPv4 address it embeds.
var backstop = ssrf.New(ssrf.WithAnyPort(), ssrf.WithAllowedV6Prefixes(ssrf.IPv6NAT64Prefix))

// addressReason says why addr must not be dialled, as a phrase that reads
// after "is", or "" when it may be.
func addressReason(addr netip.Addr) string {
	addr = addr.WithZone("")
	if r := namedReason(addr); r != "" {
		return r
	}
	if addr.Is6() {
		if r := embeddedReason(addr); r != "" {
			return r
		}
		if nat64.Contains(addr) {
			return ""
		}
	}
	if backstop.SafeAddr(addr) != nil {
		return "a reserved address"
	}
	return ""
}

func namedReason(addr netip.Addr) string {
	switch {
	case addr.IsUnspecified():
		return "an unspecified address"
	case addr.IsLoopback():
		return "a loopback address"
	case isMetadata(addr):
		return "a cloud metadata address"
	case addr.IsPrivate():
		return "a private address"
	case addr.IsLinkLocalUnicast():
		return "a link-local address"
	case addr.IsMulticast():
		return "a multicast address"
	case cgnat.Contains(addr):
		return "a shared (CGNAT) address"
	case thisNet.Contains(addr):
		return "a \"this network\" address"
	case addr == broadcast:
		return "a broadcast address"
	case ipv4Mapped.Contains(addr):
		return "an IPv4-mapped IPv6 address"
	case ipv4Compat.Contains(addr):
		return "an IPv4-compatible IPv6 address"
	}
	return ""
}

func isMetadata(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, m := range metadataAddrs {
		if addr == m {
			return true
		}
	}
	return false
}

// embeddedReason refuses NAT64 and 6to4 addresses whose embedded IPv4
// address is itself refused: 64:ff9b::7f00:1 reaches 127.0.0.1 through a
// NAT64 gateway that does not filter.
func embeddedReason(addr netip.Addr) string {
	b := addr.As16()
	var v4 netip.Addr
	switch {
	case nat64.Contains(addr):
		v4 = netip.AddrFrom4([4]byte(b[12:16]))
	case sixToFour.Contains(addr):
		v4 = netip.AddrFrom4([4]byte(b[2:6]))
	default:
		return ""
	}
	if r := addressReason(v4); r != "" {
		return fmt.Sprintf("an address embedding %s (%s)", v4, r)
	}
	return ""
}

// allowlist holds the operator's exceptions to the policy.
type allowlist struct {
	prefixes []netip.Prefix   // any port
	addrs    []netip.AddrPort // one address, one port
	names    map[string]bool  // "host:port" with host lower-cased, matched before resolution
}

// parseAllowlist accepts CIDRs ("10.1.0.0/16"), addresses ("10.1.2.3"),
// address:port ("127.0.0.1:8080", "[::1]:8080") and name:port
// ("feeds.intranet:8443") entries.
func parseAllowlist(entries []string) (allowlist, error) {
	a := allowlist{names: map[string]bool{}}
	var errs []error
	for _, e := range entries {
		if err := a.add(strings.TrimSpace(e)); err != nil {
			errs = append(errs, fmt.Errorf("allow entry %q: %w", e, err))
		}
	}
	return a, errors.Join(errs...)
}

func (a *allowlist) add(e string) error {
	if p, err := netip.ParsePrefix(e); err == nil {
		a.prefixes = append(a.prefixes, p.Masked())
		return nil
	}
	if addr, err := netip.ParseAddr(e); err == nil {
		a.prefixes = append(a.prefixes, netip.PrefixFrom(addr, addr.BitLen()))
		return nil
	}
	host, port, err := net.SplitHostPort(e)
	if err != nil {
		return errors.New("must be a CIDR, an IP address, or host:port")
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return fmt.Errorf("port %q must be a number from 1 to 65535", port)
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		a.addrs = append(a.addrs, netip.AddrPortFrom(addr.Unmap(), mustPort(port)))
		return nil
	}
	if !validHostname(host) {
		return fmt.Errorf("host %q is not a valid host name", host)
	}
	a.names[strings.ToLower(host)+":"+port] = true
	return nil
}

func mustPort(s string) uint16 {
	n, _ := strconv.ParseUint(s, 10, 16)
	return uint16(n)
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		ok := r == '-' || r == '.' || r == '_' || ('0' <= r && r <= '9') ||
			('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// allowsAddr reports whether the operator allowed this address and port.
func (a *allowlist) allowsAddr(ap netip.AddrPort) bool {
	addr := ap.Addr().WithZone("").Unmap()
	for _, p := range a.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	for _, x := range a.addrs {
		if x.Addr() == addr && x.Port() == ap.Port() {
			return true
		}
	}
	return false
}

// allowsName reports whether hostport ("name:port", before resolution) was
// allowed by name.
func (a *allowlist) allowsName(hostport string) bool {
	return len(a.names) > 0 && a.names[strings.ToLower(hostport)]
}

// checkAddrPort applies the allowlist, then the policy, to one address.
func (a *allowlist) checkAddrPort(ap netip.AddrPort) error {
	if a.allowsAddr(ap) {
		return nil
	}
	if r := addressReason(ap.Addr()); r != "" {
		return blocked(ap.Addr().WithZone(""), r)
	}
	return nil
}

// control is the net.Dialer Control hook: it sees the resolved address just
// before the socket connects.
func (a *allowlist) control(network, address string, _ syscall.RawConn) error {
	if !strings.HasPrefix(network, "tcp") {
		return fmt.Errorf("%w: network %s is not allowed", ErrBlockedAddress, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot parse dial address %q", ErrBlockedAddress, address)
	}
	return a.checkAddrPort(ap)
}

// dialer returns a DialContext that applies the policy to every connection,
// except to name:port pairs the operator allowed by name (intranet hosts) and
// to the configured proxy (trusted hostport, may be "").
func (a *allowlist) dialer(base net.Dialer, trusted string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	guarded := base
	guarded.Control = a.control
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if a.allowsName(addr) || (trusted != "" && strings.EqualFold(addr, trusted)) {
			return base.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
}
