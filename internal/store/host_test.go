package store

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPlace(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	hp := HostPolicy{Concurrency: 2, Spacing: time.Second}
	tests := []struct {
		name string
		q    HostQueue
		hp   HostPolicy
		want Placement
	}{
		{"an idle host starts it now", HostQueue{Host: "a", Due: 1, Urgent: 1}, hp,
			Placement{Host: "a", Limit: 2, StartsAt: now}},
		{"a free slot after the spacing", HostQueue{Host: "a", InFlight: 1, Urgent: 1, NextAllowedAt: now.Add(300 * time.Millisecond)}, hp,
			Placement{Host: "a", InFlight: 1, Limit: 2, StartsAt: now.Add(300 * time.Millisecond)}},
		{"every slot in flight", HostQueue{Host: "a", InFlight: 2, Due: 40, Urgent: 1}, hp,
			Placement{Host: "a", InFlight: 2, Limit: 2, Saturated: true}},
		{"the last free slot goes to a source ahead", HostQueue{Host: "a", InFlight: 1, Urgent: 2}, hp,
			Placement{Host: "a", InFlight: 1, Limit: 2, Ahead: 1, Saturated: true}},
		{"a source ahead waits one spacing", HostQueue{Host: "a", Urgent: 2}, hp,
			Placement{Host: "a", Limit: 2, Ahead: 1, StartsAt: now.Add(time.Second)}},
		{"no limit is never saturated", HostQueue{Host: "a", InFlight: 50, Urgent: 3}, HostPolicy{},
			Placement{Host: "a", InFlight: 50, Ahead: 2, StartsAt: now}},
		{"a source in flight itself is not ahead of itself", HostQueue{Host: "a", InFlight: 1}, hp,
			Placement{Host: "a", InFlight: 1, Limit: 2, StartsAt: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.q.Place(tt.hp, now)); d != "" {
				t.Errorf("Place (-want +got):\n%s", d)
			}
		})
	}
}

func TestPlacementSaysHowManySourcesAreAhead(t *testing.T) {
	for ahead, want := range map[int]string{1: "behind 1 source of host a:", 3: "behind 3 sources of host a:"} {
		if got := (Placement{Host: "a", Limit: 2, Ahead: ahead}).String(); !strings.Contains(got, want) {
			t.Errorf("Placement with %d ahead says %q, want %q in it", ahead, got, want)
		}
	}
}
