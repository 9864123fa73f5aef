package storetest

import (
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
