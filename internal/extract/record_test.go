package extract

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

func TestRecordFields(t *testing.T) {
	pub := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		check      func(t *testing.T, o scout.Opportunity)
	}{
		{"an evening Pacific deadline keeps its local day, time and zone", "Open call. Applications close 11:59 pm Pacific, March 3, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				want := &scout.KeyDate{Label: "deadline", Date: "2026-03-03", Time: "23:59", Zone: "America/Los_Angeles",
					At: time.Date(2026, 3, 4, 7, 59, 0, 0, time.UTC), Provenance: o.Provenance["deadline"]}
				if diff := cmp.Diff(want, o.KeyDates.Deadline); diff != "" {
					t.Errorf("deadline (-want +got):\n%s", diff)
				}
			}},
		{"a monthly stipend totals over its duration", "Fellowship: fellows receive £1,200 a month for six months. Deadline: May 1, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				f := o.Funding
				if f.Period != scout.PeriodMonth || f.Duration == nil || *f.Duration != (scout.Duration{Count: 6, Unit: scout.PeriodMonth}) {
					t.Errorf("period %q duration %+v, want month for 6 months", f.Period, f.Duration)
				}
				if f.PerRecipient == nil || f.PerRecipient.Max != 7200 || f.PerRecipient.Currency != "GBP" {
					t.Errorf("per recipient %+v, want 7200 GBP", f.PerRecipient)
				}
			}},
		{"a monthly stipend of unstated length has no total", "Residency with a stipend of $2,000 per month. Apply by June 1, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				if o.Funding.Period != scout.PeriodMonth || o.Funding.PerRecipient != nil {
					t.Errorf("funding %+v, want a monthly period and no total", o.Funding)
				}
			}},
		{"an entry fee, a pool and an award count are kept apart from the award",
			"Photography prize: win $5,000. Entry fee: €25. A total of $20,000 is available across 4 awards. Deadline: April 2, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				f := o.Funding
				want := scout.Funding{PerRecipient: &scout.MoneyRange{Min: 5000, Max: 5000, Currency: "USD"},
					TotalAvailable: &scout.Money{Amount: 20000, Currency: "USD"}, Awards: &scout.AwardCount{Min: 4, Max: 4},
					EntryFee: &scout.Money{Amount: 25, Currency: "EUR"}}
				if diff := cmp.Diff(want, f); diff != "" || o.AmountMax != 5000 {
					t.Errorf("funding (-want +got):\n%s", diff)
				}
			}},
		{"free to enter is a zero fee, not an absent one", "Free to enter. Poetry contest with a $500 prize. Deadline: March 1, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				if f := o.Funding.EntryFee; f == nil || f.Amount != 0 {
					t.Errorf("entry fee %+v, want amount 0", f)
				}
			}},
		{"no fee stated is absence", "Grants of up to $3,000 for musicians. Deadline: March 1, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				if o.Funding.EntryFee != nil {
					t.Errorf("entry fee %+v, want none", o.Funding.EntryFee)
				}
			}},
		{"a letter of intent before the full proposal and a notification are other dates",
			"Grants of $10,000. Letters of intent are due February 1, 2026. Full proposals due April 15, 2026. Decisions announced June 30, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				var got []string
				for _, k := range o.KeyDates.Other {
					got = append(got, k.Label+" "+k.Date)
				}
				want := []string{"letter of intent 2026-02-01", "notification 2026-06-30"}
				if o.KeyDates.Deadline == nil || o.KeyDates.Deadline.Date != "2026-04-15" || !cmp.Equal(want, got) {
					t.Errorf("deadline %+v, other %v; want 2026-04-15 and %v", o.KeyDates.Deadline, got, want)
				}
			}},
		{"who may apply becomes predicates",
			"Grants of $2,000. Open to artists based in Scotland aged 18-30. Individuals and collectives may apply; organisations are not eligible. Deadline: March 1, 2026.",
			func(t *testing.T, o scout.Opportunity) {
				c := o.Criteria
				c.Spans = nil
				want := scout.Eligibility{ApplicantTypes: []scout.ApplicantType{"individual", "collective"}, AgeMin: 18, AgeMax: 30,
					Countries: []string{"GB-SCT"}}
				if diff := cmp.Diff(want, c); diff != "" {
					t.Errorf("eligibility (-want +got):\n%s", diff)
				}
				if o.Provenance["eligibility.countries"].Span == "" {
					t.Error("countries have no span")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := Extract(Input{Title: "Open call", Text: tt.text, PublishedAt: pub})
			tt.check(t, o)
			checkRecord(t, o)
		})
	}
}

// TestRecordInvariantsOnEval checks the record's invariants on every
// evaluation text.
func TestRecordInvariantsOnEval(t *testing.T) {
	for _, c := range append(mustLoadEval(t, "cases.jsonl"), mustLoadEval(t, "holdout.jsonl")...) {
		o, ents := Extract(c.input())
		checkInvariants(t, o, ents)
	}
}
