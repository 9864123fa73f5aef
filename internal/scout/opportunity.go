package scout

import "time"

// Kind is what sort of opportunity an item describes.
type Kind string

// The opportunity kinds. KindNone marks items that are not opportunities
// (news, reports, events); KindUnknown means nothing was extracted yet.
const (
	KindUnknown     Kind = ""
	KindGrant       Kind = "grant"
	KindFellowship  Kind = "fellowship"
	KindResidency   Kind = "residency"
	KindCommission  Kind = "commission"
	KindContest     Kind = "contest"
	KindCall        Kind = "call"
	KindScholarship Kind = "scholarship"
	KindAccelerator Kind = "accelerator"
	KindSponsorship Kind = "sponsorship"
	KindJob         Kind = "job"
	KindNone        Kind = "none"
)

// Kinds lists every kind a client may filter on.
var Kinds = []Kind{KindGrant, KindFellowship, KindResidency, KindCommission, KindContest, KindCall,
	KindScholarship, KindAccelerator, KindSponsorship, KindJob, KindNone}

// OpportunityStatus follows from the deadline and the clock.
type OpportunityStatus string

// The opportunity statuses.
const (
	StatusUnknown      OpportunityStatus = "unknown"
	StatusOpen         OpportunityStatus = "open"
	StatusClosingSoon  OpportunityStatus = "closing_soon"
	StatusClosed       OpportunityStatus = "closed"
	StatusRolling      OpportunityStatus = "rolling"
	StatusForecasted   OpportunityStatus = "forecasted"
	ClosingSoonHorizon                   = 14 * 24 * time.Hour
)

// Opportunity is the facet extracted from an item: the fields a creator
// decides on. Zero values mean "not stated".
type Opportunity struct {
	Kind           Kind
	KindConfidence float64

	Deadline time.Time // UTC; zero when none was found
	OpensAt  time.Time
	Rolling  bool // "rolling", "until filled"

	AmountMin int64 // whole currency units
	AmountMax int64
	Currency  string // ISO 4217, e.g. "USD"

	Funder      string
	Location    string
	Eligibility []string
	Disciplines []string

	// Extractor names what produced the facet, e.g. "rules/1" or an enricher.
	Extractor  string
	Provenance map[string]Provenance // by field name: "kind", "deadline", "amount", …
}

// Provenance records where one extracted field came from.
type Provenance struct {
	Source     string  `json:"source"`         // "feed", "rules/1", or an enricher name
	Span       string  `json:"span,omitempty"` // the text the value was read from
	Confidence float64 `json:"confidence"`
}

// StatusAt returns the opportunity's status at now.
func (o *Opportunity) StatusAt(now time.Time) OpportunityStatus {
	switch {
	case !o.OpensAt.IsZero() && now.Before(o.OpensAt):
		return StatusForecasted
	case !o.Deadline.IsZero() && !now.Before(o.Deadline):
		return StatusClosed
	case !o.Deadline.IsZero() && o.Deadline.Sub(now) <= ClosingSoonHorizon:
		return StatusClosingSoon
	case !o.Deadline.IsZero():
		return StatusOpen
	case o.Rolling:
		return StatusRolling
	}
	return StatusUnknown
}
