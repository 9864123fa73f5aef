package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// Authenticator builds the credential checker on the app's store, with the
// configured JWT secret or the one kept in the data directory.
func (a *App) Authenticator() (*auth.Authenticator, error) {
	return newAuthenticator(a.Store, a.cfgSecret, auth.Options{MaxConcurrentHashes: a.cfg.PasswordHashes, OIDC: a.oidcOptions()})
}

// newAuthenticator builds an Authenticator with opts and the secret.
func newAuthenticator(creds auth.Credentials, secret func() ([]byte, error), opts auth.Options) (*auth.Authenticator, error) {
	key, err := secret()
	if err != nil {
		return nil, err
	}
	opts.Secret = key
	return auth.New(creds, opts)
}

// oidcOptions are the identity provider settings, nil when none is configured.
func (a *App) oidcOptions() *auth.OIDCOptions {
	c := a.cfg
	if c.OIDCIssuer == "" {
		return nil
	}
	return &auth.OIDCOptions{Issuer: c.OIDCIssuer, Audience: c.OIDCAudience, EmailClaim: c.OIDCEmailClaim,
		AdminClaim: c.OIDCAdminClaim, AdminValue: c.OIDCAdminValue, AutoProvision: c.OIDCAutoProvision}
}

// cfgSecret returns the configured secret, or the generated one from the
// data directory (created with mode 0600 on first use). The data directory
// is created when missing: on SQLite the database has made it already, but
// on PostgreSQL the secret may be the first thing Scout keeps there.
func (a *App) cfgSecret() ([]byte, error) {
	if a.cfg.JWTSecret != "" {
		return auth.SecretFromString(a.cfg.JWTSecret)
	}
	if err := os.MkdirAll(a.cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", a.cfg.DataDir, err)
	}
	return auth.LoadOrCreateSecret(filepath.Join(a.cfg.DataDir, "jwt-secret"))
}

// GeneratePassword returns a random password for accounts created without one.
func GeneratePassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateUser creates a user with a hashed password.
func (a *App) CreateUser(ctx context.Context, email, name, password string, admin bool) (scout.User, error) {
	if err := auth.ValidatePassword(password); err != nil {
		return scout.User{}, err
	}
	au, err := a.Authenticator()
	if err != nil {
		return scout.User{}, err
	}
	hash, err := au.HashPassword(ctx, password)
	if err != nil {
		return scout.User{}, fmt.Errorf("hash password: %w", err)
	}
	u, err := a.Store.CreateUser(ctx, scout.User{Email: email, Name: name, PasswordHash: hash, Admin: admin})
	if errors.Is(err, scout.ErrConflict) {
		return u, userExists(scout.NormalizeEmail(email))
	}
	return u, err
}

// noUser is the error for an e-mail no user has: scout.ErrNotFound, in
// words that say what to do (the store's say "get user by email").
type noUser string

func (e noUser) Error() string {
	return "no user has the e-mail " + string(e) + " (scout user create adds one)"
}
func (noUser) Unwrap() error { return scout.ErrNotFound }

// userExists is scout.ErrConflict for an e-mail a user has already, without
// the database's words for it.
type userExists string

func (e userExists) Error() string {
	return "conflict: a user with the e-mail " + string(e) + " exists already"
}
func (userExists) Unwrap() error { return scout.ErrConflict }

// userByEmail is GetUserByEmail with noUser for an unknown e-mail.
func (a *App) userByEmail(ctx context.Context, email string) (scout.User, error) {
	u, err := a.Store.GetUserByEmail(ctx, email)
	if errors.Is(err, scout.ErrNotFound) {
		return u, noUser(scout.NormalizeEmail(email))
	}
	return u, err
}

// CreateAPIKey creates an API key for the user with email and returns the
// key in plain text: it is shown once and never stored.
func (a *App) CreateAPIKey(ctx context.Context, email, name string, scopes []scout.Scope, ttl time.Duration) (string, scout.APIKey, error) {
	u, err := a.userByEmail(ctx, email)
	if err != nil {
		return "", scout.APIKey{}, err
	}
	for _, s := range scopes {
		if s == scout.ScopeAdmin && !u.Admin {
			return "", scout.APIKey{}, scout.Invalid("scopes", "admin scope needs an admin user")
		}
	}
	plain, prefix, hash, err := auth.NewAPIKey()
	if err != nil {
		return "", scout.APIKey{}, err
	}
	k := scout.APIKey{UserID: u.ID, Name: name, Prefix: prefix, Hash: hash, Scopes: scopes}
	if ttl > 0 {
		k.ExpiresAt = time.Now().Add(ttl)
	}
	k, err = a.Store.CreateAPIKey(ctx, k)
	return plain, k, err
}
