package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// APIKey describes a key without its secret.
type APIKey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"the visible start of the key, to recognise it"`
	Scopes     []string   `json:"scopes"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
}

func apiKeyDTO(k scout.APIKey) APIKey {
	return APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Scopes: nonNil(mapSlice(k.Scopes, func(s scout.Scope) string { return string(s) })),
		LastUsedAt: timePtr(k.LastUsedAt), ExpiresAt: timePtr(k.ExpiresAt), RevokedAt: timePtr(k.RevokedAt), CreatedAt: k.CreatedAt.UTC()}
}

// CreateAPIKeyInput is a new key.
type CreateAPIKeyInput struct {
	Body struct {
		Name             string   `json:"name" minLength:"1" maxLength:"100"`
		Scopes           []string `json:"scopes" minItems:"1" maxItems:"4" uniqueItems:"true" enum:"read,write,enrich,admin"`
		ExpiresInSeconds int64    `json:"expires_in_seconds,omitempty" minimum:"60" maximum:"31622400" doc:"absent: the key does not expire"`
	}
}

// CreateAPIKeyOutput carries the key itself, shown this once.
type CreateAPIKeyOutput struct {
	Body struct {
		Key    string `json:"key" doc:"the whole key; it is not stored and cannot be shown again"`
		APIKey APIKey `json:"api_key"`
	}
}

// APIKeyListOutput lists the caller's keys.
type APIKeyListOutput struct {
	Body struct {
		APIKeys []APIKey `json:"api_keys"`
	}
}

// IDInput names a resource by id.
type IDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

func (h *Handler) registerAPIKeys(api huma.API) {
	create := op("createAPIKey", http.MethodPost, "/v1/api-keys", "Create an API key for yourself", scout.ScopeWrite, "api-keys")
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, h.createAPIKey)
	huma.Register(api, op("listAPIKeys", http.MethodGet, "/v1/api-keys", "List your API keys", scout.ScopeRead, "api-keys"), h.listAPIKeys)
	rev := op("revokeAPIKey", http.MethodDelete, "/v1/api-keys/{id}", "Revoke one of your API keys", scout.ScopeWrite, "api-keys")
	rev.DefaultStatus = http.StatusNoContent
	rev.Errors = append(rev.Errors, http.StatusNotFound)
	huma.Register(api, rev, h.revokeAPIKey)
}

func (h *Handler) createAPIKey(ctx context.Context, in *CreateAPIKeyInput) (*CreateAPIKeyOutput, error) {
	p := principal(ctx)
	scopes := mapSlice(in.Body.Scopes, func(s string) scout.Scope { return scout.Scope(s) })
	for _, s := range scopes {
		// A key never grants more than the credential that made it.
		if !p.Can(s) {
			return nil, huma.Error403Forbidden("cannot grant the " + string(s) + " scope: this credential lacks it")
		}
	}
	plain, prefix, hash, err := auth.NewAPIKey()
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	k := scout.APIKey{UserID: p.UserID, Name: in.Body.Name, Prefix: prefix, Hash: hash, Scopes: slices.Compact(scopes)}
	if in.Body.ExpiresInSeconds > 0 {
		k.ExpiresAt = h.now().Add(time.Duration(in.Body.ExpiresInSeconds) * time.Second)
	}
	if k, err = h.st.CreateAPIKey(ctx, k); err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &CreateAPIKeyOutput{}
	out.Body.Key, out.Body.APIKey = plain, apiKeyDTO(k)
	return out, nil
}

func (h *Handler) listAPIKeys(ctx context.Context, _ *struct{}) (*APIKeyListOutput, error) {
	keys, err := h.st.ListAPIKeys(ctx, principal(ctx).UserID)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &APIKeyListOutput{}
	out.Body.APIKeys = nonNil(mapSlice(keys, apiKeyDTO))
	return out, nil
}

func (h *Handler) revokeAPIKey(ctx context.Context, in *IDInput) (*struct{}, error) {
	if err := h.st.RevokeAPIKey(ctx, principal(ctx).UserID, in.ID); err != nil {
		return nil, h.problem(ctx, err)
	}
	return nil, nil
}
