package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// issuer is an OpenID Connect provider on loopback: a discovery document,
// a JWKS whose keys the test rotates, and tokens signed with test keys.
type issuer struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	keys    []jose.JSONWebKey // published
	fetches atomic.Int64      // JWKS requests served
}

func newIssuer(t *testing.T) *issuer {
	is := &issuer{t: t}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]any{"issuer": is.srv.URL, "jwks_uri": is.srv.URL + "/jwks",
				"authorization_endpoint": is.srv.URL + "/auth", "token_endpoint": is.srv.URL + "/token",
				"id_token_signing_alg_values_supported": []string{"RS256", "ES256"}})
		case "/jwks":
			is.fetches.Add(1)
			is.mu.Lock()
			var pub []jose.JSONWebKey
			for _, k := range is.keys {
				pub = append(pub, k.Public())
			}
			is.mu.Unlock()
			_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: pub})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(is.srv.Close)
	return is
}

func rsaKey(t *testing.T, kid string) jose.JSONWebKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: "RS256", Use: "sig"}
}

func ecKey(t *testing.T, kid string) jose.JSONWebKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: "ES256", Use: "sig"}
}

func (is *issuer) publish(keys ...jose.JSONWebKey) {
	is.mu.Lock()
	is.keys = keys
	is.mu.Unlock()
}

// sign makes a token with key over claims (iss and exp added unless set).
func (is *issuer) sign(key jose.JSONWebKey, claims map[string]any, now time.Time) string {
	is.t.Helper()
	if _, ok := claims["iss"]; !ok {
		claims["iss"] = is.srv.URL
	}
	if _, ok := claims["exp"]; !ok {
		claims["exp"] = now.Add(5 * time.Minute).Unix()
	}
	claims["iat"] = now.Unix()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(key.Algorithm), Key: key},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		is.t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		is.t.Fatal(err)
	}
	s, _ := jws.CompactSerialize()
	return s
}

// hs256 forges a token "signed" with HMAC-SHA256 under secret: the
// algorithm confusion attack, with the provider's public key as the secret.
func hs256(claims map[string]any, kid string, secret []byte) string {
	b64 := base64.RawURLEncoding
	head, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT", "kid": kid})
	body, _ := json.Marshal(claims)
	msg := b64.EncodeToString(head) + "." + b64.EncodeToString(body)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(msg))
	return msg + "." + b64.EncodeToString(m.Sum(nil))
}

func TestOIDCTokensSignUsersIn(t *testing.T) {
	is := newIssuer(t)
	k1, k2 := rsaKey(t, "k1"), ecKey(t, "k2")
	is.publish(k1)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	e := newEnv(t, func(o *Options) {
		au, err := auth.New(o.Store, auth.Options{Secret: testSecret, Now: clock, OIDC: &auth.OIDCOptions{
			Issuer: is.srv.URL, Audience: "scout-api", AdminClaim: "realm_access.roles", AdminValue: "scout-admin",
			AutoProvision: true, MinRefresh: time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		o.Auth = au
	})
	me := func(token string) (int, MeOutput) {
		r := e.do(http.MethodGet, "/v1/me", token, nil)
		var out MeOutput
		if r.status == http.StatusOK {
			r.json(t, &out.Body)
		}
		return r.status, out
	}
	claims := func(sub, email string, roles ...string) map[string]any {
		return map[string]any{"sub": sub, "aud": []string{"scout-api", "account"}, "email": email, "email_verified": true,
			"name": sub, "realm_access": map[string]any{"roles": roles}}
	}

	// First use: the user is created, with the admin role from the claim.
	status, out := me(is.sign(k1, claims("alice-id", "alice@example.org", "scout-admin"), clock()))
	if status != http.StatusOK || out.Body.Email != "alice@example.org" || !out.Body.Admin || !slices.Contains(out.Body.Scopes, "admin") {
		t.Fatalf("alice's first token: %d %+v", status, out.Body)
	}
	// The provider withdraws the role: the next token is a plain user's.
	if status, out = me(is.sign(k1, claims("alice-id", "alice@example.org"), clock())); status != http.StatusOK || out.Body.Admin {
		t.Fatalf("alice without the role: %d %+v", status, out.Body)
	}

	// Rotation: a token with a kid the cached set lacks is refused until the
	// set may be fetched again, then accepted (ES256).
	is.publish(k1, k2)
	bobToken := func() string { return is.sign(k2, claims("bob-id", "bob@example.org"), clock()) }
	before := is.fetches.Load()
	if status, _ := me(bobToken()); status != http.StatusUnauthorized {
		t.Fatalf("a new kid right after a fetch: %d, want 401 without refetching", status)
	}
	if is.fetches.Load() != before {
		t.Fatal("keys were fetched again within MinRefresh")
	}
	advance(2 * time.Minute)
	if status, out = me(bobToken()); status != http.StatusOK || out.Body.Email != "bob@example.org" || out.Body.Admin {
		t.Fatalf("bob after rotation: %d %+v", status, out.Body)
	}

	// Unknown kid, many times: refused, and the keys are fetched at most once.
	advance(2 * time.Minute)
	k3 := rsaKey(t, "k3")
	before = is.fetches.Load()
	for range 5 {
		if status, _ := me(is.sign(k3, claims("mallory", "mallory@example.org"), clock())); status != http.StatusUnauthorized {
			t.Fatalf("unknown kid: %d", status)
		}
	}
	if n := is.fetches.Load() - before; n > 1 {
		t.Fatalf("%d key fetches for 5 tokens with an unknown kid", n)
	}

	pubDER, _ := x509.MarshalPKIXPublicKey(&k1.Key.(*rsa.PrivateKey).PublicKey)
	forged := claims("alice-id", "alice@example.org", "scout-admin")
	forged["iss"], forged["exp"] = is.srv.URL, clock().Add(time.Minute).Unix()
	wrongAud := claims("alice-id", "alice@example.org")
	wrongAud["aud"] = "another-service"
	expired := claims("alice-id", "alice@example.org")
	expired["exp"] = clock().Add(-time.Hour).Unix()
	noneAlg := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"k1"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(mustJSON(forged)) + "."
	for name, token := range map[string]string{
		"wrong audience":                   is.sign(k1, wrongAud, clock()),
		"expired":                          is.sign(k1, expired, clock()),
		"HS256 with the public key (DER)":  hs256(forged, "k1", pubDER),
		"HS256 with Scout's own secret":    hs256(forged, "k1", testSecret),
		"alg none":                         noneAlg,
		"signed by a key the issuer lacks": is.sign(k3, claims("alice-id", "alice@example.org", "scout-admin"), clock()),
		"another issuer":                   is.sign(k1, map[string]any{"iss": "https://evil.example", "sub": "x", "aud": "scout-api"}, clock()),
	} {
		if status, _ := me(token); status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, status)
		}
	}

	// Local passwords and API keys keep working beside the provider.
	local := e.mustPasswordUser("carol@example.org", false)
	r, pair := e.login("carol@example.org", testPassword)
	wantStatus(t, r, http.StatusOK, "local login")
	if status, out = me(pair.AccessToken); status != http.StatusOK || out.Body.ID != local.ID {
		t.Fatalf("local token: %d", status)
	}
	key := e.mustKey(user{User: local}, scout.ScopeRead)
	if status, _ = me(key); status != http.StatusOK {
		t.Fatalf("api key: %d", status)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
