package api

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/testdb"
)

type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

const testPassword = "correct horse battery"

// mustPasswordUser creates a user who logs in with testPassword.
func (e *env) mustPasswordUser(email string, admin bool) scout.User {
	e.t.Helper()
	hash, err := e.auth.HashPassword(bg, testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.st.CreateUser(bg, scout.User{Email: email, Name: email, Admin: admin, PasswordHash: hash})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) login(email, pw string) (resp, tokenPair) {
	e.t.Helper()
	r := e.do(http.MethodPost, "/v1/auth/token", "", map[string]string{"email": email, "password": pw})
	var p tokenPair
	if r.status == http.StatusOK {
		r.json(e.t, &p)
	}
	return r, p
}

func (e *env) refresh(token string) (resp, tokenPair) {
	e.t.Helper()
	r := e.do(http.MethodPost, "/v1/auth/refresh", "", map[string]string{"refresh_token": token})
	var p tokenPair
	if r.status == http.StatusOK {
		r.json(e.t, &p)
	}
	return r, p
}

func TestRefreshTokensRotateAndReuseRevokesTheSessionOnSQLite(t *testing.T) {
	testRefreshRotation(t, newEnv(t))
}

func TestRefreshTokensRotateAndReuseRevokesTheSessionOnPostgres(t *testing.T) {
	st := testdb.Postgres(t, nil)
	testRefreshRotation(t, newEnv(t, func(o *Options) { o.Store = st }))
}

func testRefreshRotation(t *testing.T, e *env) {
	e.mustPasswordUser("ada@example.org", false)
	r, first := e.login("ada@example.org", testPassword)
	wantStatus(t, r, http.StatusOK, "login")
	r, second := e.refresh(first.RefreshToken)
	wantStatus(t, r, http.StatusOK, "first refresh")
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh handed back the same refresh token")
	}
	r, third := e.refresh(second.RefreshToken)
	wantStatus(t, r, http.StatusOK, "refresh with the rotated token")
	// The first token was used already: whoever presents it again, the
	// session is revoked, and the newest token of the family dies with it.
	r, _ = e.refresh(first.RefreshToken)
	wantStatus(t, r, http.StatusUnauthorized, "reuse of a rotated token")
	r, _ = e.refresh(third.RefreshToken)
	wantStatus(t, r, http.StatusUnauthorized, "newest token after reuse was detected")
	// Another login is another family, untouched.
	_, other := e.login("ada@example.org", testPassword)
	r, _ = e.refresh(other.RefreshToken)
	wantStatus(t, r, http.StatusOK, "a second session")
}

func TestLogoutAndSessionLists(t *testing.T) {
	e := newEnv(t)
	e.mustPasswordUser("ada@example.org", false)
	bob := e.mustPasswordUser("bob@example.org", false)
	admin := e.mustUser("root@example.org", true)
	_, phone := e.login("ada@example.org", testPassword)
	_, laptop := e.login("ada@example.org", testPassword)
	_, bobs := e.login("bob@example.org", testPassword)

	r := e.do(http.MethodGet, "/v1/me/sessions", laptop.AccessToken, nil)
	wantStatus(t, r, http.StatusOK, "list my sessions")
	var list struct{ Sessions []Session }
	r.json(t, &list)
	if len(list.Sessions) != 2 || !list.Sessions[0].Current || list.Sessions[1].Current || list.Sessions[0].Address == "" {
		t.Fatalf("my sessions = %s", r.raw)
	}
	phoneID := list.Sessions[1].ID

	// A user may not revoke another user's session; the answer is 404.
	r = e.do(http.MethodDelete, "/v1/me/sessions/"+strconv.FormatInt(phoneID, 10), bobs.AccessToken, nil)
	wantStatus(t, r, http.StatusNotFound, "revoke someone else's session")
	r = e.do(http.MethodDelete, "/v1/me/sessions/"+strconv.FormatInt(phoneID, 10), laptop.AccessToken, nil)
	wantStatus(t, r, http.StatusNoContent, "revoke my phone")
	if r, _ := e.refresh(phone.RefreshToken); r.status != http.StatusUnauthorized {
		t.Fatalf("refresh of a revoked session: %d", r.status)
	}

	wantStatus(t, e.do(http.MethodPost, "/v1/auth/logout", laptop.AccessToken, nil), http.StatusNoContent, "logout")
	if r, _ := e.refresh(laptop.RefreshToken); r.status != http.StatusUnauthorized {
		t.Fatalf("refresh after logout: %d", r.status)
	}
	key := e.mustKey(user{User: bob}, scout.ScopeRead)
	wantStatus(t, e.do(http.MethodPost, "/v1/auth/logout", key, nil), http.StatusUnprocessableEntity, "logout with an API key")

	// Admins list and revoke anyone's sessions; others may not.
	bobPath := "/v1/users/" + strconv.FormatInt(bob.ID, 10) + "/sessions"
	wantStatus(t, e.do(http.MethodGet, bobPath, bobs.AccessToken, nil), http.StatusForbidden, "a user listing through the admin route")
	r = e.do(http.MethodGet, bobPath, admin.token, nil)
	wantStatus(t, r, http.StatusOK, "admin lists bob's sessions")
	r.json(t, &list)
	if len(list.Sessions) != 1 {
		t.Fatalf("bob's sessions = %s", r.raw)
	}
	wantStatus(t, e.do(http.MethodDelete, bobPath, admin.token, nil), http.StatusNoContent, "admin revokes all of bob's")
	if r, _ := e.refresh(bobs.RefreshToken); r.status != http.StatusUnauthorized {
		t.Fatalf("bob's refresh after the admin revoked: %d", r.status)
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/users/999/sessions", admin.token, nil), http.StatusNotFound, "sessions of nobody")
	wantStatus(t, e.do(http.MethodDelete, bobPath+"/"+strconv.FormatInt(phoneID, 10), admin.token, nil), http.StatusNotFound, "a session under the wrong user")
}

func TestLoginsResistSpraying(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	e := newEnv(t, func(o *Options) {
		o.Now = clock
		o.LoginRate, o.LoginBurst = 0, 0 // the defaults
		o.LoginAddressRate, o.LoginAddressBurst = 0, 0
		o.LoginAccountRate, o.LoginAccountBurst = 0, 0
	})
	// One address, many e-mails: after the address's burst, 429.
	limited := 0
	for i := range 30 {
		r, _ := e.login("user"+strconv.Itoa(i)+"@example.org", "wrong password!")
		if r.status == http.StatusTooManyRequests {
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		} else if r.status != http.StatusUnauthorized {
			t.Fatalf("spray %d: %d %s", i, r.status, r.raw)
		}
	}
	if limited < 30-DefaultLoginAddressBurst {
		t.Fatalf("only %d of 30 sprayed logins were limited", limited)
	}
}

// TestAccountLimitDoesNotLockTheOwnerOut: many addresses failing at one
// account exhaust its failure budget, and they are then refused, but an
// address that has not been trying (the owner's) still logs in.
func TestAccountLimitDoesNotLockTheOwnerOut(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, func(o *Options) {
		o.Now = func() time.Time { return now }
		o.LoginAccountRate, o.LoginAccountBurst = 0, 0 // the defaults
		o.LoginRate, o.LoginBurst = 0, 0
	})
	e.mustPasswordUser("ada@example.org", false)
	h := e.h
	for i := range DefaultLoginAccountBurst {
		ip := "198.51.100." + strconv.Itoa(i+1)
		if err := h.admitLogin(ip, "ada@example.org"); err != nil {
			t.Fatalf("attempt %d refused early: %v", i, err)
		}
		h.loginFailed("ada@example.org")
	}
	// An attacker address that already failed is refused now.
	if err := h.admitLogin("198.51.100.1", "ada@example.org"); err == nil {
		t.Fatal("an address that keeps failing at an exhausted account was admitted")
	}
	// The owner, from an address that made no attempt, gets in.
	r, tok := e.login("ada@example.org", testPassword)
	wantStatus(t, r, http.StatusOK, "the owner's login from elsewhere")
	if tok.AccessToken == "" {
		t.Fatal("no token")
	}
}
