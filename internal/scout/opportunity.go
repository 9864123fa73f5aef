package scout

import "time"

// Kind is what sort of opportunity an item describes.
type Kind string

// The opportunity kinds. Two values are not kinds of opportunity and must
// not be confused: KindNone is a decision (the item was classified and is
// not an opportunity: news, a report, an event listing), KindUnknown is the
// absence of one (nothing has classified the item yet).
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

// KindDescriptions says what each kind means, for the API contract.
var KindDescriptions = map[Kind]string{
	KindGrant:       "money for a project or practice, applied for (CommonGrants: grant)",
	KindFellowship:  "a paid period of work or study with a programme around it",
	KindResidency:   "time and space at a place, sometimes with a stipend",
	KindCommission:  "paid work on a brief, including public-art RFQs",
	KindContest:     "a competition or prize judged among entries",
	KindCall:        "a call for entries, submissions, papers or pitches without a stated prize",
	KindScholarship: "money for study or tuition",
	KindAccelerator: "a cohort programme with investment or support for ventures",
	KindSponsorship: "a brand partnership or paid sponsorship for creators",
	KindJob:         "a job, gig or freelance contract",
	KindNone:        "classified, and not an opportunity (news, a report, an event listing)",
	KindUnknown:     "not yet classified: no extractor or enricher has decided",
}

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
	Eligibility []string // tags: emerging, students, bipoc, under-30, …
	Disciplines []string

	// KeyDates are the dates in the funder's own calendar; KeyDates.Deadline
	// and KeyDates.Opens agree with Deadline and OpensAt when stated.
	KeyDates KeyDates
	Funding  Funding
	Criteria Eligibility // who may apply, as predicates

	// Extractor names what produced the facet, e.g. "rules/1" or an enricher.
	Extractor  string
	Provenance map[string]Provenance // by field name: "kind", "deadline", "amount", …
	// ProvenanceJSON, when not empty, stands for Provenance (then nil) as
	// JSON in one canonical form: an object with its keys in increasing
	// byte order, each value {"source":…,"span":…,"confidence":…} with span
	// left out when empty, no white space, no string that needs an escape,
	// and confidence as encoding/json writes a float64. It is the bytes
	// encoding/json writes for Provenance without HTML escaping, so the API
	// can serve it as it is. Only a list that asks for it
	// (store.ItemFilter.ProvenanceJSON) sets it.
	ProvenanceJSON string
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
