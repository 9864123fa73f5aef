package api

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

func TestLoginRefreshAndMe(t *testing.T) {
	e := newEnv(t)
	hash, err := e.auth.HashPassword(bg, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.st.CreateUser(bg, scout.User{Email: "ada@example.org", Name: "Ada", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	r := e.do(http.MethodPost, "/v1/auth/token", "", map[string]string{"email": " ADA@example.org", "password": "correct horse battery"})
	wantStatus(t, r, http.StatusOK, "login")
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
	}
	r.json(t, &tok)
	if tok.ExpiresIn <= 0 || tok.ExpiresIn > 3600 {
		t.Errorf("expires_in = %d", tok.ExpiresIn)
	}
	var me struct {
		ID     int64    `json:"id"`
		Email  string   `json:"email"`
		Scopes []string `json:"scopes"`
	}
	r = e.do(http.MethodGet, "/v1/me", tok.AccessToken, nil)
	wantStatus(t, r, http.StatusOK, "me")
	r.json(t, &me)
	if me.ID != u.ID || me.Email != "ada@example.org" || len(me.Scopes) != 3 {
		t.Errorf("me = %+v", me)
	}
	if strings.Contains(string(r.raw), "argon2") {
		t.Error("me leaks the password hash")
	}
	r = e.do(http.MethodPost, "/v1/auth/refresh", "", map[string]string{"refresh_token": tok.RefreshToken})
	wantStatus(t, r, http.StatusOK, "refresh")
	// A refresh token is not an access token, and the reverse.
	wantStatus(t, e.do(http.MethodGet, "/v1/me", tok.RefreshToken, nil), http.StatusUnauthorized, "refresh token as access")
	wantStatus(t, e.do(http.MethodPost, "/v1/auth/refresh", "", map[string]string{"refresh_token": tok.AccessToken}), http.StatusUnauthorized, "access as refresh")
}

func TestFailedLoginsLookAlike(t *testing.T) {
	e := newEnv(t)
	hash, _ := e.auth.HashPassword(bg, "correct horse battery")
	e.st.CreateUser(bg, scout.User{Email: "ada@example.org", PasswordHash: hash})
	off := true
	e.st.CreateUser(bg, scout.User{Email: "off@example.org", PasswordHash: hash, Disabled: off})
	var details []string
	for _, body := range []map[string]string{
		{"email": "ada@example.org", "password": "wrong password!!"},
		{"email": "nobody@example.org", "password": "correct horse battery"},
		{"email": "off@example.org", "password": "correct horse battery"},
	} {
		r := e.do(http.MethodPost, "/v1/auth/token", "", body)
		wantStatus(t, r, http.StatusUnauthorized, body["email"])
		p := r.problem(t)
		if p.Type != problemBase+"unauthenticated" {
			t.Errorf("type = %q", p.Type)
		}
		details = append(details, p.Detail)
	}
	if details[0] != details[1] || details[1] != details[2] {
		t.Errorf("failed logins differ: %q", details)
	}
}

func TestLoginIsRateLimitedPerAddressAndEmail(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.LoginRate, o.LoginBurst = 0.001, 2 })
	body := map[string]string{"email": "nobody@example.org", "password": "whatever password"}
	for range 2 {
		wantStatus(t, e.do(http.MethodPost, "/v1/auth/token", "", body), http.StatusUnauthorized, "attempt within burst")
	}
	r := e.do(http.MethodPost, "/v1/auth/token", "", body)
	wantStatus(t, r, http.StatusTooManyRequests, "attempt over the limit")
	if r.header.Get("Retry-After") == "" || r.problem(t).Type != problemBase+"rate-limited" {
		t.Errorf("429 without Retry-After or type: %v %s", r.header, r.raw)
	}
	other := map[string]string{"email": "other@example.org", "password": "whatever password"}
	wantStatus(t, e.do(http.MethodPost, "/v1/auth/token", "", other), http.StatusUnauthorized, "another e-mail has its own bucket")
}

func TestRequestsAreRateLimitedPerPrincipal(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Rate, o.Burst = 0.001, 3 })
	a, b := e.mustUser("a@example.org", false), e.mustUser("b@example.org", false)
	for range 3 {
		wantStatus(t, e.do(http.MethodGet, "/v1/me", a.token, nil), http.StatusOK, "within burst")
	}
	r := e.do(http.MethodGet, "/v1/me", a.token, nil)
	wantStatus(t, r, http.StatusTooManyRequests, "over the limit")
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/me", b.token, nil), http.StatusOK, "another principal")
}

// TestForgedTokensAreRejected sends tokens that must never authenticate.
func TestForgedTokensAreRejected(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", true)
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"typ": "access", "sub": itoa(u.ID), "iss": auth.DefaultIssuer, "aud": auth.DefaultAudience,
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "jti": "x"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := sign(jwt.SigningMethodHS256, testSecret, claims(nil))
	wantStatus(t, e.do(http.MethodGet, "/v1/me", valid, nil), http.StatusOK, "a well-formed token (control)")
	parts := strings.Split(valid, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"access","sub":"1","admin":true}`)) + "." + parts[2]
	tests := []struct{ name, token string }{
		{"alg none", none},
		{"wrong algorithm HS512", sign(jwt.SigningMethodHS512, testSecret, claims(nil))},
		{"expired", sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }))},
		{"no expiry", sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { delete(c, "exp") }))},
		{"wrong audience", sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["aud"] = "other" }))},
		{"wrong issuer", sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["iss"] = "other" }))},
		{"other secret", sign(jwt.SigningMethodHS256, []byte("another-secret-of-32-bytes-or-more!!"), claims(nil))},
		{"tampered payload", tampered},
		{"garbage", "not.a.token"},
		{"unknown api key", "sk_00000000_" + strings.Repeat("A", 43)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodGet, "/v1/me", tt.token, nil)
			wantStatus(t, r, http.StatusUnauthorized, tt.name)
			if p := r.problem(t); p.Type != problemBase+"unauthenticated" || p.Status != 401 {
				t.Errorf("problem = %+v", p)
			}
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate header")
			}
		})
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/me", "", nil), http.StatusUnauthorized, "no credentials")
}

func TestAPIKeysAreShownOnceScopedAndRevocable(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	r := e.do(http.MethodPost, "/v1/api-keys", u.token, map[string]any{"name": "ai", "scopes": []string{"read", "enrich"}})
	wantStatus(t, r, http.StatusCreated, "create key")
	var created struct {
		Key    string `json:"key"`
		APIKey APIKey `json:"api_key"`
	}
	r.json(t, &created)
	if !auth.LooksLikeAPIKey(created.Key) || created.APIKey.Prefix == "" || !strings.HasPrefix(created.Key, created.APIKey.Prefix) {
		t.Fatalf("created = %+v", created)
	}
	r = e.do(http.MethodGet, "/v1/api-keys", u.token, nil)
	wantStatus(t, r, http.StatusOK, "list keys")
	if strings.Contains(string(r.raw), created.Key) {
		t.Fatal("the key is shown again in the list")
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/items", created.Key, nil), http.StatusOK, "read with a read key")
	r = e.do(http.MethodPost, "/v1/sources", created.Key, map[string]any{"url": "https://example.org/feed"})
	wantStatus(t, r, http.StatusForbidden, "write with a read key")
	if r.problem(t).Type != problemBase+"forbidden" {
		t.Errorf("type = %s", r.raw)
	}
	wantStatus(t, e.do(http.MethodPost, "/v1/api-keys", created.Key, map[string]any{"name": "x", "scopes": []string{"read"}}),
		http.StatusForbidden, "a key without write cannot make keys")
	wantStatus(t, e.do(http.MethodPost, "/v1/api-keys", u.token, map[string]any{"name": "x", "scopes": []string{"admin"}}),
		http.StatusForbidden, "a non-admin cannot grant admin")
	r = e.do(http.MethodPost, "/v1/api-keys", u.token, map[string]any{"name": "x", "scopes": []string{"owner"}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "unknown scope")
	other := e.mustUser("eve@example.org", false)
	wantStatus(t, e.do(http.MethodDelete, "/v1/api-keys/"+itoa(created.APIKey.ID), other.token, nil), http.StatusNotFound, "revoke another's key")
	wantStatus(t, e.do(http.MethodDelete, "/v1/api-keys/"+itoa(created.APIKey.ID), u.token, nil), http.StatusNoContent, "revoke")
	wantStatus(t, e.do(http.MethodGet, "/v1/items", created.Key, nil), http.StatusUnauthorized, "revoked key")
}

func TestUsersAreManagedByAdminsOnly(t *testing.T) {
	e := newEnv(t)
	admin, plain := e.mustUser("root@example.org", true), e.mustUser("ada@example.org", false)
	body := map[string]any{"email": "new@example.org", "name": "New", "password": "a long enough password"}
	wantStatus(t, e.do(http.MethodPost, "/v1/users", plain.token, body), http.StatusForbidden, "non-admin creates a user")
	wantStatus(t, e.do(http.MethodGet, "/v1/users", plain.token, nil), http.StatusForbidden, "non-admin lists users")
	r := e.do(http.MethodPost, "/v1/users", admin.token, body)
	wantStatus(t, r, http.StatusCreated, "admin creates a user")
	var nu User
	r.json(t, &nu)
	wantStatus(t, e.do(http.MethodPost, "/v1/users", admin.token, body), http.StatusConflict, "same e-mail again")
	r = e.do(http.MethodPost, "/v1/users", admin.token, map[string]any{"email": "short@example.org", "password": "short"})
	wantStatus(t, r, http.StatusUnprocessableEntity, "short password")
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Location != "body.password" {
		t.Errorf("problem = %s", r.raw)
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/users?limit=1", admin.token, nil), http.StatusOK, "list")
	wantStatus(t, e.do(http.MethodPatch, "/v1/users/"+itoa(nu.ID), plain.token, map[string]any{"disabled": true}), http.StatusForbidden, "non-admin disables")
	r = e.do(http.MethodPatch, "/v1/users/"+itoa(nu.ID), admin.token, map[string]any{"disabled": true})
	wantStatus(t, r, http.StatusOK, "admin disables")
	wantStatus(t, e.do(http.MethodPatch, "/v1/users/"+itoa(admin.ID), admin.token, map[string]any{"disabled": true}), http.StatusUnprocessableEntity, "admin disables themself")
	wantStatus(t, e.do(http.MethodPatch, "/v1/users/99999", admin.token, map[string]any{"disabled": true}), http.StatusNotFound, "missing user")
	adminKey := e.mustKey(admin, scout.ScopeRead)
	wantStatus(t, e.do(http.MethodGet, "/v1/users", adminKey, nil), http.StatusForbidden, "an admin's key without the admin scope")
}
