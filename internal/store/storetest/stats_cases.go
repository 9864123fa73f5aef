package storetest

import (
	"testing"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// testHasPrivateSources checks the test the API uses to let callers share
// the public view's numbers: only a live, non-public source of the user's
// own counts.
func testHasPrivateSources(t *testing.T, s store.Store, _ *Clock) {
	alice := mustUser(t, s, "alice@example.org", false)
	bob := mustUser(t, s, "bob@example.org", false)
	mustSource(t, s, 0, "https://example.org/shared", scout.VisibilityPublic)
	mustSource(t, s, alice.ID, "https://example.org/alice-public", scout.VisibilityPublic)
	want := func(what string, u scout.User, want bool) {
		t.Helper()
		got, err := s.HasPrivateSources(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%s: HasPrivateSources(%s) = %v, want %v", what, u.Email, got, want)
		}
	}
	want("only public sources", alice, false)
	priv := mustSource(t, s, alice.ID, "https://example.org/alice-private", scout.VisibilityPrivate)
	want("a private source", alice, true)
	want("another user's private source", bob, false)
	public := scout.VisibilityPublic
	if _, err := s.UpdateSource(ctx, priv.ID, store.SourceUpdate{Visibility: &public}); err != nil {
		t.Fatal(err)
	}
	want("the source made public", alice, false)
	priv = mustSource(t, s, alice.ID, "https://example.org/alice-private-2", scout.VisibilityPrivate)
	want("a second private source", alice, true)
	if err := s.DeleteSource(ctx, priv.ID); err != nil {
		t.Fatal(err)
	}
	want("the private source deleted", alice, false)
}
