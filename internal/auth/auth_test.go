package auth_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// memCreds is an in-memory Credentials for tests.
type memCreds struct {
	users map[int64]scout.User
	keys  map[string]scout.APIKey // by string(hash)
	err   error                   // returned by every lookup when set

	sessions memSessions
}

var _ auth.Credentials = (*memCreds)(nil)

func (m *memCreds) GetUser(ctx context.Context, id int64) (scout.User, error) {
	if m.err != nil {
		return scout.User{}, m.err
	}
	u, ok := m.users[id]
	if !ok {
		return scout.User{}, fmt.Errorf("user %d: %w", id, scout.ErrNotFound)
	}
	return u, nil
}

func (m *memCreds) GetAPIKeyByHash(ctx context.Context, hash []byte) (scout.APIKey, error) {
	if m.err != nil {
		return scout.APIKey{}, m.err
	}
	k, ok := m.keys[string(hash)]
	if !ok {
		return scout.APIKey{}, fmt.Errorf("api key: %w", scout.ErrNotFound)
	}
	return k, nil
}

// addKey stores a fresh key for key.UserID and returns its plain text.
func (m *memCreds) addKey(tb testing.TB, key scout.APIKey) string {
	tb.Helper()
	plain, prefix, hash, err := auth.NewAPIKey()
	if err != nil {
		tb.Fatal(err)
	}
	key.Prefix, key.Hash = prefix, hash
	m.keys[string(hash)] = key
	return plain
}

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef-test")
	testNow    = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
)

// mustNew returns an Authenticator over creds whose clock reads testNow.
func mustNew(tb testing.TB, creds auth.Credentials) *auth.Authenticator {
	tb.Helper()
	if creds == nil {
		creds = &memCreds{}
	}
	a, err := auth.New(creds, auth.Options{
		Secret: testSecret, Issuer: "scout-test", Audience: "scout-api",
		Now: func() time.Time { return testNow },
	})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts auth.Options
	}{
		{"a missing secret", auth.Options{}},
		{"a 31-byte secret", auth.Options{Secret: testSecret[:31]}},
		{"an access ttl over an hour", auth.Options{Secret: testSecret, AccessTTL: 61 * time.Minute}},
		{"a negative access ttl", auth.Options{Secret: testSecret, AccessTTL: -time.Minute}},
		{"a refresh ttl shorter than the access ttl", auth.Options{Secret: testSecret, AccessTTL: time.Hour, RefreshTTL: time.Minute}},
		{"a refresh ttl over a year", auth.Options{Secret: testSecret, RefreshTTL: 400 * 24 * time.Hour}},
		{"negative concurrent hashes", auth.Options{Secret: testSecret, MaxConcurrentHashes: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := auth.New(&memCreds{}, tt.opts); err == nil {
				t.Fatal("New succeeded, want an error")
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	creds := &memCreds{
		users: map[int64]scout.User{
			1: {ID: 1, Email: "ada@example.org"},
			2: {ID: 2, Email: "root@example.org", Admin: true},
			3: {ID: 3, Email: "gone@example.org", Disabled: true},
		},
		keys: map[string]scout.APIKey{},
	}
	a := mustNew(t, creds)
	all := []scout.Scope{scout.ScopeRead, scout.ScopeWrite, scout.ScopeEnrich, scout.ScopeAdmin}
	readKey := creds.addKey(t, scout.APIKey{ID: 10, UserID: 1, Scopes: []scout.Scope{scout.ScopeRead}})
	greedyKey := creds.addKey(t, scout.APIKey{ID: 11, UserID: 1, Scopes: all})
	adminKey := creds.addKey(t, scout.APIKey{ID: 12, UserID: 2, Scopes: all})
	adminReadKey := creds.addKey(t, scout.APIKey{ID: 13, UserID: 2, Scopes: []scout.Scope{scout.ScopeRead}})
	revokedKey := creds.addKey(t, scout.APIKey{ID: 14, UserID: 1, Scopes: all, RevokedAt: testNow.Add(-time.Hour)})
	expiredKey := creds.addKey(t, scout.APIKey{ID: 15, UserID: 1, Scopes: all, ExpiresAt: testNow.Add(-time.Second)})
	futureKey := creds.addKey(t, scout.APIKey{ID: 16, UserID: 1, Scopes: all, ExpiresAt: testNow.Add(time.Hour)})
	disabledKey := creds.addKey(t, scout.APIKey{ID: 17, UserID: 3, Scopes: all})
	orphanKey := creds.addKey(t, scout.APIKey{ID: 18, UserID: 99, Scopes: all})
	unknownKey, _, _, _ := auth.NewAPIKey()

	tests := []struct {
		name   string
		bearer string
		want   auth.Principal
		reason string // non-empty when ErrUnauthenticated is expected
	}{
		{"a user's token gets the user's scopes", mustTokens(t, a, 1).Access,
			auth.Principal{UserID: 1, Scopes: all[:3]}, ""},
		{"an admin's token gets admin", mustTokens(t, a, 2).Access,
			auth.Principal{UserID: 2, Admin: true, UserAdmin: true, Scopes: all}, ""},
		{"a read key gets read only", readKey,
			auth.Principal{UserID: 1, KeyID: 10, Scopes: all[:1]}, ""},
		{"a non-admin's key never gets admin", greedyKey,
			auth.Principal{UserID: 1, KeyID: 11, Scopes: all[:3]}, ""},
		{"an admin's admin key gets admin", adminKey,
			auth.Principal{UserID: 2, Admin: true, UserAdmin: true, KeyID: 12, Scopes: all}, ""},
		{"an admin's read key is not admin", adminReadKey,
			auth.Principal{UserID: 2, UserAdmin: true, KeyID: 13, Scopes: all[:1]}, ""},
		{"a key expiring later works", futureKey,
			auth.Principal{UserID: 1, KeyID: 16, Scopes: all[:3]}, ""},
		{"nothing is refused", "", auth.Principal{}, "missing credentials"},
		{"garbage is refused", "hello", auth.Principal{}, "malformed token"},
		{"a disabled user's token is refused", disabledUserToken(t, a), auth.Principal{}, "user disabled"},
		{"a refresh token is refused", mustTokens(t, a, 1).Refresh, auth.Principal{}, "not an access token"},
		{"a token for a deleted user is refused", mustTokens(t, a, 99).Access, auth.Principal{}, "unknown user"},
		{"an unknown key is refused", unknownKey, auth.Principal{}, "unknown api key"},
		{"a revoked key is refused", revokedKey, auth.Principal{}, "api key revoked or expired"},
		{"an expired key is refused", expiredKey, auth.Principal{}, "api key revoked or expired"},
		{"a disabled user's key is refused", disabledKey, auth.Principal{}, "user disabled"},
		{"a key whose user is gone is refused", orphanKey, auth.Principal{}, "unknown user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.Authenticate(context.Background(), tt.bearer)
			checkUnauthenticated(t, err, tt.reason)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthenticatePassesLookupFailuresThrough(t *testing.T) {
	boom := errors.New("database is down")
	creds := &memCreds{err: boom}
	a := mustNew(t, creds)
	key, _, _, _ := auth.NewAPIKey()
	for _, bearer := range []string{key, mustTokens(t, a, 1).Access} {
		_, err := a.Authenticate(context.Background(), bearer)
		if !errors.Is(err, boom) || errors.Is(err, scout.ErrUnauthenticated) {
			t.Errorf("Authenticate(%.10s...) = %v, want the lookup error and not unauthenticated", bearer, err)
		}
	}
}

func TestRefresh(t *testing.T) {
	creds := &memCreds{users: map[int64]scout.User{1: {ID: 1}, 3: {ID: 3}}}
	a := mustNew(t, creds)
	ok, err := a.StartSession(context.Background(), creds.users[1], auth.SessionMeta{UserAgent: "test"})
	if err != nil {
		t.Fatal(err)
	}
	disabled, _ := a.StartSession(context.Background(), creds.users[3], auth.SessionMeta{})
	creds.users[3] = scout.User{ID: 3, Disabled: true}

	got, err := a.Refresh(context.Background(), ok.Refresh)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if id, err := a.VerifyAccess(got.Access, testNow); err != nil || id != 1 || got.Refresh == ok.Refresh {
		t.Errorf("VerifyAccess(refreshed) = %d, %v; want 1, nil and a new refresh token", id, err)
	}
	_, err = a.Refresh(context.Background(), ok.Access)
	checkUnauthenticated(t, err, "not a refresh token")
	_, err = a.Refresh(context.Background(), disabled.Refresh)
	checkUnauthenticated(t, err, "user disabled")
	_, err = a.Refresh(context.Background(), mustTokens(t, a, 1).Refresh)
	checkUnauthenticated(t, err, "refresh token belongs to no session")

	// The first token was rotated away: using it again revokes the session,
	// so the newer token stops working too.
	_, err = a.Refresh(context.Background(), ok.Refresh)
	checkUnauthenticated(t, err, "refresh token already used; the session is revoked")
	_, err = a.Refresh(context.Background(), got.Refresh)
	checkUnauthenticated(t, err, "session ended")
}

// memSessions is the in-memory session table of memCreds.
type memSessions map[int64]*scout.Session

func (m *memCreds) CreateSession(_ context.Context, s scout.Session) (scout.Session, error) {
	if m.sessions == nil {
		m.sessions = memSessions{}
	}
	s.ID = int64(len(m.sessions) + 1)
	m.sessions[s.ID] = &s
	return s, nil
}

func (m *memCreds) GetSession(_ context.Context, id int64) (scout.Session, error) {
	s, ok := m.sessions[id]
	if !ok {
		return scout.Session{}, scout.ErrNotFound
	}
	return *s, nil
}

func (m *memCreds) RotateSession(_ context.Context, id int64, from, to string, expires time.Time) error {
	s, ok := m.sessions[id]
	switch {
	case !ok:
		return scout.ErrNotFound
	case s.TokenID != from || !s.RevokedAt.IsZero():
		return scout.ErrConflict
	}
	s.TokenID, s.ExpiresAt = to, expires
	return nil
}

func (m *memCreds) RevokeSession(_ context.Context, userID, id int64, reason string) error {
	s, ok := m.sessions[id]
	if !ok || (userID != 0 && s.UserID != userID) {
		return scout.ErrNotFound
	}
	if s.RevokedAt.IsZero() {
		s.RevokedAt, s.RevokeReason = testNow, reason
	}
	return nil
}

func (m *memCreds) RevokeUserSessions(_ context.Context, userID int64, reason string) (int, error) {
	n := 0
	for _, s := range m.sessions {
		if s.UserID == userID && s.RevokedAt.IsZero() {
			s.RevokedAt, s.RevokeReason = testNow, reason
			n++
		}
	}
	return n, nil
}

// mustTokens issues a token pair at testNow for user id.
func mustTokens(tb testing.TB, a *auth.Authenticator, id int64) auth.TokenPair {
	tb.Helper()
	p, err := a.IssueTokens(scout.User{ID: id}, testNow)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// disabledUserToken returns an access token for user 3, issued while the user
// was still enabled.
func disabledUserToken(tb testing.TB, a *auth.Authenticator) string {
	tb.Helper()
	return mustTokens(tb, a, 3).Access
}

// checkUnauthenticated fails t unless err is nil when reason is empty, or
// wraps scout.ErrUnauthenticated and reads "reason: unauthenticated".
func checkUnauthenticated(tb testing.TB, err error, reason string) {
	tb.Helper()
	if reason == "" {
		if err != nil {
			tb.Fatalf("err = %v, want nil", err)
		}
		return
	}
	if !errors.Is(err, scout.ErrUnauthenticated) {
		tb.Fatalf("err = %v, want one wrapping ErrUnauthenticated", err)
	}
	if want := reason + ": unauthenticated"; err.Error() != want {
		tb.Errorf("err = %q, want %q", err, want)
	}
}

func BenchmarkAuthenticate(b *testing.B) {
	creds := &memCreds{users: map[int64]scout.User{1: {ID: 1}}, keys: map[string]scout.APIKey{}}
	a := mustNew(b, creds)
	key := creds.addKey(b, scout.APIKey{ID: 10, UserID: 1, Scopes: []scout.Scope{scout.ScopeRead}})
	for _, bm := range []struct{ name, bearer string }{
		{"jwt", mustTokens(b, a, 1).Access},
		{"api_key", key},
	} {
		b.Run(bm.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				if _, err := a.Authenticate(ctx, bm.bearer); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
