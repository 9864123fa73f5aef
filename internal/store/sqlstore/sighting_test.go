package sqlstore

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
)

func TestBestLinkKeepsOnlyAJoiningLink(t *testing.T) {
	post := func(title, text, url string, day int) match.Features {
		it := scout.Item{Title: title, ContentText: text, URL: url}
		it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Funder: "Bellmont Arts", Deadline: time.Date(2026, 6, day, 0, 0, 0, 0, time.UTC)}
		return match.Extract(&it)
	}
	f := post("Neighborhood Arts Grants 2026", "Grants for neighborhood arts projects. Number NEA-2026-0042.", "https://arts.example/g", 1)
	same := post("Neighborhood grants", "The Bellmont neighborhood arts grants, NEA-2026-0042.", "https://blog.example/1", 1)
	weak := post("Neighborhood Arts Fellowship", "A fellowship for sound artists in a coastal town.", "https://blog.example/2", 11)
	if l := match.Decide(f, weak); l.Confidence <= 0 || l.Same() {
		t.Fatalf("the weak candidate's link = %+v; the test needs one that is some way alike but does not join", l)
	}
	best, link := bestLink(f, []candidate{{id: 1, opportunityID: 10, f: weak}, {id: 2, opportunityID: 20, f: same}})
	if !link.Same() || best.opportunityID != 20 || len(link.Evidence) == 0 {
		t.Fatalf("best = %+v, link %+v; want the joining candidate with its evidence", best, link)
	}
	best, link = bestLink(f, []candidate{{id: 1, opportunityID: 10, f: weak}})
	if link.Confidence != 0 || best.id != 0 {
		t.Fatalf("best = %+v, link %+v; want none when no candidate joins", best, link)
	}
}

func TestTopSharedRanksByCountThenNewest(t *testing.T) {
	tests := []struct {
		name string
		ids  []int64
		n    int
		want []int64
	}{
		{"none", nil, 64, []int64{}},
		{"the most shared first", []int64{3, 9, 3, 5, 9, 3}, 64, []int64{3, 9, 5}},
		{"ties go to the newest", []int64{2, 7, 4, 7, 2, 4}, 64, []int64{7, 4, 2}},
		{"cut at n", []int64{1, 2, 3, 4, 4}, 2, []int64{4, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, topShared(slices.Clone(tt.ids), tt.n)); diff != "" {
				t.Errorf("topShared(%v, %d) (-want +got):\n%s", tt.ids, tt.n, diff)
			}
		})
	}
}
