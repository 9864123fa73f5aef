package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testModifiedOpportunities(t *testing.T, s store.Store, c *Clock) {
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	alice, bob := mustUser(t, s, "alice@example.org", false), mustUser(t, s, "bob@example.org", false)
	public := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	other := mustSource(t, s, 0, "https://music.example/feed", scout.VisibilityPublic)
	private := mustSource(t, s, alice.ID, "https://alice.example/feed", scout.VisibilityPrivate)
	mustFetch(t, s, public, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "", deadline, 0))
	c.Advance(time.Hour)
	mustFetch(t, s, other, call("m1", "Touring Musicians Fund", "TMF-2026-0001", "Touring Trust", deadline, 2000))
	c.Advance(time.Hour)
	mustFetch(t, s, private, call("a2", "Private commission for Alice", "PRV-2026-0001", "Alice Patron", deadline, 500))
	arts, music, mine := mustItemOpportunity(t, s, public, "f1"), mustItemOpportunity(t, s, other, "m1"), mustItemOpportunity(t, s, private, "a2")
	as, bs := store.Viewer{UserID: alice.ID}, store.Viewer{UserID: bob.ID}

	list := func(v store.Viewer, offset, limit int, count bool) ([]int64, store.NumberedPage[scout.MergedOpportunity]) {
		t.Helper()
		p, err := s.ListModifiedOpportunities(ctx, v, offset, limit, count)
		if err != nil {
			t.Fatalf("list modified opportunities (offset %d, limit %d): %v", offset, limit, err)
		}
		ids := make([]int64, len(p.Items))
		for i, o := range p.Items {
			ids[i] = o.ID
		}
		return ids, p
	}
	for _, tt := range []struct {
		name          string
		v             store.Viewer
		offset, limit int
		want          []int64
		total         int // when counted, else -1: the list goes on past the page
	}{
		{"alice sees hers and the public ones, newest first", as, 0, 10, []int64{mine, music, arts}, 3},
		{"bob sees the public ones only", bs, 0, 10, []int64{music, arts}, 2},
		{"an admin sees every one", admin(), 0, 10, []int64{mine, music, arts}, 3},
		{"a first page short of the end counts only when asked", as, 0, 2, []int64{mine, music}, -1},
		{"a middle page starts after the offset", as, 1, 1, []int64{music}, -1},
		{"a page ending at the last one counts it", as, 1, 2, []int64{music, arts}, 3},
		{"the last page is short", as, 2, 2, []int64{arts}, 3},
		{"a page past the end is empty and still counts", as, 3, 10, []int64{}, 3},
		{"a page far past the end is empty and still counts", bs, 40, 10, []int64{}, 2},
	} {
		for _, count := range []bool{false, true} {
			ids, p := list(tt.v, tt.offset, tt.limit, count)
			total, want := -1, tt.total
			if p.Counted {
				total = p.Total
			}
			if count && want < 0 {
				want = 3 // asked, the count is every one alice sees
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" || total != want {
				t.Errorf("%s (count %v): total %d (want %d), ids (-want +got):\n%s", tt.name, count, total, want, diff)
			}
		}
	}

	// Alice's private post of the public call joins it: bob still sees it,
	// merged from the public sighting alone, in modified order.
	c.Advance(time.Hour)
	mustFetch(t, s, private, call("a1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Secret Funder Trust", deadline, 9000))
	if got := mustItemOpportunity(t, s, private, "a1"); got != arts {
		t.Fatalf("alice's repost is in opportunity %d, want the public one %d", got, arts)
	}
	for _, v := range []store.Viewer{as, bs} {
		_, p := list(v, 0, 10, false)
		items := p.Items
		for i := 1; i < len(items); i++ {
			a, b := items[i-1], items[i]
			if a.UpdatedAt.Before(b.UpdatedAt) || a.UpdatedAt.Equal(b.UpdatedAt) && a.ID < b.ID {
				t.Errorf("viewer %d: %d (modified %v) before %d (modified %v)", v.UserID, a.ID, a.UpdatedAt, b.ID, b.UpdatedAt)
			}
		}
		for _, o := range items {
			if v == bs && o.ID == arts && (len(o.Sightings) != 1 || o.Opportunity.AmountMax != 0 || o.Opportunity.Funder != "") {
				t.Errorf("bob's view of the shared call = %+v, want the public sighting alone", o)
			}
			if v == as && o.ID == arts && (len(o.Sightings) != 2 || o.Opportunity.AmountMax != 9000) {
				t.Errorf("alice's view of the shared call = %+v, want both sightings and her amount", o)
			}
		}
	}
	for _, bad := range [][2]int{{-1, 10}, {0, 0}, {0, store.MaxLimit + 1}} {
		if _, err := s.ListModifiedOpportunities(ctx, as, bad[0], bad[1], true); !errors.Is(err, scout.ErrInvalid) {
			t.Errorf("offset %d limit %d: err = %v, want ErrInvalid", bad[0], bad[1], err)
		}
	}
}
