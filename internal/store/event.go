package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
)

// Event types written by the store beyond those scout declares.
const (
	// EventItemDeleted is a tombstone of an item (archived after its
	// deadline, or pruned to keep its source within its item cap).
	EventItemDeleted = "item.deleted"
	// EventEntityCreated is a new entity (organization, place, topic…)
	// first read from an item.
	EventEntityCreated = "entity.created"
	// EventOpportunityClosing says an item's deadline entered the closing-soon window.
	EventOpportunityClosing = "opportunity.closing"
)

// ErrCursorExpired means the outbox rows after a change cursor were pruned:
// the consumer must resynchronize from the lists. It wraps scout.ErrInvalid.
var ErrCursorExpired = fmt.Errorf("cursor expired: changes after it were pruned: %w", scout.ErrInvalid)

// IsCursorExpired reports whether err is ErrCursorExpired.
func IsCursorExpired(err error) bool { return errors.Is(err, ErrCursorExpired) }

// RelayFunc publishes events in order and returns how many of them, from
// the first, were acknowledged; an error with n < len(evs) leaves the rest
// unrelayed for a later call.
type RelayFunc func(ctx context.Context, evs []scout.Event) (n int, err error)

// ChangePage is one page of the change stream.
type ChangePage struct {
	// Events are the changes the viewer may see, in commit order.
	Events []scout.Event
	// Next is the cursor to resume after: the last row scanned, which may
	// be past the last event returned when the rest were not visible.
	Next int64
	// More is true when the scan stopped at its limit.
	More bool
}

// CanSee reports whether v may see e: admins see everything, users the
// changes of their own sources and of public ones.
func (v Viewer) CanSee(e scout.Event) bool {
	return v.Admin || (v.UserID != 0 && e.OwnerID == v.UserID) || (v.UserID != 0 && e.Visibility == scout.VisibilityPublic)
}

// The events of the opportunity aggregate. Each carries the owner and
// visibility of the sighting's source, so a viewer hears of an opportunity
// only through sightings they may see.
const (
	// EventOpportunityCreated is a new opportunity with its first sighting.
	EventOpportunityCreated = "opportunity.created"
	// EventOpportunitySighted is a new sighting of an existing opportunity.
	EventOpportunitySighted = "opportunity.sighted"
	// EventOpportunityMerged is an operator's merge: the sightings of one
	// opportunity moved to another, one event per moved sighting.
	EventOpportunityMerged = "opportunity.merged"
	// EventOpportunitySplit is an operator's split: a sighting moved out to
	// a new opportunity of its own.
	EventOpportunitySplit = "opportunity.split"
	// EventOpportunityDeleted is a tombstone of an opportunity whose last
	// sighting went with its item (pruned).
	EventOpportunityDeleted = "opportunity.deleted"
)
