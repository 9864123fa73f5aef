package storetest

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testUsers(t *testing.T, s store.Store, _ *Clock) {
	u := mustUser(t, s, "Ada@Example.org", true)
	if u.ID == 0 || u.Email != "ada@example.org" || !u.Admin || u.Version != 1 || u.CreatedAt.IsZero() {
		t.Fatalf("created user = %+v", u)
	}
	if _, err := s.CreateUser(ctx, scout.User{Email: "ada@example.org"}); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("duplicate e-mail: err = %v, want ErrConflict", err)
	}
	if _, err := s.CreateUser(ctx, scout.User{Email: "not an address"}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("bad e-mail: err = %v, want ErrInvalid", err)
	}
	got, err := s.GetUserByEmail(ctx, " ADA@example.org ")
	if err != nil || got.ID != u.ID {
		t.Fatalf("get by e-mail = %+v, %v", got, err)
	}
	if _, err := s.GetUser(ctx, u.ID+100); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("missing user: err = %v, want ErrNotFound", err)
	}
	disabled := true
	up, err := s.UpdateUser(ctx, u.ID, store.UserUpdate{Disabled: &disabled})
	if err != nil || !up.Disabled || up.Version != 2 || up.Name != u.Name {
		t.Fatalf("update = %+v, %v", up, err)
	}
	if _, err := s.UpdateUser(ctx, u.ID+100, store.UserUpdate{Disabled: &disabled}); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("update missing: err = %v", err)
	}
	for _, e := range []string{"b@example.org", "c@example.org", "d@example.org"} {
		mustUser(t, s, e, false)
	}
	var seen []int64
	p := store.PageRequest{Limit: 3}
	for {
		page, err := s.ListUsers(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Items {
			seen = append(seen, u.ID)
		}
		if page.Next == "" {
			break
		}
		p.Cursor = page.Next
	}
	if len(seen) != 4 {
		t.Fatalf("paged users = %v, want 4", seen)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 4 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if _, err := s.ListUsers(ctx, store.PageRequest{Cursor: "!!garbage"}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("bad cursor: err = %v, want ErrInvalid", err)
	}
}

func testAPIKeys(t *testing.T, s store.Store, c *Clock) {
	a := mustUser(t, s, "a@example.org", false)
	b := mustUser(t, s, "b@example.org", false)
	h := sha256.Sum256([]byte("sk_test_secret"))
	k, err := s.CreateAPIKey(ctx, scout.APIKey{UserID: a.ID, Name: "ai", Prefix: "sk_test", Hash: h[:],
		Scopes: []scout.Scope{scout.ScopeRead, scout.ScopeEnrich}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIKey(ctx, scout.APIKey{UserID: a.ID, Prefix: "sk_x", Hash: h[:], Scopes: []scout.Scope{"root"}}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("unknown scope: err = %v", err)
	}
	if _, err := s.CreateAPIKey(ctx, scout.APIKey{UserID: a.ID, Prefix: "sk_other", Hash: h[:]}); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("duplicate hash: err = %v", err)
	}
	got, err := s.GetAPIKeyByHash(ctx, h[:])
	if err != nil || got.ID != k.ID || !got.HasScope(scout.ScopeEnrich) || got.HasScope(scout.ScopeAdmin) || !got.Active(c.Now()) {
		t.Fatalf("get by hash = %+v, %v", got, err)
	}
	other := sha256.Sum256([]byte("nope"))
	if _, err := s.GetAPIKeyByHash(ctx, other[:]); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("unknown hash: err = %v", err)
	}
	if err := s.RevokeAPIKey(ctx, b.ID, k.ID); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("revoke by another user: err = %v, want ErrNotFound", err)
	}
	if err := s.TouchAPIKey(ctx, k.ID, c.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAPIKey(ctx, a.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetAPIKeyByHash(ctx, h[:])
	if got.Active(c.Now()) || got.LastUsedAt.IsZero() {
		t.Fatalf("after revoke = %+v", got)
	}
	keys, err := s.ListAPIKeys(ctx, a.ID)
	if err != nil || len(keys) != 1 {
		t.Fatalf("list = %v, %v", keys, err)
	}
	if keys, _ := s.ListAPIKeys(ctx, b.ID); len(keys) != 0 {
		t.Fatalf("b sees a's keys: %v", keys)
	}
	_ = time.Second
}
