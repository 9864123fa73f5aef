package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Credentials are the lookups Authenticate needs; the store implements them.
type Credentials interface {
	// GetUser returns the user with id, or an error wrapping scout.ErrNotFound.
	GetUser(ctx context.Context, id int64) (scout.User, error)
	// GetAPIKeyByHash returns the key whose stored SHA-256 is hash (with Hash
	// set), revoked and expired keys included, or an error wrapping
	// scout.ErrNotFound.
	GetAPIKeyByHash(ctx context.Context, hash []byte) (scout.APIKey, error)
}

// Defaults and limits of Options.
const (
	DefaultIssuer              = "scout"
	DefaultAudience            = "scout"
	DefaultAccessTTL           = 15 * time.Minute
	MaxAccessTTL               = time.Hour
	DefaultRefreshTTL          = 30 * 24 * time.Hour
	MaxRefreshTTL              = 365 * 24 * time.Hour
	DefaultMaxConcurrentHashes = 2
)

// Options configure an Authenticator. Zero fields take the defaults above;
// Secret is required.
type Options struct {
	Secret              []byte        // HS256 signing key, at least MinSecretBytes bytes
	Issuer, Audience    string        // the iss and aud claims written and required
	AccessTTL           time.Duration // at most MaxAccessTTL
	RefreshTTL          time.Duration // longer than AccessTTL, at most MaxRefreshTTL
	MaxConcurrentHashes int           // argon2id runs at once (each takes 19 MiB)
	// SessionCheckTTL is how long an access token's session counts as live
	// after the store said so (at most MaxSessionCheckTTL); negative checks
	// the store on every request.
	SessionCheckTTL time.Duration
	Now             func() time.Time
	// OIDC, when set, also accepts access tokens of an external identity
	// provider; creds must then implement Directory.
	OIDC *OIDCOptions
}

// Authenticator hashes and verifies passwords, issues and verifies tokens, and
// resolves bearer credentials into a Principal. It is safe for concurrent use.
type Authenticator struct {
	creds      Credentials
	secret     []byte
	issuer     string
	audience   string
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time
	argon      argonParams
	sessions   Sessions // nil when creds keep none
	live       *sessionCache
	oidc       *oidcAuth // nil without an identity provider
	// sem bounds concurrent argon2id runs: each allocates 19 MiB and keeps a
	// core busy, so a burst of logins must queue rather than exhaust memory.
	sem     chan struct{}
	waiting atomic.Int64 // calls waiting for a slot
}

// New returns an Authenticator that looks credentials up in creds. It fails
// when the secret is short or a TTL is out of range.
func New(creds Credentials, opts Options) (*Authenticator, error) {
	if creds == nil {
		return nil, errors.New("new authenticator: nil credentials")
	}
	opts = withDefaults(opts)
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("new authenticator: %w", err)
	}
	sessions, _ := creds.(Sessions)
	var oa *oidcAuth
	if opts.OIDC != nil {
		dir, _ := creds.(Directory)
		var err error
		if oa, err = newOIDC(*opts.OIDC, dir, opts.Now); err != nil {
			return nil, fmt.Errorf("new authenticator: %w", err)
		}
	}
	return &Authenticator{
		oidc:       oa,
		creds:      creds,
		sessions:   sessions,
		live:       newSessionCache(opts.SessionCheckTTL),
		secret:     append([]byte(nil), opts.Secret...),
		issuer:     opts.Issuer,
		audience:   opts.Audience,
		accessTTL:  opts.AccessTTL,
		refreshTTL: opts.RefreshTTL,
		now:        opts.Now,
		argon:      defaultArgon,
		sem:        make(chan struct{}, opts.MaxConcurrentHashes),
	}, nil
}

// withDefaults fills the zero fields of o.
func withDefaults(o Options) Options {
	if o.Issuer == "" {
		o.Issuer = DefaultIssuer
	}
	if o.Audience == "" {
		o.Audience = DefaultAudience
	}
	if o.AccessTTL == 0 {
		o.AccessTTL = DefaultAccessTTL
	}
	if o.RefreshTTL == 0 {
		o.RefreshTTL = DefaultRefreshTTL
	}
	if o.SessionCheckTTL == 0 {
		o.SessionCheckTTL = DefaultSessionCheckTTL
	}
	if o.MaxConcurrentHashes == 0 {
		o.MaxConcurrentHashes = DefaultMaxConcurrentHashes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validate checks options that already have their defaults.
func (o Options) validate() error {
	switch {
	case len(o.Secret) < MinSecretBytes:
		return fmt.Errorf("secret must be at least %d bytes, got %d", MinSecretBytes, len(o.Secret))
	case o.AccessTTL < 0 || o.AccessTTL > MaxAccessTTL:
		return fmt.Errorf("access ttl %s outside 0..%s", o.AccessTTL, MaxAccessTTL)
	case o.RefreshTTL <= o.AccessTTL || o.RefreshTTL > MaxRefreshTTL:
		return fmt.Errorf("refresh ttl %s must exceed access ttl %s and be at most %s", o.RefreshTTL, o.AccessTTL, MaxRefreshTTL)
	case o.SessionCheckTTL > MaxSessionCheckTTL:
		return fmt.Errorf("session check ttl %s above %s", o.SessionCheckTTL, MaxSessionCheckTTL)
	case o.MaxConcurrentHashes < 0:
		return fmt.Errorf("max concurrent hashes %d is negative", o.MaxConcurrentHashes)
	}
	return nil
}

// Authenticate resolves a bearer credential (the part of the Authorization
// header after "Bearer ") into a Principal. A string shaped like an API key is
// looked up by its hash; anything else is verified as an access token. Missing,
// unknown, revoked or expired credentials and disabled users yield an error
// wrapping scout.ErrUnauthenticated; a failing lookup returns its own error.
func (a *Authenticator) Authenticate(ctx context.Context, bearer string) (Principal, error) {
	if bearer == "" {
		return Principal{}, unauthenticated("missing credentials")
	}
	if LooksLikeAPIKey(bearer) {
		return a.authenticateKey(ctx, bearer)
	}
	if a.oidc != nil && len(bearer) <= maxTokenBytes*4 && a.oidc.issuedBy(bearer) {
		return a.oidc.authenticate(ctx, bearer)
	}
	return a.authenticateToken(ctx, bearer)
}

// authenticateToken resolves an access token.
func (a *Authenticator) authenticateToken(ctx context.Context, token string) (Principal, error) {
	c, err := a.verifyClaims(typAccess, token, a.now())
	if err != nil {
		return Principal{}, err
	}
	id, _ := c.userID()
	if c.Sid != 0 {
		if err := a.checkSession(ctx, c.Sid, id); err != nil {
			return Principal{}, err
		}
	}
	user, err := a.activeUser(ctx, id)
	if err != nil {
		return Principal{}, err
	}
	return Principal{UserID: user.ID, Admin: user.Admin, UserAdmin: user.Admin, SessionID: c.Sid, Scopes: roleScopes(user.Admin)}, nil
}

// authenticateKey resolves an API key.
func (a *Authenticator) authenticateKey(ctx context.Context, plain string) (Principal, error) {
	hash := HashAPIKey(plain)
	key, err := a.creds.GetAPIKeyByHash(ctx, hash)
	if errors.Is(err, scout.ErrNotFound) {
		return Principal{}, unauthenticated("unknown api key")
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate api key %s: %w", APIKeyPrefix(plain), err)
	}
	// The store matched on the hash already; comparing again guards against a
	// lookup that matched loosely (a prefix, a collation) by mistake.
	if subtle.ConstantTimeCompare(key.Hash, hash) != 1 {
		return Principal{}, unauthenticated("unknown api key")
	}
	if !key.Active(a.now()) {
		return Principal{}, unauthenticated("api key revoked or expired")
	}
	user, err := a.activeUser(ctx, key.UserID)
	if err != nil {
		return Principal{}, err
	}
	scopes := keyScopes(key, user.Admin)
	admin := user.Admin && key.HasScope(scout.ScopeAdmin)
	return Principal{UserID: user.ID, Admin: admin, UserAdmin: user.Admin, KeyID: key.ID, Scopes: scopes}, nil
}

// activeUser looks up an enabled user.
func (a *Authenticator) activeUser(ctx context.Context, id int64) (scout.User, error) {
	user, err := a.creds.GetUser(ctx, id)
	if errors.Is(err, scout.ErrNotFound) {
		return scout.User{}, unauthenticated("unknown user")
	}
	if err != nil {
		return scout.User{}, fmt.Errorf("get user %d: %w", id, err)
	}
	if user.Disabled {
		return scout.User{}, unauthenticated("user disabled")
	}
	return user, nil
}

// ErrBusy means so many password checks are already waiting for a hashing
// slot that one more would only add latency: the caller should retry later.
var ErrBusy = errors.New("too many password checks in progress")

// maxWaitersPerSlot bounds the queue for hashing slots: a login flood gets
// ErrBusy at once instead of piling up requests (and their memory) behind
// the argon2id runs, which keep the CPU for the rest of the API.
const maxWaitersPerSlot = 8

// acquire takes a hashing slot, or returns ctx's error if ctx ends first,
// or ErrBusy when the queue is full.
func (a *Authenticator) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case a.sem <- struct{}{}:
		return nil
	default:
	}
	if a.waiting.Add(1) > int64(maxWaitersPerSlot*cap(a.sem)) {
		a.waiting.Add(-1)
		return ErrBusy
	}
	defer a.waiting.Add(-1)
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SessionCheckTTL returns how long another replica may keep accepting the
// access tokens of a session revoked here (zero: not at all).
func (a *Authenticator) SessionCheckTTL() time.Duration { return max(a.live.ttl, 0) }

// HashSlots returns how many password hashes may run at once
// (Options.MaxConcurrentHashes).
func (a *Authenticator) HashSlots() int { return cap(a.sem) }

// release gives a hashing slot back.
func (a *Authenticator) release() { <-a.sem }
