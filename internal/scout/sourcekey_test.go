package scout

import (
	"encoding/json"
	"net/url"
	"testing"
)

func TestURLKey(t *testing.T) {
	same := []struct{ a, b string }{
		{"HTTPS://Example.ORG/feed", "https://example.org/feed"},
		{"https://example.org:443/feed", "https://example.org/feed"},
		{"http://example.org:80/feed", "http://example.org/feed"},
		{"https://example.org", "https://example.org/"},
		{"https://example.org./feed", "https://example.org/feed"},
		{"https://example.org/feed#latest", "https://example.org/feed"},
		{"https://example.org/feed?x=1#top", "https://example.org/feed?x=1"},
		{"http://[::1]:80/feed", "http://[::1]/feed"},
		{" https://example.org/feed ", "https://example.org/feed"},
	}
	for _, tt := range same {
		if URLKey(tt.a) != URLKey(tt.b) {
			t.Errorf("URLKey(%q) = %q, URLKey(%q) = %q; want one key", tt.a, URLKey(tt.a), tt.b, URLKey(tt.b))
		}
	}
	distinct := []struct{ a, b string }{
		{"https://example.org/feed", "https://example.org/feed/"},
		{"https://example.org/Feed", "https://example.org/feed"},
		{"http://example.org/feed", "https://example.org/feed"},
		{"https://example.org:8443/feed", "https://example.org/feed"},
		{"https://example.org:80/feed", "https://example.org/feed"},
		{"https://www.example.org/feed", "https://example.org/feed"},
		{"https://example.org/feed?a=1&b=2", "https://example.org/feed?b=2&a=1"},
		{"https://example.org/feed?a=1", "https://example.org/feed"},
		{"https://example.org/a%2Fb", "https://example.org/a/b"},
		{"https://alice@example.org/feed", "https://example.org/feed"},
	}
	for _, tt := range distinct {
		if URLKey(tt.a) == URLKey(tt.b) {
			t.Errorf("URLKey(%q) = URLKey(%q) = %q; want two keys", tt.a, tt.b, URLKey(tt.a))
		}
	}
}

func TestConfigKey(t *testing.T) {
	a := ConfigKey(json.RawMessage(`{"keyword":"arts", "agencies":["NEA","NEH"],"rows":25}`))
	if b := ConfigKey(json.RawMessage(`{ "rows": 25, "agencies": ["NEA", "NEH"], "keyword": "\u0061rts" }`)); a != b || a == "" {
		t.Fatalf("one configuration spelled twice: keys %q and %q", a, b)
	}
	for _, other := range []string{`{"keyword":"film","agencies":["NEA","NEH"],"rows":25}`, `{"keyword":"arts","agencies":["NEH","NEA"],"rows":25}`,
		`{"keyword":"arts","agencies":["NEA","NEH"],"rows":25.0}`, `{"keyword":"arts","agencies":["NEA","NEH"]}`} {
		if ConfigKey(json.RawMessage(other)) == a {
			t.Errorf("configuration %s has the key of another", other)
		}
	}
	for _, none := range []string{"", " ", "{}", "null", " { } "} {
		if k := ConfigKey(json.RawMessage(none)); k != "" {
			t.Errorf("ConfigKey(%q) = %q, want none", none, k)
		}
	}
}

func FuzzURLKey(f *testing.F) {
	for _, s := range []string{"https://Example.org:443/feed#x", "http://[::1]:80", "https://a.b./c/?q=1", "http://x%41y/", "https://h/p%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		k := URLKey(raw)
		if URLKey(k) != k {
			t.Fatalf("URLKey is not idempotent: %q → %q → %q", raw, k, URLKey(k))
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return
		}
		if HostKey(k) != HostKey(raw) {
			t.Fatalf("the key %q of %q names host %q, the URL %q", k, raw, HostKey(k), HostKey(raw))
		}
	})
}
