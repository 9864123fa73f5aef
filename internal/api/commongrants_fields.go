package api

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// cgEligibility is customFields.eligibility's value: who may apply.
type cgEligibility struct {
	ApplicantTypes []scout.ApplicantType `json:"applicantTypes,omitempty"`
	CareerStages   []string              `json:"careerStages,omitempty"`
	AgeMin         int                   `json:"ageMin,omitempty"`
	AgeMax         int                   `json:"ageMax,omitempty"`
	Countries      []string              `json:"countries,omitempty"`
	Students       bool                  `json:"students,omitempty"`
	IdentityFocus  []string              `json:"identityFocus,omitempty"`
	Spans          []string              `json:"spans,omitempty"`
}

// cgFee is a sum that may be free: customFields.entryFee and inKind.
type cgFee struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency,omitempty"`
}

// cgAwardPeriod is customFields.awardPeriod's value.
type cgAwardPeriod struct {
	Period    string          `json:"period"`
	Duration  *scout.Duration `json:"duration,omitempty"`
	PerPeriod *cgRange        `json:"perPeriod,omitempty"`
}

type cgRange struct {
	Min      string `json:"min,omitempty"`
	Max      string `json:"max"`
	Currency string `json:"currency"`
}

// cgSource is one entry of customFields.provenance.
type cgSource struct {
	Source     string  `json:"source,omitempty"`
	Span       string  `json:"span,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	SightingID int64   `json:"sightingId,omitempty"`
	ItemID     int64   `json:"itemId,omitempty"`
}

func cgCustomFields(o scout.MergedOpportunity, zones map[string]any) map[string]CGCustomField {
	f := &o.Opportunity
	out := map[string]CGCustomField{}
	put := func(name, typ string, v any, desc string) {
		out[name] = CGCustomField{Name: name, FieldType: typ, Value: v, Description: desc}
	}
	put("scoutId", "number", o.ID, "the opportunity's id in Scout's own API (GET /v1/opportunities/{id})")
	put("kind", "string", kindDTO(f.Kind), "what it offers, in Scout's vocabulary: "+scout.KindDescriptions[f.Kind])
	if f.Funder != "" {
		put("funder", "string", f.Funder, "who funds or runs it")
	}
	if f.Rolling {
		put("rolling", "boolean", true, "applications are read as they come, until filled")
	}
	if m := f.Funding.EntryFee; m != nil && sensibleAmount(m.Amount) {
		put("entryFee", "object", cgFee{Amount: decimal(m.Amount), Currency: m.Currency}, "what it costs to enter; amount \"0\" is stated free to enter")
	}
	if m := f.Funding.InKind; m != nil && sensibleAmount(m.Amount) {
		put("inKind", "object", cgFee{Amount: decimal(m.Amount), Currency: m.Currency}, "the value of support that is not cash (studio, accommodation, services)")
	}
	if p := cgPeriod(f); p != nil {
		put("awardPeriod", "object", p, "how often the award is paid, for how long, and how much each time; funding's award amounts are the total")
	}
	if c := f.Criteria; !c.IsZero() {
		put("eligibility", "object", cgEligibility{ApplicantTypes: c.ApplicantTypes, CareerStages: c.CareerStages, AgeMin: c.AgeMin,
			AgeMax: c.AgeMax, Countries: c.Countries, Students: c.Students, IdentityFocus: c.IdentityFocus, Spans: c.Spans},
			"who may apply: applicant types, career stages, an inclusive age range, ISO 3166 countries or subdivisions of residence or citizenship, students, communities the programme is for, and the texts these were read from")
	}
	if len(zones) > 0 {
		put("keyDateZones", "object", zones, "per key date (appOpens, appDeadline, and the otherDates keys): the funder's zone when stated or taken from the country the call is placed in (an IANA name, or a UTC offset; Z is UTC) and the UTC instant derived from date, time and zone")
	}
	if p := cgProvenance(o); len(p) > 0 {
		put("provenance", "object", p, "per field, by Scout's field names (as on /v1): who supplied it (rules/1, feed, or an enricher), the text it was read from, the confidence, and the sighting and item it came from")
	}
	return out
}

func cgPeriod(f *scout.Opportunity) *cgAwardPeriod {
	p := f.Funding.Period
	if p == scout.PeriodUnstated {
		return nil
	}
	out := &cgAwardPeriod{Period: string(p), Duration: f.Funding.Duration}
	if p != scout.PeriodOnce && f.AmountMax > 0 && f.Currency != "" {
		out.PerPeriod = &cgRange{Max: strconv.FormatInt(f.AmountMax, 10), Currency: f.Currency}
		if f.AmountMin > 0 {
			out.PerPeriod.Min = strconv.FormatInt(f.AmountMin, 10)
		}
	}
	return out
}

func cgProvenance(o scout.MergedOpportunity) map[string]cgSource {
	out := map[string]cgSource{}
	for k, p := range o.Opportunity.Provenance {
		out[k] = cgSource{Source: p.Source, Span: p.Span, Confidence: p.Confidence}
	}
	for k, fs := range o.Fields {
		e := out[k]
		e.SightingID, e.ItemID, e.Source = fs.SightingID, fs.ItemID, cmp.Or(e.Source, fs.Extractor)
		out[k] = e
	}
	// A field's parts (eligibility.countries) came from the sighting that
	// supplied the whole field (eligibility).
	for k, e := range out {
		if group, _, ok := strings.Cut(k, "."); ok && e.SightingID == 0 {
			if fs, ok := o.Fields[group]; ok {
				e.SightingID, e.ItemID = fs.SightingID, fs.ItemID
				out[k] = e
			}
		}
	}
	return out
}

// decimal formats a stored amount as a CommonGrants decimal string.
func decimal(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
