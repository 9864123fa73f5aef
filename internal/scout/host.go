package scout

import (
	"net/url"
	"strings"
)

// HostKey is the politeness unit of a fetch URL: the lower-cased host name,
// with the port only when the URL names one other than its scheme's default
// (two servers on one address are two hosts; https://a and https://a:443 are
// one). Every limit on how often and how many at once Scout fetches from a
// host is kept per HostKey. It returns "" for a URL it cannot parse.
func HostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return HostKeyOf(u)
}

// HostKeyOf is HostKey for a parsed URL.
func HostKeyOf(u *url.URL) string {
	h := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if h == "" {
		return ""
	}
	port := u.Port()
	if port == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		return h
	}
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return h + ":" + port
}
