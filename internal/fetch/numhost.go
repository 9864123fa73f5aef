package fetch

import (
	"net/netip"
	"strconv"
	"strings"
)

// Threat: libc's inet_aton and every browser's URL parser read hosts such
// as 2130706433, 0177.0.0.1, 0x7f.0.0.1 and 127.1 as 127.0.0.1. A resolver
// that is handed such a name may do the same (or a DNS server may answer it),
// so the address policy would be applied to whatever comes back rather than
// to the address the author of the URL meant. Scout reads these forms itself,
// as the WHATWG URL standard does, and decides before any lookup.

// legacyIPv4 parses host as an IPv4 address in the forms inet_aton accepts:
// one to four dot-separated parts, each decimal, octal (leading 0) or hex
// (0x), the last part filling the remaining bytes; one trailing dot is
// ignored. numeric reports whether the host's last label is a number, in
// which case a host that fails to parse is not a valid name either
// (WHATWG's "ends in a number" rule).
func legacyIPv4(host string) (addr netip.Addr, numeric, ok bool) {
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	last := parts[len(parts)-1]
	if _, ok := parseIPv4Part(last); !ok && !allDigits(last) {
		return netip.Addr{}, false, false
	}
	if len(parts) > 4 {
		return netip.Addr{}, true, false
	}
	var vals []uint64
	for _, p := range parts {
		v, ok := parseIPv4Part(p)
		if !ok {
			return netip.Addr{}, true, false
		}
		vals = append(vals, v)
	}
	n := len(vals)
	for _, v := range vals[:n-1] {
		if v > 255 {
			return netip.Addr{}, true, false
		}
	}
	if vals[n-1] >= 1<<(8*(5-n)) {
		return netip.Addr{}, true, false
	}
	ip := vals[n-1]
	for i, v := range vals[:n-1] {
		ip |= v << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(ip >> 24), byte(ip >> 16), byte(ip >> 8), byte(ip)}), true, true
}

// parseIPv4Part reads one part of a legacy IPv4 address.
func parseIPv4Part(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
		if s == "" {
			return 0, true // "0x" is zero, as in WHATWG
		}
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	for _, c := range s {
		if c == '+' || c == '-' || c == '_' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil || v > 0xffffffff {
		return 0, false
	}
	return v, true
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
