package auth

import (
	"encoding/base64"
	"testing"
)

// FuzzIssuedBy checks that routing a bearer by its unverified iss never
// panics and routes only tokens whose payload names the issuer.
func FuzzIssuedBy(f *testing.F) {
	b64 := base64.RawURLEncoding.EncodeToString
	f.Add("a." + b64([]byte(`{"iss":"https://idp.example"}`)) + ".b")
	f.Add("a." + b64([]byte(`{"iss":["https://idp.example"]}`)) + ".b")
	f.Add("..")
	f.Add("a.%%%.b")
	o := &oidcAuth{opts: OIDCOptions{Issuer: "https://idp.example"}}
	f.Fuzz(func(t *testing.T, token string) {
		if o.issuedBy(token) {
			payload, err := base64.RawURLEncoding.DecodeString(splitPayload(token))
			if err != nil || len(payload) == 0 {
				t.Fatalf("%q routed to the provider without a payload", token)
			}
		}
	})
}

func splitPayload(token string) string {
	start := -1
	for i, c := range token {
		if c == '.' {
			if start < 0 {
				start = i + 1
			} else {
				return token[start:i]
			}
		}
	}
	return ""
}

func TestClaimAt(t *testing.T) {
	claims := map[string]any{"groups": []any{"a", "scout-admin"}, "realm_access": map[string]any{"roles": []any{"x"}}, "role": "boss"}
	for _, tt := range []struct {
		path, value string
		want        bool
	}{
		{"groups", "scout-admin", true},
		{"groups", "b", false},
		{"realm_access.roles", "x", true},
		{"realm_access.roles.deeper", "x", false},
		{"role", "boss", true},
		{"role", "", false},
		{"missing", "x", false},
	} {
		if got := claimHas(claimAt(claims, tt.path), tt.value); got != tt.want {
			t.Errorf("claimHas(%s, %s) = %v", tt.path, tt.value, got)
		}
	}
}
