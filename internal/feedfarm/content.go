package feedfarm

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

var (
	funders = []string{
		"The Harlow Foundation", "Northern Arts Council", "The Meridian Trust", "City of Lyon Cultural Fund",
		"The Okafor Family Foundation", "Riverside Community Arts", "The Castellan Institute", "Baltic Film Fund",
		"The Whitcombe Endowment", "National Poetry Alliance", "Greenway Environmental Trust", "The Sato Media Lab",
		"Atlas Documentary Fund", "The Linden Residency Program", "Pacific Music Exchange", "The Verity Press Foundation",
	}
	disciplines = []string{
		"documentary film", "poetry", "visual arts", "music composition", "journalism", "photography",
		"theatre", "dance", "game design", "illustration", "sound art", "creative nonfiction", "ceramics", "animation",
	}
	kinds = []string{
		"Grant", "Fellowship", "Residency", "Commission", "Open Call", "Prize", "Award", "Production Grant",
		"Travel Grant", "Emerging Artist Fellowship", "Research Fellowship", "Call for Entries",
	}
	places = []string{
		"Berlin", "Lagos", "Montreal", "Oaxaca", "Glasgow", "Seoul", "Nairobi", "Lisbon", "Portland", "Melbourne",
		"anywhere (remote)", "Helsinki", "Cape Town", "Kyoto",
	}
	currencies = []struct{ sign, code string }{{"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"$", "CAD"}}
	audiences  = []string{
		"early-career artists", "artists over 40", "collectives of up to five members", "students enrolled in a degree program",
		"practitioners from under-represented communities", "independent producers", "writers with one published book",
	}
	fillers = []string{
		"Applicants should submit a portfolio, a project description of no more than 800 words and a budget.",
		"The selection committee meets twice a year and favours projects that engage local audiences.",
		"Funds may be used for materials, travel, living costs and documentation, but not for tuition.",
		"Shortlisted applicants will be invited to a short video interview with the panel.",
		"Successful projects must credit the funder in all published materials.",
		"Incomplete applications will not be reviewed; late submissions cannot be accepted.",
		"The program includes mentoring sessions, studio space and a public presentation at the end of the term.",
		"Questions may be sent by e-mail until two weeks before the deadline; answers are published on the FAQ page.",
	}
)

// item is one synthetic opportunity.
type item struct {
	guid, title, link, body string
	published               time.Time
}

// makeItem builds item j of feed i deterministically from the seed.
func (f *Farm) makeItem(i, j int, published time.Time) item {
	r := rand.New(rand.NewPCG(uint64(f.opts.Seed), uint64(i)<<32|uint64(j)))
	funder := pick(r, funders)
	disc := pick(r, disciplines)
	kind := pick(r, kinds)
	place := pick(r, places)
	cur := currencies[r.IntN(len(currencies))]
	lo := (1 + r.IntN(20)) * 1000
	hi := lo * (2 + r.IntN(5))
	deadline := published.AddDate(0, 1+r.IntN(5), r.IntN(28)).UTC()
	title := fmt.Sprintf("%s %s in %s, %d", funder, strings.ToLower(kind), disc, deadline.Year())
	if r.IntN(3) == 0 {
		title = fmt.Sprintf("%s: %s for %s (%s)", kind, disc, pick(r, audiences), place)
	}
	var b strings.Builder
	b.Grow(1200)
	fmt.Fprintf(&b, "<p><strong>%s</strong> invites applications for its %s in %s, open to %s based in %s.</p>",
		html.EscapeString(funder), strings.ToLower(kind), disc, pick(r, audiences), place)
	fmt.Fprintf(&b, "<p>Awards range from %s%s to %s%s (%s) per project; up to %d awards will be made this cycle.</p>",
		cur.sign, thousands(lo), cur.sign, thousands(hi), cur.code, 2+r.IntN(12))
	fmt.Fprintf(&b, "<ul><li>Deadline: %s</li><li>Location: %s</li><li>Discipline: %s</li></ul>",
		deadline.Format("January 2, 2006"), place, disc)
	for range 3 + r.IntN(3) {
		fmt.Fprintf(&b, "<p>%s</p>", pick(r, fillers))
	}
	link := fmt.Sprintf("https://opportunities.example.org/f%d/%d", i, j)
	fmt.Fprintf(&b, `<p><a href="%s">Read the full guidelines</a> and apply before %s.</p>`, link, deadline.Format("2 Jan 2006"))
	return item{guid: f.GUID(i, j), title: title, link: link, body: b.String(), published: published}
}

func pick(r *rand.Rand, from []string) string { return from[r.IntN(len(from))] }

// thousands formats n with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for k, c := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// render writes feed i at generation g as RSS 2.0, newest item first.
func (f *Farm) render(i int, g int64) []byte {
	var b strings.Builder
	b.Grow(f.opts.Items * 1500)
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Opportunities %d</title><link>https://opportunities.example.org/f%d</link>
<description>Synthetic funding calls, feed %d</description>
`, i, i, i)
	lo, hi := f.window(g)
	for j := hi - 1; j >= lo; j-- {
		it := f.makeItem(i, j, f.published(i, j))
		fmt.Fprintf(&b, "<item><guid isPermaLink=\"false\">%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>\n",
			it.guid, html.EscapeString(it.title), it.link, it.published.Format(time.RFC1123Z), it.body)
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}
