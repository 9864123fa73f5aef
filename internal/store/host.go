package store

import (
	"fmt"
	"time"
)

// Placement is where a source scheduled "now" stands in its host's queue:
// the answer to "fetch now" (POST /v1/sources/{id}/refresh, scout refresh).
type Placement struct {
	Host     string
	InFlight int // fetches to the host in flight
	Limit    int // the host's concurrency limit; 0 means none
	// Ahead counts the other sources of the host scheduled "now": claims
	// take them before this one, or at once beside it.
	Ahead int
	// Saturated says every free slot of the host goes to a fetch in
	// flight or to a source ahead, so this one starts only when a fetch of
	// its host ends.
	Saturated bool
	// StartsAt is the earliest start its host's limits allow when it is
	// not saturated: now, or later when the host's spacing has not elapsed
	// for it and the sources ahead. Zero when saturated.
	StartsAt time.Time
}

// Place reports where a source of q's host that was just scheduled "now"
// stands, under the politeness hp.
func (q HostQueue) Place(hp HostPolicy, now time.Time) Placement {
	p := Placement{Host: q.Host, InFlight: q.InFlight, Limit: hp.Concurrency, Ahead: max(q.Urgent-1, 0)}
	if hp.Concurrency > 0 && q.InFlight+p.Ahead >= hp.Concurrency {
		p.Saturated = true
		return p
	}
	p.StartsAt = now
	if q.NextAllowedAt.After(now) {
		p.StartsAt = q.NextAllowedAt
	}
	if hp.Spacing > 0 {
		p.StartsAt = p.StartsAt.Add(time.Duration(p.Ahead) * hp.Spacing)
	}
	return p
}

// String says where the source stands, as the end of a sentence that
// starts "the source is ".
func (p Placement) String() string {
	if p.Saturated {
		return fmt.Sprintf("due now, but host %s is saturated (%d of %d fetches in flight, %d of its sources ahead): it starts when a fetch of the host ends",
			p.Host, p.InFlight, p.Limit, p.Ahead)
	}
	if p.Ahead > 0 {
		ahead := fmt.Sprintf("%d sources", p.Ahead)
		if p.Ahead == 1 {
			ahead = "1 source"
		}
		return fmt.Sprintf("due now, behind %s of host %s: it starts as soon as the host's limits allow", ahead, p.Host)
	}
	return fmt.Sprintf("due now, at the head of host %s's queue: it starts at the next claim", p.Host)
}
