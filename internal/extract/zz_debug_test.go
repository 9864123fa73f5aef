package extract

import (
	"os"
	"testing"
)

func TestZZDebug(t *testing.T) {
	id := os.Getenv("CASE")
	if id == "" {
		t.Skip()
	}
	for _, dir := range []string{"own", "dev"} {
		for _, c := range loadLabelled(t, dir) {
			if c.ID != id {
				continue
			}
			d := newDoc(Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published})
			ms := findMentions(d)
			dl := hasDeadline(d, ms)
			sc, sp := kindScores(d)
			r := d.rules()
			t.Logf("lang=%s deadline=%v scores=%v spans=%v", d.lang, dl, sc, sp)
			t.Logf("veto=%v", r.veto.find(d.lower, d.tokens()))
			t.Logf("cta=%v ctaN=%v", r.cta.find(d.lower, d.tokens()), d.count(r.cta, ctaRe, 1))
			t.Logf("news=%v newsScore=%v", r.news.find(d.lower, d.tokens()), d.newsScore(r))
			for _, m := range ms {
				t.Logf("mention %+v", m)
			}
			o, _ := Extract(Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published})
			t.Logf("kind=%s dl=%v amt=%d-%d %s per=%v funder=%q disc=%v", o.Kind, o.Deadline, o.AmountMin, o.AmountMax, o.Currency, o.Funding.PerRecipient, o.Funder, o.Disciplines)
		}
	}
}
