package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// newsletter builds an item that announces the calls given as title,
// number, funder and deadline, each with its own span.
func newsletter(guid string, calls ...scout.Item) scout.Item {
	it := item(guid, "The Ledger: calls this week", T0.Add(-time.Hour))
	it.Opportunity = scout.Opportunity{Kind: scout.KindCall, Extractor: "rules/1"}
	for i, c := range calls {
		it.ContentText += "\n\n" + c.ContentText
		it.Calls = append(it.Calls, scout.Call{Part: i + 1, Title: c.Title, Span: c.ContentText, Opportunity: c.Opportunity})
	}
	it.ContentHash = hash(it)
	return it
}

func testNewsletterCalls(t *testing.T, s store.Store, _ *Clock) {
	d1, d2 := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC), time.Date(2026, 5, 10, 23, 59, 0, 0, time.UTC)
	funder := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	letters := mustSource(t, s, 0, "https://ledger.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, funder, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", d1, 0))
	one := call("c1", "Neighborhood Arts Grants", "NEA-2026-0042", "Bellmont Arts", d1, 7500)
	two := call("c2", "Coldharbour Sound Residency", "CSR-2026-0003", "Coldharbour Arts Centre", d2, 800)
	mustFetch(t, s, letters, newsletter("l1", one, two))

	a := mustItemOpportunity(t, s, funder, "f1")
	got := map[int]scout.MergedOpportunity{}
	p, err := s.ListOpportunities(ctx, store.ItemFilter{Viewer: admin(), Sort: store.SortDeadline})
	if err != nil {
		t.Fatalf("list opportunities: %v", err)
	}
	if len(p.Items) != 2 {
		t.Fatalf("listed %d opportunities, want the funder's call with its newsletter sighting and the other call: %+v", len(p.Items), p.Items)
	}
	for _, o := range p.Items {
		for _, g := range o.Sightings {
			if g.Item.GUID == "l1" {
				got[g.Part] = o
				if g.Span == "" {
					t.Errorf("sighting of part %d has no span", g.Part)
				}
			}
		}
	}
	if got[1].ID != a || len(got[1].Sightings) != 2 || got[1].Opportunity.AmountMax != 7500 {
		t.Fatalf("the first call = %+v; want it in the funder's opportunity %d with its own amount", got[1], a)
	}
	o2 := got[2]
	if o2.ID == a || o2.Title != two.Title || !o2.Opportunity.Deadline.Equal(d2) || o2.Opportunity.Funder != "Coldharbour Arts Centre" {
		t.Fatalf("the second call = %+v; want an opportunity of its own with its title, deadline and funder", o2)
	}
	if p.Items[0].ID != o2.ID {
		t.Fatalf("deadline order starts with %d, want the second call %d, which closes first", p.Items[0].ID, o2.ID)
	}

	// A re-fetched edit keeps each call where it is; a call the letter no
	// longer announces loses its sighting, and its opportunity with it.
	two.ContentText += " Now with a bigger fee."
	mustFetch(t, s, letters, newsletter("l1", one, two))
	if o, err := s.GetOpportunity(ctx, o2.ID, admin()); err != nil || len(o.Sightings) != 1 {
		t.Fatalf("after an edit the second call = %+v, %v; want it kept", o, err)
	}
	single := newsletter("l1")
	single.Opportunity = one.Opportunity
	single.ContentText = one.ContentText
	single.ContentHash = hash(single)
	mustFetch(t, s, letters, single)
	if _, err := s.GetOpportunity(ctx, o2.ID, admin()); err == nil {
		t.Fatalf("the second call's opportunity outlived the only sighting of it")
	}
	if o, err := s.GetOpportunity(ctx, a, admin()); err != nil || len(o.Sightings) != 2 {
		t.Fatalf("the funder's call after the letter became one call = %+v, %v; want the letter's sighting in it", o, err)
	}
}

func testOpportunityStats(t *testing.T, s store.Store, _ *Clock) {
	day := 24 * time.Hour
	alice, bob := mustUser(t, s, "alice@example.org", false), mustUser(t, s, "bob@example.org", false)
	funder := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	blog := mustSource(t, s, 0, "https://blog.example/feed", scout.VisibilityPublic)
	private := mustSource(t, s, alice.ID, "https://alice.example/feed", scout.VisibilityPrivate)
	mustFetch(t, s, funder, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", T0.Add(10*day), 0))
	mustFetch(t, s, blog, call("b1", "Bellmont grants for neighborhood art", "NEA-2026-0042", "Bellmont Arts", T0.Add(10*day), 7500),
		newsletter("l1", call("c1", "Coldharbour Sound Residency", "CSR-2026-0003", "Coldharbour Arts Centre", T0.Add(3*day), 800),
			call("c2", "Saltmarsh Print Award", "SPA-2026-0009", "Saltmarsh Gallery", T0.Add(20*day), 1000)))
	mustFetch(t, s, private, call("a1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Secret Funder Trust", T0.Add(10*day), 9000),
		call("a2", "Private commission for Alice", "PRV-2026-0001", "Alice Patron", T0.Add(5*day), 500))
	for _, c := range []struct {
		who             string
		v               store.Viewer
		opps, in7, in30 int
	}{{"bob", store.Viewer{UserID: bob.ID}, 3, 1, 3}, {"alice", store.Viewer{UserID: alice.ID}, 4, 2, 4}} {
		st, err := s.Stats(ctx, c.v, T0)
		if err != nil {
			t.Fatalf("stats for %s: %v", c.who, err)
		}
		if st.Opportunities != c.opps || st.OpportunityDeadlinesNext7 != c.in7 || st.OpportunityDeadlinesNext30 != c.in30 {
			t.Errorf("%s's opportunity counts = %d, %d in 7 days, %d in 30; want %d, %d, %d (the shared call once, the letter's calls each, "+
				"private ones only for their owner)", c.who, st.Opportunities, st.OpportunityDeadlinesNext7, st.OpportunityDeadlinesNext30,
				c.opps, c.in7, c.in30)
		}
	}
}

// mention builds an item that is no opportunity itself but speaks of the
// call given (a reminder): kind none, the call's facts as its Mention.
func mention(guid string, c scout.Item) scout.Item {
	it := item(guid, "One week left", T0.Add(-time.Hour))
	it.ContentText = c.ContentText
	it.Opportunity = scout.Opportunity{Kind: scout.KindNone, Extractor: "rules/1"}
	it.Mention = &scout.Call{Title: it.Title, Opportunity: c.Opportunity}
	it.ContentHash = hash(it)
	return it
}

func testMentionJoinsOnly(t *testing.T, s store.Store, _ *Clock) {
	d := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	funder := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	blog := mustSource(t, s, 0, "https://reminders.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, funder, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", d, 7500))
	a := mustItemOpportunity(t, s, funder, "f1")
	known := call("r1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", d, 7500)
	unknown := call("r2", "Coldharbour Sound Residency", "CSR-2026-0003", "Coldharbour Arts Centre", d.AddDate(0, 1, 0), 800)
	// A post of an unknown call that links to the call's page is the call
	// posted before its funder's page is known, whatever its kind reading.
	linked := mention("r3", call("r3", "Harbor Artists with Children Fund", "HAC-2026-0007", "North Star Foundation", d.AddDate(0, 2, 0), 2000))
	linked.ContentHTML += `<a href="https://northstar.example/programmes/artists-with-children">guidelines</a>`
	mustFetch(t, s, blog, mention("r1", known), mention("r2", unknown), linked)

	if got := mustItemOpportunity(t, s, blog, "r1"); got != a {
		t.Fatalf("the reminder of a known call is a sighting of opportunity %d, want %d", got, a)
	}
	o, err := s.GetOpportunity(ctx, a, admin())
	if err != nil || len(o.Sightings) != 2 || o.Opportunity.AmountMax != 7500 || o.Opportunity.Kind != scout.KindGrant {
		t.Fatalf("the known call = %+v, %v; want both sightings, its fields from the funder's call", o, err)
	}
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: blog.ID}) {
		if id, err := s.GetItemOpportunity(ctx, it.ID); it.GUID == "r2" && !errors.Is(err, scout.ErrNotFound) {
			t.Fatalf("the reminder of an unknown call: opportunity %d, %v; want none, a mention without a link only joins", id, err)
		}
	}
	founded := mustItemOpportunity(t, s, blog, "r3")
	if founded == a {
		t.Fatalf("the linked post of an unknown call joined the known call %d", a)
	}
	if o, err := s.GetOpportunity(ctx, founded, admin()); err != nil || len(o.Sightings) != 1 || o.Opportunity.Kind != scout.KindGrant ||
		o.Opportunity.AmountMax != 2000 || o.Opportunity.Funder != "North Star Foundation" {
		t.Fatalf("the call the linked post founds = %+v, %v; want its fields from what the post says of it", o, err)
	}
	p, err := s.ListOpportunities(ctx, store.ItemFilter{Viewer: admin(), Sort: store.SortDeadline})
	if err != nil || len(p.Items) != 2 || p.Items[0].ID != a || p.Items[1].ID != founded {
		t.Fatalf("listed %+v (%v), want the funder's call and the one the linked post founds", p.Items, err)
	}
}
