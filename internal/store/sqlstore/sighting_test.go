package sqlstore

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
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

// TestKeyListsStayExact runs random inserts and deletes of keys through
// listed and unlisted, reading a key's list from the stored pairs only
// when the transaction has none (as lookUpKeys does), and checks every
// list against the perKey newest stored under its key.
func TestKeyListsStayExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	stored := map[int64]map[int64]bool{} // key -> sighting ids
	newest := func(k int64) []int64 {
		ids := slices.Sorted(maps.Keys(stored[k]))
		slices.Reverse(ids)
		return ids[:min(len(ids), perKey)]
	}
	lists := map[int64][]int64{}
	nextID := int64(1)
	for step := range 3000 {
		k := int64(r.IntN(6))
		if _, ok := lists[k]; !ok && r.IntN(3) == 0 {
			lists[k] = newest(k) // looked up
		}
		if stored[k] == nil {
			stored[k] = map[int64]bool{}
		}
		switch op := r.IntN(10); {
		case op < 6: // a new sighting, or an older one's key added back
			sid := nextID
			if op == 5 && nextID > 1 {
				sid = 1 + r.Int64N(nextID-1)
			} else {
				nextID++
			}
			stored[k][sid] = true
			if l, ok := lists[k]; ok {
				lists[k] = listed(l, sid)
			}
		default:
			var sid int64
			if len(stored[k]) > 0 && r.IntN(4) > 0 {
				ids := slices.Sorted(maps.Keys(stored[k]))
				sid = ids[r.IntN(len(ids))]
			} else {
				sid = 1 + r.Int64N(nextID)
			}
			delete(stored[k], sid)
			if l, ok := lists[k]; ok {
				if l, ok = unlisted(l, sid); ok {
					lists[k] = l
				} else {
					delete(lists, k)
				}
			}
		}
		for k, l := range lists {
			if want := newest(k); !slices.Equal(l, want) {
				t.Fatalf("step %d: key %d lists %v, want %v", step, k, l, want)
			}
		}
	}
}

func TestParseKeyLists(t *testing.T) {
	lists := map[int64][]int64{}
	if err := parseKeyLists("7:3,12;-2:9", lists); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][]int64{7: {3, 12}, -2: {9}}, lists); diff != "" {
		t.Fatalf("lists (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"7", "7:", "x:1", "1:2;3", "1:2,,3"} {
		if err := parseKeyLists(bad, map[int64][]int64{}); err == nil {
			t.Errorf("parseKeyLists(%q) = nil, want an error", bad)
		}
	}
}

// FuzzParseKeyLists checks that any text either fails or yields lists
// that print back to the keys and ids it names.
func FuzzParseKeyLists(f *testing.F) {
	f.Add("7:3,12;-2:9")
	f.Fuzz(func(t *testing.T, s string) {
		lists := map[int64][]int64{}
		if err := parseKeyLists(s, lists); err != nil {
			return
		}
		n := 0
		for _, l := range lists {
			if len(l) == 0 {
				t.Fatalf("parseKeyLists(%q) gave a key without ids: %v", s, lists)
			}
			n += len(l)
		}
		if s != "" && n < strings.Count(s, ",")+1-strings.Count(s, ";") {
			t.Fatalf("parseKeyLists(%q) = %v: fewer ids than the text names", s, lists)
		}
	})
}
