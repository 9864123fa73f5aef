package sqlstore

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A list row's provenance was a quarter of what the store did per row:
// decoding about ten records into a map, which the API then copied into a
// map of its own and wrote out again, sorted, as the same JSON. The store
// writes the column with json.Marshal of the map, so it is already the
// bytes the API serves whenever no string in it needed an escape, but for
// <, > and &, which the store's encoder escapes for HTML and the API's does
// not (htmlUnescape puts them back). A list
// that asks for it (store.ItemFilter.ProvenanceJSON) gets such a column as
// it is stored; canonicalProvenance decides, and anything else (escapes,
// white space, unknown members, numbers not in encoding/json's shortest
// form, rows written by older versions) is decoded as before.

// canonicalProvenance reports whether s is a provenance object in the form
// scout.Opportunity.ProvenanceJSON promises: keys in strictly increasing
// byte order (and no escape in a key), each value
// {"source":S,"span":S,"confidence":N} with span
// left out when empty, no white space, no string that needs an escape, and
// N as encoding/json writes a float64; the escapes json.Marshal writes for
// <, > and & may stand for those characters. Then htmlUnescape(s) is what
// encoding/json writes without HTML escaping for what s decodes to, byte
// for byte (FuzzCanonicalProvenance).
func canonicalProvenance(s string) bool {
	if len(s) < 2 || s[0] != '{' {
		return false
	}
	if s == "{}" {
		return true
	}
	i, prev := 1, ""
	for first := true; ; first = false {
		// Keys are field names: one with an escape is left to the decoder,
		// as its escaped form does not sort as the character does.
		k, j, ok := plainJSONString(s, i)
		if !ok || !first && k <= prev || strings.IndexByte(k, '\\') >= 0 {
			return false
		}
		prev = k
		if j, ok = skipLit(s, j, `:{"source":`); !ok {
			return false
		}
		if _, j, ok = plainJSONString(s, j); !ok {
			return false
		}
		if j, ok = skipLit(s, j, `,"span":`); ok {
			var span string
			if span, j, ok = plainJSONString(s, j); !ok || span == "" {
				return false
			}
		}
		if j, ok = skipLit(s, j, `,"confidence":`); !ok {
			return false
		}
		if j, ok = shortestDecimal(s, j); !ok || j+1 >= len(s) || s[j] != '}' {
			return false
		}
		switch s[j+1] {
		case '}':
			return j+2 == len(s)
		case ',':
			i = j + 2
		default:
			return false
		}
	}
}

// skipLit returns the index after lit if s has it at i.
func skipLit(s string, i int, lit string) (int, bool) {
	if strings.HasPrefix(s[i:], lit) {
		return i + len(lit), true
	}
	return i, false
}

// plainJSONString reads the JSON string at s[i] when it needs no escape
// (no control character, quote or backslash, valid UTF-8, no U+2028 or
// U+2029, which encoding/json escapes) and has none but the three HTML
// ones (see htmlUnescape), and returns its contents as written (escapes
// left in) and the index after it.
func plainJSONString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	high := false
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			v := s[i+1 : j]
			if high && (!utf8.ValidString(v) || strings.Contains(v, "\u2028") || strings.Contains(v, "\u2029")) {
				return "", i, false
			}
			return v, j + 1, true
		case c == '\\':
			if !isHTMLEscape(s[j:]) {
				return "", i, false
			}
			j += len(`\u0026`) - 1
		case c < 0x20:
			return "", i, false
		case c >= utf8.RuneSelf:
			high = true
		}
	}
	return "", i, false
}

// isHTMLEscape reports whether s starts with one of the escapes json.Marshal
// writes for <, > and &.
func isHTMLEscape(s string) bool {
	return strings.HasPrefix(s, `\u003c`) || strings.HasPrefix(s, `\u003e`) || strings.HasPrefix(s, `\u0026`)
}

// htmlUnescape turns the HTML escapes of a canonical column back into the
// characters, as the API writes them; a column without any (the common
// case) is returned as it is.
func htmlUnescape(s string) string {
	if !strings.Contains(s, `\u00`) {
		return s
	}
	return htmlEscapes.Replace(s)
}

var htmlEscapes = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

// shortestDecimal reads, at s[i], a non-negative number that encoding/json
// would write exactly so for the float64 it denotes, and returns the index
// after it: 0, or digits without a leading zero, then perhaps a fraction
// that does not end in 0, at most 15 significant digits in all and no
// exponent. Such a decimal is the shortest that round-trips (any two
// decimals of at most 15 digits are different float64s), and encoding/json
// writes its float64 without exponent when it is at least 1e-6, which is
// why at most five zeros may lead the fraction of a number below 1.
func shortestDecimal(s string, i int) (int, bool) {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	intDigits := j - i
	if intDigits == 0 || intDigits > 1 && s[i] == '0' {
		return i, false
	}
	sig := intDigits
	if s[i] == '0' {
		sig = 0
	}
	if j == len(s) || s[j] != '.' {
		return j, sig <= 15 || roundTrips(s[i:j])
	}
	j++
	start := j
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == start || s[j-1] == '0' {
		return i, false
	}
	frac := s[start:j]
	if sig == 0 {
		lead := len(frac) - len(strings.TrimLeft(frac, "0"))
		if lead > 5 {
			return i, false
		}
		sig = len(frac) - lead
	} else {
		sig += len(frac)
	}
	return j, sig <= 15 || roundTrips(s[i:j])
}

// roundTrips reports whether n, a decimal of more than 15 digits (0.1+0.2
// gives 0.30000000000000004), is what encoding/json writes for the float64
// it denotes: the shortest form, without exponent.
func roundTrips(n string) bool {
	f, err := strconv.ParseFloat(n, 64)
	return err == nil && f >= 1e-6 && f < 1e21 && strconv.FormatFloat(f, 'f', -1, 64) == n
}
