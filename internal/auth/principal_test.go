package auth_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

func TestPrincipalInContext(t *testing.T) {
	if _, ok := auth.FromContext(context.Background()); ok {
		t.Error("FromContext(empty) reported a principal")
	}
	want := auth.Principal{UserID: 7, KeyID: 3, Scopes: []scout.Scope{scout.ScopeRead}}
	got, ok := auth.FromContext(auth.WithPrincipal(context.Background(), want))
	if !ok {
		t.Fatal("FromContext found no principal")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("principal (-want +got):\n%s", diff)
	}
}

func TestPrincipalCan(t *testing.T) {
	all := []scout.Scope{scout.ScopeRead, scout.ScopeWrite, scout.ScopeEnrich, scout.ScopeAdmin}
	tests := []struct {
		name  string
		p     auth.Principal
		scope scout.Scope
		want  bool
	}{
		{"a reader reads", auth.Principal{UserID: 1, Scopes: all[:1]}, scout.ScopeRead, true},
		{"a reader does not write", auth.Principal{UserID: 1, Scopes: all[:1]}, scout.ScopeWrite, false},
		{"an admin administers", auth.Principal{UserID: 1, Admin: true, Scopes: all}, scout.ScopeAdmin, true},
		{"an admin scope without the admin role is void", auth.Principal{UserID: 1, Scopes: all}, scout.ScopeAdmin, false},
		{"the admin role without the admin scope is void", auth.Principal{UserID: 1, Admin: true, Scopes: all[:3]}, scout.ScopeAdmin, false},
		{"nobody reads nothing", auth.Principal{Scopes: all}, scout.ScopeRead, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Can(tt.scope); got != tt.want {
				t.Errorf("Can(%s) = %v, want %v", tt.scope, got, tt.want)
			}
		})
	}
}

func TestPrincipalSourceAccess(t *testing.T) {
	var (
		owner  = auth.Principal{UserID: 1}
		other  = auth.Principal{UserID: 2}
		admin  = auth.Principal{UserID: 3, Admin: true}
		nobody = auth.Principal{}

		private   = &scout.Source{OwnerID: 1, Visibility: scout.VisibilityPrivate}
		public    = &scout.Source{OwnerID: 1, Visibility: scout.VisibilityPublic}
		installed = &scout.Source{OwnerID: 0, Visibility: scout.VisibilityPublic}
		hidden    = &scout.Source{OwnerID: 0, Visibility: scout.VisibilityPrivate}
	)
	tests := []struct {
		name      string
		p         auth.Principal
		s         *scout.Source
		see, edit bool
	}{
		{"the owner of a private source", owner, private, true, true},
		{"another user and a private source", other, private, false, false},
		{"an admin and a private source", admin, private, true, true},
		{"another user and a public source", other, public, true, false},
		{"a user and an installation source", owner, installed, true, false},
		{"a user and a private installation source", owner, hidden, false, false},
		{"an admin and an installation source", admin, installed, true, true},
		{"nobody and a public source", nobody, public, false, false},
		{"nobody and a private installation source", nobody, hidden, false, false},
		{"a user and no source", owner, nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.CanSeeSource(tt.s); got != tt.see {
				t.Errorf("CanSeeSource = %v, want %v", got, tt.see)
			}
			if got := tt.p.CanEditSource(tt.s); got != tt.edit {
				t.Errorf("CanEditSource = %v, want %v", got, tt.edit)
			}
		})
	}
}
