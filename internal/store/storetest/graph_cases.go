package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testEntities(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	it := item("a", "Grant", T0)
	it.Entities = []scout.ItemEntity{
		{Entity: scout.Entity{Type: scout.EntityOrganization, Name: "Arts Council"}, Role: "funder", Confidence: 0.8, Span: "Arts Council"},
		{Entity: scout.Entity{Type: scout.EntityPlace, Name: "Wales"}, Role: "location", Confidence: 0.6},
	}
	it2 := item("b", "Another grant", T0)
	it2.Entities = it.Entities[:1]
	mustFetch(t, s, src, it, it2)
	orgs, err := s.ListEntities(ctx, store.EntityFilter{Type: scout.EntityOrganization})
	if err != nil || len(orgs.Items) != 1 || orgs.Items[0].Key != "arts council" {
		t.Fatalf("organizations = %+v, %v (one entity shared by two items)", orgs.Items, err)
	}
	if p, _ := s.ListEntities(ctx, store.EntityFilter{Prefix: "ART"}); len(p.Items) != 1 {
		t.Fatalf("prefix search = %+v", p.Items)
	}
	list := itemsOf(t, s, store.ItemFilter{Viewer: admin(), Query: "grant"})
	var a scout.Item
	for _, x := range list {
		if x.GUID == "a" {
			a, _ = s.GetItem(ctx, x.ID)
		}
	}
	if len(a.Entities) != 2 || a.Entities[0].Role != "funder" || a.Entities[0].Entity.ID != orgs.Items[0].ID {
		t.Fatalf("item entities = %+v", a.Entities)
	}
	it.ContentText = "edited"
	it.ContentHash = hash(it)
	it.Entities = it.Entities[1:]
	mustFetch(t, s, src, it)
	a, _ = s.GetItem(ctx, a.ID)
	if len(a.Entities) != 1 || a.Entities[0].Role != "location" {
		t.Fatalf("entities after update = %+v, want only the location", a.Entities)
	}
	if e, err := s.GetEntity(ctx, orgs.Items[0].ID); err != nil || e.Name != "Arts Council" {
		t.Fatalf("get entity = %+v, %v", e, err)
	}
}

func testEnrichments(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	mustFetch(t, s, src, item("a", "Grant", T0))
	id := itemsOf(t, s, store.ItemFilter{Viewer: admin()})[0].ID
	e, err := s.PutEnrichment(ctx, scout.Enrichment{ItemID: id, Enricher: "ai-summary", Data: json.RawMessage(`{"summary":"one"}`)})
	if err != nil || e.Version != 1 {
		t.Fatalf("first put = %+v, %v", e, err)
	}
	e, err = s.PutEnrichment(ctx, scout.Enrichment{ItemID: id, Enricher: "ai-summary", Data: json.RawMessage(`{"summary":"two"}`)})
	if err != nil || e.Version != 2 {
		t.Fatalf("second put = %+v, %v", e, err)
	}
	if _, err := s.PutEnrichment(ctx, scout.Enrichment{ItemID: id, Enricher: "x", Data: json.RawMessage(`{broken`)}); err == nil {
		t.Fatal("invalid JSON accepted")
	}
	if _, err := s.PutEnrichment(ctx, scout.Enrichment{ItemID: id + 99, Enricher: "x", Data: json.RawMessage(`{}`)}); err == nil {
		t.Fatal("enrichment of a missing item accepted")
	}
	list, err := s.ListEnrichments(ctx, id)
	if err != nil || len(list) != 1 || !cmp.Equal(string(list[0].Data), `{"summary":"two"}`) {
		t.Fatalf("list = %+v, %v", list, err)
	}
}

func testEvents(t *testing.T, s store.Store, _ *Clock) {
	u := mustUser(t, s, "a@example.org", false)
	src := mustSource(t, s, u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	mustFetch(t, s, src, item("a", "A", T0), item("b", "B", T0))
	it := item("a", "A", T0)
	it.ContentText = "changed"
	it.ContentHash = hash(it)
	mustFetch(t, s, src, it)
	evs, err := s.ListEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for i, e := range evs {
		types = append(types, e.Type)
		if i > 0 && e.ID <= evs[i-1].ID {
			t.Fatalf("events out of order: %d after %d", e.ID, evs[i-1].ID)
		}
		if e.OwnerID != u.ID || e.Visibility != scout.VisibilityPrivate || !json.Valid(e.Payload) {
			t.Fatalf("event %+v lacks owner, visibility or a JSON payload", e)
		}
	}
	want := []string{scout.EventSourceCreated, scout.EventItemCreated, scout.EventItemCreated, scout.EventItemUpdated}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Fatalf("event types (-want +got):\n%s", diff)
	}
	rest, _ := s.ListEvents(ctx, evs[1].ID, 100)
	if len(rest) != 2 {
		t.Fatalf("events after a cursor = %d, want 2", len(rest))
	}
	// A source's events show its status as GET /v1/sources does: pending
	// until its first fetch, not the ok it is stored as.
	var created struct{ Status string }
	if err := json.Unmarshal(evs[0].Payload, &created); err != nil || created.Status != string(scout.SourcePending) {
		t.Fatalf("source.created payload %s: status %q, want pending (%v)", evs[0].Payload, created.Status, err)
	}
}

// testManyEntityLinks stores a fetch whose items name more entities than
// one statement links, one of them twice in the same role: every item keeps
// each of its links once.
func testManyEntityLinks(t *testing.T, s store.Store, _ *Clock) {
	const items, each = 30, 40 // 1,200 links
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	batch := make([]scout.Item, items)
	for i := range batch {
		it := item(fmt.Sprintf("i%d", i), fmt.Sprintf("Grant %d", i), T0)
		for k := range each {
			it.Entities = append(it.Entities, scout.ItemEntity{Entity: scout.Entity{Type: scout.EntityPlace,
				Name: fmt.Sprintf("Town %d", (i+k)%50)}, Role: "location", Confidence: 0.5})
		}
		it.Entities = append(it.Entities, it.Entities[0])
		batch[i] = it
	}
	mustFetch(t, s, src, batch...)
	for _, x := range itemsOf(t, s, store.ItemFilter{Viewer: admin(), SourceID: src.ID}) {
		got, err := s.GetItem(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Entities) != each {
			t.Fatalf("item %s has %d entity links, want %d", x.GUID, len(got.Entities), each)
		}
	}
}
