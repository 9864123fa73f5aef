package api

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/scout"
)

// Two replicas share one store, each with its own stats cache and its own
// outbox tail. A source made private through one replica leaves the other's
// cached numbers once that replica's tail has read the change, long before
// the numbers would expire.
func TestStatsForgetASourceMadePrivateOnAnotherReplica(t *testing.T) {
	one, clock := newStatsEnv(t)
	two := newEnv(t, func(o *Options) { o.Store, o.StatsTTL, o.Now = one.st, 30*time.Second, clock.Now })
	alice, bob := one.mustUser("alice@example.org", false), one.mustUser("bob@example.org", false)
	src := one.mustSource(alice.ID, "https://example.org/alice", scout.VisibilityPublic)
	one.mustItems(src, grantItem("a", "Alice's grant", time.Now().Add(-time.Hour)))
	if got := two.mustStats(bob.token); !slices.Contains(got.sources, src.Title) {
		t.Fatalf("bob on replica two before: sources %q, want alice's public one", got.sources)
	}
	tail := &event.Tail{Store: two.st, Bus: two.h.events}
	cursor, err := two.st.LatestEventID(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	r := one.do(http.MethodPatch, "/v1/sources/"+strconv.FormatInt(src.ID, 10), alice.token, map[string]any{"visibility": "private"})
	wantStatus(t, r, http.StatusOK, "make the source private on replica one")
	clock.Advance(time.Second) // well inside the TTL
	if _, err := tail.Step(t.Context(), cursor); err != nil {
		t.Fatal(err)
	}
	if got := two.mustStats(bob.token); slices.Contains(got.sources, src.Title) || got.items != 0 {
		t.Fatalf("bob on replica two after alice made her source private on replica one: %+v", got)
	}
}
