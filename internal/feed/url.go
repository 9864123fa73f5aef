package feed

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// trackingParams are query parameters that identify a campaign or a click,
// not a page. CanonicalURL removes them, along with every utm_* parameter.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "igshid": true, "mc_cid": true,
	"mc_eid": true, "_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true,
	"mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true, "vero_id": true,
	"vero_conv": true, "wt.mc_id": true, "ref_src": true, "rb_clickid": true,
	"s_cid": true, "__s": true,
}

// errNotWeb is returned by CanonicalURL for URLs that are not http or https.
var errNotWeb = errors.New("not an http or https URL")

// CanonicalURL resolves raw against base (which may be empty) and returns it
// in canonical form: scheme and host in lower case, default port, fragment,
// user info and tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid
// and the like) removed, and "/" for an empty path. The order and encoding
// of the other query parameters are kept. It fails when the result is not an
// absolute http or https URL.
func CanonicalURL(raw, base string) (string, error) {
	u, err := resolve(raw, base)
	if err != nil {
		return "", err
	}
	u.Host = strings.ToLower(u.Host)
	if p := u.Port(); p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https" {
		u.Host = u.Host[:len(u.Host)-len(p)-1]
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = stripTracking(u.RawQuery)
	u.ForceQuery = false
	if u.Path == "" && u.Opaque == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String(), nil
}

// resolve parses raw, resolves it against base and checks that the result
// is an absolute http or https URL with a host.
func resolve(raw, base string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("resolve url: empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("resolve url: %w", err)
	}
	if !u.IsAbs() && base != "" {
		b, err := url.Parse(strings.TrimSpace(base))
		if err != nil {
			return nil, fmt.Errorf("resolve url: base: %w", err)
		}
		u = b.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("resolve url %q: %w", raw, errNotWeb)
	}
	return u, nil
}

// absoluteURL resolves raw against base and returns it unchanged otherwise
// (media URLs may be signed, so their queries are kept), or "" when it is not
// a usable http or https URL.
func absoluteURL(raw, base string) string {
	u, err := resolve(raw, base)
	if err != nil {
		return ""
	}
	return u.String()
}

// stripTracking removes tracking parameters from a raw query, keeping the
// others byte for byte and in order.
func stripTracking(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	parts := strings.Split(rawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		key = strings.ToLower(key)
		if strings.HasPrefix(key, "utm_") || trackingParams[key] {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}
