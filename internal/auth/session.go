package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Sessions are the lookups refresh-token rotation needs; the store
// implements them. See store.Store for the contract of each method.
type Sessions interface {
	CreateSession(ctx context.Context, s scout.Session) (scout.Session, error)
	GetSession(ctx context.Context, id int64) (scout.Session, error)
	RotateSession(ctx context.Context, id int64, from, to string, expires time.Time) error
	RevokeSession(ctx context.Context, userID, id int64, reason string) error
	RevokeUserSessions(ctx context.Context, userID int64, reason string) (int, error)
}

// Reasons a session was revoked, as stored.
const (
	RevokedLogout = "logout"
	RevokedByUser = "revoked"
	RevokedReuse  = "reuse"
)

// ErrNoSessions means the Authenticator was built over credentials that do
// not keep sessions, so it cannot log in or refresh.
var ErrNoSessions = errors.New("credentials keep no sessions")

// SessionMeta describes the client starting a session, for the people who
// later list their sessions.
type SessionMeta struct {
	UserAgent string
	Address   string
}

// StartSession opens a session for user (a successful login) and issues its
// first token pair: the refresh token names the session and carries the one
// token id the session accepts next.
func (a *Authenticator) StartSession(ctx context.Context, user scout.User, meta SessionMeta) (TokenPair, error) {
	if a.sessions == nil {
		return TokenPair{}, fmt.Errorf("start session: %w", ErrNoSessions)
	}
	if user.Disabled {
		return TokenPair{}, fmt.Errorf("start session for user %d: %w", user.ID, unauthenticated("user disabled"))
	}
	now := a.now()
	jti, err := randomID()
	if err != nil {
		return TokenPair{}, fmt.Errorf("start session: %w", err)
	}
	s, err := a.sessions.CreateSession(ctx, scout.Session{UserID: user.ID, TokenID: jti, UserAgent: meta.UserAgent,
		Address: meta.Address, ExpiresAt: now.Add(a.refreshTTL)})
	if err != nil {
		return TokenPair{}, fmt.Errorf("start session for user %d: %w", user.ID, err)
	}
	return a.issue(user, s.ID, jti, now)
}

// Refresh trades a refresh token for a new pair and retires the old token.
// Threat: a refresh token lives for weeks, so one that leaks (a log, a
// backup, a stolen device) must not stay usable beside its owner's. Each
// refresh rotates the session's token id; a refresh token whose id is no
// longer the session's current one has been used already, so either its
// owner or a thief holds a newer one, and the whole session is revoked:
// both must log in again, and only the owner can. Errors are as for
// Authenticate.
func (a *Authenticator) Refresh(ctx context.Context, refresh string) (TokenPair, error) {
	now := a.now()
	c, err := a.verifyClaims(typRefresh, refresh, now)
	if err != nil {
		return TokenPair{}, err
	}
	if c.Sid <= 0 || c.ID == "" {
		return TokenPair{}, unauthenticated("refresh token belongs to no session")
	}
	if a.sessions == nil {
		return TokenPair{}, fmt.Errorf("refresh: %w", ErrNoSessions)
	}
	s, err := a.sessions.GetSession(ctx, c.Sid)
	if errors.Is(err, scout.ErrNotFound) {
		return TokenPair{}, unauthenticated("session ended")
	}
	if err != nil {
		return TokenPair{}, fmt.Errorf("refresh session %d: %w", c.Sid, err)
	}
	uid, _ := c.userID()
	if s.UserID != uid || !s.Active(now) {
		return TokenPair{}, unauthenticated("session ended")
	}
	user, err := a.activeUser(ctx, s.UserID)
	if err != nil {
		return TokenPair{}, err
	}
	next, err := randomID()
	if err != nil {
		return TokenPair{}, fmt.Errorf("refresh: %w", err)
	}
	err = a.sessions.RotateSession(ctx, s.ID, c.ID, next, now.Add(a.refreshTTL))
	if errors.Is(err, scout.ErrConflict) {
		if err := a.RevokeSession(ctx, 0, s.ID, RevokedReuse); err != nil {
			return TokenPair{}, fmt.Errorf("revoke reused session %d: %w", s.ID, err)
		}
		return TokenPair{}, unauthenticated("refresh token already used; the session is revoked")
	}
	if err != nil {
		return TokenPair{}, fmt.Errorf("refresh session %d: %w", s.ID, err)
	}
	return a.issue(user, s.ID, next, now)
}

// EndSession revokes the session of p's access token (a logout). An API key
// has no session: ErrInvalid.
func (a *Authenticator) EndSession(ctx context.Context, p Principal) error {
	if p.SessionID == 0 {
		return scout.Invalid("authorization", "this credential has no session to end (an API key is revoked instead)")
	}
	if a.sessions == nil {
		return fmt.Errorf("end session: %w", ErrNoSessions)
	}
	return a.RevokeSession(ctx, p.UserID, p.SessionID, RevokedLogout)
}

// RevokeSession revokes session id of userID (0: of anyone) with reason,
// and stops accepting the session's access tokens: at once here, and on
// other replicas once their check of the session is older than
// Options.SessionCheckTTL. Errors are the store's (scout.ErrNotFound for a
// session that is not userID's).
func (a *Authenticator) RevokeSession(ctx context.Context, userID, id int64, reason string) error {
	if a.sessions == nil {
		return fmt.Errorf("revoke session: %w", ErrNoSessions)
	}
	defer a.live.forget(userID, id)
	return a.sessions.RevokeSession(ctx, userID, id, reason)
}

// RevokeUserSessions revokes every live session of userID, as
// RevokeSession does one, and returns how many it revoked.
func (a *Authenticator) RevokeUserSessions(ctx context.Context, userID int64, reason string) (int, error) {
	if a.sessions == nil {
		return 0, fmt.Errorf("revoke sessions: %w", ErrNoSessions)
	}
	defer a.live.forget(userID, 0)
	return a.sessions.RevokeUserSessions(ctx, userID, reason)
}

// checkSession refuses an access token of session sid unless the session
// belongs to userID and is not revoked. Threat: an access token copied
// before a logout (or before its session was revoked as stolen) would
// otherwise work until it expires. The answer is cached for
// Options.SessionCheckTTL.
func (a *Authenticator) checkSession(ctx context.Context, sid, userID int64) error {
	now := a.now()
	ok, gen := a.live.live(sid, userID, now)
	if ok {
		return nil
	}
	if a.sessions == nil {
		return unauthenticated("session cannot be checked")
	}
	s, err := a.sessions.GetSession(ctx, sid)
	if errors.Is(err, scout.ErrNotFound) {
		return unauthenticated("session ended")
	}
	if err != nil {
		return fmt.Errorf("check session %d: %w", sid, err)
	}
	if s.UserID != userID || !s.RevokedAt.IsZero() {
		return unauthenticated("session ended")
	}
	a.live.remember(sid, userID, now, gen)
	return nil
}
