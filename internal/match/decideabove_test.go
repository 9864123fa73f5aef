package match_test

import (
	"reflect"
	"testing"

	"github.com/scoutdev/scout/internal/match"
)

// TestDecideAboveAgreesWithDecide checks, over every pair of the cluster
// sets' posts and several floors, that DecideAbove keeps exactly the links
// Decide gives above the floor, with the same evidence (a kept link has no
// conflicts, whose wording can vary: linksDiffer ranges over a map).
func TestDecideAboveAgreesWithDecide(t *testing.T) {
	var fs []match.Features
	for _, name := range []string{"clusters.jsonl", "clusters_dev.jsonl"} {
		for _, r := range loadClusters(t, name) {
			it := postItem(r)
			fs = append(fs, match.Extract(&it))
		}
	}
	kept := map[float64]int{}
	for _, a := range fs {
		for _, b := range fs {
			want := match.Decide(a, b)
			for _, floor := range []float64{0, 0.1, 0.3, 0.5, match.Threshold, 0.9, 0.95} {
				got, ok := match.DecideAbove(a, b, floor)
				if ok != (want.Confidence > max(floor, 0)) {
					t.Fatalf("DecideAbove(floor %v) kept %v; Decide gives %+v", floor, ok, want)
				}
				if !ok {
					continue
				}
				kept[floor]++
				if got.Confidence != want.Confidence || !reflect.DeepEqual(got.Evidence, want.Evidence) {
					t.Fatalf("DecideAbove(floor %v) = %+v; Decide gives %+v", floor, got, want)
				}
			}
		}
	}
	if kept[0] == 0 || kept[match.Threshold] == 0 || kept[0] == kept[match.Threshold] {
		t.Fatalf("links kept by floor: %v; want some above the threshold and more above 0", kept)
	}
}
