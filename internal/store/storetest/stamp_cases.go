package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// testServedStamps checks that what a viewer is served of an opportunity
// beyond its fields (created_at, updated_at, version, its place among the
// most recently modified) moves for the changes that viewer can see and
// for no other: a private sighting joining a public call, or leaving it,
// changes nothing another viewer is served, while its owner sees it; a
// visible sighting joining, its item amended, a split, a merge and a prune
// all move the time and the version of those who see them.
func testServedStamps(t *testing.T, s store.Store, c *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	alice, bob := mustUser(t, s, "alice@example.org", false), mustUser(t, s, "bob@example.org", false)
	as, bs := store.Viewer{UserID: alice.ID}, store.Viewer{UserID: bob.ID}
	public := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	other := mustSource(t, s, 0, "https://music.example/feed", scout.VisibilityPublic)
	portal := mustSource(t, s, 0, "https://portal.example/feed", scout.VisibilityPublic)
	private := mustSource(t, s, alice.ID, "https://alice.example/feed", scout.VisibilityPrivate)
	artsCall := call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "", deadline, 0)
	mustFetch(t, s, public, artsCall)
	c.Advance(time.Hour)
	mustFetch(t, s, other, call("m1", "Touring Musicians Fund", "TMF-2026-0001", "Touring Trust", deadline, 2000))
	arts, music := mustItemOpportunity(t, s, public, "f1"), mustItemOpportunity(t, s, other, "m1")

	get := func(v store.Viewer, id int64) scout.MergedOpportunity {
		t.Helper()
		o, err := s.GetOpportunity(ctx, id, v)
		if err != nil {
			t.Fatalf("get opportunity %d as viewer %d: %v", id, v.UserID, err)
		}
		return o
	}
	order := func(v store.Viewer) []int64 {
		t.Helper()
		p, err := s.ListModifiedOpportunities(ctx, v, 0, 10, false)
		if err != nil {
			t.Fatalf("list modified opportunities as viewer %d: %v", v.UserID, err)
		}
		ids := make([]int64, len(p.Items))
		for i, o := range p.Items {
			ids[i] = o.ID
			if w := get(v, o.ID); !w.UpdatedAt.Equal(o.UpdatedAt) || w.Version != o.Version {
				t.Errorf("viewer %d: opportunity %d listed at %v v%d, got at %v v%d", v.UserID, o.ID, o.UpdatedAt, o.Version, w.UpdatedAt, w.Version)
			}
		}
		// Pages of one read fewer changes at a time (see
		// ListModifiedOpportunities), and give the same order.
		for i := range len(ids) + 1 {
			one, err := s.ListModifiedOpportunities(ctx, v, i, 1, false)
			if err != nil {
				t.Fatalf("page %d of one as viewer %d: %v", i, v.UserID, err)
			}
			var got []int64
			for _, o := range one.Items {
				got = append(got, o.ID)
			}
			if diff := cmp.Diff(ids[i:min(i+1, len(ids))], got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("viewer %d: page %d of one (-want +got):\n%s", v.UserID, i, diff)
			}
			if end := i+1 >= len(ids); one.Counted != end || end && one.Total != len(ids) {
				t.Errorf("viewer %d: page %d of one counted %v (%d), want counted %v of %d", v.UserID, i, one.Counted, one.Total, end, len(ids))
			}
		}
		return ids
	}
	// moved says whether what v is served of arts moved forward from was,
	// and fails when it moved back.
	moved := func(what string, v store.Viewer, was scout.MergedOpportunity) (scout.MergedOpportunity, bool) {
		t.Helper()
		now := get(v, arts)
		if now.UpdatedAt.Before(was.UpdatedAt) || now.Version < was.Version || !now.CreatedAt.Equal(was.CreatedAt) {
			t.Errorf("%s: viewer %d is served %v v%d created %v, after %v v%d created %v: want no step back", what, v.UserID,
				now.UpdatedAt, now.Version, now.CreatedAt, was.UpdatedAt, was.Version, was.CreatedAt)
		}
		return now, now.UpdatedAt.After(was.UpdatedAt) && now.Version > was.Version
	}
	bobWas, aliceWas := get(bs, arts), get(as, arts)
	if !bobWas.UpdatedAt.Equal(T0) || !bobWas.CreatedAt.Equal(T0) {
		t.Fatalf("bob's arts call created %v, modified %v; want both at its sighting, %v", bobWas.CreatedAt, bobWas.UpdatedAt, T0)
	}
	if diff := cmp.Diff([]int64{music, arts}, order(bs)); diff != "" {
		t.Fatalf("bob's modified order before alice's post (-want +got):\n%s", diff)
	}

	// Alice's private post of the public call joins it, after music.
	c.Advance(time.Hour)
	mustFetch(t, s, private, call("a1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Secret Funder Trust", deadline, 9000))
	if got := mustItemOpportunity(t, s, private, "a1"); got != arts {
		t.Fatalf("alice's post is in opportunity %d, want the public one %d", got, arts)
	}
	if diff := cmp.Diff(bobWas, get(bs, arts)); diff != "" {
		t.Errorf("alice's private post changed what bob is served (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{music, arts}, order(bs)); diff != "" {
		t.Errorf("alice's private post moved bob's modified order (-want +got):\n%s", diff)
	}
	var ok bool
	if aliceWas, ok = moved("alice's own post", as, aliceWas); !ok || !aliceWas.UpdatedAt.Equal(c.Now()) {
		t.Errorf("alice's view after her post: modified %v v%d, want it moved to %v", aliceWas.UpdatedAt, aliceWas.Version, c.Now())
	}
	if diff := cmp.Diff([]int64{arts, music}, order(as)); diff != "" {
		t.Errorf("alice's modified order after her post (-want +got):\n%s", diff)
	}

	// Her sighting split off and merged back: bob sees neither.
	var mine int64
	for _, g := range aliceWas.Sightings {
		if g.SourceID == private.ID {
			mine = g.ID
		}
	}
	c.Advance(time.Hour)
	split, err := s.SplitSighting(ctx, mine)
	if err != nil {
		t.Fatalf("split alice's sighting: %v", err)
	}
	if aliceWas, ok = moved("alice's sighting split off", as, aliceWas); !ok || len(aliceWas.Sightings) != 1 {
		t.Errorf("alice's view after her sighting's split: %v v%d with %d sightings, want it moved and one left",
			aliceWas.UpdatedAt, aliceWas.Version, len(aliceWas.Sightings))
	}
	c.Advance(time.Hour)
	if _, err := s.MergeOpportunities(ctx, arts, split); err != nil {
		t.Fatalf("merge alice's sighting back: %v", err)
	}
	if aliceWas, ok = moved("alice's sighting merged back", as, aliceWas); !ok || len(aliceWas.Sightings) != 2 {
		t.Errorf("alice's view after the merge: %v v%d with %d sightings, want it moved and two", aliceWas.UpdatedAt, aliceWas.Version, len(aliceWas.Sightings))
	}
	if diff := cmp.Diff(bobWas, get(bs, arts)); diff != "" {
		t.Errorf("a split and a merge of alice's sighting changed what bob is served (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{music, arts}, order(bs)); diff != "" {
		t.Errorf("a split and a merge of alice's sighting moved bob's order (-want +got):\n%s", diff)
	}

	// What bob can see moves what he is served, and alice's with it.
	c.Advance(time.Hour)
	artsCall.Title, artsCall.ContentHash = "Neighborhood Arts Grants 2026 (extended)", "f1-extended"
	mustFetch(t, s, public, artsCall)
	if bobWas, ok = moved("the public post amended", bs, bobWas); !ok || !bobWas.UpdatedAt.Equal(c.Now()) {
		t.Errorf("bob's view after the public post's edit: %v v%d, want it moved to %v", bobWas.UpdatedAt, bobWas.Version, c.Now())
	}
	if aliceWas, ok = moved("the public post amended", as, aliceWas); !ok {
		t.Errorf("alice's view after the public post's edit: %v v%d, want it moved", aliceWas.UpdatedAt, aliceWas.Version)
	}
	if diff := cmp.Diff([]int64{arts, music}, order(bs)); diff != "" {
		t.Errorf("bob's order after the public edit (-want +got):\n%s", diff)
	}
	c.Advance(time.Hour)
	mustFetch(t, s, other, call("m1", "Touring Musicians Fund", "TMF-2026-0001", "Touring Trust", deadline, 2500))
	c.Advance(time.Hour)
	repost := call("p1", "Grants for neighborhood arts projects", "NEA-2026-0042", "", deadline, 0)
	repost.PublishedAt = T0.Add(-2 * time.Hour)
	repost.ContentHash = hash(repost)
	later := call("p2", "Portal Dance Residency", "PDR-2026-0003", "Dance Portal", deadline, 0)
	mustFetch(t, s, portal, repost, later)
	if got := mustItemOpportunity(t, s, portal, "p1"); got != arts {
		t.Fatalf("the portal's repost is in opportunity %d, want %d", got, arts)
	}
	if bobWas, ok = moved("a public sighting joined", bs, bobWas); !ok || len(bobWas.Sightings) != 2 {
		t.Errorf("bob's view after the portal's repost: %v v%d with %d sightings, want it moved and two", bobWas.UpdatedAt, bobWas.Version, len(bobWas.Sightings))
	}
	var theirs int64
	for _, g := range bobWas.Sightings {
		if g.SourceID == portal.ID {
			theirs = g.ID
		}
	}
	c.Advance(time.Hour)
	split, err = s.SplitSighting(ctx, theirs)
	if err != nil {
		t.Fatalf("split the portal's sighting: %v", err)
	}
	if bobWas, ok = moved("a public sighting split off", bs, bobWas); !ok || !bobWas.UpdatedAt.Equal(c.Now()) {
		t.Errorf("bob's view after the portal's split: %v v%d, want it moved to %v", bobWas.UpdatedAt, bobWas.Version, c.Now())
	}
	if o := get(bs, split); !o.UpdatedAt.Equal(c.Now()) {
		t.Errorf("the split-off opportunity is modified at %v, want %v", o.UpdatedAt, c.Now())
	}
	c.Advance(time.Hour)
	if _, err := s.MergeOpportunities(ctx, arts, split); err != nil {
		t.Fatalf("merge the portal's sighting back: %v", err)
	}
	if bobWas, ok = moved("a public sighting merged in", bs, bobWas); !ok || len(bobWas.Sightings) != 2 {
		t.Errorf("bob's view after the merge: %v v%d with %d sightings, want it moved and two", bobWas.UpdatedAt, bobWas.Version, len(bobWas.Sightings))
	}
	c.Advance(time.Hour)
	if n, err := s.PruneItems(ctx, portal.ID, 1); err != nil || n != 1 {
		t.Fatalf("prune the portal to one item: %d pruned, %v; want the older repost", n, err)
	}
	if bobWas, ok = moved("a public sighting pruned", bs, bobWas); !ok || len(bobWas.Sightings) != 1 {
		t.Errorf("bob's view after the prune: %v v%d with %d sightings, want it moved and one", bobWas.UpdatedAt, bobWas.Version, len(bobWas.Sightings))
	}
	if diff := cmp.Diff([]int64{arts, mustItemOpportunity(t, s, portal, "p2"), music}, order(bs)); diff != "" {
		t.Errorf("bob's order after the prune (-want +got):\n%s", diff)
	}

	// The change stream: the opportunity events of alice's sighting (it
	// joined, was split off, merged back) reach her and an admin, never bob.
	privateEvents := func(v store.Viewer) []string {
		t.Helper()
		p, err := s.ListChanges(ctx, v, 0, 1000)
		if err != nil {
			t.Fatalf("changes for viewer %d: %v", v.UserID, err)
		}
		var out []string
		for _, e := range p.Events {
			if strings.HasPrefix(e.Type, "opportunity.") && e.SourceID == private.ID {
				out = append(out, e.Type)
			}
		}
		return out
	}
	mineWant := []string{store.EventOpportunitySighted, store.EventOpportunitySplit, store.EventOpportunityMerged}
	for _, v := range []store.Viewer{as, admin()} {
		if diff := cmp.Diff(mineWant, privateEvents(v)); diff != "" {
			t.Errorf("opportunity events of alice's sighting for viewer %d (-want +got):\n%s", v.UserID, diff)
		}
	}
	if got := privateEvents(bs); len(got) != 0 {
		t.Errorf("bob's change stream carries alice's sighting's events: %v", got)
	}

	// Alice's private source deleted: her sighting leaves her view, and
	// bob's is as it was.
	c.Advance(time.Hour)
	if err := s.DeleteSource(ctx, private.ID); err != nil {
		t.Fatalf("delete alice's source: %v", err)
	}
	if diff := cmp.Diff(bobWas, get(bs, arts)); diff != "" {
		t.Errorf("deleting alice's source changed what bob is served (-before +after):\n%s", diff)
	}
	if now, ok := moved("alice's source deleted", as, aliceWas); !ok || len(now.Sightings) != 1 {
		t.Errorf("alice's view after deleting her source: %v v%d with %d sightings, want it moved and one", now.UpdatedAt, now.Version, len(now.Sightings))
	}
}

// testModifiedOrderReadInSteps checks the order of the most recently
// modified where reading the newest changes a few at a time could mislead:
// a call whose latest change (an edit) is older than the newest sightings
// read, while an older departure of its own is read, must still come
// before a call whose latest change is that departure's age or older.
func testModifiedOrderReadInSteps(t *testing.T, s store.Store, c *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	funder := mustSource(t, s, 0, "https://funder.example/feed", scout.VisibilityPublic)
	portal := mustSource(t, s, 0, "https://portal.example/feed", scout.VisibilityPublic)
	xi := call("x1", "Xi Film Fund", "XFF-2026-0001", "Xi Trust", deadline, 1000)
	mustFetch(t, s, funder, xi, call("z1", "Zeta Poetry Prize", "ZPP-2026-0002", "Zeta Society", deadline, 500))
	c.Advance(time.Minute)
	mustFetch(t, s, portal, call("x2", "Xi Film Fund", "XFF-2026-0001", "Xi Trust", deadline, 1000),
		call("z2", "Zeta Poetry Prize", "ZPP-2026-0002", "Zeta Society", deadline, 500))
	x, z := mustItemOpportunity(t, s, funder, "x1"), mustItemOpportunity(t, s, funder, "z1")
	if mustItemOpportunity(t, s, portal, "x2") != x || mustItemOpportunity(t, s, portal, "z2") != z {
		t.Fatalf("the portal's reposts did not join the funder's calls")
	}
	splitOff := func(opp, src int64) int64 {
		t.Helper()
		c.Advance(time.Minute)
		o, err := s.GetOpportunity(ctx, opp, admin())
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range o.Sightings {
			if g.SourceID == src {
				id, err := s.SplitSighting(ctx, g.ID)
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
		}
		t.Fatalf("no sighting of source %d in opportunity %d", src, opp)
		return 0
	}
	x2 := splitOff(x, portal.ID) // x departs at +2m
	z2 := splitOff(z, portal.ID) // z departs at +3m
	c.Advance(time.Minute)
	xi.Title, xi.ContentHash = "Xi Film Fund (extended)", "x1-extended"
	mustFetch(t, s, funder, xi) // x's latest change, +4m
	c.Advance(time.Minute)
	for i := range 8 { // one newer call, sighted eight times
		src := mustSource(t, s, 0, fmt.Sprintf("https://blog%d.example/feed", i), scout.VisibilityPublic)
		mustFetch(t, s, src, call(fmt.Sprintf("y%d", i), "Ypsilon Dance Grant", "YDG-2026-0003", "Ypsilon Fund", deadline, 800))
	}
	p, err := s.ListModifiedOpportunities(ctx, store.Viewer{}, 0, 10, false)
	if err != nil || len(p.Items) == 0 || len(p.Items[0].Sightings) != 8 {
		t.Fatalf("list modified: %+v, %v; want the call sighted eight times first", p, err)
	}
	y := p.Items[0].ID
	want := []int64{y, x, z2, z, x2} // z2 and z tie at +3m: the higher id first
	if z > z2 {
		want[2], want[3] = z, z2
	}
	var got []int64
	for i := range len(want) + 1 {
		one, err := s.ListModifiedOpportunities(ctx, store.Viewer{}, i, 1, false)
		if err != nil {
			t.Fatalf("page %d of one: %v", i, err)
		}
		for _, o := range one.Items {
			got = append(got, o.ID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages of one, most recently modified first (-want +got):\n%s", diff)
	}
	var ids []int64
	for _, o := range p.Items {
		ids = append(ids, o.ID)
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("one page, most recently modified first (-want +got):\n%s", diff)
	}
}

// testServedStampsFollowEnrichment checks that an enrichment ranked above
// the extractor, which changes what an opportunity merges from its item,
// moves what its viewers are served.
func testServedStampsFollowEnrichment(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, extracted("g", "a grant text", T0.Add(30*24*time.Hour)))
	id := mustItemOpportunity(t, s, src, "g")
	was, err := s.GetOpportunity(ctx, id, store.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	later := T0.Add(45 * 24 * time.Hour)
	mustEnrich(t, s, was.Sightings[0].ItemID, "hi", fmt.Sprintf(`{"deadline":%q,"confidence":0.7}`, later.Format(time.RFC3339)))
	now, err := s.GetOpportunity(ctx, id, store.Viewer{})
	if err != nil || !now.Opportunity.Deadline.Equal(later) {
		t.Fatalf("after the enrichment: %+v, %v; want the enricher's deadline %v merged", now.Opportunity, err, later)
	}
	if !now.UpdatedAt.Equal(c.Now()) || now.Version <= was.Version {
		t.Errorf("after the enrichment the opportunity is served at %v v%d (was %v v%d), want it moved to %v",
			now.UpdatedAt, now.Version, was.UpdatedAt, was.Version, c.Now())
	}
}

// testServedStampsFollowVisibility checks that a source made public or
// private moves what the viewers who gain or lose its sightings are served,
// and never takes it back.
func testServedStampsFollowVisibility(t *testing.T, s store.Store, c *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	alice, bob := mustUser(t, s, "alice@example.org", false), mustUser(t, s, "bob@example.org", false)
	as, bs := store.Viewer{UserID: alice.ID}, store.Viewer{UserID: bob.ID}
	public := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	private := mustSource(t, s, alice.ID, "https://alice.example/feed", scout.VisibilityPrivate)
	mustFetch(t, s, public, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "", deadline, 0))
	c.Advance(time.Hour)
	mustFetch(t, s, private, call("a1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Secret Funder Trust", deadline, 9000))
	arts := mustItemOpportunity(t, s, public, "f1")
	served := func(v store.Viewer) scout.MergedOpportunity {
		t.Helper()
		o, err := s.GetOpportunity(ctx, arts, v)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	bobWas, aliceWas := served(bs), served(as)
	for _, step := range []struct {
		vis       scout.Visibility
		sightings int // bob's
	}{{scout.VisibilityPublic, 2}, {scout.VisibilityPrivate, 1}} {
		c.Advance(time.Hour)
		if _, err := s.UpdateSource(ctx, private.ID, store.SourceUpdate{Visibility: &step.vis}); err != nil {
			t.Fatalf("make alice's source %s: %v", step.vis, err)
		}
		for _, w := range []struct {
			name string
			v    store.Viewer
			was  *scout.MergedOpportunity
		}{{"bob", bs, &bobWas}, {"alice", as, &aliceWas}} {
			now := served(w.v)
			if !now.UpdatedAt.Equal(c.Now()) || now.Version <= w.was.Version {
				t.Errorf("alice's source made %s: %s is served %v v%d (was %v v%d), want it moved to %v", step.vis, w.name,
					now.UpdatedAt, now.Version, w.was.UpdatedAt, w.was.Version, c.Now())
			}
			*w.was = now
		}
		if len(bobWas.Sightings) != step.sightings {
			t.Errorf("alice's source made %s: bob sees %d sightings, want %d", step.vis, len(bobWas.Sightings), step.sightings)
		}
	}
}

// testServedStampsAfterABigSourceGoes checks that deleting a source whose
// sightings joined more calls than one statement records (departChunk)
// moves what the viewers of every one of them are served.
func testServedStampsAfterABigSourceGoes(t *testing.T, s store.Store, c *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	funder := mustSource(t, s, 0, "https://funder.example/feed", scout.VisibilityPublic)
	blog := mustSource(t, s, 0, "https://blog.example/feed", scout.VisibilityPublic)
	const n = 250
	var calls, reposts []scout.Item
	for i := range n {
		title := fmt.Sprintf("Call number %d of the Bellmont Trust for %s", i, []string{"film", "music", "poetry"}[i%3])
		num := fmt.Sprintf("BMT-2026-%04d", i)
		calls = append(calls, call(fmt.Sprintf("f%d", i), title, num, "Bellmont Trust", deadline, int64(1000+i)))
		reposts = append(reposts, call(fmt.Sprintf("b%d", i), title, num, "Bellmont Trust", deadline, int64(1000+i)))
	}
	mustFetch(t, s, funder, calls...)
	c.Advance(time.Hour)
	mustFetch(t, s, blog, reposts...)
	before := map[int64]scout.MergedOpportunity{}
	p, err := s.ListModifiedOpportunities(ctx, store.Viewer{}, 0, store.MaxLimit, true)
	if err != nil || p.Total != n {
		t.Fatalf("before: %d opportunities (%v), want %d, each sighted twice", p.Total, err, n)
	}
	for off := 0; off < n; off += store.MaxLimit {
		p, err := s.ListModifiedOpportunities(ctx, store.Viewer{}, off, store.MaxLimit, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range p.Items {
			before[o.ID] = o
		}
	}
	c.Advance(time.Hour)
	if err := s.DeleteSource(ctx, blog.ID); err != nil {
		t.Fatalf("delete the blog: %v", err)
	}
	moved := 0
	for id, was := range before {
		now, err := s.GetOpportunity(ctx, id, store.Viewer{})
		if err != nil {
			t.Fatalf("opportunity %d after the blog went: %v", id, err)
		}
		if now.UpdatedAt.Equal(c.Now()) && now.Version > was.Version && len(now.Sightings) == 1 {
			moved++
		}
	}
	if moved != n {
		t.Errorf("after the blog went, %d of %d opportunities moved to %v with one sighting left, want all", moved, n, c.Now())
	}
}

// testServedStampsWhenANewsletterDropsACall checks that a call a newsletter
// no longer announces leaves its opportunity as a departure: the funder's
// own post of it stays, and what its viewers are served moves.
func testServedStampsWhenANewsletterDropsACall(t *testing.T, s store.Store, c *Clock) {
	d1, d2 := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC), time.Date(2026, 5, 10, 23, 59, 0, 0, time.UTC)
	funder := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	letters := mustSource(t, s, 0, "https://ledger.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, funder, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", d1, 0))
	two := call("c2", "Coldharbour Sound Residency", "CSR-2026-0003", "Coldharbour Arts Centre", d2, 800)
	three := call("c3", "Riverside Poetry Prize", "RPP-2026-0009", "Riverside Library", d2, 300)
	one := call("c1", "Neighborhood Arts Grants", "NEA-2026-0042", "Bellmont Arts", d1, 7500)
	c.Advance(time.Hour)
	mustFetch(t, s, letters, newsletter("l1", two, three, one))
	a := mustItemOpportunity(t, s, funder, "f1")
	was, err := s.GetOpportunity(ctx, a, store.Viewer{})
	if err != nil || len(was.Sightings) != 2 {
		t.Fatalf("the funder's call = %+v, %v; want it with the newsletter's sighting too", was, err)
	}
	c.Advance(time.Hour)
	mustFetch(t, s, letters, newsletter("l1", two, three))
	now, err := s.GetOpportunity(ctx, a, store.Viewer{})
	if err != nil || len(now.Sightings) != 1 {
		t.Fatalf("after the newsletter dropped it: %+v, %v; want the funder's sighting alone", now, err)
	}
	if !now.UpdatedAt.Equal(c.Now()) || now.Version <= was.Version {
		t.Errorf("after the newsletter dropped the call it is served %v v%d (was %v v%d), want it moved to %v",
			now.UpdatedAt, now.Version, was.UpdatedAt, was.Version, c.Now())
	}
}

// callPostedTwice fetches a call its funder posted with a deadline long
// past and, an hour later, an undated repost of it on a portal, and
// returns both sources and the opportunity the two posts are sightings of.
func callPostedTwice(t *testing.T, s store.Store, c *Clock) (funder, portal scout.Source, opp int64) {
	t.Helper()
	funder = mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	portal = mustSource(t, s, 0, "https://portal.example/feed", scout.VisibilityPublic)
	old := T0.Add(-90 * 24 * time.Hour)
	mustFetch(t, s, funder, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", old, 0))
	c.Advance(time.Hour)
	mustFetch(t, s, portal, call("p1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", time.Time{}, 0))
	opp = mustItemOpportunity(t, s, funder, "f1")
	if mustItemOpportunity(t, s, portal, "p1") != opp {
		t.Fatalf("the undated repost did not join the dated call %d", opp)
	}
	return funder, portal, opp
}

// testServedStampsWhenAPostIsArchived checks that a post archived for its
// past deadline leaves its opportunity as a departure when another post
// of the call stays.
func testServedStampsWhenAPostIsArchived(t *testing.T, s store.Store, c *Clock) {
	_, _, a := callPostedTwice(t, s, c)
	was, err := s.GetOpportunity(ctx, a, store.Viewer{})
	if err != nil || len(was.Sightings) != 2 {
		t.Fatalf("the call = %+v, %v; want both posts", was, err)
	}
	c.Advance(time.Hour)
	if n, err := s.ArchiveClosed(ctx, c.Now().Add(-30*24*time.Hour), 100); err != nil || n != 1 {
		t.Fatalf("archive closed: %d, %v; want the funder's post archived", n, err)
	}
	now, err := s.GetOpportunity(ctx, a, store.Viewer{})
	if err != nil || len(now.Sightings) != 1 {
		t.Fatalf("after the archive: %+v, %v; want the portal's post alone", now, err)
	}
	if !now.UpdatedAt.Equal(c.Now()) || now.Version <= was.Version {
		t.Errorf("after the archive the call is served %v v%d (was %v v%d), want it moved to %v",
			now.UpdatedAt, now.Version, was.UpdatedAt, was.Version, c.Now())
	}
}

// testServedStampsWhenADeletedSourcesPostIsArchived checks that a post of
// a deleted source, which left its opportunity when the source went, does
// not leave it a second time when it is archived: nobody sees it, so what
// they are served stays.
func testServedStampsWhenADeletedSourcesPostIsArchived(t *testing.T, s store.Store, c *Clock) {
	funder, _, a := callPostedTwice(t, s, c)
	c.Advance(time.Hour)
	if err := s.DeleteSource(ctx, funder.ID); err != nil {
		t.Fatal(err)
	}
	was, err := s.GetOpportunity(ctx, a, admin())
	if err != nil || len(was.Sightings) != 1 || !was.UpdatedAt.Equal(c.Now()) {
		t.Fatalf("after the funder's source went: %+v, %v; want the portal's post alone, moved to %v", was, err, c.Now())
	}
	c.Advance(time.Hour)
	if n, err := s.ArchiveClosed(ctx, c.Now().Add(-30*24*time.Hour), 100); err != nil || n != 1 {
		t.Fatalf("archive closed: %d, %v; want the deleted source's post archived", n, err)
	}
	now, err := s.GetOpportunity(ctx, a, admin())
	if err != nil || !now.UpdatedAt.Equal(was.UpdatedAt) || now.Version != was.Version {
		t.Errorf("after archiving the deleted source's post the call is served %v v%d, %v; want it as it was, %v v%d",
			now.UpdatedAt, now.Version, err, was.UpdatedAt, was.Version)
	}
}
