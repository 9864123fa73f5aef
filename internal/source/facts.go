package source

import (
	"fmt"
	"math"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Facts are the opportunity fields a kind reads from a publisher's own
// structured data (a JSON answer, the Grants.gov extract). A zero time or
// a false Has* flag means the publisher did not state the field.
type Facts struct {
	Deadline, Opens time.Time
	// Estimated marks dates the publisher gives as estimates (a forecast's
	// due date): they are stated, but trusted less.
	Estimated                                 bool
	Ceiling, Floor, Total, Awards             float64
	HasCeiling, HasFloor, HasTotal, HasAwards bool
	Funder, Currency                          string
}

// Estimate is the provenance of a date the publisher states as an estimate.
var Estimate = scout.Provenance{Source: Stated.Source, Confidence: 0.6}

// Opportunity returns the stated fields as an opportunity, each with
// "feed" provenance, so that KeepStated keeps them over extraction.
func (f Facts) Opportunity() scout.Opportunity {
	o := scout.Opportunity{Provenance: map[string]scout.Provenance{}}
	date := Stated
	if f.Estimated {
		date = Estimate
	}
	if t := f.Deadline; !t.IsZero() {
		o.Deadline = EndOfDay(t)
		o.KeyDates.Deadline = &scout.KeyDate{Label: scout.DateDeadline, Date: t.Format(time.DateOnly), At: o.Deadline, Provenance: date}
		o.Provenance["deadline"] = date
	}
	if t := f.Opens; !t.IsZero() {
		o.OpensAt = t
		o.KeyDates.Opens = &scout.KeyDate{Label: scout.DateOpens, Date: t.Format(time.DateOnly), At: t, Provenance: date}
		o.Provenance["opens_at"] = date
	}
	if f.HasCeiling || f.HasFloor {
		o.AmountMin, o.AmountMax, o.Currency = int64(f.Floor), int64(f.Ceiling), f.Currency
		if !f.HasCeiling {
			o.AmountMax = o.AmountMin
		}
		o.Provenance["amount"] = Stated
	}
	if f.HasTotal {
		o.Funding.TotalAvailable = &scout.Money{Amount: f.Total, Currency: f.Currency}
		o.Provenance["total_available"] = Stated
	}
	if v := f.Awards; f.HasAwards && v >= 1 && v < math.MaxInt32 {
		o.Funding.Awards = &scout.AwardCount{Min: int(v), Max: int(v)}
		o.Provenance["awards"] = Stated
	}
	if f.Funder != "" {
		o.Funder = f.Funder
		o.Provenance["funder"] = Stated
	}
	return o
}

// EndOfDay reads a date without a time as the end of that day, as a
// deadline means.
func EndOfDay(t time.Time) time.Time {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
}

// StatedKey renders the stated fields of o for the content hash, so that
// a change of one of them is an edit of the item even when its text stays
// the same (feeds.Entry.Stated).
func StatedKey(o scout.Opportunity) string {
	if len(o.Provenance) == 0 {
		return ""
	}
	var total, awards float64
	if o.Funding.TotalAvailable != nil {
		total = o.Funding.TotalAvailable.Amount
	}
	if o.Funding.Awards != nil {
		awards = float64(o.Funding.Awards.Max)
	}
	return fmt.Sprintf("%d|%d|%d|%d|%s|%g|%g", o.Deadline.Unix(), o.OpensAt.Unix(), o.AmountMin, o.AmountMax, o.Funder, total, awards)
}
