package feed

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, raw, base, want string
	}{
		{"scheme and host are lower-cased", "HTTPS://Example.COM/Path", "", "https://example.com/Path"},
		{"the default port is removed", "http://example.com:80/a", "", "http://example.com/a"},
		{"the https default port is removed", "https://example.com:443/a", "", "https://example.com/a"},
		{"another port is kept", "https://example.com:8443/a", "", "https://example.com:8443/a"},
		{"the fragment is removed", "https://example.com/a#top", "", "https://example.com/a"},
		{"tracking parameters are removed", "https://example.com/a?utm_source=x&id=7&fbclid=y&UTM_Medium=z&gclid=1&mc_cid=2&mc_eid=3", "", "https://example.com/a?id=7"},
		{"other parameters keep order and encoding", "https://example.com/a?b=2&a=1&q=x%20y", "", "https://example.com/a?b=2&a=1&q=x%20y"},
		{"an empty query is dropped", "https://example.com/a?utm_campaign=x", "", "https://example.com/a"},
		{"an empty path becomes a slash", "https://example.com", "", "https://example.com/"},
		{"user info is removed", "https://user:pw@example.com/", "", "https://example.com/"},
		{"a relative path is resolved", "../b?x=1", "https://example.com/feeds/rss.xml", "https://example.com/b?x=1"},
		{"a protocol-relative URL is resolved", "//cdn.example.com/i.png", "https://example.com/", "https://cdn.example.com/i.png"},
		{"surrounding space is trimmed", "  https://example.com/a \n", "", "https://example.com/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.raw, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("CanonicalURL(%q, %q) = %q, want %q", tt.raw, tt.base, got, tt.want)
			}
		})
	}
}

func TestCanonicalURLRejects(t *testing.T) {
	for _, raw := range []string{"", "javascript:alert(1)", "mailto:a@example.com", "/relative/without/base", "ftp://example.com/", "http://", "http://[::1"} {
		t.Run(raw, func(t *testing.T) {
			if got, err := CanonicalURL(raw, ""); err == nil {
				t.Errorf("CanonicalURL(%q) = %q, want an error", raw, got)
			}
		})
	}
}
