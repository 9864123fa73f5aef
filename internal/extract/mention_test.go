package extract

import (
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

func TestMentionReadsTheCallAReminderNames(t *testing.T) {
	pub := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	enrich := func(title, text string) scout.Item {
		it := scout.Item{Title: title, ContentText: text, PublishedAt: pub}
		Rules{}.Enrich(&it)
		return it
	}
	it := enrich("One week left: federal arts money for small groups",
		"Reminder: small nonprofits bringing the arts to underserved audiences have until April 9, 2026 to ask the NEA for $10,000.")
	if it.Opportunity.Kind != scout.KindNone {
		t.Fatalf("kind = %s; the case needs a post the rules call no opportunity", it.Opportunity.Kind)
	}
	if it.Mention == nil {
		t.Fatalf("no mention read from a reminder that states a deadline")
	}
	if d := it.Mention.Opportunity.Deadline; d.Year() != 2026 || d.Month() != time.April || d.Day() != 9 {
		t.Errorf("mention deadline = %v, want 9 April 2026", d)
	}
	if a := it.Mention.Opportunity.AmountMax; a != 10000 {
		t.Errorf("mention amount = %d, want 10000", a)
	}
	for _, c := range []struct{ title, text string }{
		{"Meet the 2025 grantees", "We are proud to announce the eight films supported by the fund. Congratulations to all. The next call closes April 9, 2026."},
		{"Applications are now closed", "Applications for the grant closed on April 9, 2026. Thank you to everyone who applied."},
		{"Studio notes", "We repainted the studio and the kiln is back. See you at the open day."},
	} {
		if it := enrich(c.title, c.text); it.Mention != nil {
			t.Errorf("%q: mention %+v; want none for news, a closed call, or no deadline", c.title, it.Mention.Opportunity)
		}
	}
	if it := enrich("Neighborhood Arts Grants", "Grants of up to $7,500 for artists. Apply by March 3, 2026."); it.Opportunity.Kind == scout.KindNone || it.Mention != nil {
		t.Errorf("an opportunity: kind %s, mention %v; want an opportunity without a mention", it.Opportunity.Kind, it.Mention)
	}
}
