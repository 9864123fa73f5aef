package store

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Limits on page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// PageRequest is the cursor and size of a page.
type PageRequest struct {
	Cursor string // opaque, from Page.Next; empty for the first page
	Limit  int    // 1..MaxLimit; 0 means DefaultLimit
}

// Size returns the effective limit.
func (p PageRequest) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// Page is one page of a list. Next is empty on the last page.
type Page[T any] struct {
	Items []T
	Next  string
}

// SourceFilter selects sources.
type SourceFilter struct {
	Viewer  Viewer
	OwnerID int64              // 0 = any
	Status  scout.SourceStatus // "" = any
	Tag     string
	PageRequest
}

// ItemSort is the order of an item list.
type ItemSort string

// The item orders.
const (
	SortPublished ItemSort = "published" // newest first (default)
	SortDeadline  ItemSort = "deadline"  // soonest deadline first; items without one left out
	SortRelevance ItemSort = "relevance" // best match first; needs Query
)

// FeeFilter selects items by their entry fee.
type FeeFilter string

// The fee filters: free keeps items stated free to enter, paid those with a
// fee above zero; any (or "") does not filter. Items stating no fee match
// neither free nor paid.
const (
	FeeAny  FeeFilter = "any"
	FeeFree FeeFilter = "free"
	FeePaid FeeFilter = "paid"
)

// ItemFilter selects items. Zero fields do not filter.
type ItemFilter struct {
	Viewer          Viewer
	SourceID        int64
	Kind            scout.Kind
	Tag             string // a tag of the item's source
	PublishedAfter  time.Time
	PublishedBefore time.Time
	DeadlineAfter   time.Time
	DeadlineBefore  time.Time
	AmountAtLeast   int64 // AmountMax >= this
	AmountAtMost    int64 // AmountMin <= this (and > 0)
	UpdatedSince    time.Time
	// ClosingWithin keeps items whose deadline instant is in [Now, Now+ClosingWithin).
	ClosingWithin time.Duration
	Fee           FeeFilter
	FeeAtMost     *float64 // an entry fee is stated and at most this (0: free)
	AwardAtLeast  int64    // what one recipient gets in all is at least this
	Applicant     scout.ApplicantType
	Country       string // ISO 3166 code; a country also matches its subdivisions
	// Statuses keeps items whose opportunity is in any of these statuses at
	// Now, exactly as scout.Opportunity.StatusAt decides them (forecasted,
	// closed, closing_soon, open, rolling and unknown exclude each other).
	Statuses []scout.OpportunityStatus
	Now      time.Time // the clock Statuses are judged at; zero means the store's clock
	Query    string    // full-text: words, "phrases", -exclusion, OR
	Sort     ItemSort
	// ProvenanceJSON lets the list hand an item's provenance over as
	// scout.Opportunity.ProvenanceJSON, the stored bytes, where they are in
	// its canonical form, instead of decoding them into Provenance.
	ProvenanceJSON bool
	PageRequest
}

// EntityFilter selects entities.
type EntityFilter struct {
	Type   scout.EntityType
	Prefix string // of the normalized key
	// Viewer, when set, keeps only entities linked to at least one live item
	// the viewer may see, so that names read from other users' private feeds
	// do not leak. Nil lists every entity (for internal callers).
	Viewer *Viewer
	PageRequest
}
