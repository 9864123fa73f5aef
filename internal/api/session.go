package api

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// Session is one login as its user sees it.
type Session struct {
	ID         int64     `json:"id"`
	UserAgent  string    `json:"user_agent,omitempty" doc:"the User-Agent of the login"`
	Address    string    `json:"address,omitempty" doc:"the client address of the login"`
	Current    bool      `json:"current,omitempty" doc:"the session of the credential making this request"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at" doc:"the login or the latest refresh"`
	ExpiresAt  time.Time `json:"expires_at" doc:"when its refresh token expires unless refreshed"`
}

// SessionListOutput is a user's live sessions, newest first.
type SessionListOutput struct {
	Body struct {
		Sessions []Session `json:"sessions"`
	}
}

// UserSessionsInput names a user.
type UserSessionsInput struct {
	UserID int64 `path:"id" minimum:"1"`
}

// SessionInput names one of the caller's sessions.
type SessionInput struct {
	ID int64 `path:"id" minimum:"1"`
}

// UserSessionInput names one session of a user.
type UserSessionInput struct {
	UserID int64 `path:"id" minimum:"1"`
	ID     int64 `path:"session" minimum:"1"`
}

func (h *Handler) registerSessions(api huma.API) {
	// What happens to a revoked session's tokens, said on every operation
	// that revokes one.
	ends := "Its refresh token stops working at once, and so do its access tokens: on this server at once, " +
		"on other replicas within " + h.auth.SessionCheckTTL().String() + "."
	out := op("logout", http.MethodPost, "/v1/auth/logout", "End the session of this access token", "", "auth")
	out.DefaultStatus = http.StatusNoContent
	out.Description = "Revokes the session the access token belongs to. " + ends + " An API key has no session (422): revoke the key instead."
	huma.Register(api, out, h.logout)
	huma.Register(api, op("listMySessions", http.MethodGet, "/v1/me/sessions", "Your live sessions", scout.ScopeRead, "auth"), h.listMySessions)
	mine := withNotFound(op("revokeMySession", http.MethodDelete, "/v1/me/sessions/{id}", "Revoke one of your sessions", scout.ScopeWrite, "auth"))
	mine.DefaultStatus, mine.Description = http.StatusNoContent, "Revokes one of your sessions (a lost phone). "+ends
	huma.Register(api, mine, h.revokeMySession)
	huma.Register(api, withNotFound(op("listUserSessions", http.MethodGet, "/v1/users/{id}/sessions", "A user's live sessions (admin)", scout.ScopeAdmin, "users")), h.listUserSessions)
	theirs := withNotFound(op("revokeUserSession", http.MethodDelete, "/v1/users/{id}/sessions/{session}", "Revoke a session of a user (admin)", scout.ScopeAdmin, "users"))
	theirs.DefaultStatus, theirs.Description = http.StatusNoContent, "Revokes one session of a user. "+ends
	huma.Register(api, theirs, h.revokeUserSession)
	all := withNotFound(op("revokeUserSessions", http.MethodDelete, "/v1/users/{id}/sessions", "Revoke every session of a user (admin)", scout.ScopeAdmin, "users"))
	all.DefaultStatus, all.Description = http.StatusNoContent, "Revokes every live session of a user. "+ends
	huma.Register(api, all, h.revokeUserSessions)
}

func (h *Handler) logout(ctx context.Context, _ *struct{}) (*struct{}, error) {
	if err := h.auth.EndSession(ctx, principal(ctx)); err != nil {
		return nil, h.problem(ctx, err)
	}
	return nil, nil
}

func (h *Handler) listMySessions(ctx context.Context, _ *struct{}) (*SessionListOutput, error) {
	p := principal(ctx)
	return h.sessionList(ctx, p.UserID, p.SessionID)
}

func (h *Handler) revokeMySession(ctx context.Context, in *SessionInput) (*struct{}, error) {
	if err := h.auth.RevokeSession(ctx, principal(ctx).UserID, in.ID, auth.RevokedByUser); err != nil {
		return nil, h.problem(ctx, err)
	}
	return nil, nil
}

func (h *Handler) listUserSessions(ctx context.Context, in *UserSessionsInput) (*SessionListOutput, error) {
	if _, err := h.st.GetUser(ctx, in.UserID); err != nil {
		return nil, h.problem(ctx, err)
	}
	return h.sessionList(ctx, in.UserID, principal(ctx).SessionID)
}

func (h *Handler) revokeUserSession(ctx context.Context, in *UserSessionInput) (*struct{}, error) {
	if err := h.auth.RevokeSession(ctx, in.UserID, in.ID, auth.RevokedByUser); err != nil {
		return nil, h.problem(ctx, err)
	}
	return nil, nil
}

func (h *Handler) revokeUserSessions(ctx context.Context, in *UserSessionsInput) (*struct{}, error) {
	if _, err := h.st.GetUser(ctx, in.UserID); err != nil {
		return nil, h.problem(ctx, err)
	}
	if _, err := h.auth.RevokeUserSessions(ctx, in.UserID, auth.RevokedByUser); err != nil {
		return nil, h.problem(ctx, err)
	}
	return nil, nil
}

func (h *Handler) sessionList(ctx context.Context, userID, current int64) (*SessionListOutput, error) {
	list, err := h.st.ListSessions(ctx, userID)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &SessionListOutput{}
	out.Body.Sessions = mapSlice(list, func(s scout.Session) Session {
		return Session{ID: s.ID, UserAgent: s.UserAgent, Address: s.Address, Current: s.ID == current && current != 0,
			CreatedAt: s.CreatedAt.UTC(), LastUsedAt: s.LastUsedAt.UTC(), ExpiresAt: s.ExpiresAt.UTC()}
	})
	return out, nil
}

// sessionMeta describes the client of a login from its request, as text
// any store keeps: valid UTF-8, no control characters, bounded.
func sessionMeta(ctx context.Context, userAgent string) auth.SessionMeta {
	ua := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(userAgent, ""))
	return auth.SessionMeta{UserAgent: truncateRunes(ua, scout.MaxSessionUserAgent), Address: truncateRunes(clientIPFrom(ctx), scout.MaxSessionAddress)}
}
