package scout

import (
	"strings"
	"testing"
)

func TestHostKeyKeepsOnlyPortsThatNameAnotherServer(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain host", "https://Feeds.Example.org/rss", "feeds.example.org"},
		{"default https port", "https://example.org:443/a", "example.org"},
		{"default http port", "http://example.org:80/a", "example.org"},
		{"another port", "http://127.0.0.1:8080/feed", "127.0.0.1:8080"},
		{"https on port 80 is another server", "https://example.org:80/", "example.org:80"},
		{"trailing dot", "https://example.org./feed", "example.org"},
		{"ipv6 with port", "http://[::1]:9000/x", "[::1]:9000"},
		{"ipv6 without port", "http://[::1]/x", "::1"},
		{"no host", "mailto:someone@example.org", ""},
		{"unparseable", "http://%zz", ""},
	}
	for _, tt := range tests {
		if got := HostKey(tt.in); got != tt.want {
			t.Errorf("%s: HostKey(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func FuzzHostKey(f *testing.F) {
	for _, s := range []string{"https://example.org/feed", "http://127.0.0.1:8080/", "http://[::1]:9/", "http://%zz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		k := HostKey(raw)
		if k != strings.ToLower(k) || strings.ContainsAny(k, "/?# ") {
			t.Fatalf("HostKey(%q) = %q, not a lower-case host", raw, k)
		}
		if ValidateFetchURL("url", raw) == nil && k == "" {
			t.Fatalf("HostKey(%q) is empty for a valid fetch URL", raw)
		}
	})
}
