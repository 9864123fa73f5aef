package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// User is a person or service account as the API shows it: never the
// password hash or feed token.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Admin     bool      `json:"admin"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

func userDTO(u scout.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Admin: u.Admin, Disabled: u.Disabled,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC(), Version: u.Version}
}

// UserOutput is one user.
type UserOutput struct{ Body User }

// UserListOutput is a page of users.
type UserListOutput struct {
	Body struct {
		Users []User `json:"users"`
		Next  string `json:"next,omitempty" doc:"cursor of the next page; absent on the last"`
	}
}

// CreateUserInput is a new account.
type CreateUserInput struct {
	Body struct {
		Email    string `json:"email" minLength:"3" maxLength:"254"`
		Name     string `json:"name,omitempty" maxLength:"200"`
		Password string `json:"password" minLength:"1" maxLength:"1024" doc:"at least 12 characters"`
		Admin    bool   `json:"admin,omitempty"`
	}
}

// UpdateUserInput changes a user; absent fields stay as they are.
type UpdateUserInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Name     *string `json:"name,omitempty" maxLength:"200"`
		Disabled *bool   `json:"disabled,omitempty" doc:"a disabled user cannot log in; their tokens and keys stop working"`
		Admin    *bool   `json:"admin,omitempty"`
	}
}

// PageInput is a cursor and a page size.
type PageInput struct {
	Cursor string `query:"cursor" maxLength:"512" doc:"the next cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (p PageInput) page() store.PageRequest {
	return store.PageRequest{Cursor: p.Cursor, Limit: p.Limit}
}

func (h *Handler) registerUsers(api huma.API) {
	create := op("createUser", http.MethodPost, "/v1/users", "Create a user (admin)", scout.ScopeAdmin, "users")
	create.DefaultStatus = http.StatusCreated
	create.Errors = append(create.Errors, http.StatusConflict)
	huma.Register(api, create, h.createUser)
	huma.Register(api, op("listUsers", http.MethodGet, "/v1/users", "List users (admin)", scout.ScopeAdmin, "users"), h.listUsers)
	upd := op("updateUser", http.MethodPatch, "/v1/users/{id}", "Disable, enable, rename or promote a user (admin)", scout.ScopeAdmin, "users")
	upd.Errors = append(upd.Errors, http.StatusNotFound)
	huma.Register(api, upd, h.updateUser)
}

func (h *Handler) createUser(ctx context.Context, in *CreateUserInput) (*UserOutput, error) {
	hash, err := h.auth.HashPassword(ctx, in.Body.Password)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	u, err := h.st.CreateUser(ctx, scout.User{Email: scout.NormalizeEmail(in.Body.Email), Name: in.Body.Name,
		PasswordHash: hash, Admin: in.Body.Admin})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &UserOutput{Body: userDTO(u)}, nil
}

func (h *Handler) listUsers(ctx context.Context, in *PageInput) (*UserListOutput, error) {
	p, err := h.st.ListUsers(ctx, in.page())
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &UserListOutput{}
	out.Body.Users, out.Body.Next = mapSlice(p.Items, userDTO), p.Next
	return out, nil
}

func (h *Handler) updateUser(ctx context.Context, in *UpdateUserInput) (*UserOutput, error) {
	b := in.Body
	if in.ID == principal(ctx).UserID && ((b.Disabled != nil && *b.Disabled) || (b.Admin != nil && !*b.Admin)) {
		return nil, h.problem(ctx, scout.Invalid("disabled", "an admin cannot disable or demote themselves"))
	}
	u, err := h.st.UpdateUser(ctx, in.ID, store.UserUpdate{Name: b.Name, Disabled: b.Disabled, Admin: b.Admin})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &UserOutput{Body: userDTO(u)}, nil
}
