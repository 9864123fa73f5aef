package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// prunedSince returns the item.deleted and opportunity.deleted events after
// cursor, as "item <guid-less title>" or "opportunity <id>" lines, and
// checks that each says it was pruned.
func prunedSince(tb testing.TB, s store.Store, cursor int64) []string {
	tb.Helper()
	evs, err := s.ListEvents(ctx, cursor, 1000)
	if err != nil {
		tb.Fatalf("list events: %v", err)
	}
	var out []string
	for _, e := range evs {
		var p map[string]any
		_ = json.Unmarshal(e.Payload, &p)
		switch e.Type {
		case store.EventItemDeleted:
			out = append(out, fmt.Sprintf("item %v", p["title"]))
		case store.EventOpportunityDeleted:
			out = append(out, fmt.Sprintf("opportunity %v", p["opportunity_id"]))
		default:
			continue
		}
		if p["pruned"] != true || p["deleted"] != true {
			tb.Fatalf("%s payload %s: want deleted and pruned", e.Type, e.Payload)
		}
	}
	return out
}

func mustPrune(tb testing.TB, s store.Store, src scout.Source, keep, want int) {
	tb.Helper()
	if n, err := s.PruneItems(ctx, src.ID, keep); err != nil || n != want {
		tb.Fatalf("prune source %d to %d = %d, %v; want %d deleted", src.ID, keep, n, err, want)
	}
}

func testPruneOrder(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	// Oldest to newest: an open call, an archived closed call, a closed
	// call, two posts, an open call, a post.
	open1 := call("open1", "Old open call", "A-1", "Fund", T0.Add(90*24*time.Hour), 0)
	open1.PublishedAt = T0.Add(-10 * time.Hour)
	gone := call("gone", "Long closed call", "A-2", "Fund", T0.Add(-200*24*time.Hour), 0)
	gone.PublishedAt = T0.Add(-9 * time.Hour)
	closed := call("closed", "Closed call", "A-3", "Fund", T0.Add(-24*time.Hour), 0)
	closed.PublishedAt = T0.Add(-8 * time.Hour)
	post1, post2 := item("p1", "Post one", T0.Add(-7*time.Hour)), item("p2", "Post two", T0.Add(-6*time.Hour))
	open2 := call("open2", "New open call", "A-4", "Fund", T0.Add(60*24*time.Hour), 0)
	open2.PublishedAt = T0.Add(-5 * time.Hour)
	post3 := item("p3", "Post three", T0.Add(-4*time.Hour))
	for _, it := range []*scout.Item{&open1, &gone, &closed, &open2} {
		it.ContentHash = hash(*it)
	}
	mustFetch(t, s, src, open1, gone, closed, post1, post2, open2, post3)
	if n, err := s.ArchiveClosed(ctx, T0.Add(-100*24*time.Hour), 100); err != nil || n != 1 {
		t.Fatalf("archive = %d, %v; want the long closed call", n, err)
	}
	closedOpp := mustItemOpportunity(t, s, src, "closed")
	cursor, _ := s.LatestEventID(ctx)

	mustPrune(t, s, src, 10, 0)
	mustPrune(t, s, src, 0, 0)
	// The archived call goes first, without a second tombstone of its own;
	// its opportunity, left without sightings, gets one.
	mustPrune(t, s, src, 6, 1)
	got := prunedSince(t, s, cursor)
	if len(got) != 1 || !strings.HasPrefix(got[0], "opportunity ") {
		t.Fatalf("tombstones after pruning an archived item = %v, want its opportunity's alone", got)
	}
	mustPrune(t, s, src, 3, 3) // then the closed call and the posts, oldest first
	want := []string{got[0], "item Closed call", "item Post one", "item Post two",
		fmt.Sprintf("opportunity %d", closedOpp)}
	if diff := cmp.Diff(want, prunedSince(t, s, cursor)); diff != "" {
		t.Fatalf("tombstones (-want +got):\n%s", diff)
	}
	if got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID})); !slices.Equal(got,
		[]string{"Post three", "New open call", "Old open call"}) {
		t.Fatalf("items kept = %v; want the newest post and both open calls", got)
	}
	c.Advance(time.Minute)
	mustPrune(t, s, src, 1, 2) // open calls go last, oldest first
	if got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID})); !slices.Equal(got, []string{"New open call"}) {
		t.Fatalf("items kept at 1 = %v; want the newest open call", got)
	}
	// A pruned item re-served by its feed is stored again, as a new item.
	log := mustFetch(t, s, src, post1)
	if log.ItemsNew != 1 {
		t.Fatalf("re-serving a pruned item: %+v, want it new", log)
	}
}

// testPruneKeepsMentionedCall checks that a post read as no opportunity
// but founding one (a mention linking to the call's page) counts as the
// open call it is when its source is pruned: it outlasts a newer post.
func testPruneKeepsMentionedCall(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://reminders.example/feed", scout.VisibilityPublic)
	linked := mention("m1", call("m1", "Harbor Artists with Children Fund", "HAC-2026-0007", "North Star Foundation",
		T0.Add(60*24*time.Hour), 2000))
	linked.ContentHTML += `<a href="https://northstar.example/programmes/artists-with-children">guidelines</a>`
	linked.ContentHash = hash(linked)
	mustFetch(t, s, src, linked, item("p1", "Post one", T0.Add(-30*time.Minute)))
	opp := mustItemOpportunity(t, s, src, "m1")
	mustPrune(t, s, src, 1, 1)
	if got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID})); !slices.Equal(got, []string{linked.Title}) {
		t.Fatalf("items kept at 1 = %v; want the post of the open call it founded, not the newer post", got)
	}
	if _, err := s.GetOpportunity(ctx, opp, admin()); err != nil {
		t.Fatalf("the call the kept post founded: %v", err)
	}
}

func testPruneSightings(t *testing.T, s store.Store, _ *Clock) {
	deadline := T0.Add(60 * 24 * time.Hour)
	funder := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	portal := mustSource(t, s, 0, "https://grants.example/feed", scout.VisibilityPublic)
	shared := call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", deadline, 0)
	shared.PublishedAt = T0.Add(-3 * time.Hour)
	alone := call("f2", "Studio Residency 2026", "NEA-2026-0077", "Bellmont Arts", deadline, 0)
	alone.PublishedAt = T0.Add(-2 * time.Hour)
	shared.ContentHash, alone.ContentHash = hash(shared), hash(alone)
	mustFetch(t, s, funder, shared, alone, call("f3", "Choreography Fellowship", "NEA-2026-0099", "Bellmont Arts", deadline, 0))
	mustFetch(t, s, portal, call("p1", "Grants for neighborhood arts projects", "NEA-2026-0042", "Bellmont Arts", deadline, 7500))
	a, b := mustItemOpportunity(t, s, funder, "f1"), mustItemOpportunity(t, s, funder, "f2")
	if got := mustItemOpportunity(t, s, portal, "p1"); got != a {
		t.Fatalf("portal post is in opportunity %d, want the funder's %d", got, a)
	}
	before, err := s.GetOpportunity(ctx, a, admin())
	if err != nil {
		t.Fatal(err)
	}
	cursor, _ := s.LatestEventID(ctx)

	mustPrune(t, s, funder, 1, 2)
	want := []string{"item Neighborhood Arts Grants 2026", "item Studio Residency 2026", fmt.Sprintf("opportunity %d", b)}
	if diff := cmp.Diff(want, prunedSince(t, s, cursor)); diff != "" {
		t.Fatalf("tombstones (-want +got):\n%s", diff)
	}
	after, err := s.GetOpportunity(ctx, a, admin())
	if err != nil || len(after.Sightings) != 1 || after.Sightings[0].Item.GUID != "p1" || after.Version <= before.Version {
		t.Fatalf("opportunity %d after its funder sighting went = %+v, %v; want the portal's sighting alone, version past %d",
			a, after, err, before.Version)
	}
	if _, err := s.GetOpportunity(ctx, b, admin()); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("opportunity %d without sightings: err = %v, want ErrNotFound", b, err)
	}
	page, err := s.ListOpportunities(ctx, store.ItemFilter{Viewer: admin(), Now: T0})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("opportunities after pruning = %+v, %v; want the shared one and the fellowship", page.Items, err)
	}
	evs, _ := s.ListEvents(ctx, cursor, 100)
	for _, e := range evs {
		if e.Type == store.EventItemDeleted && e.ItemID != 0 {
			var p struct {
				Title string  `json:"title"`
				Opps  []int64 `json:"opportunity_ids"`
			}
			_ = json.Unmarshal(e.Payload, &p)
			if len(p.Opps) != 1 {
				t.Fatalf("tombstone of %q names opportunities %v; want its one", p.Title, p.Opps)
			}
		}
	}
}

func testPruneBatches(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	other := mustSource(t, s, 0, "https://other.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, manyItems(450, "churn", T0.Add(-24*time.Hour))...)
	mustFetch(t, s, other, manyItems(5, "other", T0)...)
	cursor, _ := s.LatestEventID(ctx)
	mustPrune(t, s, src, 25, 425)
	kept := itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID})
	if len(kept) != 25 || kept[0].Title != "churn item 449" || kept[24].Title != "churn item 425" {
		t.Fatalf("kept %d items, %q … %q; want the 25 newest", len(kept), kept[0].Title, kept[len(kept)-1].Title)
	}
	if got := len(prunedSince(t, s, cursor)); got != 425 {
		t.Fatalf("%d tombstones, want 425", got)
	}
	if got := len(itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: other.ID})); got != 5 {
		t.Fatalf("another source kept %d items, want its 5", got)
	}
	mustPrune(t, s, src, 25, 0)
}
