package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// fullRecord states every field of the record, several as zero.
func fullRecord() scout.Opportunity {
	opens := &scout.KeyDate{Label: scout.DateOpens, Date: "2026-03-02", Time: "09:00:00", Zone: "+02:00",
		At: time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC), Provenance: scout.Provenance{Source: "rules/1", Span: "opens 2 March, 9:00 CEST", Confidence: 0.6}}
	k := pacificDeadline()
	other := []scout.KeyDate{
		{Label: scout.DateFullProposal, Date: "2026-05-01", At: time.Date(2026, 5, 1, 23, 59, 59, 0, time.UTC)},
		{Label: scout.DateEvent, Date: "2026-09-01", Time: "18:30", Zone: "Europe/Paris", At: time.Date(2026, 9, 1, 16, 30, 0, 0, time.UTC)},
		{Label: scout.DateEvent, Date: "2026-09-08", At: time.Date(2026, 9, 8, 23, 59, 59, 0, time.UTC)},
	}
	return scout.Opportunity{Kind: scout.KindResidency, Deadline: k.At, OpensAt: opens.At, AmountMin: 400, AmountMax: 500, Currency: "EUR",
		Extractor: "rules/1", KeyDates: scout.KeyDates{Opens: opens, Deadline: k, Other: other},
		Funding: scout.Funding{Period: scout.PeriodWeek, Duration: &scout.Duration{Count: 1, Unit: scout.PeriodYear},
			PerRecipient: &scout.MoneyRange{Min: 20800, Max: 26000, Currency: "EUR"}, TotalAvailable: &scout.Money{Amount: 0, Currency: "EUR"},
			Awards: &scout.AwardCount{Max: 4, Estimated: true}, EntryFee: &scout.Money{Amount: 12.5, Currency: "EUR"},
			InKind: &scout.Money{Amount: 0}},
		Criteria: scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantCollective, scout.ApplicantNonprofit},
			CareerStages: []string{"emerging", "first-time"}, AgeMin: 0, AgeMax: 29, Countries: []string{"EU", "GB-NIR"}, Students: true,
			IdentityFocus: []string{"disabled", "lgbtq"}, Spans: []string{"collectives and nonprofits", "under 30"}}}
}

func testRecordFields(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	full := item("full", "Residency with everything stated", T0)
	full.Opportunity = fullRecord()
	bare := item("bare", "Residency with nothing stated", T0.Add(time.Minute))
	bare.Opportunity = scout.Opportunity{Kind: scout.KindResidency, Extractor: "rules/1"}
	mustFetch(t, s, src, full, bare)
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin()}) {
		got, err := s.GetItem(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := bare.Opportunity
		if it.GUID == "full" {
			want = full.Opportunity
		}
		for name, o := range map[string]scout.Opportunity{"list": it.Opportunity, "get": got.Opportunity} {
			if diff := cmp.Diff(want.KeyDates, o.KeyDates); diff != "" {
				t.Errorf("%s %s: key dates (-want +got):\n%s", it.GUID, name, diff)
			}
			if diff := cmp.Diff(want.Funding, o.Funding); diff != "" {
				t.Errorf("%s %s: funding (-want +got):\n%s", it.GUID, name, diff)
			}
			if diff := cmp.Diff(want.Criteria, o.Criteria); diff != "" {
				t.Errorf("%s %s: eligibility (-want +got):\n%s", it.GUID, name, diff)
			}
		}
	}
}
