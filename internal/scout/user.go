package scout

import (
	"net/mail"
	"strings"
	"time"
)

// User is a person or a service account that owns sources and API keys.
type User struct {
	ID           int64
	Email        string // unique, lower-cased
	Name         string
	PasswordHash string // argon2id PHC string; empty for accounts that only use API keys
	Admin        bool
	Disabled     bool
	FeedToken    string // secret for the per-user Atom digest URL; rotatable
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the invariants of a user about to be stored.
func (u *User) Validate() error {
	if u.Email == "" {
		return Invalid("email", "must not be empty")
	}
	if len(u.Email) > 254 {
		return Invalid("email", "must be at most 254 characters")
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return Invalid("email", "must be a plain e-mail address like name@example.org")
	}
	if len(u.Name) > 200 {
		return Invalid("name", "must be at most 200 characters")
	}
	return nil
}

// Scope is a permission carried by an API key.
type Scope string

// The API key scopes.
const (
	ScopeRead   Scope = "read"   // read sources, items, entities, stats
	ScopeWrite  Scope = "write"  // create and change sources
	ScopeEnrich Scope = "enrich" // claim items and write enrichments
	ScopeAdmin  Scope = "admin"  // manage users (only for admin owners)
)

// ValidScope reports whether s is one of the defined scopes.
func ValidScope(s Scope) bool {
	switch s {
	case ScopeRead, ScopeWrite, ScopeEnrich, ScopeAdmin:
		return true
	}
	return false
}

// APIKey is a long-lived credential for a program acting for a user. Only the
// SHA-256 of the secret is stored; Prefix is the visible part of the key.
type APIKey struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // e.g. "sk_3f9a1c2b", shown in lists so a key can be recognised
	Hash       []byte // SHA-256 of the whole key
	Scopes     []Scope
	LastUsedAt time.Time // zero when never used
	ExpiresAt  time.Time // zero when it does not expire
	RevokedAt  time.Time // zero while active
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
}

// HasScope reports whether the key carries scope s.
func (k *APIKey) HasScope(s Scope) bool {
	for _, have := range k.Scopes {
		if have == s {
			return true
		}
	}
	return false
}

// Active reports whether the key may be used at now.
func (k *APIKey) Active(now time.Time) bool {
	if !k.RevokedAt.IsZero() {
		return false
	}
	return k.ExpiresAt.IsZero() || now.Before(k.ExpiresAt)
}
