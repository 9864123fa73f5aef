package storetest

import (
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testSources(t *testing.T, s store.Store, c *Clock) {
	u := mustUser(t, s, "a@example.org", false)
	src := mustSource(t, s, u.ID, "https://example.org/feed", scout.VisibilityPrivate, "music", "film")
	if src.Status != scout.SourceOK || src.Kind != scout.SourceFeed || !src.NextFetchAt.Equal(c.Now()) || src.Version != 1 {
		t.Fatalf("created = %+v", src)
	}
	if diff := cmp.Diff([]string{"film", "music"}, src.Tags); diff != "" {
		t.Fatalf("tags (-want +got):\n%s", diff)
	}
	if _, err := s.CreateSource(ctx, scout.Source{OwnerID: u.ID, URL: "https://example.org/feed"}); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("same owner, same URL: err = %v, want ErrConflict", err)
	}
	if _, err := s.CreateSource(ctx, scout.Source{URL: "ftp://example.org/feed"}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("ftp URL: err = %v, want ErrInvalid", err)
	}
	v := mustUser(t, s, "b@example.org", false)
	mustSource(t, s, v.ID, "https://example.org/feed", scout.VisibilityPrivate) // another owner may add it too

	title, tags, vis := "Renamed", []string{"grants"}, scout.VisibilityPublic
	up, err := s.UpdateSource(ctx, src.ID, store.SourceUpdate{Title: &title, Tags: &tags, Visibility: &vis})
	if err != nil || up.Title != title || up.Visibility != vis || up.Version != 2 || !cmp.Equal(up.Tags, tags) {
		t.Fatalf("update = %+v, %v", up, err)
	}
	bad := scout.Visibility("everyone")
	if _, err := s.UpdateSource(ctx, src.ID, store.SourceUpdate{Visibility: &bad}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("bad visibility: err = %v", err)
	}
	if err := s.DeleteSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSource(ctx, src.ID); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("get tombstone: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSource(ctx, src.ID); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("delete twice: err = %v", err)
	}
	page, err := s.ListSources(ctx, store.SourceFilter{Viewer: admin()})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list after delete = %d sources, %v", len(page.Items), err)
	}
	// The URL is free again once the old source is a tombstone.
	again := mustSource(t, s, u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	if again.ID == src.ID {
		t.Fatal("re-created source reused the tombstone's id")
	}
	evs, err := s.ListEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var deleted bool
	for _, e := range evs {
		deleted = deleted || (e.Type == scout.EventSourceDeleted && e.SourceID == src.ID)
	}
	if !deleted {
		t.Fatalf("no %s event for the tombstone in %d events", scout.EventSourceDeleted, len(evs))
	}
}

func testSeed(t *testing.T, s store.Store, _ *Clock) {
	defaults := []scout.Source{
		{URL: "https://example.gov/a.xml", Title: "A", Visibility: scout.VisibilityPublic, Kind: scout.SourceFeed, Tags: []string{"grants"}},
		{URL: "https://example.gov/b.xml", Title: "B", Visibility: scout.VisibilityPublic, Kind: scout.SourceFeed},
	}
	n, err := s.SeedSources(ctx, defaults)
	if err != nil || n != 2 {
		t.Fatalf("first seed = %d, %v", n, err)
	}
	page, _ := s.ListSources(ctx, store.SourceFilter{Viewer: admin()})
	if err := s.DeleteSource(ctx, page.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	n, err = s.SeedSources(ctx, defaults)
	if err != nil || n != 0 {
		t.Fatalf("second seed = %d, %v; want 0 (seeding happens once, deletions are respected)", n, err)
	}
	page, _ = s.ListSources(ctx, store.SourceFilter{Viewer: store.Viewer{UserID: 99}, Tag: "grants"})
	if len(page.Items) != 0 {
		t.Fatalf("deleted seeded source came back: %+v", page.Items)
	}
}

func testOwnership(t *testing.T, s store.Store, _ *Clock) {
	a := mustUser(t, s, "a@example.org", false)
	b := mustUser(t, s, "b@example.org", false)
	pa := mustSource(t, s, a.ID, "https://a.example/feed", scout.VisibilityPrivate, "secret")
	pb := mustSource(t, s, b.ID, "https://b.example/feed", scout.VisibilityPrivate)
	pub := mustSource(t, s, 0, "https://public.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, pa, item("a1", "private grant of a", T0))
	mustFetch(t, s, pb, item("b1", "private grant of b", T0))
	mustFetch(t, s, pub, item("p1", "public grant", T0))

	ids := func(v store.Viewer) []int64 {
		p, err := s.ListSources(ctx, store.SourceFilter{Viewer: v})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, s := range p.Items {
			out = append(out, s.ID)
		}
		return out
	}
	if diff := cmp.Diff([]int64{pa.ID, pub.ID}, ids(store.Viewer{UserID: a.ID})); diff != "" {
		t.Errorf("sources a sees (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{pa.ID, pb.ID, pub.ID}, ids(admin())); diff != "" {
		t.Errorf("sources an admin sees (-want +got):\n%s", diff)
	}
	bView := store.Viewer{UserID: b.ID}
	got := titles(itemsOf(t, s, store.ItemFilter{Viewer: bView}))
	sort.Strings(got)
	if diff := cmp.Diff([]string{"private grant of b", "public grant"}, got); diff != "" {
		t.Errorf("items b sees (-want +got):\n%s", diff)
	}
	for name, f := range map[string]store.ItemFilter{
		"by source": {Viewer: bView, SourceID: pa.ID},
		"by tag":    {Viewer: bView, Tag: "secret"},
		"by search": {Viewer: bView, Query: "private grant"},
	} {
		for _, it := range itemsOf(t, s, f) {
			if it.SourceID == pa.ID {
				t.Errorf("%s: b sees a's private item %q", name, it.Title)
			}
		}
	}
	if p, _ := s.ListSources(ctx, store.SourceFilter{Viewer: bView, Tag: "secret"}); len(p.Items) != 0 {
		t.Errorf("b finds a's private source by tag")
	}
}

func testClaims(t *testing.T, s store.Store, c *Clock) {
	const n = 60
	for i := 0; i < n; i++ {
		mustSource(t, s, 0, "https://example.org/feed/"+string(rune('a'+i%26))+time.Duration(i).String(), scout.VisibilityPublic)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimDueSources(ctx, c.Now(), 3, time.Minute, store.HostPolicy{})
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, src := range got {
					seen[src.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("claim: %v", err)
	}
	if len(seen) != n {
		t.Fatalf("claimed %d distinct sources, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Fatalf("source %d claimed %d times", id, k)
		}
	}
}

func testLeaseLifecycle(t *testing.T, s store.Store, c *Clock) {
	due := mustSource(t, s, 0, "https://example.org/due", scout.VisibilityPublic)
	paused := mustSource(t, s, 0, "https://example.org/paused", scout.VisibilityPublic)
	gone := mustSource(t, s, 0, "https://example.org/deleted", scout.VisibilityPublic)
	yes := true
	if _, err := s.UpdateSource(ctx, paused.ID, store.SourceUpdate{Paused: &yes}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, store.HostPolicy{})
	if err != nil || len(got) != 1 || got[0].ID != due.ID || !got[0].LeaseUntil.Equal(c.Now().Add(time.Minute)) {
		t.Fatalf("claim = %+v, %v; want only the due source, leased for a minute", got, err)
	}
	if again, _ := s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, store.HostPolicy{}); len(again) != 0 {
		t.Fatalf("leased source claimed again: %+v", again)
	}
	c.Advance(2 * time.Minute) // the worker died; the lease expires
	got, _ = s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, store.HostPolicy{})
	if len(got) != 1 {
		t.Fatalf("expired lease not reclaimable: %+v", got)
	}
	mustFetch(t, s, got[0]) // next fetch at T0+1h
	after, _ := s.GetSource(ctx, due.ID)
	if !after.LeaseUntil.IsZero() || !after.NextFetchAt.Equal(T0.Add(time.Hour)) || after.ETag != `"v1"` || after.LastSuccessAt.IsZero() {
		t.Fatalf("after fetch = %+v", after)
	}
	if again, _ := s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, store.HostPolicy{}); len(again) != 0 {
		t.Fatalf("source claimed before it is due: %+v", again)
	}
	if err := s.ScheduleSource(ctx, due.ID, c.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, store.HostPolicy{}); len(got) != 1 {
		t.Fatalf("refresh-now source not claimable: %+v", got)
	}
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: due.ID, Status: scout.SourceRetired, NextFetchAt: c.Now(),
		Log: scout.FetchLog{StatusCode: 410, ErrorClass: scout.ErrorHTTP, Error: "HTTP 410 Gone"}}); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	if got, _ := s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, store.HostPolicy{}); len(got) != 0 {
		t.Fatalf("retired source claimed: %+v", got)
	}
}

// testSourcesByStatus checks that a source never fetched is listed as
// pending (stored as ok until its first fetch), and each fetched one by
// the status its last fetch left.
func testSourcesByStatus(t *testing.T, s store.Store, c *Clock) {
	fresh := mustSource(t, s, 0, "https://fresh.example/feed", scout.VisibilityPublic)
	good := mustSource(t, s, 0, "https://good.example/feed", scout.VisibilityPublic)
	bad := mustSource(t, s, 0, "https://bad.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, good)
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: bad.ID, Status: scout.SourceFailing, NextFetchAt: c.Now().Add(time.Minute),
		Log: scout.FetchLog{ErrorClass: scout.ErrorDNS, Error: "no such host"}}); err != nil {
		t.Fatal(err)
	}
	for status, want := range map[scout.SourceStatus]int64{scout.SourcePending: fresh.ID, scout.SourceOK: good.ID, scout.SourceFailing: bad.ID} {
		p, err := s.ListSources(ctx, store.SourceFilter{Viewer: admin(), Status: status})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != want {
			t.Errorf("sources %s = %+v, %v; want only source %d", status, p.Items, err, want)
		}
	}
}
