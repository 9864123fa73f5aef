package auth

import (
	"context"
	"slices"

	"github.com/scoutdev/scout/internal/scout"
)

// Principal is the authenticated caller of one request. The zero Principal is
// nobody: it may do nothing.
type Principal struct {
	UserID int64
	// Admin is the user's admin role as looked up at authentication, never
	// read from a token. For an API key it also requires the key to carry
	// scout.ScopeAdmin, so a narrow key of an admin stays narrow.
	Admin bool
	// UserAdmin is the user's admin role whatever the credential: an admin's
	// narrow key has UserAdmin but not Admin. Service accounts (the AI
	// module) are admin users holding narrow keys; UserAdmin lets them do
	// their one job, such as enriching every item, without full admin power.
	UserAdmin bool
	// KeyID is the API key used, or 0 for a JWT.
	KeyID int64
	// SessionID is the login session of an access token, or 0 (an API key,
	// or a token issued outside a session).
	SessionID int64
	// Scopes are what the caller may do: for a JWT, every scope the user's
	// role allows; for an API key, the key's scopes within that.
	Scopes []scout.Scope
}

// principalKey is the context key under which a Principal is stored.
type principalKey struct{}

// WithPrincipal returns a copy of ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the Principal stored by WithPrincipal, and false when
// there is none.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Can reports whether p carries scope. scout.ScopeAdmin also requires Admin.
func (p Principal) Can(scope scout.Scope) bool {
	if p.UserID == 0 || (scope == scout.ScopeAdmin && !p.Admin) {
		return false
	}
	return slices.Contains(p.Scopes, scope)
}

// CanSeeSource reports whether p may see s and its items: admins see every
// source, owners their own, and every authenticated caller the public ones.
func (p Principal) CanSeeSource(s *scout.Source) bool {
	if s == nil || p.UserID == 0 {
		return false
	}
	return p.CanEditSource(s) || s.Visibility == scout.VisibilityPublic
}

// CanEditSource reports whether p may change or delete s: admins may change
// any source, owners their own. Sources owned by the installation (OwnerID 0)
// are for admins only.
func (p Principal) CanEditSource(s *scout.Source) bool {
	if s == nil || p.UserID == 0 {
		return false
	}
	return p.Admin || (s.OwnerID != 0 && s.OwnerID == p.UserID)
}

// roleScopes returns the scopes a user's role allows, in a fresh slice.
func roleScopes(admin bool) []scout.Scope {
	s := []scout.Scope{scout.ScopeRead, scout.ScopeWrite, scout.ScopeEnrich}
	if admin {
		s = append(s, scout.ScopeAdmin)
	}
	return s
}

// keyScopes returns the key's valid scopes that the user's role allows, in a
// fresh slice without duplicates.
func keyScopes(key scout.APIKey, admin bool) []scout.Scope {
	allowed := roleScopes(admin)
	var out []scout.Scope
	for _, s := range key.Scopes {
		if slices.Contains(allowed, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
