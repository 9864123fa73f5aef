package scout

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
)

// URLKey is the form of a source URL under which two spellings of one
// address are one source: scheme and host lower-cased, the scheme's default
// port and a trailing dot of the host dropped, an empty path written "/",
// the fragment (never sent to the server) dropped. Everything a server may
// tell apart stays as written: the path's case and its trailing slash
// (/feed and /feed/ can be two resources), the query and its order, the
// user information, and "www.". It returns raw unchanged when it is not an
// absolute http or https URL.
func URLKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	if u.Scheme = strings.ToLower(u.Scheme); u.Scheme != "http" && u.Scheme != "https" {
		return raw
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "" || strings.HasSuffix(host, ".") {
		return raw // no host name to speak of
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawPath == "" && u.Opaque == "" {
		u.Path = "/"
	}
	return u.String()
}

// ConfigKey is the fingerprint of a source kind's configuration: the hex
// SHA-256 of its canonical JSON (object members sorted by name, no
// insignificant space, numbers as written), "" for none. Two sources of one
// kind at one URL are the same source exactly when their configurations
// have the same key, so that two Grants.gov searches with different
// filters at one endpoint are two sources.
func ConfigKey(raw json.RawMessage) string {
	if len(bytes.TrimSpace(raw)) == 0 {
		return ""
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		sum := sha256.Sum256(raw) // not JSON: the bytes themselves
		return hex.EncodeToString(sum[:])
	}
	if m, ok := v.(map[string]any); v == nil || ok && len(m) == 0 {
		return ""
	}
	canon, err := json.Marshal(v) // sorts object members by name
	if err != nil {
		canon = raw
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}
