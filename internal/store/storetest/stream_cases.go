package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// testChangeStreamUnderLoad runs many writers at once while a consumer
// pages through the change stream with small pages, resuming from its
// cursor each time. Each writer fetches its own source (new items naming
// entities that other writers create at the same moment, in another order)
// and renames one source that every writer updates. The consumer must see
// every change once, in an order that agrees with the order the writes
// committed in: each writer's rounds in turn, the shared source's versions
// one by one, each entity announced once.
func testChangeStreamUnderLoad(t *testing.T, s store.Store, _ *Clock) {
	writers, rounds := 8, 10
	if testing.Short() {
		writers, rounds = 4, 5
	}
	const perRound, entitiesPerRound = 3, 4
	shared := mustSource(t, s, 0, "https://example.org/shared", scout.VisibilityPublic)
	own := make([]scout.Source, writers)
	for w := range own {
		own[w] = mustSource(t, s, 0, fmt.Sprintf("https://example.org/writer/%d", w), scout.VisibilityPublic)
	}
	start, err := s.LatestEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				items := make([]scout.Item, perRound)
				for i := range items {
					it := item(fmt.Sprintf("w%d-r%d-i%d", w, r, i), fmt.Sprintf("round %d item %d", r, i), T0)
					for k := range entitiesPerRound {
						name := fmt.Sprintf("Funder %d-%d", r, (k+w+i)%entitiesPerRound) // each writer its own order
						it.Entities = append(it.Entities, scout.ItemEntity{Entity: scout.Entity{Type: scout.EntityOrganization, Name: name},
							Role: "funder", Confidence: 1})
					}
					items[i] = it
				}
				if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: own[w].ID, Items: items, Log: scout.FetchLog{StatusCode: 200},
					NextFetchAt: T0}); err != nil {
					t.Errorf("writer %d round %d: fetch: %v", w, r, err)
					return
				}
				title := fmt.Sprintf("renamed by %d in round %d", w, r)
				if _, err := s.UpdateSource(ctx, shared.ID, store.SourceUpdate{Title: &title}); err != nil {
					t.Errorf("writer %d round %d: rename: %v", w, r, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	got := FollowChanges(t, s, start, 7, done)
	if t.Failed() {
		return
	}

	all, err := s.ListEvents(ctx, start, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for next := all; len(next) == 1000; {
		if next, err = s.ListEvents(ctx, next[len(next)-1].ID, 1000); err != nil {
			t.Fatal(err)
		}
		all = append(all, next...)
	}
	if diff := cmp.Diff(eventIDs(all), eventIDs(got)); diff != "" {
		t.Fatalf("the consumer missed or repeated changes (-stored +seen):\n%s", diff)
	}
	if !slices.IsSorted(eventIDs(got)) {
		t.Fatalf("change ids out of order: %v", eventIDs(got))
	}

	var created, renames int
	var versions []int64
	announced := map[string]int{}
	lastRound := make([]int, writers)
	for w := range lastRound {
		lastRound[w] = -1
	}
	for _, e := range got {
		var p struct {
			Version int64  `json:"version"`
			Title   string `json:"title"`
			Name    string `json:"name"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatalf("change %d: %v", e.ID, err)
		}
		switch {
		case e.Type == scout.EventItemCreated:
			created++
			var w, r int
			if _, err := fmt.Sscanf(p.Title, "round %d", &r); err != nil {
				t.Fatalf("change %d: title %q", e.ID, p.Title)
			}
			w = slices.IndexFunc(own, func(src scout.Source) bool { return src.ID == e.SourceID })
			if r < lastRound[w] {
				t.Fatalf("writer %d: round %d's item after round %d's: the stream is not in commit order", w, r, lastRound[w])
			}
			lastRound[w] = r
		case e.Type == scout.EventSourceUpdated && e.SourceID == shared.ID:
			renames++
			versions = append(versions, p.Version)
		case e.Type == store.EventEntityCreated:
			announced[p.Name]++
		}
	}
	if want := writers * rounds * perRound; created != want {
		t.Errorf("%d item.created changes, want %d", created, want)
	}
	if want := writers * rounds; renames != want {
		t.Errorf("%d changes of the shared source, want %d", renames, want)
	}
	for i := 1; i < len(versions); i++ {
		if versions[i] != versions[i-1]+1 {
			t.Fatalf("shared source versions in stream order %v: each must follow the one it was written on", versions)
		}
	}
	if len(announced) != rounds*entitiesPerRound {
		t.Errorf("%d entities announced, want %d", len(announced), rounds*entitiesPerRound)
	}
	for name, n := range announced {
		if n != 1 {
			t.Errorf("entity %q announced %d times, want once", name, n)
		}
	}
	final, err := s.GetSource(ctx, shared.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) > 0 && final.Version != versions[len(versions)-1] {
		t.Errorf("the shared source is at version %d, the stream's last change of it at %d", final.Version, versions[len(versions)-1])
	}
}
