package scout

import "time"

// Session is one login: the chain of refresh tokens issued from it. Each
// refresh replaces TokenID, so exactly one refresh token of a session is
// valid at a time; presenting an older one revokes the session.
type Session struct {
	ID           int64
	UserID       int64
	TokenID      string // jti of the one refresh token that may be used next
	UserAgent    string // of the login, for people listing their sessions
	Address      string // client address of the login
	CreatedAt    time.Time
	LastUsedAt   time.Time // last login or refresh
	ExpiresAt    time.Time // when the current refresh token expires
	RevokedAt    time.Time // zero while the session lives
	RevokeReason string    // logout, revoked, reuse
}

// Limits of a Session's descriptive fields.
const (
	MaxSessionUserAgent = 256
	MaxSessionAddress   = 64
)

// Active reports whether the session can still be refreshed at now.
func (s Session) Active(now time.Time) bool {
	return s.RevokedAt.IsZero() && now.Before(s.ExpiresAt)
}
