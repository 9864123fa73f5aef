package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// lifecycleItems covers every status and the edges between them at T0.
func lifecycleItems() []scout.Item {
	day := 24 * time.Hour
	opp := func(guid string, o scout.Opportunity) scout.Item {
		it := item(guid, guid, T0.Add(-time.Hour))
		o.Kind = scout.KindGrant
		it.Opportunity = o
		return it
	}
	news := item("news", "news", T0.Add(-time.Hour))
	news.Opportunity.Kind = scout.KindNone
	items := []scout.Item{
		opp("forecast", scout.Opportunity{OpensAt: T0.Add(5 * day), Deadline: T0.Add(60 * day)}),
		opp("opened", scout.Opportunity{OpensAt: T0.Add(-5 * day), Deadline: T0.Add(30 * day)}),
		opp("closed", scout.Opportunity{Deadline: T0.Add(-day)}),
		opp("due-now", scout.Opportunity{Deadline: T0}),
		opp("closing", scout.Opportunity{Deadline: T0.Add(3 * day)}),
		opp("horizon", scout.Opportunity{Deadline: T0.Add(scout.ClosingSoonHorizon)}),
		opp("open", scout.Opportunity{Deadline: T0.Add(scout.ClosingSoonHorizon + time.Second)}),
		opp("rolling", scout.Opportunity{Rolling: true}),
		opp("rolling-due", scout.Opportunity{Rolling: true, Deadline: T0.Add(2 * day)}),
		opp("unknown", scout.Opportunity{}),
		news,
	}
	for i := range items {
		items[i].PublishedAt = T0.Add(-time.Duration(i+1) * time.Minute) // a strict list order
	}
	return items
}

// wantStatus returns the titles of items in any of statuses at now, in
// published order (newest first), as StatusAt decides.
func wantStatus(items []scout.Item, now time.Time, statuses ...scout.OpportunityStatus) []string {
	var keep []scout.Item
	for _, it := range items {
		if slices.Contains(statuses, it.Opportunity.StatusAt(now)) {
			keep = append(keep, it)
		}
	}
	slices.SortFunc(keep, func(a, b scout.Item) int { return b.PublishedAt.Compare(a.PublishedAt) })
	return titles(keep)
}

func testItemStatuses(t *testing.T, s store.Store, c *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	items := lifecycleItems()
	mustFetch(t, s, src, items...)
	cases := []struct {
		name     string
		now      time.Time
		statuses []scout.OpportunityStatus
	}{
		{"forecasted", T0, []scout.OpportunityStatus{scout.StatusForecasted}},
		{"open", T0, []scout.OpportunityStatus{scout.StatusOpen}},
		{"closing soon", T0, []scout.OpportunityStatus{scout.StatusClosingSoon}},
		{"closed", T0, []scout.OpportunityStatus{scout.StatusClosed}},
		{"rolling", T0, []scout.OpportunityStatus{scout.StatusRolling}},
		{"unknown", T0, []scout.OpportunityStatus{scout.StatusUnknown}},
		{"accepting applications", T0, []scout.OpportunityStatus{scout.StatusOpen, scout.StatusClosingSoon, scout.StatusRolling}},
		{"closed a week later", T0.Add(7 * 24 * time.Hour), []scout.OpportunityStatus{scout.StatusClosed}},
		{"forecast opened later", T0.Add(6 * 24 * time.Hour), []scout.OpportunityStatus{scout.StatusOpen}},
	}
	for _, tc := range cases {
		got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), Statuses: tc.statuses, Now: tc.now}))
		if diff := cmp.Diff(wantStatus(items, tc.now, tc.statuses...), got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	c.Advance(4 * 24 * time.Hour) // without Now the store's clock decides
	got := titles(itemsOf(t, s, store.ItemFilter{Viewer: admin(), Statuses: []scout.OpportunityStatus{scout.StatusClosed}}))
	if diff := cmp.Diff(wantStatus(items, c.Now(), scout.StatusClosed), got); diff != "" {
		t.Errorf("closed by the store's clock (-want +got):\n%s", diff)
	}
	_, err := s.ListItems(ctx, store.ItemFilter{Viewer: admin(), Statuses: []scout.OpportunityStatus{"ajar"}})
	if !errors.Is(err, scout.ErrInvalid) {
		t.Errorf("unknown status: err = %v, want ErrInvalid", err)
	}
}

func testStatsPerStatus(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	items := lifecycleItems()
	mustFetch(t, s, src, items...)
	st, err := s.Stats(ctx, admin(), T0)
	if err != nil {
		t.Fatal(err)
	}
	count := map[scout.OpportunityStatus]int{}
	for _, it := range items {
		if it.Opportunity.Kind != scout.KindNone {
			count[it.Opportunity.StatusAt(T0)]++
		}
	}
	var want []store.StatusCount
	for _, sts := range []scout.OpportunityStatus{scout.StatusForecasted, scout.StatusOpen, scout.StatusClosingSoon,
		scout.StatusRolling, scout.StatusClosed, scout.StatusUnknown} {
		if count[sts] > 0 {
			want = append(want, store.StatusCount{Status: sts, Count: count[sts]})
		}
	}
	if diff := cmp.Diff(want, st.PerStatus); diff != "" {
		t.Errorf("per status (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]store.KindCount{{Kind: scout.KindGrant, Count: len(items) - 1}, {Kind: scout.KindNone, Count: 1}}, st.PerKind); diff != "" {
		t.Errorf("per kind (-want +got):\n%s", diff)
	}
}
