package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"

	"github.com/scoutdev/scout/internal/scout"
)

// Defaults of OIDCOptions.
const (
	DefaultOIDCEmailClaim = "email"
	DefaultOIDCMinRefresh = 30 * time.Second
	oidcFetchTimeout      = 10 * time.Second
	maxJWKSBytes          = 1 << 20
)

// oidcAlgs are the signature algorithms accepted from an identity provider.
// Anything else, HS256 above all (a token "signed" with the provider's public
// key as an HMAC secret), is refused before any key is looked at.
var oidcAlgs = []string{oidc.RS256, oidc.ES256}

// OIDCOptions configure sign-in with access tokens of an external OpenID
// Connect provider (Keycloak, Auth0, …), beside Scout's own tokens and API
// keys.
type OIDCOptions struct {
	Issuer        string // discovery at Issuer/.well-known/openid-configuration; tokens' iss
	Audience      string // required in tokens' aud
	EmailClaim    string // the claim naming the user's e-mail; DefaultOIDCEmailClaim when empty
	AdminClaim    string // a claim (dots for nesting: realm_access.roles) listing roles or groups; empty: roles are Scout's own
	AdminValue    string // the value of AdminClaim that makes a Scout admin
	AutoProvision bool   // create a Scout user on an identity's first use
	// HTTPClient reaches the provider, which the operator configured (it may
	// be on the private network, so the feed fetcher's address policy does
	// not apply); nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	MinRefresh time.Duration // least time between two fetches of discovery or keys
}

// Directory is what OIDC sign-in needs from the store.
type Directory interface {
	GetUserByIdentity(ctx context.Context, key string) (scout.User, error)
	ProvisionIdentity(ctx context.Context, id scout.ExternalIdentity, create bool) (scout.User, error)
}

// oidcAuth verifies the provider's tokens and maps them to users.
type oidcAuth struct {
	opts OIDCOptions
	dir  Directory
	now  func() time.Time

	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier // nil until discovery succeeds
	tried    time.Time             // of the last discovery attempt
}

func newOIDC(o OIDCOptions, dir Directory, now func() time.Time) (*oidcAuth, error) {
	if o.Issuer == "" || o.Audience == "" {
		return nil, errors.New("oidc needs an issuer and an audience")
	}
	if dir == nil {
		return nil, errors.New("oidc needs credentials that keep external identities")
	}
	if o.EmailClaim == "" {
		o.EmailClaim = DefaultOIDCEmailClaim
	}
	if o.MinRefresh <= 0 {
		o.MinRefresh = DefaultOIDCMinRefresh
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: oidcFetchTimeout}
	}
	return &oidcAuth{opts: o, dir: dir, now: now}, nil
}

// issuedBy reports whether token's unverified iss claim is the provider's:
// only then is it verified as the provider's token.
func (o *oidcAuth) issuedBy(token string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var c struct {
		Iss string `json:"iss"`
	}
	return json.Unmarshal(payload, &c) == nil && c.Iss == o.opts.Issuer
}

// getVerifier discovers the provider once; a failed discovery is retried at
// most once per MinRefresh.
func (o *oidcAuth) getVerifier(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.verifier != nil {
		return o.verifier, nil
	}
	now := o.now()
	if !o.tried.IsZero() && now.Sub(o.tried) < o.opts.MinRefresh {
		return nil, unauthenticated("identity provider unavailable")
	}
	o.tried = now
	ctx, cancel := context.WithTimeout(ctx, oidcFetchTimeout)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.opts.HTTPClient), o.opts.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", o.opts.Issuer, unauthenticated("identity provider unavailable"))
	}
	var meta struct {
		JWKS string `json:"jwks_uri"`
	}
	if err := p.Claims(&meta); err != nil || meta.JWKS == "" {
		return nil, unauthenticated("identity provider names no keys")
	}
	keys := &keySet{url: meta.JWKS, client: o.opts.HTTPClient, minRefresh: o.opts.MinRefresh, now: o.now}
	o.verifier = oidc.NewVerifier(o.opts.Issuer, keys, &oidc.Config{ClientID: o.opts.Audience,
		SupportedSigningAlgs: oidcAlgs, Now: o.now})
	return o.verifier, nil
}

// authenticate verifies a provider token and returns its user's Principal.
func (o *oidcAuth) authenticate(ctx context.Context, token string) (Principal, error) {
	v, err := o.getVerifier(ctx)
	if err != nil {
		return Principal{}, err
	}
	t, err := v.Verify(ctx, token)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return Principal{}, unauthenticated("token expired")
		}
		return Principal{}, unauthenticated("token not valid for this service")
	}
	var claims map[string]any
	if err := t.Claims(&claims); err != nil || t.Subject == "" {
		return Principal{}, unauthenticated("token has no valid subject")
	}
	if verified, ok := claims["email_verified"].(bool); ok && !verified {
		return Principal{}, unauthenticated("the provider has not verified the e-mail")
	}
	id := scout.ExternalIdentity{Key: o.opts.Issuer + "|" + t.Subject, Name: claimString(claims, "name")}
	id.Email = claimString(claims, o.opts.EmailClaim)
	if o.opts.AdminClaim != "" {
		admin := claimHas(claimAt(claims, o.opts.AdminClaim), o.opts.AdminValue)
		id.Admin = &admin
	}
	user, err := o.user(ctx, id)
	if err != nil {
		return Principal{}, err
	}
	return Principal{UserID: user.ID, Admin: user.Admin, UserAdmin: user.Admin, Scopes: roleScopes(user.Admin)}, nil
}

// user finds (or provisions, or brings up to date) the user of id.
func (o *oidcAuth) user(ctx context.Context, id scout.ExternalIdentity) (scout.User, error) {
	u, err := o.dir.GetUserByIdentity(ctx, id.Key)
	if err == nil && (id.Admin == nil || u.Admin == *id.Admin) {
		return activeOnly(u)
	}
	if err != nil && !errors.Is(err, scout.ErrNotFound) {
		return scout.User{}, fmt.Errorf("look up identity: %w", err)
	}
	u, err = o.dir.ProvisionIdentity(ctx, id, o.opts.AutoProvision)
	switch {
	case errors.Is(err, scout.ErrNotFound):
		return scout.User{}, unauthenticated("no Scout user for this identity")
	case errors.Is(err, scout.ErrInvalid):
		return scout.User{}, unauthenticated("the token carries no usable e-mail")
	case err != nil:
		return scout.User{}, fmt.Errorf("provision identity: %w", err)
	}
	return activeOnly(u)
}

func activeOnly(u scout.User) (scout.User, error) {
	if u.Disabled {
		return scout.User{}, unauthenticated("user disabled")
	}
	return u, nil
}

// claimAt follows a dotted path into nested claims.
func claimAt(claims map[string]any, path string) any {
	var v any = claims
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

func claimString(claims map[string]any, path string) string {
	s, _ := claimAt(claims, path).(string)
	return s
}

// claimHas reports whether a claim is value or a list holding it.
func claimHas(v any, value string) bool {
	switch c := v.(type) {
	case string:
		return value != "" && c == value
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok && value != "" && s == value {
				return true
			}
		}
	}
	return false
}

// keySet is the provider's JWKS, cached. Threat: tokens naming unknown key
// ids would otherwise make every request fetch the keys again, turning Scout
// into a tool against the provider and letting anyone slow Scout down. Keys
// are fetched again for an unknown kid (the provider rotated) at most once
// per minRefresh; in between, an unknown kid is refused at once.
type keySet struct {
	url        string
	client     *http.Client
	minRefresh time.Duration
	now        func() time.Time

	mu      sync.Mutex
	keys    []jose.JSONWebKey
	fetched time.Time
}

// VerifySignature implements oidc.KeySet.
func (k *keySet) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	algs := []jose.SignatureAlgorithm{jose.RS256, jose.ES256}
	jws, err := jose.ParseSigned(raw, algs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, errors.New("malformed token")
	}
	kid := jws.Signatures[0].Header.KeyID
	key, ok := k.lookup(ctx, kid)
	if !ok {
		return nil, fmt.Errorf("no key with id %q", kid)
	}
	return jws.Verify(key)
}

// lookup returns the key with kid, fetching the set when kid is unknown and
// the last fetch is old enough.
func (k *keySet) lookup(ctx context.Context, kid string) (jose.JSONWebKey, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.find(kid); ok {
		return key, true
	}
	if !k.fetched.IsZero() && k.now().Sub(k.fetched) < k.minRefresh {
		return jose.JSONWebKey{}, false
	}
	k.fetched = k.now()
	if keys, err := k.fetch(ctx); err == nil {
		k.keys = keys
	}
	return k.find(kid)
}

func (k *keySet) find(kid string) (jose.JSONWebKey, bool) {
	for _, key := range k.keys {
		if key.KeyID == kid && (key.Use == "" || key.Use == "sig") {
			return key, true
		}
	}
	return jose.JSONWebKey{}, false
}

func (k *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(ctx, oidcFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jwks: HTTP %d", resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(&set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	return set.Keys, nil
}
