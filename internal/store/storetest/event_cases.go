package storetest

import (
	"context"
	"encoding/json"
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

func eventIDs(evs []scout.Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func testRelay(t *testing.T, s store.Store, _ *Clock) {
	for i := range 4 {
		mustSource(t, s, 0, fmt.Sprintf("https://example.org/%d", i), scout.VisibilityPublic)
	}
	all, _ := s.ListEvents(ctx, 0, 100)
	if len(all) != 4 {
		t.Fatalf("%d events listed, want 4", len(all))
	}
	// With no other reader at work, a follower reads what a lister does.
	if follow, err := s.FollowEvents(ctx, all[0].ID, 100); err != nil || !slices.Equal(eventIDs(follow), eventIDs(all[1:])) {
		t.Fatalf("follow after %d = %v, %v; want %v", all[0].ID, eventIDs(follow), err, eventIDs(all[1:]))
	}
	var got []int64
	failing := func(_ context.Context, evs []scout.Event) (int, error) {
		got = append(got, eventIDs(evs[:2])...)
		return 2, errors.New("broker went away")
	}
	if n, err := s.RelayEvents(ctx, 10, failing); n != 2 || err == nil {
		t.Fatalf("relay with a failing publisher = %d, %v; want 2 and the error", n, err)
	}
	ok := func(_ context.Context, evs []scout.Event) (int, error) {
		got = append(got, eventIDs(evs)...)
		return len(evs), nil
	}
	if n, err := s.RelayEvents(ctx, 10, ok); n != 2 || err != nil {
		t.Fatalf("relay of the rest = %d, %v; want 2", n, err)
	}
	if n, err := s.RelayEvents(ctx, 10, ok); n != 0 || err != nil {
		t.Fatalf("relay with nothing left = %d, %v", n, err)
	}
	if last, err := s.LatestEventID(ctx); err != nil || last != all[len(all)-1].ID {
		t.Fatalf("latest event id = %d, %v; want %d", last, err, all[len(all)-1].ID)
	}
	if diff := cmp.Diff(eventIDs(all), got); diff != "" {
		t.Fatalf("relayed ids (-want +got):\n%s", diff)
	}
}

func testConcurrentRelays(t *testing.T, s store.Store, _ *Clock) {
	const n = 40
	for i := range n {
		mustSource(t, s, 0, fmt.Sprintf("https://example.org/%d", i), scout.VisibilityPublic)
	}
	var mu sync.Mutex
	var got []int64
	publish := func(_ context.Context, evs []scout.Event) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, eventIDs(evs)...)
		return len(evs), nil
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for range 50 {
				if _, err := s.RelayEvents(ctx, 3, publish); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(got) != n || !slices.IsSorted(got) {
		t.Fatalf("three relayers published %d events (want %d, each once, in order): %v", len(got), n, got)
	}
}

func testChangesVisibility(t *testing.T, s store.Store, _ *Clock) {
	a, b := mustUser(t, s, "a@example.org", false), mustUser(t, s, "b@example.org", false)
	pa := mustSource(t, s, a.ID, "https://example.org/a-private", scout.VisibilityPrivate)
	mustFetch(t, s, pa, item("secret", "A's secret", T0))
	pb := mustSource(t, s, b.ID, "https://example.org/b-public", scout.VisibilityPublic)
	mustFetch(t, s, pb, item("open", "B's open call", T0))
	later := mustSource(t, s, b.ID, "https://example.org/b-later-private", scout.VisibilityPublic)
	private := scout.VisibilityPrivate
	if _, err := s.UpdateSource(ctx, later.ID, store.SourceUpdate{Visibility: &private}); err != nil {
		t.Fatal(err)
	}
	seen := func(v store.Viewer) (srcs []int64) {
		p, err := s.ListChanges(ctx, v, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Events {
			if !slices.Contains(srcs, e.SourceID) {
				srcs = append(srcs, e.SourceID)
			}
		}
		return srcs
	}
	tests := []struct {
		name string
		v    store.Viewer
		want []int64
	}{
		{"the owner sees her private source", store.Viewer{UserID: a.ID}, []int64{pa.ID, pb.ID}},
		{"another user sees only public sources, not ones made private", store.Viewer{UserID: b.ID}, []int64{pb.ID, later.ID}},
		{"a third user sees only what is public now", store.Viewer{UserID: b.ID + 100}, []int64{pb.ID}},
		{"an admin sees everything", admin(), []int64{pa.ID, pb.ID, later.ID}},
		{"nobody sees nothing", store.Viewer{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, seen(tt.v)); diff != "" {
				t.Fatalf("sources of visible changes (-want +got):\n%s", diff)
			}
		})
	}
	p, err := s.ListChanges(ctx, store.Viewer{UserID: b.ID + 100}, 0, 2)
	if err != nil || len(p.Events) != 0 || p.Next == 0 || !p.More {
		t.Fatalf("a page of invisible rows = %+v, %v; want no events, a cursor past them and More", p, err)
	}
}

func testChangesConcurrentWriters(t *testing.T, s store.Store, _ *Clock) {
	const writers, each = 4, 15
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				src := mustSource(t, s, 0, fmt.Sprintf("https://example.org/%d/%d", w, i), scout.VisibilityPublic)
				mustFetch(t, s, src, item(fmt.Sprintf("%d-%d", w, i), "item", T0))
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	got := eventIDs(FollowChanges(t, s, 0, 7, done)) // a small page: the consumer stops and resumes often
	all, _ := s.ListEvents(ctx, 0, 1000)
	if diff := cmp.Diff(eventIDs(all), got); diff != "" {
		t.Fatalf("a resuming consumer missed or repeated changes (-want +got):\n%s", diff)
	}
}

func testPruneEvents(t *testing.T, s store.Store, c *Clock) {
	for i := range 3 {
		mustSource(t, s, 0, fmt.Sprintf("https://example.org/%d", i), scout.VisibilityPublic)
	}
	first, _ := s.ListEvents(ctx, 0, 1)
	all := func(_ context.Context, evs []scout.Event) (int, error) { return len(evs), nil }
	if _, err := s.RelayEvents(ctx, 2, all); err != nil { // two of three relayed
		t.Fatal(err)
	}
	c.Advance(48 * time.Hour)
	mustSource(t, s, 0, "https://example.org/new", scout.VisibilityPublic)
	n, err := s.PruneEvents(ctx, c.Now().Add(-24*time.Hour), true)
	if err != nil || n != 2 {
		t.Fatalf("prune relayed = %d, %v; want the two old relayed rows", n, err)
	}
	left, _ := s.ListEvents(ctx, 0, 100)
	if len(left) != 2 {
		t.Fatalf("%d rows left, want the unrelayed old one and the new one", len(left))
	}
	if _, err := s.ListChanges(ctx, admin(), first[0].ID, 10); !store.IsCursorExpired(err) {
		t.Fatalf("a cursor into pruned rows: err = %v, want ErrCursorExpired", err)
	}
	if p, err := s.ListChanges(ctx, admin(), 0, 10); err != nil || len(p.Events) != 2 {
		t.Fatalf("reading from the start after a prune = %+v, %v", p, err)
	}
	if n, err := s.PruneEvents(ctx, c.Now().Add(time.Hour), false); err != nil || n != 2 {
		t.Fatalf("prune all = %d, %v", n, err)
	}
}

func testClosingAndArchive(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	soon, later, past := item("soon", "Closes soon", T0), item("later", "Closes later", T0), item("past", "Closed", T0)
	soon.Opportunity.Deadline = T0.Add(3 * 24 * time.Hour)
	later.Opportunity.Deadline = T0.Add(60 * 24 * time.Hour)
	past.Opportunity.Deadline = T0.Add(-40 * 24 * time.Hour)
	mustFetch(t, s, src, soon, later, past)
	for _, want := range []int{1, 0} {
		if n, err := s.NoteClosing(ctx, c.Now(), scout.ClosingSoonHorizon, 100); err != nil || n != want {
			t.Fatalf("note closing = %d, %v; want %d", n, err, want)
		}
	}
	n, err := s.ArchiveClosed(ctx, c.Now().Add(-30*24*time.Hour), 100)
	if err != nil || n != 1 {
		t.Fatalf("archive = %d, %v; want the one past its deadline by 40 days", n, err)
	}
	if got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin()})); len(got) != 2 || slices.Contains(got, "Closed") {
		t.Fatalf("items after archiving = %v", got)
	}
	evs, _ := s.ListEvents(ctx, 0, 100)
	var types []string
	for _, e := range evs[len(evs)-2:] {
		types = append(types, e.Type)
	}
	if diff := cmp.Diff([]string{store.EventOpportunityClosing, store.EventItemDeleted}, types); diff != "" {
		t.Fatalf("last events (-want +got):\n%s", diff)
	}
}

func testPreferences(t *testing.T, s store.Store, c *Clock) {
	u := mustUser(t, s, "a@example.org", false)
	p, err := s.GetPreferences(ctx, u.ID)
	if err != nil || p.Version != 0 {
		t.Fatalf("preferences never saved = %+v, %v; want the zero value", p, err)
	}
	in := store.Preferences{Kinds: []scout.Kind{scout.KindGrant}, Disciplines: []string{"film"}, Keywords: []string{`"short film"`},
		Excluded: []string{"fee"}, MinAmount: 1000, DeadlineHorizon: 30 * 24 * time.Hour, Locations: []string{"Canada"}, Frequency: store.DigestDaily}
	if _, err := s.PutPreferences(ctx, u.ID, in); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDigestRead(ctx, u.ID, T0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDigestRead(ctx, u.ID, T0.Add(-time.Hour)); err != nil { // never moves back
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	out, err := s.PutPreferences(ctx, u.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	in.DigestReadAt, in.UpdatedAt, in.Version = T0, c.Now(), 2
	if diff := cmp.Diff(in, out); diff != "" {
		t.Fatalf("stored preferences (-want +got):\n%s", diff)
	}
	if _, err := s.PutPreferences(ctx, u.ID, store.Preferences{Kinds: []scout.Kind{"lottery"}}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("an unknown kind: err = %v, want ErrInvalid", err)
	}
	hash := "0123abcd"
	if _, err := s.UpdateUser(ctx, u.ID, store.UserUpdate{FeedToken: &hash}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetUserByFeedToken(ctx, hash); err != nil || got.ID != u.ID {
		t.Fatalf("user by feed token = %+v, %v", got, err)
	}
	if _, err := s.GetUserByFeedToken(ctx, "other"); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("unknown feed token: err = %v", err)
	}
}

func testEntityEvents(t *testing.T, s store.Store, _ *Clock) {
	u := mustUser(t, s, "a@example.org", false)
	src := mustSource(t, s, u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	funder := scout.ItemEntity{Entity: scout.Entity{Type: scout.EntityOrganization, Name: "Arts Council"}, Role: "funder"}
	a, b := item("a", "A", T0), item("b", "B", T0)
	a.Entities, b.Entities = []scout.ItemEntity{funder}, []scout.ItemEntity{funder}
	mustFetch(t, s, src, a, b)
	c := item("c", "C", T0)
	c.Entities = []scout.ItemEntity{funder}
	mustFetch(t, s, src, c)
	evs, _ := s.ListEvents(ctx, 0, 100)
	var created []scout.Event
	for _, e := range evs {
		if e.Type == store.EventEntityCreated {
			created = append(created, e)
		}
	}
	if len(created) != 1 || created[0].OwnerID != u.ID || created[0].Visibility != scout.VisibilityPrivate {
		t.Fatalf("entity.created events = %+v, want one carrying the private source's owner", created)
	}
}

// testNewEntitiesAtOnce has many feeds name the same new entities at once,
// each in its own order: every fetch commits, each entity is stored once
// and announced once, and every item is linked to every entity it names.
func testNewEntitiesAtOnce(t *testing.T, s store.Store, _ *Clock) {
	writers, names := shortOr(8, 4), shortOr(30, 12)
	entities := make([]scout.ItemEntity, names)
	for i := range entities {
		entities[i] = scout.ItemEntity{Entity: scout.Entity{Type: scout.EntityOrganization, Name: fmt.Sprintf("Harbor Foundation %02d", i)},
			Role: "funder"}
	}
	var wg sync.WaitGroup
	for w := range writers {
		src := mustSource(t, s, 0, fmt.Sprintf("https://harbor%d.example/feed", w), scout.VisibilityPublic)
		order := slices.Clone(entities)
		slices.Reverse(order[:w%names])
		if w%2 == 1 {
			slices.Reverse(order)
		}
		items := make([]scout.Item, 3)
		for i := range items {
			items[i] = item(fmt.Sprintf("h%d-%d", w, i), fmt.Sprintf("Harbor news %d", i), T0)
			items[i].Entities = order[i*names/3 : (i+1)*names/3]
		}
		wg.Go(func() {
			if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: items, Log: scout.FetchLog{StatusCode: 200},
				NextFetchAt: T0}); err != nil {
				t.Errorf("feed %d: %v", w, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	announced := map[int64]int{}
	for after := int64(0); ; {
		evs, err := s.ListEvents(ctx, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			if e.Type == store.EventEntityCreated {
				var p struct{ ID int64 }
				if err := json.Unmarshal(e.Payload, &p); err != nil {
					t.Fatal(err)
				}
				announced[p.ID]++
			}
		}
		after = evs[len(evs)-1].ID
	}
	stored, err := s.ListEntities(ctx, store.EntityFilter{Type: scout.EntityOrganization, Prefix: "harbor foundation",
		PageRequest: store.PageRequest{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Items) != names {
		t.Fatalf("%d entities stored, want %d", len(stored.Items), names)
	}
	for _, e := range stored.Items {
		if announced[e.ID] != 1 {
			t.Errorf("entity %q announced %d times, want once", e.Name, announced[e.ID])
		}
		items, err := s.ListEntityItems(ctx, e.ID, admin(), store.PageRequest{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(items.Items) != writers {
			t.Errorf("entity %q linked to %d items, want %d (one a feed)", e.Name, len(items.Items), writers)
		}
	}
}
