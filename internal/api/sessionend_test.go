package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

func TestEndedSessionsRefuseTheirAccessTokensOnSQLite(t *testing.T) {
	testEndedSessionsRefuseAccessTokens(t, testdb.SQLite(t, nil))
}

func TestEndedSessionsRefuseTheirAccessTokensOnPostgres(t *testing.T) {
	testEndedSessionsRefuseAccessTokens(t, testdb.Postgres(t, nil))
}

// testEndedSessionsRefuseAccessTokens ends sessions each way Scout can (a
// logout, revoking one, an admin revoking all of a user's, reuse of a
// rotated refresh token) and checks that the access tokens of that session
// are refused at once, while the user's other sessions and API keys work.
func testEndedSessionsRefuseAccessTokens(t *testing.T, st store.Store) {
	e := newEnv(t, func(o *Options) { o.Store = st })
	ada := e.mustPasswordUser("ada@example.org", false)
	admin := e.mustUser("root@example.org", true)
	key := e.mustKey(user{User: ada}, "read")
	me := func(token string) int { return e.do(http.MethodGet, "/v1/me", token, nil).status }
	login := func() tokenPair {
		t.Helper()
		r, p := e.login("ada@example.org", testPassword)
		wantStatus(t, r, http.StatusOK, "login")
		if me(p.AccessToken) != http.StatusOK {
			t.Fatal("a fresh access token is refused")
		}
		return p
	}
	sessionOf := func(token string) string {
		t.Helper()
		r := e.do(http.MethodGet, "/v1/me/sessions", token, nil)
		wantStatus(t, r, http.StatusOK, "list sessions")
		var list struct{ Sessions []Session }
		r.json(t, &list)
		for _, s := range list.Sessions {
			if s.Current {
				return strconv.FormatInt(s.ID, 10)
			}
		}
		t.Fatalf("no current session in %s", r.raw)
		return ""
	}

	kept := login() // a session that outlives every other
	loggedOut := login()
	wantStatus(t, e.do(http.MethodPost, "/v1/auth/logout", loggedOut.AccessToken, nil), http.StatusNoContent, "logout")
	if got := me(loggedOut.AccessToken); got != http.StatusUnauthorized {
		t.Errorf("access token after its logout: %d", got)
	}

	revoked := login()
	wantStatus(t, e.do(http.MethodDelete, "/v1/me/sessions/"+sessionOf(revoked.AccessToken), kept.AccessToken, nil),
		http.StatusNoContent, "revoke a session")
	if got := me(revoked.AccessToken); got != http.StatusUnauthorized {
		t.Errorf("access token of a session revoked from another: %d", got)
	}

	stolen := login()
	r, rotated := e.refresh(stolen.RefreshToken)
	wantStatus(t, r, http.StatusOK, "refresh")
	r, _ = e.refresh(stolen.RefreshToken)
	wantStatus(t, r, http.StatusUnauthorized, "reuse of a rotated refresh token")
	for name, tok := range map[string]string{"before": stolen.AccessToken, "after": rotated.AccessToken} {
		if got := me(tok); got != http.StatusUnauthorized {
			t.Errorf("access token issued %s the rotation, once reuse revoked the family: %d", name, got)
		}
	}

	if got := me(kept.AccessToken); got != http.StatusOK {
		t.Fatalf("a session nobody ended: %d", got)
	}
	if got := me(key); got != http.StatusOK {
		t.Fatalf("an API key of the user whose sessions end: %d", got)
	}
	byAdmin := login()
	wantStatus(t, e.do(http.MethodDelete, "/v1/users/"+strconv.FormatInt(ada.ID, 10)+"/sessions", admin.token, nil),
		http.StatusNoContent, "admin revokes all")
	for name, tok := range map[string]string{"kept": kept.AccessToken, "newest": byAdmin.AccessToken} {
		if got := me(tok); got != http.StatusUnauthorized {
			t.Errorf("%s session's access token after the admin revoked all: %d", name, got)
		}
	}
	if got := me(key); got != http.StatusOK {
		t.Fatalf("an API key after its user's sessions were all revoked: %d", got)
	}
}

// Two replicas share a store. A logout through one is refused by the
// other once the other's check of the session is older than the TTL the
// contract states, though the other had just accepted the token.
func TestALogoutReachesAnotherReplicaWithinTheSessionCheckTTL(t *testing.T) {
	clock := &testClock{t: time.Now()}
	st := testdb.SQLite(t, nil)
	replica := func() *env {
		au, err := auth.New(st, auth.Options{Secret: testSecret, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		return newEnv(t, func(o *Options) { o.Store, o.Auth, o.Now = st, au, clock.Now })
	}
	one, two := replica(), replica()
	one.mustPasswordUser("ada@example.org", false)
	_, p := one.login("ada@example.org", testPassword)
	wantStatus(t, two.do(http.MethodGet, "/v1/me", p.AccessToken, nil), http.StatusOK, "replica two before the logout")
	wantStatus(t, one.do(http.MethodPost, "/v1/auth/logout", p.AccessToken, nil), http.StatusNoContent, "logout on replica one")
	wantStatus(t, one.do(http.MethodGet, "/v1/me", p.AccessToken, nil), http.StatusUnauthorized, "replica one after its logout")
	clock.Advance(auth.DefaultSessionCheckTTL)
	wantStatus(t, two.do(http.MethodGet, "/v1/me", p.AccessToken, nil), http.StatusUnauthorized, "replica two once the TTL passed")
	r := two.do(http.MethodGet, "/openapi.json", "", nil)
	if want := "on other replicas within " + auth.DefaultSessionCheckTTL.String(); !strings.Contains(string(r.raw), want) {
		t.Fatalf("the contract does not state the bound %q", want)
	}
}
