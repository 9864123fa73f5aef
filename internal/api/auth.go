package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// TokenInput is a login.
type TokenInput struct {
	UserAgent string `header:"User-Agent" doc:"shown in the session list"`
	Body      struct {
		Email    string `json:"email" maxLength:"254" doc:"the account's e-mail"`
		Password string `json:"password" maxLength:"1024" doc:"the account's password"`
	}
}

// RefreshInput trades a refresh token for a new pair.
type RefreshInput struct {
	Body struct {
		RefreshToken string `json:"refresh_token" maxLength:"4096"`
	}
}

// TokenOutput is a token pair.
type TokenOutput struct {
	Body struct {
		AccessToken      string    `json:"access_token" doc:"send as Authorization: Bearer <access_token>"`
		TokenType        string    `json:"token_type" enum:"Bearer"`
		ExpiresIn        int64     `json:"expires_in" doc:"seconds until the access token expires"`
		ExpiresAt        time.Time `json:"expires_at"`
		RefreshToken     string    `json:"refresh_token" doc:"trade at POST /v1/auth/refresh for a new pair"`
		RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	}
}

// MeOutput is the caller.
type MeOutput struct {
	Body struct {
		User
		Scopes   []string `json:"scopes" doc:"what this credential may do"`
		APIKeyID int64    `json:"api_key_id,omitempty" doc:"the API key used, absent for a session token"`
	}
}

func (h *Handler) registerAuth(api huma.API) {
	tok := public("createToken", http.MethodPost, "/v1/auth/token", "Log in with e-mail and password", "auth")
	tok.Errors = append(tok.Errors, http.StatusUnauthorized, http.StatusTooManyRequests)
	huma.Register(api, tok, h.createToken)
	ref := public("refreshToken", http.MethodPost, "/v1/auth/refresh", "Trade a refresh token for a new token pair", "auth")
	ref.Errors = append(ref.Errors, http.StatusUnauthorized, http.StatusTooManyRequests)
	huma.Register(api, ref, h.refreshToken)
	huma.Register(api, op("getMe", http.MethodGet, "/v1/me", "The authenticated caller", "", "auth"), h.getMe)
	h.registerSessions(api)
}

// errBadLogin is the one answer to every failed login, so that it does not
// tell which of e-mail and password was wrong, or whether the account exists.
// It is made fresh each time: the problem transformer writes to it.
func errBadLogin() error { return huma.Error401Unauthorized("invalid e-mail or password") }

func (h *Handler) createToken(ctx context.Context, in *TokenInput) (*TokenOutput, error) {
	email := scout.NormalizeEmail(in.Body.Email)
	if err := h.admitLogin(clientIPFrom(ctx), email); err != nil {
		return nil, err
	}
	u, err := h.checkLogin(ctx, email, in.Body.Password)
	if err != nil {
		if errors.Is(err, errLoginFailed) {
			h.loginFailed(email)
			return nil, errBadLogin()
		}
		return nil, h.problem(ctx, err)
	}
	pair, err := h.auth.StartSession(ctx, u, sessionMeta(ctx, in.UserAgent))
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return tokenOutput(pair, h.now()), nil
}

// errLoginFailed is checkLogin's answer to a wrong e-mail or password.
var errLoginFailed = errors.New("login failed")

// checkLogin returns the enabled user whose password pw is, or
// errLoginFailed, taking as long for an unknown e-mail as for a wrong
// password.
func (h *Handler) checkLogin(ctx context.Context, email, pw string) (scout.User, error) {
	u, err := h.st.GetUserByEmail(ctx, email)
	if errors.Is(err, scout.ErrNotFound) {
		// Spend the time of a real check so timing does not reveal accounts.
		if err := h.auth.VerifyDummy(ctx, pw); err != nil {
			return scout.User{}, err
		}
		return scout.User{}, errLoginFailed
	}
	if err != nil {
		return scout.User{}, err
	}
	ok, err := h.auth.VerifyPassword(ctx, u.PasswordHash, pw)
	if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
		return scout.User{}, err
	}
	if !ok || u.Disabled {
		return scout.User{}, errLoginFailed
	}
	return u, nil
}

func (h *Handler) refreshToken(ctx context.Context, in *RefreshInput) (*TokenOutput, error) {
	pair, err := h.auth.Refresh(ctx, in.Body.RefreshToken)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return tokenOutput(pair, h.now()), nil
}

func (h *Handler) getMe(ctx context.Context, _ *struct{}) (*MeOutput, error) {
	p := principal(ctx)
	u, err := h.st.GetUser(ctx, p.UserID)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &MeOutput{}
	out.Body.User, out.Body.APIKeyID = userDTO(u), p.KeyID
	out.Body.Scopes = mapSlice(p.Scopes, func(s scout.Scope) string { return string(s) })
	return out, nil
}

func tokenOutput(p auth.TokenPair, now time.Time) *TokenOutput {
	out := &TokenOutput{}
	b := &out.Body
	b.AccessToken, b.TokenType, b.ExpiresAt = p.Access, "Bearer", p.AccessExpiresAt.UTC()
	b.ExpiresIn = int64(p.AccessExpiresAt.Sub(now).Round(time.Second) / time.Second)
	b.RefreshToken, b.RefreshExpiresAt = p.Refresh, p.RefreshExpiresAt.UTC()
	return out
}
