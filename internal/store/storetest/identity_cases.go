package storetest

import (
	"errors"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testIdentities(t *testing.T, s store.Store, _ *Clock) {
	yes, no := true, false
	if _, err := s.GetUserByIdentity(ctx, "https://idp.example|alice"); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("unknown identity: %v", err)
	}
	if _, err := s.ProvisionIdentity(ctx, scout.ExternalIdentity{Key: "https://idp.example|alice", Email: "alice@example.org"}, false); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("provision without create for a new person: %v, want ErrNotFound", err)
	}
	u, err := s.ProvisionIdentity(ctx, scout.ExternalIdentity{Key: "https://idp.example|alice", Email: "Alice@example.org", Name: "Alice", Admin: &yes}, true)
	if err != nil || u.ID == 0 || u.Email != "alice@example.org" || !u.Admin || u.PasswordHash != "" {
		t.Fatalf("provisioned = %+v, %v", u, err)
	}
	again, err := s.ProvisionIdentity(ctx, scout.ExternalIdentity{Key: "https://idp.example|alice", Email: "changed@example.org", Admin: &no}, true)
	if err != nil || again.ID != u.ID || again.Admin || again.Email != "alice@example.org" {
		t.Fatalf("second use = %+v, %v (same user, role from the provider, e-mail kept)", again, err)
	}
	got, err := s.GetUserByIdentity(ctx, "https://idp.example|alice")
	if err != nil || got.ID != u.ID || got.Admin {
		t.Fatalf("by identity = %+v, %v", got, err)
	}
	// An existing local account is linked by e-mail; its role stays when the
	// provider says nothing about it.
	bob := mustUser(t, s, "bob@example.org", true)
	linked, err := s.ProvisionIdentity(ctx, scout.ExternalIdentity{Key: "https://idp.example|bob", Email: "BOB@example.org"}, false)
	if err != nil || linked.ID != bob.ID || !linked.Admin {
		t.Fatalf("linked = %+v, %v", linked, err)
	}
	if _, err := s.ProvisionIdentity(ctx, scout.ExternalIdentity{Key: "https://idp.example|x", Email: "not an address"}, true); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("bad e-mail: %v, want ErrInvalid", err)
	}
}
