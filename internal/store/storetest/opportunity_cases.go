package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// call builds an opportunity item: a grant of funder with an opportunity
// number in its text.
func call(guid, title, number, funder string, deadline time.Time, amount int64) scout.Item {
	it := item(guid, title, T0.Add(-time.Hour))
	it.ContentText = title + ". Funding opportunity number " + number + ". Apply by the deadline."
	it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Funder: funder, Deadline: deadline, AmountMax: amount,
		Currency: "USD", Extractor: "rules/1"}
	it.ContentHash = hash(it)
	return it
}

func mustItemOpportunity(tb testing.TB, s store.Store, src scout.Source, guid string) int64 {
	tb.Helper()
	for _, it := range itemsOf(tb, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID}) {
		if it.GUID == guid {
			id, err := s.GetItemOpportunity(ctx, it.ID)
			if err != nil {
				tb.Fatalf("opportunity of item %s: %v", guid, err)
			}
			return id
		}
	}
	tb.Fatalf("no item %s in source %d", guid, src.ID)
	return 0
}

func eventTypes(tb testing.TB, s store.Store, prefix string) []string {
	tb.Helper()
	evs, err := s.ListEvents(ctx, 0, 1000)
	if err != nil {
		tb.Fatalf("list events: %v", err)
	}
	var out []string
	for _, e := range evs {
		if len(e.Type) > len(prefix) && e.Type[:len(prefix)] == prefix {
			out = append(out, e.Type)
		}
	}
	return out
}

func testOpportunitySightings(t *testing.T, s store.Store, _ *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	funder := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	portal := mustSource(t, s, 0, "https://grants.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, funder, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", deadline, 0),
		call("f2", "Studio Residency 2026", "NEA-2026-0077", "Bellmont Arts", deadline.AddDate(0, 1, 0), 0))
	news := item("n1", "Our annual report is out", T0)
	news.Opportunity.Kind = scout.KindNone
	news.ContentHash = hash(news)
	mustFetch(t, s, portal, call("p1", "Grants for neighborhood arts projects", "NEA-2026-0042", "Bellmont Arts", deadline, 7500), news)

	a, b, c := mustItemOpportunity(t, s, funder, "f1"), mustItemOpportunity(t, s, funder, "f2"), mustItemOpportunity(t, s, portal, "p1")
	if a != c || a == b {
		t.Fatalf("opportunities of funder post, other call, portal post = %d, %d, %d; want the first and last the same", a, b, c)
	}
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: portal.ID}) {
		if _, err := s.GetItemOpportunity(ctx, it.ID); it.GUID == "n1" && !errors.Is(err, scout.ErrNotFound) {
			t.Fatalf("a news item's opportunity: err = %v, want ErrNotFound", err)
		}
	}
	want := []string{store.EventOpportunityCreated, store.EventOpportunityCreated, store.EventOpportunitySighted}
	if diff := cmp.Diff(want, eventTypes(t, s, "opportunity.")); diff != "" {
		t.Fatalf("opportunity events (-want +got):\n%s", diff)
	}
	o, err := s.GetOpportunity(ctx, a, store.Viewer{})
	if err != nil || len(o.Sightings) != 2 {
		t.Fatalf("get opportunity %d = %+v, %v; want two sightings", a, o, err)
	}
	from := map[int64]string{}
	for _, g := range o.Sightings {
		from[g.ItemID] = g.Item.GUID
	}
	if o.Opportunity.AmountMax != 7500 || from[o.Fields["amount"].ItemID] != "p1" {
		t.Fatalf("merged amount = %d from %+v; want 7500 from the portal's sighting", o.Opportunity.AmountMax, o.Fields["amount"])
	}

	// An edit re-fetched keeps its sighting where it is.
	edited := call("p1", "Grants for neighborhood arts projects (extended)", "NEA-2026-0042", "Bellmont Arts", deadline.AddDate(0, 0, 14), 7500)
	mustFetch(t, s, portal, edited, news)
	if got := mustItemOpportunity(t, s, portal, "p1"); got != a {
		t.Fatalf("after an edit the portal post is in opportunity %d, want %d", got, a)
	}
}

func testOpportunityVisibility(t *testing.T, s store.Store, _ *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	alice, bob := mustUser(t, s, "alice@example.org", false), mustUser(t, s, "bob@example.org", false)
	public := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	private := mustSource(t, s, alice.ID, "https://alice.example/feed", scout.VisibilityPrivate)
	mustFetch(t, s, public, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "", deadline, 0))
	mustFetch(t, s, private, call("a1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Secret Funder Trust", deadline, 9000),
		call("a2", "Private commission for Alice", "PRV-2026-0001", "Alice Patron", deadline, 500))
	shared, only := mustItemOpportunity(t, s, public, "f1"), mustItemOpportunity(t, s, private, "a2")
	if got := mustItemOpportunity(t, s, private, "a1"); got != shared {
		t.Fatalf("alice's sighting is in opportunity %d, want the public one %d", got, shared)
	}
	as, bs := store.Viewer{UserID: alice.ID}, store.Viewer{UserID: bob.ID}
	if o, err := s.GetOpportunity(ctx, shared, as); err != nil || len(o.Sightings) != 2 || o.Opportunity.AmountMax != 9000 {
		t.Fatalf("alice's view = %+v, %v; want both sightings and her amount", o, err)
	}
	o, err := s.GetOpportunity(ctx, shared, bs)
	if err != nil || len(o.Sightings) != 1 || o.Opportunity.AmountMax != 0 || o.Opportunity.Funder != "" {
		t.Fatalf("bob's view = %+v, %v; want the public sighting alone, without the private amount or funder", o, err)
	}
	if _, err := s.GetOpportunity(ctx, only, bs); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("bob reading alice's private opportunity: err = %v, want ErrNotFound", err)
	}
	ids := func(v store.Viewer) []int64 {
		var out []int64
		f := store.ItemFilter{Viewer: v, PageRequest: store.PageRequest{Limit: 1}}
		for {
			p, err := s.ListOpportunities(ctx, f)
			if err != nil {
				t.Fatalf("list opportunities: %v", err)
			}
			for _, o := range p.Items {
				out = append(out, o.ID)
				if v == bs && o.Opportunity.AmountMax != 0 {
					t.Fatalf("bob's list shows alice's amount: %+v", o)
				}
			}
			if p.Next == "" {
				return out
			}
			f.Cursor = p.Next
		}
	}
	if diff := cmp.Diff([]int64{shared}, ids(bs)); diff != "" {
		t.Fatalf("bob's opportunities (-want +got):\n%s", diff)
	}
	if got := ids(as); len(got) != 2 {
		t.Fatalf("alice's opportunities = %v, want two, each once", got)
	}
}

// SightingsOfExistingRows checks that items stored before opportunities
// existed each become an opportunity with one sighting when the migration
// runs, and that MatchPending then joins the repeats of one call.
func SightingsOfExistingRows(t *testing.T, s Migrator) {
	t.Helper()
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	a := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	b := mustSource(t, s, 0, "https://blog.example/feed", scout.VisibilityPublic)
	news := item("n1", "Our annual report is out", T0)
	news.Opportunity.Kind = scout.KindNone
	news.ContentHash = hash(news)
	mustFetch(t, s, a, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", deadline, 0), news)
	mustFetch(t, s, b, call("b1", "Bellmont neighborhood grants", "NEA-2026-0042", "Bellmont Arts", deadline, 7500),
		call("b2", "A different call", "XYZ-2026-0001", "Other Trust", deadline, 100))
	if err := s.MigrateDownTo(ctx, 19); err != nil {
		t.Fatalf("migrate down below opportunities: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	f1, b1, b2 := mustItemOpportunity(t, s, a, "f1"), mustItemOpportunity(t, s, b, "b1"), mustItemOpportunity(t, s, b, "b2")
	if f1 == b1 || b1 == b2 || f1 == b2 {
		t.Fatalf("migrated opportunities %d, %d, %d; want one per item before matching", f1, b1, b2)
	}
	if b, err := s.CountBackfill(ctx); err != nil || b.Sightings != 3 {
		t.Fatalf("backfill before matching = %+v, %v; want the three migrated sightings", b, err)
	}
	if n, err := s.MatchPending(ctx, 2); n != 2 || err != nil {
		t.Fatalf("match pending = %d, %v; want two of the three migrated sightings", n, err)
	}
	if b, err := s.CountBackfill(ctx); err != nil || b.Sightings != 1 {
		t.Fatalf("backfill after matching two = %+v, %v; want one sighting left", b, err)
	}
	if n, err := s.MatchPending(ctx, 100); n != 1 || err != nil {
		t.Fatalf("match pending = %d, %v; want the last migrated sighting", n, err)
	}
	if n, err := s.MatchPending(ctx, 100); n != 0 || err != nil {
		t.Fatalf("second match pending = %d, %v; want none left", n, err)
	}
	if b, err := s.CountBackfill(ctx); err != nil || b.Sightings != 0 {
		t.Fatalf("backfill after matching = %+v, %v; want none left", b, err)
	}
	f1, b1, b2 = mustItemOpportunity(t, s, a, "f1"), mustItemOpportunity(t, s, b, "b1"), mustItemOpportunity(t, s, b, "b2")
	if f1 != b1 || b1 == b2 {
		t.Fatalf("after matching: %d, %d, %d; want the two posts of one call together, the other apart", f1, b1, b2)
	}
	if o, err := s.GetOpportunity(ctx, f1, admin()); err != nil || len(o.Sightings) != 2 {
		t.Fatalf("matched opportunity = %+v, %v; want two sightings", o, err)
	}
	// A new post of the call now finds the matched sightings.
	mustFetch(t, s, a, call("f2", "Neighborhood Arts Grants 2026: info session", "NEA-2026-0042", "Bellmont Arts", deadline, 0))
	if got := mustItemOpportunity(t, s, a, "f2"); got != f1 {
		t.Fatalf("a new post joined %d, want %d", got, f1)
	}
}

// testOverlappingFeedsJoinAtOnce has many feeds announce the same calls at
// once, each in its own order, as aggregators that repost one funder's
// calls do: every fetch commits, on the first try or a retry, every post
// joins its call's opportunity, and each opportunity moves one version per
// post that joined it.
func testOverlappingFeedsJoinAtOnce(t *testing.T, s store.Store, _ *Clock) {
	writers, calls := shortOr(8, 4), shortOr(12, 8)
	announce := callAnnouncer("Neighborhood Arts Grant", "NEA", "Bellmont Arts", 1000)
	_, opps := mustFunderCalls(t, s, "https://arts.example/feed", announce, calls)
	before := make([]int64, calls)
	for c := range calls {
		o, err := s.GetOpportunity(ctx, opps[c], admin())
		if err != nil {
			t.Fatal(err)
		}
		before[c] = o.Version
	}
	var wg sync.WaitGroup
	feeds := goPostCalls(t, s, &wg, "portal", writers, calls, announce)
	wg.Wait()
	if t.Failed() {
		return
	}
	for w, src := range feeds {
		for c := range calls {
			if got := mustItemOpportunity(t, s, src, fmt.Sprintf("p%d-%d", w, c)); got != opps[c] {
				t.Fatalf("feed %d's post of call %d is in opportunity %d, want %d", w, c, got, opps[c])
			}
		}
	}
	for c, id := range opps {
		o, err := s.GetOpportunity(ctx, id, admin())
		if err != nil {
			t.Fatal(err)
		}
		if want := before[c] + int64(writers); o.Version != want {
			t.Errorf("opportunity %d at version %d after %d posts joined it, want %d", id, o.Version, writers, want)
		}
	}
}

// testMergesBesideFetches runs operators' merges while feeds post the
// merged calls, in their own orders: half the merges keep the lower id,
// half the higher, so a merge locks against the fetches' touches in both
// orders. Every merge and every fetch commits, and every post ends in the
// opportunity its call was merged into.
func testMergesBesideFetches(t *testing.T, s store.Store, _ *Clock) {
	writers, calls := shortOr(6, 3), shortOr(12, 8)
	announce := callAnnouncer("Riverside Studio Grant", "RSG", "Riverside Arts", 500)
	funder, opps := mustFunderCalls(t, s, "https://riverside.example/feed", announce, calls)
	// Calls 2k and 2k+1 become one opportunity: into keeps the lower id
	// for even k, the higher for odd k.
	survivor := make([]int64, calls)
	type merge struct{ into, from int64 }
	var merges []merge
	for c := 0; c+1 < calls; c += 2 {
		m := merge{opps[c], opps[c+1]}
		if (c/2)%2 == 1 {
			m = merge{opps[c+1], opps[c]}
		}
		merges = append(merges, m)
		survivor[c], survivor[c+1] = m.into, m.into
	}
	var wg sync.WaitGroup
	feeds := goPostCalls(t, s, &wg, "gallery", writers, calls, announce)
	for _, m := range merges {
		wg.Go(func() {
			if _, err := s.MergeOpportunities(ctx, m.into, m.from); err != nil {
				t.Errorf("merge %d into %d: %v", m.from, m.into, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for c := range calls {
		if got := mustItemOpportunity(t, s, funder, fmt.Sprintf("f-%d", c)); got != survivor[c] {
			t.Errorf("the funder's call %d is in opportunity %d, want %d", c, got, survivor[c])
		}
		for w, src := range feeds {
			if got := mustItemOpportunity(t, s, src, fmt.Sprintf("p%d-%d", w, c)); got != survivor[c] {
				t.Errorf("feed %d's post of call %d is in opportunity %d, want %d", w, c, got, survivor[c])
			}
		}
	}
	for _, m := range merges {
		if _, err := s.GetOpportunity(ctx, m.from, admin()); !errors.Is(err, scout.ErrNotFound) {
			t.Errorf("opportunity %d, merged into %d: %v, want not found", m.from, m.into, err)
		}
	}
}

// callAnnouncer returns what posts a funder's calls in a given order: call
// c is "<title> c" with number <prefix>-2026-c, a deadline c days after
// 1 June 2026 and an award of (c+1) × step. The GUIDs start with the
// post's prefix.
func callAnnouncer(title, prefix, funder string, step int64) func(post string, order []int) []scout.Item {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	return func(post string, order []int) []scout.Item {
		items := make([]scout.Item, len(order))
		for i, c := range order {
			items[i] = call(fmt.Sprintf("%s-%d", post, c), fmt.Sprintf("%s %d", title, c),
				fmt.Sprintf("%s-2026-%04d", prefix, c), funder, deadline.AddDate(0, 0, c), step*int64(c+1))
		}
		return items
	}
}

// mustFunderCalls stores a funder's feed at url posting calls 0…n-1 (GUIDs
// f-c) and returns it with the opportunity each call founded.
func mustFunderCalls(tb testing.TB, s store.Store, url string, announce func(string, []int) []scout.Item, n int) (scout.Source, []int64) {
	tb.Helper()
	funder := mustSource(tb, s, 0, url, scout.VisibilityPublic)
	mustFetch(tb, s, funder, announce("f", seq(n))...)
	opps := make([]int64, n)
	for c := range n {
		opps[c] = mustItemOpportunity(tb, s, funder, fmt.Sprintf("f-%d", c))
	}
	return funder, opps
}

// goPostCalls stores n feeds (https://<host>N.example/feed) and, in wg,
// has each post the calls at once, in its own order (GUIDs pN-c).
func goPostCalls(t *testing.T, s store.Store, wg *sync.WaitGroup, host string, n, calls int,
	announce func(string, []int) []scout.Item) []scout.Source {
	feeds := make([]scout.Source, n)
	for w := range feeds {
		feeds[w] = mustSource(t, s, 0, fmt.Sprintf("https://%s%d.example/feed", host, w), scout.VisibilityPublic)
	}
	for w, src := range feeds {
		wg.Go(func() {
			order := seq(calls)
			slices.Reverse(order[:w%calls])
			slices.Reverse(order[w%calls:])
			if w%2 == 1 {
				slices.Reverse(order)
			}
			if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: announce(fmt.Sprintf("p%d", w), order),
				Log: scout.FetchLog{StatusCode: 200}, NextFetchAt: T0}); err != nil {
				t.Errorf("feed %d: %v", w, err)
			}
		})
	}
	return feeds
}

// shortOr is full, or short under -short.
func shortOr(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// seq returns 0, 1, …, n-1.
func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// testSplitsBesideFetches has operators split every sighting of each call
// at once while the feeds that posted them post edited versions: for each
// opportunity all splits but one commit (the last sighting cannot leave),
// none leaves an opportunity without sightings, and every split sighting
// keeps its own opportunity through the re-fetch that raced it and the one
// after.
func testSplitsBesideFetches(t *testing.T, s store.Store, _ *Clock) {
	writers, calls := shortOr(4, 2), shortOr(6, 3)
	announce := callAnnouncer("Harbour Film Grant", "HFG", "Harbour Screen", 700)
	_, opps := mustFunderCalls(t, s, "https://harbour.example/feed", announce, calls)
	feeds := make([]scout.Source, writers)
	for w := range feeds {
		feeds[w] = mustSource(t, s, 0, fmt.Sprintf("https://screen%d.example/feed", w), scout.VisibilityPublic)
		mustFetch(t, s, feeds[w], announce(fmt.Sprintf("p%d", w), seq(calls))...)
	}
	var sightings [][]scout.Sighting
	for c, id := range opps {
		o, err := s.GetOpportunity(ctx, id, admin())
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Sightings) != writers+1 {
			t.Fatalf("call %d has %d sightings before the splits, want %d", c, len(o.Sightings), writers+1)
		}
		sightings = append(sightings, o.Sightings)
	}
	edited := func(w int) []scout.Item {
		items := announce(fmt.Sprintf("p%d", w), seq(calls))
		for i := range items {
			items[i].ContentText += " Edited: the guidelines were updated."
			items[i].ContentHash = hash(items[i])
		}
		return items
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		split   = map[int64]int64{} // sighting → the opportunity it was split into
		refused = make([]int, calls)
	)
	for c, group := range sightings {
		for _, g := range group {
			wg.Go(func() {
				id, err := s.SplitSighting(ctx, g.ID)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, scout.ErrInvalid):
					refused[c]++
				case err != nil:
					t.Errorf("split sighting %d of call %d: %v", g.ID, c, err)
				default:
					split[g.ID] = id
				}
			})
		}
	}
	for w, src := range feeds {
		wg.Go(func() {
			if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: edited(w),
				Log: scout.FetchLog{StatusCode: 200}, NextFetchAt: T0}); err != nil {
				t.Errorf("feed %d: %v", w, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for c, id := range opps {
		if refused[c] != 1 {
			t.Errorf("call %d: %d of its %d splits refused, want exactly the last one", c, refused[c], writers+1)
		}
		o, err := s.GetOpportunity(ctx, id, admin())
		if err != nil {
			t.Fatalf("call %d's opportunity after the splits: %v", c, err)
		}
		if len(o.Sightings) != 1 {
			t.Errorf("call %d's opportunity keeps %d sightings after the splits, want 1", c, len(o.Sightings))
		}
	}
	// A later re-fetch of every feed leaves each split sighting where the
	// operator put it.
	for w, src := range feeds {
		items := edited(w)
		for i := range items {
			items[i].ContentText += " Reminder."
			items[i].ContentHash = hash(items[i])
		}
		mustFetch(t, s, src, items...)
	}
	seen := map[int64]bool{}
	for c, group := range sightings {
		for _, g := range group {
			want, ok := split[g.ID]
			if !ok {
				want = opps[c]
			}
			if seen[want] {
				t.Errorf("opportunity %d holds two sightings after the splits", want)
			}
			seen[want] = true
			o, err := s.GetOpportunity(ctx, want, admin())
			if err != nil {
				t.Fatalf("opportunity %d of sighting %d: %v", want, g.ID, err)
			}
			if len(o.Sightings) != 1 || o.Sightings[0].ID != g.ID {
				t.Errorf("opportunity %d holds %+v, want only sighting %d", want, o.Sightings, g.ID)
			}
		}
	}
}
