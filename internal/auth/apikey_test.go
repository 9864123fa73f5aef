package auth_test

import (
	"bytes"
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/auth"
)

var keyShape = regexp.MustCompile(`^sk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$`)

func TestNewAPIKeyRoundTrip(t *testing.T) {
	plain, prefix, hash, err := auth.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if !keyShape.MatchString(plain) {
		t.Errorf("key %q does not have the documented shape", plain)
	}
	if !strings.HasPrefix(plain, prefix+"_") || len(prefix) != 11 {
		t.Errorf("prefix %q is not the 11-character start of %q", prefix, plain)
	}
	if got := auth.APIKeyPrefix(plain); got != prefix {
		t.Errorf("APIKeyPrefix = %q, want %q", got, prefix)
	}
	sum := sha256.Sum256([]byte(plain))
	if !bytes.Equal(hash, sum[:]) || !bytes.Equal(auth.HashAPIKey(plain), hash) {
		t.Errorf("hash is not the SHA-256 of the whole key")
	}
	if !auth.LooksLikeAPIKey(plain) {
		t.Errorf("LooksLikeAPIKey(%q) = false", plain)
	}
	other, _, otherHash, err := auth.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if other == plain || bytes.Equal(otherHash, hash) {
		t.Error("two new keys are equal")
	}
}

func TestLooksLikeAPIKey(t *testing.T) {
	const good = "sk_3f9a1c2b_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"a key", good, true},
		{"a key with - and _ in the secret", "sk_3f9a1c2b_-_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
		{"empty", "", false},
		{"a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", false},
		{"another tag", "pk" + good[2:], false},
		{"upper-case hex id", "sk_3F9A1C2B" + good[11:], false},
		{"a non-hex id", "sk_3f9a1c2g" + good[11:], false},
		{"no separator", "sk_3f9a1c2b-" + good[12:], false},
		{"one character short", good[:len(good)-1], false},
		{"one character long", good + "A", false},
		{"standard base64 in the secret", good[:12] + "+" + good[13:], false},
		{"non-canonical trailing bits", good[:len(good)-1] + "B", false},
		{"spaces around", " " + good[1:], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.LooksLikeAPIKey(tt.in); got != tt.want {
				t.Errorf("LooksLikeAPIKey(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
