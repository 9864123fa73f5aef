package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// API key format. A key reads
//
//	sk_<id>_<secret>
//
// where <id> is 8 lower-case hex digits (4 random bytes) that identify the key
// in lists without revealing it, and <secret> is 32 random bytes in unpadded
// URL-safe base64 (43 characters): 55 characters in all, for example
// sk_3f9a1c2b_Vh0u3JXy6m9cQ1mD1oB2rT7xk4e8wQbZ5nL0pS6aF_c. The prefix stored
// beside a key is "sk_<id>". Only the SHA-256 of the whole key is stored, so a
// leaked database does not leak usable keys; a fast hash is enough because the
// secret has 256 bits of entropy and cannot be guessed.
const (
	apiKeyTag       = "sk_"
	apiKeyIDChars   = 8
	apiKeySecret    = 32
	apiKeyPrefixLen = len(apiKeyTag) + apiKeyIDChars             // "sk_3f9a1c2b"
	apiKeyLen       = apiKeyPrefixLen + 1 + (apiKeySecret*8+5)/6 // 55
)

// NewAPIKey makes a fresh API key. It returns the key to show to its owner
// once, the visible prefix to store and list ("sk_" and 8 hex digits), and the
// SHA-256 of the whole key to store and look it up by.
func NewAPIKey() (plain, prefix string, hash []byte, err error) {
	var id [apiKeyIDChars / 2]byte
	var secret [apiKeySecret]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", "", nil, fmt.Errorf("new api key: %w", err)
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", "", nil, fmt.Errorf("new api key: %w", err)
	}
	prefix = apiKeyTag + hex.EncodeToString(id[:])
	plain = prefix + "_" + base64.RawURLEncoding.EncodeToString(secret[:])
	return plain, prefix, HashAPIKey(plain), nil
}

// HashAPIKey returns the SHA-256 of the whole key, the form in which keys are
// stored and looked up.
func HashAPIKey(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// APIKeyPrefix returns the visible prefix of a key ("sk_" and 8 hex digits),
// or "" when s does not look like a key.
func APIKeyPrefix(s string) string {
	if !LooksLikeAPIKey(s) {
		return ""
	}
	return s[:apiKeyPrefixLen]
}

// LooksLikeAPIKey reports whether s has the exact shape of a key made by
// NewAPIKey. It does not say whether the key exists. A JWT never matches, so a
// bearer credential can be routed by shape.
func LooksLikeAPIKey(s string) bool {
	if len(s) != apiKeyLen || !strings.HasPrefix(s, apiKeyTag) || s[apiKeyPrefixLen] != '_' {
		return false
	}
	for _, c := range s[len(apiKeyTag):apiKeyPrefixLen] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(s[apiKeyPrefixLen+1:])
	return err == nil && len(secret) == apiKeySecret
}
