package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
)

// KeyDates are an opportunity's named dates (CommonGrants keyDates).
type KeyDates struct {
	Opens    *KeyDate  `json:"opens,omitempty" doc:"when applications open"`
	Deadline *KeyDate  `json:"deadline,omitempty" doc:"when applications close; at is what deadline, status and the deadline filters use"`
	Other    []KeyDate `json:"other" doc:"other dates: letter of intent, full proposal, early or late deadline, notification, event, other round"`
}

// KeyDate is one date in the funder's own calendar and as an instant.
type KeyDate struct {
	Label      string     `json:"label" enum:"opens,deadline,letter of intent,full proposal,early deadline,late deadline,notification,event,other round"`
	Date       string     `json:"date" format:"date" doc:"the local calendar date as the funder wrote it"`
	Time       string     `json:"time,omitempty" doc:"the local wall time, HH:MM or HH:MM:SS; absent when not stated (a deadline then means the end of the day)"`
	Zone       string     `json:"zone,omitempty" doc:"the IANA zone (America/Los_Angeles) when a region's time was stated, else a UTC offset (+02:00) or UTC; for a time stated without a zone, the zone of the country the text places the call in when that country keeps one (Italy: Europe/Rome; never for the United States, Canada, Australia, Brazil or Mexico unless a place names the zone); absent otherwise (the day is then read in UTC)"`
	At         time.Time  `json:"at" doc:"the UTC instant derived from date, time and zone"`
	Provenance Provenance `json:"provenance"`
}

// Money is a sum; a stated zero is a value, absence means not stated.
type Money struct {
	Amount   float64 `json:"amount" minimum:"0" doc:"in currency units; 0 is stated (a free entry)"`
	Currency string  `json:"currency,omitempty" doc:"ISO 4217; absent for a free entry"`
}

// MoneyRange is a sum that may be a range.
type MoneyRange struct {
	Min      float64 `json:"min" minimum:"0"`
	Max      float64 `json:"max" minimum:"0"`
	Currency string  `json:"currency" doc:"ISO 4217"`
}

// Duration is how long a periodic award runs.
type Duration struct {
	Count int    `json:"count" minimum:"1"`
	Unit  string `json:"unit" enum:"week,month,year"`
}

// AwardCount is how many awards are made.
type AwardCount struct {
	Min       int  `json:"min,omitempty"`
	Max       int  `json:"max,omitempty"`
	Estimated bool `json:"estimated,omitempty" doc:"the text said up to, about or approximately"`
}

// Funding is the money side of an opportunity (CommonGrants funding,
// extended). The award per recipient and period is amount_min..amount_max.
type Funding struct {
	Period         string      `json:"period,omitempty" enum:"once,week,month,year" doc:"how often the award is paid; absent when not stated (read as once)"`
	Duration       *Duration   `json:"duration,omitempty" doc:"how long a periodic award runs"`
	PerRecipient   *MoneyRange `json:"per_recipient,omitempty" doc:"what one recipient gets in all: the award times the periods in duration, or the award itself when paid once; absent when it cannot be known. award_min filters on its max"`
	TotalAvailable *Money      `json:"total_available,omitempty" doc:"the pool across all awards"`
	Awards         *AwardCount `json:"awards,omitempty" doc:"how many awards are made"`
	EntryFee       *Money      `json:"entry_fee,omitempty" doc:"what it costs to enter: {\"amount\": 0} is stated free; absent is not stated"`
	InKind         *Money      `json:"in_kind,omitempty" doc:"the value of support that is not cash (studio, accommodation, services)"`
}

// Eligibility is who may apply, as predicates.
type Eligibility struct {
	ApplicantTypes []string `json:"applicant_types" doc:"individual, collective, organization, nonprofit; empty when not stated"`
	CareerStages   []string `json:"career_stages" doc:"emerging, early-career, mid-career, first-time"`
	AgeMin         int      `json:"age_min,omitempty" doc:"inclusive"`
	AgeMax         int      `json:"age_max,omitempty" doc:"inclusive (under 30 is 29)"`
	Countries      []string `json:"countries" doc:"where applicants must live or be citizens: ISO 3166-1 alpha-2, ISO 3166-2 subdivisions (GB-SCT), or EU"`
	Students       bool     `json:"students,omitempty" doc:"the programme is for students"`
	IdentityFocus  []string `json:"identity_focus" doc:"communities the programme is for: bipoc, indigenous, women, lgbtq, disabled, immigrants"`
	Spans          []string `json:"spans" doc:"the texts these predicates were read from; provenance keys eligibility.* say which"`
}

func keyDateDTO(k *scout.KeyDate) *KeyDate {
	if k == nil {
		return nil
	}
	return &KeyDate{Label: k.Label, Date: k.Date, Time: k.Time, Zone: k.Zone, At: k.At.UTC(), Provenance: Provenance(k.Provenance)}
}

func keyDatesDTO(k scout.KeyDates) KeyDates {
	return KeyDates{Opens: keyDateDTO(k.Opens), Deadline: keyDateDTO(k.Deadline),
		Other: nonNil(mapSlice(k.Other, func(d scout.KeyDate) KeyDate { return *keyDateDTO(&d) }))}
}

func moneyDTO(m *scout.Money) *Money {
	if m == nil {
		return nil
	}
	return &Money{Amount: m.Amount, Currency: m.Currency}
}

func fundingDTO(f scout.Funding) Funding {
	out := Funding{Period: string(f.Period), TotalAvailable: moneyDTO(f.TotalAvailable), EntryFee: moneyDTO(f.EntryFee), InKind: moneyDTO(f.InKind)}
	if f.Duration != nil {
		out.Duration = &Duration{Count: f.Duration.Count, Unit: string(f.Duration.Unit)}
	}
	if r := f.PerRecipient; r != nil {
		out.PerRecipient = &MoneyRange{Min: r.Min, Max: r.Max, Currency: r.Currency}
	}
	if a := f.Awards; a != nil {
		out.Awards = &AwardCount{Min: a.Min, Max: a.Max, Estimated: a.Estimated}
	}
	return out
}

func eligibilityDTO(e scout.Eligibility) Eligibility {
	return Eligibility{ApplicantTypes: nonNil(mapSlice(e.ApplicantTypes, func(t scout.ApplicantType) string { return string(t) })),
		CareerStages: nonNil(e.CareerStages), AgeMin: e.AgeMin, AgeMax: e.AgeMax, Countries: nonNil(e.Countries),
		Students: e.Students, IdentityFocus: nonNil(e.IdentityFocus), Spans: nonNil(e.Spans)}
}

// KindName is an opportunity kind as the API serves it. Its schema lists
// every value with what it means.
type KindName string

// Schema documents the kind vocabulary, one description per value.
func (KindName) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: "what the item offers; always present. " +
		"none and unclassified are different states: none is a decision (classified, and not an opportunity), " +
		"unclassified the absence of one (nothing has classified the item yet)"}
	for _, k := range append([]scout.Kind{scout.KindUnknown}, scout.Kinds...) {
		v := kindDTO(k)
		s.Enum = append(s.Enum, v)
		s.OneOf = append(s.OneOf, &huma.Schema{Type: huma.TypeString, Enum: []any{v}, Title: v, Description: scout.KindDescriptions[k]})
	}
	return s
}

// kindUnclassified is how the API names scout.KindUnknown, so that "not yet
// classified" can never be read as "not an opportunity" (none).
const kindUnclassified = "unclassified"

func kindDTO(k scout.Kind) string {
	if k == scout.KindUnknown {
		return kindUnclassified
	}
	return string(k)
}

// Amendment is one version of an item and the facts it changed.
type Amendment struct {
	Version int64        `json:"version"`
	At      time.Time    `json:"at"`
	Changes []FactChange `json:"changes"`
}

// FactChange is one fact that changed: old → new, null when not stated.
type FactChange struct {
	Field string          `json:"field" doc:"kind, deadline, opens, other_dates, rolling, amount, funding.period, funding.duration, funding.per_recipient, funding.total_available, funding.awards, funding.entry_fee, funding.in_kind, eligibility or funder"`
	Old   json.RawMessage `json:"old" doc:"the value before, in the shape the item serves it; null when not stated"`
	New   json.RawMessage `json:"new" doc:"the value after; null when no longer stated"`
}

// HistoryOutput lists an item's amendments, newest first.
type HistoryOutput struct {
	Body struct {
		ItemID   int64       `json:"item_id"`
		Version  int64       `json:"version" doc:"the item's current version"`
		Versions []Amendment `json:"versions" doc:"the versions whose extracted facts changed, newest first; a version that changed only wording is not listed"`
	}
}

func (h *Handler) registerHistory(api huma.API) {
	huma.Register(api, withNotFound(op("getItemHistory", http.MethodGet, "/v1/items/{id}/history",
		"What changed in an item's facts, version by version", scout.ScopeRead, "items")), h.getItemHistory)
}

func (h *Handler) getItemHistory(ctx context.Context, in *IDInput) (*HistoryOutput, error) {
	it, err := h.visibleItem(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	as, err := h.st.ListAmendments(ctx, it.ID, 200)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &HistoryOutput{}
	out.Body.ItemID, out.Body.Version = it.ID, it.Version
	out.Body.Versions = nonNil(mapSlice(as, func(a scout.Amendment) Amendment {
		return Amendment{Version: a.Version, At: a.CreatedAt.UTC(), Changes: nonNil(mapSlice(a.Changes, func(c scout.Change) FactChange {
			return FactChange(c)
		}))}
	}))
	return out, nil
}
