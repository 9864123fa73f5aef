package api

import (
	"cmp"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// CGOpportunity is a CommonGrants OpportunityBase. What is not stated is
// absent; a stated zero is served ("0" is an amount, a free entry has
// amount "0").
type CGOpportunity struct {
	ID             string                   `json:"id" format:"uuid" doc:"stable across reads; derived from the Scout id (customFields.scoutId)"`
	Title          string                   `json:"title"`
	Status         CGStatus                 `json:"status"`
	Description    string                   `json:"description" doc:"the summary of the preferred sighting, else its title"`
	Funding        CGFunding                `json:"funding"`
	KeyDates       CGKeyDates               `json:"keyDates"`
	Source         string                   `json:"source,omitempty" format:"uri" doc:"the preferred sighting's page"`
	CustomFields   map[string]CGCustomField `json:"customFields" doc:"Scout's extensions, each present only when stated: scoutId, kind, funder, rolling, entryFee, inKind, awardPeriod, eligibility, keyDateZones, provenance"`
	CreatedAt      time.Time                `json:"createdAt" doc:"when the first of the sightings you may see was written"`
	LastModifiedAt time.Time                `json:"lastModifiedAt" doc:"the latest change you can see (as updated_at on /v1/opportunities): changes to sightings you may not see never move it"`
}

// CGStatus is where the opportunity is in its life, judged at request time.
type CGStatus struct {
	Value       string `json:"value" enum:"forecasted,open,closed,custom"`
	CustomValue string `json:"customValue,omitempty" enum:"rolling,unknown" doc:"with value custom: rolling (open until filled, no fixed deadline) or unknown (no deadline or opening stated)"`
	Description string `json:"description,omitempty"`
}

// CGMoney is a sum as a decimal string in an ISO 4217 currency.
type CGMoney struct {
	Amount   string `json:"amount" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"a decimal string; \"0\" is a stated zero"`
	Currency string `json:"currency" pattern:"^[A-Z]{3}$"`
}

// CGFunding is CommonGrants OppFunding. Award amounts are what one award
// is worth in all: a periodic award's total over its stated duration
// (customFields.awardPeriod has the amount per period).
type CGFunding struct {
	TotalAmountAvailable *CGMoney `json:"totalAmountAvailable,omitempty"`
	MinAwardAmount       *CGMoney `json:"minAwardAmount,omitempty" doc:"absent for \"up to\" amounts"`
	MaxAwardAmount       *CGMoney `json:"maxAwardAmount,omitempty"`
	MinAwardCount        *int     `json:"minAwardCount,omitempty" minimum:"0"`
	MaxAwardCount        *int     `json:"maxAwardCount,omitempty" minimum:"0"`
	EstimatedAwardCount  *int     `json:"estimatedAwardCount,omitempty" minimum:"0" doc:"when the text said about or approximately"`
}

// CGKeyDates is the opportunity's timeline in the funder's own calendar.
type CGKeyDates struct {
	AppOpens    *CGEvent           `json:"appOpens,omitempty"`
	AppDeadline *CGEvent           `json:"appDeadline,omitempty"`
	OtherDates  map[string]CGEvent `json:"otherDates,omitempty" doc:"keyed letterOfIntent, fullProposal, earlyDeadline, lateDeadline, notification, event, otherRound; a second date of one kind gets 2, and so on"`
}

// CGEvent is a CommonGrants single-date event: the local date and time as
// the funder stated them (the zone is in customFields.keyDateZones).
type CGEvent struct {
	Name        string `json:"name"`
	EventType   string `json:"eventType" enum:"singleDate"`
	Date        string `json:"date" format:"date"`
	Time        string `json:"time,omitempty" pattern:"^[0-9]{2}:[0-9]{2}:[0-9]{2}$" doc:"absent when not stated (a deadline then means the end of the day)"`
	Description string `json:"description,omitempty"`
}

// CGCustomField is one of Scout's extensions.
type CGCustomField struct {
	Name        string `json:"name"`
	FieldType   string `json:"fieldType" enum:"string,number,boolean,object,array"`
	Value       any    `json:"value"`
	Description string `json:"description,omitempty"`
}

// cgEventNames are the event names of the key date labels.
var cgEventNames = map[string]string{scout.DateOpens: "Applications open", scout.DateDeadline: "Application deadline"}

func cgOpportunity(o scout.MergedOpportunity, now time.Time) CGOpportunity {
	f := o.Opportunity
	out := CGOpportunity{ID: opportunityUUID(o.ID), Title: o.Title, Status: cgStatus(&f, now), Description: o.Title,
		Source: o.URL, CreatedAt: o.CreatedAt.UTC(), LastModifiedAt: o.UpdatedAt.UTC()}
	if len(o.Sightings) > 0 && strings.TrimSpace(o.Sightings[0].Item.Summary) != "" {
		out.Description = o.Sightings[0].Item.Summary
	}
	out.Funding = cgFunding(&f)
	zones := map[string]any{}
	out.KeyDates = cgKeyDates(&f, zones)
	out.CustomFields = cgCustomFields(o, zones)
	return out
}

func cgStatus(o *scout.Opportunity, now time.Time) CGStatus {
	switch o.StatusAt(now) {
	case scout.StatusForecasted:
		return CGStatus{Value: "forecasted", Description: "announced; applications open on " + o.OpensAt.UTC().Format(time.DateOnly)}
	case scout.StatusOpen:
		return CGStatus{Value: "open", Description: "accepting applications"}
	case scout.StatusClosingSoon:
		return CGStatus{Value: "open", Description: "accepting applications; closes within 14 days"}
	case scout.StatusClosed:
		return CGStatus{Value: "closed", Description: "the deadline has passed"}
	case scout.StatusRolling:
		return CGStatus{Value: "custom", CustomValue: "rolling", Description: "accepting applications until filled, with no fixed deadline"}
	}
	return CGStatus{Value: "custom", CustomValue: "unknown", Description: "no deadline or opening date is stated"}
}

// sensibleAmount reports whether a stored sum can be served: a finite,
// non-negative number (a damaged row could hold anything).
func sensibleAmount(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }

// cgMoney returns a CommonGrants sum; nil when there is no currency to
// state it in or the amount is not a finite, non-negative number.
func cgMoney(amount float64, currency string) *CGMoney {
	if currency == "" || !sensibleAmount(amount) {
		return nil
	}
	return &CGMoney{Amount: decimal(amount), Currency: currency}
}

func cgFunding(o *scout.Opportunity) CGFunding {
	f := o.Funding
	var out CGFunding
	if t := f.TotalAvailable; t != nil {
		out.TotalAmountAvailable = cgMoney(t.Amount, cmp.Or(t.Currency, o.Currency))
	}
	award := f.PerRecipient
	if award == nil {
		award = scout.RecipientTotal(o.AmountMin, o.AmountMax, o.Currency, f.Period, f.Duration)
	}
	if award != nil {
		cur := cmp.Or(award.Currency, o.Currency)
		if award.Min > 0 { // 0 is "up to": the text states no minimum
			out.MinAwardAmount = cgMoney(award.Min, cur)
		}
		if award.Max > 0 {
			out.MaxAwardAmount = cgMoney(award.Max, cur)
		}
	}
	if a := f.Awards; a != nil {
		switch {
		case a.Estimated && a.Min > 0 && a.Min == a.Max: // about 10
			out.EstimatedAwardCount = &a.Max
		default: // up to 10 (no minimum), at least 5 (no maximum), 5-10
			if a.Min > 0 {
				out.MinAwardCount = &a.Min
			}
			if a.Max > 0 {
				out.MaxAwardCount = &a.Max
			}
		}
	}
	return out
}

// cgKeyDates maps the key dates, recording each one's zone and instant in
// zones under its CommonGrants name.
func cgKeyDates(o *scout.Opportunity, zones map[string]any) CGKeyDates {
	var out CGKeyDates
	opens, deadline := o.KeyDates.Opens, o.KeyDates.Deadline
	if opens == nil && !o.OpensAt.IsZero() {
		opens = instantDate(scout.DateOpens, o.OpensAt)
	}
	if deadline == nil && !o.Deadline.IsZero() {
		deadline = instantDate(scout.DateDeadline, o.Deadline)
	}
	if opens != nil {
		out.AppOpens = cgEvent(opens, "appOpens", zones)
	}
	if deadline != nil {
		out.AppDeadline = cgEvent(deadline, "appDeadline", zones)
	}
	seen := map[string]int{}
	for i := range o.KeyDates.Other {
		k := &o.KeyDates.Other[i]
		key := camelCase(k.Label)
		if seen[key]++; seen[key] > 1 {
			key += strconv.Itoa(seen[key])
		}
		if out.OtherDates == nil {
			out.OtherDates = map[string]CGEvent{}
		}
		out.OtherDates[key] = *cgEvent(k, key, zones)
	}
	return out
}

// instantDate is a key date known only as a UTC instant (a feed's own
// field): its UTC date and time.
func instantDate(label string, at time.Time) *scout.KeyDate {
	u := at.UTC()
	return &scout.KeyDate{Label: label, Date: u.Format(time.DateOnly), Time: u.Format(time.TimeOnly), Zone: "Z", At: u}
}

func cgEvent(k *scout.KeyDate, key string, zones map[string]any) *CGEvent {
	e := &CGEvent{Name: cmp.Or(cgEventNames[k.Label], sentenceCase(k.Label)), EventType: "singleDate", Date: k.Date, Time: k.Time}
	if len(e.Time) == len("15:04") {
		e.Time += ":00"
	}
	z := map[string]any{"at": k.At.UTC().Format(time.RFC3339)}
	switch {
	case k.Zone != "" && k.Time != "":
		z["zone"] = k.Zone
		e.Description = "at " + e.Time + " " + k.Zone
	case k.Zone != "":
		z["zone"] = k.Zone
		e.Description = "in " + k.Zone
	case k.Label == scout.DateDeadline && k.Time == "":
		e.Description = "no time or zone stated: the end of the day, read in UTC"
	}
	zones[key] = z
	return e
}

// camelCase turns a key date label ("letter of intent") into a key.
func camelCase(label string) string {
	words := strings.Fields(label)
	for i := 1; i < len(words); i++ {
		words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
	}
	if len(words) == 0 {
		return "other"
	}
	return strings.Join(words, "")
}

func sentenceCase(s string) string {
	if s == "" {
		return "Other date"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
