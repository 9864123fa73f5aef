package auth_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// goodClaims returns the claims of a valid access token for user 7 at testNow.
func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"typ": "access", "sub": "7", "iss": "scout-test", "aud": []string{"scout-api"},
		"iat": testNow.Unix(), "nbf": testNow.Unix(), "exp": testNow.Add(10 * time.Minute).Unix(),
		"jti": "abc",
	}
}

// with returns goodClaims changed by edit.
func with(edit func(jwt.MapClaims)) jwt.MapClaims {
	c := goodClaims()
	edit(c)
	return c
}

// forge signs claims with method and key through the jwt library.
func forge(tb testing.TB, method jwt.SigningMethod, key any, c jwt.MapClaims) string {
	tb.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// forgeRaw builds a token with any header, signed with HMAC-SHA256 over
// secret: the shape of an algorithm-confusion attack.
func forgeRaw(tb testing.TB, header map[string]any, c jwt.MapClaims, secret []byte) string {
	tb.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(header) + "." + enc(c)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func TestVerifyAccess(t *testing.T) {
	a := mustNew(t, nil)
	hs256 := jwt.SigningMethodHS256
	tests := []struct {
		name   string
		token  string
		reason string
	}{
		{"a good token", forge(t, hs256, testSecret, goodClaims()), ""},
		{"a token within the leeway of its expiry",
			forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-10 * time.Second).Unix() })), ""},
		{"alg none", forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, goodClaims()),
			"token signature invalid"},
		{"HS512 with the right secret", forge(t, jwt.SigningMethodHS512, testSecret, goodClaims()),
			"token signature invalid"},
		{"an RS256 header signed with the secret as an HMAC key",
			forgeRaw(t, map[string]any{"alg": "RS256", "typ": "JWT"}, goodClaims(), testSecret),
			"token signature invalid"},
		{"another secret", forge(t, hs256, []byte("another-secret-of-at-least-32-bytes!"), goodClaims()),
			"token signature invalid"},
		{"a tampered payload", tamper(t, forge(t, hs256, testSecret, goodClaims())),
			"token signature invalid"},
		{"a flipped signature", flipSignature(forge(t, hs256, testSecret, goodClaims())),
			"token signature invalid"},
		{"an expired token",
			forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-time.Minute).Unix() })),
			"token expired"},
		{"a token without exp", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { delete(c, "exp") })),
			"token lacks a required claim"},
		{"a token not valid yet",
			forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["nbf"] = testNow.Add(time.Hour).Unix() })),
			"token not valid yet"},
		{"a token issued in the future",
			forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["iat"] = testNow.Add(time.Hour).Unix() })),
			"token not valid yet"},
		{"a wrong audience", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["aud"] = "other-api" })),
			"token not issued for this service"},
		{"no audience", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { delete(c, "aud") })),
			"token lacks a required claim"},
		{"a wrong issuer", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["iss"] = "evil" })),
			"token not issued for this service"},
		{"a refresh token", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["typ"] = "refresh" })),
			"not an access token"},
		{"a token without typ", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { delete(c, "typ") })),
			"not an access token"},
		{"a non-numeric subject", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["sub"] = "ada" })),
			"token has no valid subject"},
		{"subject zero", forge(t, hs256, testSecret, with(func(c jwt.MapClaims) { c["sub"] = "0" })),
			"token has no valid subject"},
		{"an oversized token", strings.Repeat("a", 5000), "malformed token"},
		{"two segments", "abc.def", "malformed token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := a.VerifyAccess(tt.token, testNow)
			checkUnauthenticated(t, err, tt.reason)
			if tt.reason == "" && id != 7 {
				t.Errorf("user id = %d, want 7", id)
			}
		})
	}
}

func TestIssueTokens(t *testing.T) {
	a := mustNew(t, nil)
	p, err := a.IssueTokens(scout.User{ID: 42, Admin: true}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := testNow.Add(auth.DefaultAccessTTL); !p.AccessExpiresAt.Equal(want) {
		t.Errorf("AccessExpiresAt = %v, want %v", p.AccessExpiresAt, want)
	}
	if want := testNow.Add(auth.DefaultRefreshTTL); !p.RefreshExpiresAt.Equal(want) {
		t.Errorf("RefreshExpiresAt = %v, want %v", p.RefreshExpiresAt, want)
	}
	steps := []struct {
		name   string
		verify func(string, time.Time) (int64, error)
		token  string
		at     time.Time
		reason string
	}{
		{"access works at once", a.VerifyAccess, p.Access, testNow, ""},
		{"access works just before expiry", a.VerifyAccess, p.Access, p.AccessExpiresAt.Add(-time.Second), ""},
		{"access fails after expiry and leeway", a.VerifyAccess, p.Access, p.AccessExpiresAt.Add(time.Minute), "token expired"},
		{"refresh works after access expired", a.VerifyRefresh, p.Refresh, p.AccessExpiresAt.Add(time.Hour), ""},
		{"refresh fails after its expiry", a.VerifyRefresh, p.Refresh, p.RefreshExpiresAt.Add(time.Minute), "token expired"},
		{"refresh is not access", a.VerifyAccess, p.Refresh, testNow, "not an access token"},
		{"access is not refresh", a.VerifyRefresh, p.Access, testNow, "not a refresh token"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			id, err := s.verify(s.token, s.at)
			checkUnauthenticated(t, err, s.reason)
			if s.reason == "" && id != 42 {
				t.Errorf("user id = %d, want 42", id)
			}
		})
	}
}

func TestIssueTokensCarriesNoRoleAndUniqueIDs(t *testing.T) {
	a := mustNew(t, nil)
	p1 := mustTokens(t, a, 2)
	p2 := mustTokens(t, a, 2)
	c1, c2 := payload(t, p1.Access), payload(t, p2.Access)
	if _, ok := c1["admin"]; ok {
		t.Errorf("access token carries an admin claim: %v", c1)
	}
	if c1["jti"] == "" || c1["jti"] == c2["jti"] {
		t.Errorf("jti %v and %v, want distinct non-empty ids", c1["jti"], c2["jti"])
	}
}

func TestIssueTokensRefusesDisabledUsers(t *testing.T) {
	a := mustNew(t, nil)
	_, err := a.IssueTokens(scout.User{ID: 3, Disabled: true}, testNow)
	if !errors.Is(err, scout.ErrUnauthenticated) {
		t.Errorf("IssueTokens(disabled user) = %v, want ErrUnauthenticated", err)
	}
	if _, err := a.IssueTokens(scout.User{}, testNow); err == nil {
		t.Error("IssueTokens(user without id) succeeded")
	}
}

// payload decodes the claims of a token without verifying it.
func payload(tb testing.TB, token string) map[string]any {
	tb.Helper()
	parts := strings.Split(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// tamper changes the subject of a signed token and keeps its signature.
func tamper(tb testing.TB, token string) string {
	tb.Helper()
	parts := strings.Split(token, ".")
	c := payload(tb, token)
	c["sub"] = "1"
	b, err := json.Marshal(c)
	if err != nil {
		tb.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

// flipSignature changes the first character of the signature.
func flipSignature(token string) string {
	i := strings.LastIndexByte(token, '.') + 1
	c := byte('A')
	if token[i] == 'A' {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}
