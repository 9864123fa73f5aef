package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testEnrichmentClaims(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, manyItems(40, "e", T0)...)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimEnrichment(ctx, "ai", 3, time.Minute, admin())
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					seen[it.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 40 {
		t.Fatalf("claimed %d distinct items, want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("item %d claimed %d times while leased", id, n)
		}
	}
	var done int64
	for id := range seen {
		done = id
		break
	}
	if _, err := s.PutEnrichment(ctx, scout.Enrichment{ItemID: done, Enricher: "ai", Data: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimEnrichment(ctx, "other", 100, time.Minute, admin()); len(got) != 40 {
		t.Fatalf("another enricher claimed %d items, want all 40", len(got))
	}
	c.Advance(2 * time.Minute)
	again, err := s.ClaimEnrichment(ctx, "ai", 100, time.Minute, admin())
	if err != nil || len(again) != 39 {
		t.Fatalf("after lease expiry claimed %d items (%v), want 39: the finished one stays done", len(again), err)
	}
	for _, it := range again {
		if it.ID == done {
			t.Fatalf("finished item %d claimed again", done)
		}
	}
	if list, _ := s.ListEnrichments(ctx, again[0].ID); len(list) != 0 {
		t.Fatalf("a lease shows as an enrichment: %+v", list)
	}
	if e, _ := s.ListEnrichments(ctx, done); len(e) != 1 || e[0].Version != 1 {
		t.Fatalf("finished enrichment = %+v, want version 1", e)
	}
}

func testClaimVisibility(t *testing.T, s store.Store, _ *Clock) {
	alice := mustUser(t, s, "alice@example.org", false)
	bob := mustUser(t, s, "bob@example.org", false)
	src := mustSource(t, s, alice.ID, "https://example.org/private", scout.VisibilityPrivate)
	mustFetch(t, s, src, manyItems(3, "p", T0)...)
	if got, err := s.ClaimEnrichment(ctx, "ai", 10, time.Minute, store.Viewer{UserID: bob.ID}); err != nil || len(got) != 0 {
		t.Fatalf("bob claimed %d of alice's private items (%v)", len(got), err)
	}
	if got, _ := s.ClaimEnrichment(ctx, "ai", 10, time.Minute, store.Viewer{UserID: alice.ID}); len(got) != 3 {
		t.Fatalf("alice claimed %d of her items, want 3", len(got))
	}
}

func testEntityItems(t *testing.T, s store.Store, _ *Clock) {
	alice := mustUser(t, s, "alice@example.org", false)
	bob := mustUser(t, s, "bob@example.org", false)
	org := scout.ItemEntity{Entity: scout.Entity{Type: scout.EntityOrganization, Name: "Arts Council"}, Role: "funder"}
	pub := mustSource(t, s, 0, "https://example.org/public", scout.VisibilityPublic)
	priv := mustSource(t, s, alice.ID, "https://example.org/private", scout.VisibilityPrivate)
	a, b := item("a", "Public grant", T0), item("b", "Private grant", T0)
	a.Entities, b.Entities = []scout.ItemEntity{org}, []scout.ItemEntity{org}
	mustFetch(t, s, pub, a)
	mustFetch(t, s, priv, b)
	ents, _ := s.ListEntities(ctx, store.EntityFilter{Type: scout.EntityOrganization})
	if len(ents.Items) != 1 {
		t.Fatalf("entities = %+v", ents.Items)
	}
	onlyPrivate := item("c", "Secret grant", T0)
	onlyPrivate.Entities = []scout.ItemEntity{{Entity: scout.Entity{Type: scout.EntityTopic, Name: "Secret"}, Role: "topic"}}
	mustFetch(t, s, priv, b, onlyPrivate)
	for _, tt := range []struct {
		name string
		v    store.Viewer
		want int
	}{{"owner", store.Viewer{UserID: alice.ID}, 2}, {"other user", store.Viewer{UserID: bob.ID}, 1}, {"admin", admin(), 2}} {
		if p, _ := s.ListEntities(ctx, store.EntityFilter{Viewer: &tt.v}); len(p.Items) != tt.want {
			t.Errorf("%s lists %d entities, want %d (a private item's entity stays private)", tt.name, len(p.Items), tt.want)
		}
	}
	for _, tt := range []struct {
		name string
		v    store.Viewer
		want int
	}{{"owner", store.Viewer{UserID: alice.ID}, 2}, {"other user", store.Viewer{UserID: bob.ID}, 1}, {"admin", admin(), 2}} {
		p, err := s.ListEntityItems(ctx, ents.Items[0].ID, tt.v, store.PageRequest{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		n := len(p.Items)
		if p.Next != "" {
			p2, _ := s.ListEntityItems(ctx, ents.Items[0].ID, tt.v, store.PageRequest{Limit: 1, Cursor: p.Next})
			n += len(p2.Items)
		}
		if n != tt.want {
			t.Errorf("%s sees %d items of the entity, want %d", tt.name, n, tt.want)
		}
	}
}

func testStats(t *testing.T, s store.Store, _ *Clock) {
	alice := mustUser(t, s, "alice@example.org", false)
	bob := mustUser(t, s, "bob@example.org", false)
	pub := mustSource(t, s, 0, "https://example.org/public", scout.VisibilityPublic)
	priv := mustSource(t, s, alice.ID, "https://example.org/private", scout.VisibilityPrivate)
	g := item("g", "Grant", T0.Add(-24*time.Hour))
	g.Opportunity.Kind, g.Opportunity.Deadline = scout.KindGrant, T0.Add(3*24*time.Hour)
	old := item("old", "Old", T0.Add(-200*24*time.Hour))
	mustFetch(t, s, pub, g, old, item("n", "News", T0))
	mustFetch(t, s, priv, item("p", "Private", T0))
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: priv.ID, NextFetchAt: T0.Add(time.Hour), Status: scout.SourceFailing,
		Log: scout.FetchLog{ErrorClass: scout.ErrorTimeout, Error: "timeout"}}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx, store.Viewer{UserID: bob.ID}, T0)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range st.ItemsPerDay {
		total += d.Count
	}
	if total != 2 || len(st.ItemsPerDay) != 2 {
		t.Errorf("bob's items per day = %+v, want 2 recent public items on 2 days", st.ItemsPerDay)
	}
	if st.DeadlinesNext7 != 1 || st.DeadlinesNext30 != 1 || len(st.Upcoming) != 1 || st.Upcoming[0].Title != "Grant" {
		t.Errorf("deadlines = %d/%d %+v", st.DeadlinesNext7, st.DeadlinesNext30, st.Upcoming)
	}
	if len(st.PerSource) != 1 || st.PerSource[0].SourceID != pub.ID || st.PerSource[0].Count != 2 {
		t.Errorf("per source = %+v", st.PerSource)
	}
	if len(st.PerKind) != 2 {
		t.Errorf("per kind = %+v, want grant and unknown", st.PerKind)
	}
	if st.FetchesTotal != 1 || st.FetchesFailed != 0 {
		t.Errorf("bob sees fetches %d/%d, want 1 ok (alice's failure is private)", st.FetchesTotal, st.FetchesFailed)
	}
	as, _ := s.Stats(ctx, store.Viewer{UserID: alice.ID}, T0)
	if as.FetchesTotal != 3 || as.FetchesFailed != 1 || len(as.Health) != 2 {
		t.Errorf("alice's fetches %d/%d, health %+v", as.FetchesTotal, as.FetchesFailed, as.Health)
	}
	mustSource(t, s, 0, "https://example.org/never-fetched", scout.VisibilityPublic)
	bs, _ := s.Stats(ctx, store.Viewer{UserID: bob.ID}, T0)
	health := map[scout.SourceStatus]int{}
	for _, h := range bs.Health {
		health[h.Status] = h.Count
	}
	if health[scout.SourcePending] != 1 || health[scout.SourceOK] != 1 || len(health) != 2 {
		t.Errorf("bob's health %+v, want the fetched source ok and the new one pending", bs.Health)
	}
}
