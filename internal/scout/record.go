package scout

import (
	"strings"
	"time"
)

// KeyDates are an opportunity's named dates, following the CommonGrants
// keyDates model: when it opens, when it closes, and other dates worth a
// calendar entry. Nil means not stated.
type KeyDates struct {
	Opens    *KeyDate  `json:"opens,omitempty"`
	Deadline *KeyDate  `json:"deadline,omitempty"`
	Other    []KeyDate `json:"other,omitempty"`
}

// The labels of KeyDate. Other dates carry one of the labels below; opens
// and deadline carry their own name.
const (
	DateOpens        = "opens"
	DateDeadline     = "deadline"
	DateIntent       = "letter of intent"
	DateFullProposal = "full proposal"
	DateEarly        = "early deadline"
	DateLate         = "late deadline"
	DateNotification = "notification"
	DateEvent        = "event"
	DateRound        = "other round"
)

// KeyDate is one date as the funder wrote it and as an instant. Date, Time
// and Zone are the funder's own calendar; At is derived from them and is
// what filters and statuses compare. When no time is stated a deadline means
// the end of the day (23:59:59) and an opening its start; when Zone is
// empty (none stated, and none taken from the text's country) the day is
// read in UTC.
type KeyDate struct {
	Label string `json:"label"`
	// Date is the local calendar date, YYYY-MM-DD.
	Date string `json:"date"`
	// Time is the local wall time, HH:MM or HH:MM:SS; empty when not stated.
	Time string `json:"time,omitempty"`
	// Zone is an IANA zone name when a region's time was stated ("Pacific
	// time": America/Los_Angeles), else a UTC offset ("+02:00", "Z" for UTC);
	// for a time stated without a zone, the zone of the country the text
	// places the call in when that country keeps one; empty otherwise.
	Zone       string     `json:"zone,omitempty"`
	At         time.Time  `json:"at"`
	Provenance Provenance `json:"provenance"`
}

// Location returns the zone a KeyDate's local time is in: the IANA zone,
// a fixed offset, or UTC when none was stated or the name is unknown here.
func (k *KeyDate) Location() *time.Location {
	switch z := k.Zone; {
	case z == "" || z == "Z":
		return time.UTC
	case z[0] == '+' || z[0] == '-':
		if t, err := time.Parse("-07:00", z); err == nil {
			_, off := t.Zone()
			return time.FixedZone(z, off)
		}
		return time.UTC
	default:
		if loc, err := time.LoadLocation(z); err == nil {
			return loc
		}
		return time.UTC
	}
}

// Period is how often an award is paid.
type Period string

// The award periods; PeriodUnstated means the text gave none, which for an
// award is read as once.
const (
	PeriodUnstated Period = ""
	PeriodOnce     Period = "once"
	PeriodWeek     Period = "week"
	PeriodMonth    Period = "month"
	PeriodYear     Period = "year"
)

// Money is a sum in currency units. A stated zero is a value (a free entry
// is Amount 0): absence is a nil *Money, never 0.
type Money struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency,omitempty"` // ISO 4217; empty when free or unknown
}

// MoneyRange is a sum that may be a range, in currency units.
type MoneyRange struct {
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Currency string  `json:"currency,omitempty"`
}

// Duration is how long a periodic award runs, e.g. 6 months.
type Duration struct {
	Count int    `json:"count"`
	Unit  Period `json:"unit"` // week, month or year
}

// AwardCount is how many awards are made.
type AwardCount struct {
	Min       int  `json:"min,omitempty"`
	Max       int  `json:"max,omitempty"`
	Estimated bool `json:"estimated,omitempty"` // "up to", "about", "approximately"
}

// Funding is the money side of an opportunity beyond the award range
// (Opportunity.AmountMin/AmountMax/Currency, per recipient and per Period),
// following the CommonGrants funding model. Nil fields are not stated.
type Funding struct {
	Period   Period    `json:"period,omitempty"`
	Duration *Duration `json:"duration,omitempty"`
	// PerRecipient is what one recipient gets in all: the award times the
	// periods in Duration, or the award itself when it is paid once. Nil
	// when that cannot be known (a monthly stipend of unstated length).
	PerRecipient   *MoneyRange `json:"per_recipient,omitempty"`
	TotalAvailable *Money      `json:"total_available,omitempty"` // the pool across all awards
	Awards         *AwardCount `json:"awards,omitempty"`
	EntryFee       *Money      `json:"entry_fee,omitempty"` // Amount 0: stated free to enter
	InKind         *Money      `json:"in_kind,omitempty"`   // value of support that is not cash
}

// PeriodsIn returns how many periods p fit in d, exactly, or 0 when the
// units do not divide (months in weeks).
func PeriodsIn(p Period, d Duration) int {
	if d.Count <= 0 {
		return 0
	}
	per := map[[2]Period]int{{PeriodWeek, PeriodWeek}: 1, {PeriodMonth, PeriodMonth}: 1, {PeriodYear, PeriodYear}: 1,
		{PeriodMonth, PeriodYear}: 12, {PeriodWeek, PeriodYear}: 52}[[2]Period{p, d.Unit}]
	return per * d.Count
}

// RecipientTotal computes what one recipient gets in all from an award
// range paid per period p for d; nil when it cannot be known.
func RecipientTotal(lo, hi int64, cur string, p Period, d *Duration) *MoneyRange {
	if hi <= 0 || cur == "" {
		return nil
	}
	n := 1
	if p != PeriodUnstated && p != PeriodOnce {
		if d == nil {
			return nil
		}
		if n = PeriodsIn(p, *d); n == 0 {
			return nil
		}
	}
	return &MoneyRange{Min: float64(lo * int64(n)), Max: float64(hi * int64(n)), Currency: cur}
}

// ApplicantType is who may apply, in the publishing module's vocabulary.
type ApplicantType string

// The applicant types.
const (
	ApplicantIndividual   ApplicantType = "individual"
	ApplicantCollective   ApplicantType = "collective"
	ApplicantOrganization ApplicantType = "organization"
	ApplicantNonprofit    ApplicantType = "nonprofit"
)

// ApplicantTypes lists every applicant type a client may filter on.
var ApplicantTypes = []ApplicantType{ApplicantIndividual, ApplicantCollective, ApplicantOrganization, ApplicantNonprofit}

// Eligibility is who may apply, as predicates a consumer can evaluate.
// Empty fields are not stated (which is not "anyone").
type Eligibility struct {
	ApplicantTypes []ApplicantType `json:"applicant_types,omitempty"`
	// CareerStages: emerging, early-career, mid-career, established, first-time.
	CareerStages []string `json:"career_stages,omitempty"`
	AgeMin       int      `json:"age_min,omitempty"` // inclusive
	AgeMax       int      `json:"age_max,omitempty"` // inclusive ("under 30" is 29)
	// Countries are where applicants must live or be citizens: ISO 3166-1
	// alpha-2 codes ("GB"), ISO 3166-2 subdivisions ("GB-SCT", "US-CA"), or
	// "EU" for the European Union.
	Countries []string `json:"countries,omitempty"`
	Students  bool     `json:"students,omitempty"` // the programme is for students
	// IdentityFocus names programmes for a community: bipoc, indigenous,
	// women, lgbtq, disabled, immigrants.
	IdentityFocus []string `json:"identity_focus,omitempty"`
	// Spans are the texts the predicates were read from.
	Spans []string `json:"spans,omitempty"`
}

// IsZero reports whether nothing about eligibility is stated.
func (e *Eligibility) IsZero() bool {
	return len(e.ApplicantTypes) == 0 && len(e.CareerStages) == 0 && e.AgeMin == 0 && e.AgeMax == 0 &&
		len(e.Countries) == 0 && !e.Students && len(e.IdentityFocus) == 0
}

// Allows reports whether applicants of type t are named, or no type is.
func (e *Eligibility) Allows(t ApplicantType) bool {
	if len(e.ApplicantTypes) == 0 {
		return true
	}
	for _, a := range e.ApplicantTypes {
		if a == t {
			return true
		}
	}
	return false
}

// CountryIn reports whether code (alpha-2, upper case) is among the
// countries or is the country of a listed subdivision.
func (e *Eligibility) CountryIn(code string) bool {
	for _, c := range e.Countries {
		if c == code || strings.HasPrefix(c, code+"-") {
			return true
		}
	}
	return false
}
