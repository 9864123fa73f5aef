package storetest

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func mustAdd(tb testing.TB, s store.Store, src scout.Source, wantCreated bool) scout.Source {
	tb.Helper()
	out, created, err := s.AddSource(ctx, src)
	if err != nil || created != wantCreated {
		tb.Fatalf("add %s %s %s for owner %d = created %v, %v; want created %v", src.Kind, src.URL, src.Config, src.OwnerID, created, err, wantCreated)
	}
	return out
}

func testSourceIdentity(t *testing.T, s store.Store, _ *Clock) {
	alice, bob := mustUser(t, s, "alice@example.org", false), mustUser(t, s, "bob@example.org", false)
	feed := mustAdd(t, s, scout.Source{OwnerID: alice.ID, URL: "HTTPS://Example.ORG:443/feed#latest"}, true)
	if feed.URL != "HTTPS://Example.ORG:443/feed#latest" {
		t.Fatalf("stored URL = %q, want it as given", feed.URL)
	}
	for _, same := range []string{"https://example.org/feed", "https://example.org./feed", "https://EXAMPLE.org/feed#top"} {
		if got := mustAdd(t, s, scout.Source{OwnerID: alice.ID, URL: same}, false); got.ID != feed.ID {
			t.Fatalf("adding %s returned source %d, want %d", same, got.ID, feed.ID)
		}
	}
	if _, err := s.CreateSource(ctx, scout.Source{OwnerID: alice.ID, URL: "https://example.org:443/feed"}); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("creating a second spelling of one feed: err = %v, want ErrConflict", err)
	}
	for _, other := range []string{"https://example.org/feed/", "https://example.org/Feed", "http://example.org/feed",
		"https://example.org:8443/feed", "https://example.org/feed?page=2"} {
		if got := mustAdd(t, s, scout.Source{OwnerID: alice.ID, URL: other}, true); got.ID == feed.ID {
			t.Fatalf("%s is another resource but was found as source %d", other, got.ID)
		}
	}
	// Another user's private source is theirs alone; a public one is shared.
	mustAdd(t, s, scout.Source{OwnerID: bob.ID, URL: "https://example.org/feed"}, true)
	public := mustAdd(t, s, scout.Source{URL: "https://grants.example/rss", Visibility: scout.VisibilityPublic}, true)
	if got := mustAdd(t, s, scout.Source{OwnerID: alice.ID, URL: "https://GRANTS.example/rss"}, false); got.ID != public.ID {
		t.Fatalf("alice adding a public feed got source %d, want the public %d", got.ID, public.ID)
	}
	// Alice's own copy comes before a public one.
	own := mustAdd(t, s, scout.Source{OwnerID: bob.ID, URL: "https://example.org/feed/", Visibility: scout.VisibilityPublic}, true)
	if got := mustAdd(t, s, scout.Source{OwnerID: alice.ID, URL: "https://example.org/feed/"}, false); got.OwnerID != alice.ID || got.ID == own.ID {
		t.Fatalf("alice adding a feed she has and bob shares got %+v, want her own", got)
	}

	// A non-feed kind is its kind, URL and configuration.
	search := func(cfg string) scout.Source {
		return scout.Source{OwnerID: alice.ID, Kind: scout.SourceGrantsGov, URL: "https://api.grants.gov/v1/api/search2", Config: json.RawMessage(cfg)}
	}
	arts := mustAdd(t, s, search(`{"keyword":"arts","agencies":["NEA"]}`), true)
	film := mustAdd(t, s, search(`{"keyword":"film","agencies":["NEA"]}`), true)
	if arts.ID == film.ID {
		t.Fatal("two searches with different filters at one endpoint are one source")
	}
	if got := mustAdd(t, s, search(`{ "agencies": ["NEA"], "keyword": "arts" }`), false); got.ID != arts.ID {
		t.Fatalf("the arts search spelled anew got source %d, want %d", got.ID, arts.ID)
	}
	if _, err := s.CreateSource(ctx, search(`{"agencies":["NEA"],"keyword":"arts"}`)); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("creating the arts search twice: err = %v, want ErrConflict", err)
	}
	mustAdd(t, s, scout.Source{OwnerID: alice.ID, Kind: scout.SourceJSON, URL: "https://api.grants.gov/v1/api/search2",
		Config: json.RawMessage(`{"keyword":"arts","agencies":["NEA"]}`)}, true)

	// A deleted source is no longer there to find.
	if err := s.DeleteSource(ctx, feed.ID); err != nil {
		t.Fatal(err)
	}
	if got := mustAdd(t, s, scout.Source{OwnerID: alice.ID, URL: "https://example.org/feed"}, true); got.ID == feed.ID {
		t.Fatal("adding a deleted source's URL found the tombstone")
	}
}

func testConcurrentAdds(t *testing.T, s store.Store, _ *Clock) {
	u := mustUser(t, s, "alice@example.org", false)
	const n = 8
	var wg sync.WaitGroup
	ids, created := make([]int64, n), make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			// Each caller spells the URL its own way.
			url := "https://Example.org/feed"
			if i%2 == 1 {
				url = "https://example.org:443/feed#" + string(rune('a'+i))
			}
			var src scout.Source
			src, created[i], errs[i] = s.AddSource(ctx, scout.Source{OwnerID: u.ID, URL: url})
			ids[i] = src.ID
		})
	}
	wg.Wait()
	made := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("add %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("concurrent adds returned sources %v, want one", ids)
		}
		if created[i] {
			made++
		}
	}
	if made != 1 {
		t.Fatalf("%d of the concurrent adds say they created the source, want 1", made)
	}
	p, err := s.ListSources(ctx, store.SourceFilter{Viewer: admin()})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("sources after concurrent adds = %d, %v; want 1", len(p.Items), err)
	}
}

// SourceKeysOfExistingRows checks that sources stored before their
// identity keys get them after migrating, and that two spellings of one
// URL stored then both stay, the older being the one found. exec runs SQL
// on s directly. s must be fresh and fully migrated.
func SourceKeysOfExistingRows(t *testing.T, s Migrator, exec func(q string) error) {
	t.Helper()
	old := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	other := mustSource(t, s, 0, "https://other.example/feed", scout.VisibilityPublic)
	if err := s.MigrateDownTo(ctx, 21); err != nil {
		t.Fatalf("migrate down below source keys: %v", err)
	}
	if err := exec(`UPDATE sources SET url = 'https://EXAMPLE.org:443/feed' WHERE url = 'https://other.example/feed'`); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	if got := mustAdd(t, s, scout.Source{URL: "https://example.org/feed#x"}, false); got.ID != old.ID {
		t.Fatalf("adding the feed after migrating found source %d, want the older %d", got.ID, old.ID)
	}
	if got, err := s.GetSource(ctx, other.ID); err != nil || got.URL != "https://EXAMPLE.org:443/feed" {
		t.Fatalf("the newer spelling = %+v, %v; want it kept", got, err)
	}
	mustAdd(t, s, scout.Source{URL: "https://example.org/feed/"}, true)
}
