package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

// looseNewsletter writes three calls in one of the shapes newsletters
// give them without heading lines of their own.
func looseNewsletter(call func(name, text string, i int) string, sep string) string {
	calls := [][2]string{
		{"Harbor Light Fellowship", "The Harbor Light Foundation gives two $10,000 fellowships to painters living in Maine. Deadline July 15, 2026."},
		{"Quarry Road Residency", "Quarry Road Arts hosts four sculptors for a month in the fall, with a $1,500 stipend. Apply by August 1, 2026."},
		{"Tidewater Film Grant", "The Tidewater Film Society funds short documentaries with up to $5,000. Applications close September 30, 2026."},
	}
	var parts []string
	for i, c := range calls {
		parts = append(parts, call(c[0], c[1], i))
	}
	return "Hello all,\n\nHere are this month's picks.\n\n" + strings.Join(parts, sep) + "\n\nThat's all for now.\nUnsubscribe"
}

func TestCallsReadsNewsletterCallsWithoutHeadingLines(t *testing.T) {
	named := []string{"Harbor Light Fellowship|Harbor Light Foundation|2026-07-15", "Quarry Road Residency|Quarry Road Arts|2026-08-01",
		"Tidewater Film Grant|Tidewater Film Society|2026-09-30"}
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"name and a dash run into the text", looseNewsletter(func(n, x string, _ int) string { return n + " — " + x }, "\n\n"), named},
		{"name in bold run into the text", looseNewsletter(func(n, x string, _ int) string { return "**" + n + "**: " + x }, "\n\n"), named},
		{"one call to a line", looseNewsletter(func(n, x string, _ int) string { return n + ": " + x }, "\n"), named},
		{"heading lines without blank lines", looseNewsletter(func(n, x string, _ int) string { return n + "\n" + x }, "\n"), named},
		{"numbers in brackets", looseNewsletter(func(n, x string, i int) string { return "(" + string(rune('1'+i)) + ") " + n + " – " + x }, "\n\n"), named},
		{"numbered names run into the text", looseNewsletter(func(n, x string, i int) string { return string(rune('1'+i)) + ". " + n + " — " + x }, "\n\n"), named},
		{"bold heading lines", looseNewsletter(func(n, x string, _ int) string { return "**" + n + "**\n" + x }, "\n\n"), named},
		{"a paragraph each, no names", looseNewsletter(func(_, x string, _ int) string { return x }, "\n\n"), []string{
			"The Harbor Light Foundation gives two $10,000 fellowships to painters living in Maine|Harbor Light Foundation|2026-07-15",
			"Quarry Road Arts hosts four sculptors for a month in the fall, with a $1,500 stipend|Quarry Road Arts|2026-08-01",
			"The Tidewater Film Society funds short documentaries with up to $5,000|Tidewater Film Society|2026-09-30"}},
	}
	pub := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callSummaries(Calls(Input{Title: "Studio notes: three calls", Text: tt.text, PublishedAt: pub}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallsKeepsOneCallsFieldsAndParagraphsTogether(t *testing.T) {
	pub := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct{ name, text string }{
		{"field lines", "The Larch Foundation funds community murals with up to $20,000.\n" +
			"Letter of Intent Deadline: April 1, 2026.\nFull Proposal Deadline: May 15, 2026.\nAward Amount: up to $20,000.\n"},
		{"paragraphs of one funder", "The Larch Foundation funds community murals with up to $20,000. Letters of intent are due April 1, 2026.\n\n" +
			"Invited applicants from the Larch Foundation's first round send full proposals by May 15, 2026, with a budget of up to $20,000.\n\n" +
			"Questions? Write to grants@larch.example."},
		{"a paragraph naming a past round", "The Larch Foundation funds community murals with up to $20,000. Apply by May 15, 2026.\n\n" +
			"Last year's round drew 140 applications."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if cs := Calls(Input{Title: "Larch Mural Grants", Text: tt.text, PublishedAt: pub}); cs != nil {
				var ts []string
				for _, c := range cs {
					ts = append(ts, c.Title)
				}
				t.Errorf("one call came out as %d calls: %q", len(cs), ts)
			}
		})
	}
}

func TestCallsLetsCallsOfTwoFundersCloseTheSameDay(t *testing.T) {
	text := "Two picks this week:\n\n▸ Harbor Light Fellowship\nThe Harbor Light Foundation gives two $10,000 fellowships to painters living in Maine. Deadline September 30, 2026.\n\n" +
		"▸ Tidewater Film Grant\nThe Tidewater Film Society funds short documentaries with up to $5,000. Applications close September 30, 2026.\n\nUnsubscribe"
	cs := Calls(Input{Title: "The Picks #9", Text: text, PublishedAt: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)})
	if len(cs) != 2 || cs[0].Opportunity.Funder != "Harbor Light Foundation" || cs[1].Opportunity.Funder != "Tidewater Film Society" {
		t.Fatalf("got %d calls %+v; want the two funders' calls", len(cs), cs)
	}
}

func TestCallsReadsCallsBetweenRulesAsFieldLines(t *testing.T) {
	text := "Hello!\n\n---\nHARBOR LIGHT PAINTERS FELLOWSHIP\nWho: painters in Maine\nWhat: $10,000\nDeadline: July 15, 2026\n---\n" +
		"QUARRY ROAD RESIDENCY\nWho: sculptors\nWhat: one month, $1,500 stipend\nDeadline: August 1, 2026\n---\n\nSee you next week."
	var got []string
	for _, c := range Calls(Input{Title: "Weekly roundup", Text: text, PublishedAt: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)}) {
		got = append(got, c.Title+"|"+c.Opportunity.KeyDates.Deadline.Date)
	}
	want := []string{"HARBOR LIGHT PAINTERS FELLOWSHIP|2026-07-15", "QUARRY ROAD RESIDENCY|2026-08-01"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls mismatch (-want +got):\n%s", diff)
	}
}

func TestCallsReadsOtherNewsletterShapes(t *testing.T) {
	pub := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a table, one call a row", "Open calls at a glance:\n\n| Call | Funder | Award | Deadline |\n|---|---|---|---|\n" +
			"| Harbor Light Fellowship | Harbor Light Foundation | $10,000 | July 15, 2026 |\n" +
			"| Quarry Road Residency | Quarry Road Arts | $1,500 stipend | August 1, 2026 |\n\nGood luck!",
			[]string{"Harbor Light Fellowship|Harbor Light Foundation|2026-07-15", "Quarry Road Residency|Quarry Road Arts|2026-08-01"}},
		{"names with connectors before a spaced colon", "Bonjour,\n\n— Bourse Lumière : la Fondation Lumière offre 8 000 € à un photographe. Date limite : 12 septembre 2026.\n" +
			"— Résidence du Phare : l'Association du Phare accueille un auteur pendant deux mois, avec 3 000 €. Candidatures avant le 1er août 2026.\n\nÀ bientôt",
			[]string{"Bourse Lumière|Fondation Lumière|2026-09-12", "Résidence du Phare|Association du Phare|2026-08-01"}},
		{"calls between star rules", "Three calls for you\n\n" +
			"Harbor Light Fellowship. The Harbor Light Foundation gives two $10,000 fellowships to painters living in Maine. Deadline July 15, 2026.\n* * *\n" +
			"Quarry Road Residency. Quarry Road Arts hosts four sculptors for a month in the fall, with a $1,500 stipend. Apply by August 1, 2026.",
			[]string{"Harbor Light Fellowship|Harbor Light Foundation|2026-07-15", "Quarry Road Residency|Quarry Road Arts|2026-08-01"}},
		{"linked headings with a colon", "Hi!\n\n### [Harbor Light Fellowship](https://harborlight.example/fellowship):\n" +
			"The Harbor Light Foundation gives two $10,000 fellowships to painters living in Maine. Deadline July 15, 2026.\n\n" +
			"### [Quarry Road Residency](https://quarryroad.example/residency):\nQuarry Road Arts hosts four sculptors for a month in the fall, with a $1,500 stipend. Apply by August 1, 2026.",
			[]string{"Harbor Light Fellowship|Harbor Light Foundation|2026-07-15", "Quarry Road Residency|Quarry Road Arts|2026-08-01"}},
		{"one call a line, name, sum and day between dashes", "Residencies closing soon, one per line:\n\n" +
			"Choreographic Residency — $3,500 and three weeks of studio time — due September 12, 2026\n" +
			"Writer in Residence 2026 — $15,000 — due October 13, 2026\n\nFull listings on our site.",
			[]string{"Choreographic Residency||2026-09-12", "Writer in Residence 2026||2026-10-13"}},
		{"one call a line, each headed by its day, with no sentence's end", "Everything that closes in the next weeks.\n\nTHIS MONTH'S DEADLINES\n\n" +
			"Fri 10 Jul — Cup Design Contest (Kettle & Ash Coffee), $3,000 plus royalties\n" +
			"Sun 12 Jul — Farm Residency for Visual Artists (Fallow Ground Residency), free housing and $500 for materials\n\nGood luck.",
			[]string{"Cup Design Contest|Kettle & Ash Coffee|2026-07-10", "Farm Residency for Visual Artists|Fallow Ground Residency|2026-07-12"}},
		{"bullets of one line each, the day alone, and a section's news", "Morning!\n\nLAST CHANCE\n\n" +
			"* Artist Relief Grant (Sundial Arts Fund), Wednesday, September 23. https://sundial.example/relief\n" +
			"* Debut Poetry Pamphlet Competition (Pennant Press), Tuesday, September 29. https://pennant.example/pamphlet\n\n" +
			"## Exposition\nL'exposition des résidents est visible jusqu'au 30 septembre à la médiathèque.\n\nThe Nudge",
			[]string{"Artist Relief Grant|Sundial Arts Fund|2026-09-23", "Debut Poetry Pamphlet Competition|Pennant Press|2026-09-29"}},
		{"emoji-led field lines", "Hey makers 👋\n\n🎨 Spoken Word Commission — Ember Collective\n💰 £800\n📅 November 27, 2026\n" +
			"👉 Three commissions for new pieces.\n🔗 https://ember.example/commission\n\n🎨 Writers' Bursary — Tweedside Trust\n💰 £2,000\n" +
			"📅 February 5, 2027\n👉 Small bursaries to buy time to write.\n\n✌️ Shutter Mail",
			[]string{"Spoken Word Commission|Ember Collective|2026-11-27", "Writers' Bursary|Tweedside Trust|2027-02-05"}},
		{"a notice of intent is a stage of one call", "Opportunity Title: Arts in Education Grants\nAgency: Bureau of Creative Learning\n" +
			"Close Date: Jan 12, 2027\nAward Ceiling: $750,000\n\nNotice of Intent to Apply: Applicants are encouraged to submit a notice of intent to apply by November 13, 2026.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callSummaries(Calls(Input{Title: "Studio notes", Text: tt.text, PublishedAt: pub}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// callSummaries gives each call as "title|funder|deadline".
func callSummaries(cs []scout.Call) []string {
	var out []string
	for _, c := range cs {
		dl := ""
		if k := c.Opportunity.KeyDates.Deadline; k != nil {
			dl = k.Date
		}
		out = append(out, c.Title+"|"+c.Opportunity.Funder+"|"+dl)
	}
	return out
}

func TestCallsReadsTheFunderANewsletterNamesBesideTheCall(t *testing.T) {
	pub := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"in brackets after the name, one funder's two calls closing the same day", "Hi everyone,\n\n" +
			"Touring Grant (Northern Lights Music Council)\nUp to CAD 7,500. Deadline: March 16, 2026.\nCovers travel for domestic tours.\n\n" +
			"Recording Grant (Northern Lights Music Council)\nUp to CAD 10,000. Deadline: March 16, 2026.\nCovers studio time.\n\n" +
			"Maker Equipment Grants (Hearthstone Craft Council)\nUp to $2,500. Deadline: March 6, 2026.\nSmall capital grants for kilns.\n\nBye!",
			[]string{"Touring Grant|Northern Lights Music Council|2026-03-16", "Recording Grant|Northern Lights Music Council|2026-03-16",
				"Maker Equipment Grants|Hearthstone Craft Council|2026-03-06"}},
		{"before the name and a colon, the sum's figure no number", "GRANTS\n\nSundial Arts Fund: Artist Relief Grant\n1.000 € | Deadline March 25, 2026\nOpen to artists facing hardship.\n\n" +
			"Lumen Audio: Lumen Creator Fund\n2.500 € grants plus a microphone kit | Deadline March 31, 2026\nOpen to podcasters.",
			[]string{"Artist Relief Grant|Sundial Arts Fund|2026-03-25", "Lumen Creator Fund|Lumen Audio|2026-03-31"}},
		{"headings for some calls, a long name for another, news between them", "Your roundup.\n\n" +
			"Creative Neighbourhoods Grant (Oakhaven Community Foundation)\n$5,000. Deadline: April 15, 2026.\nFunds participatory arts projects.\n\n" +
			"REVIEW: a group show of the season.\n\n" +
			"Mural Commission: Riverside Underpass (City of Eastmere Public Art Office)\n$18,000. Deadline: April 24, 2026.\nA 120-foot mural.\n\n" +
			"Call for Performers 2026 (Tidemark Festival)\nFees paid to all selected acts. Deadline: May 3, 2026.\nThe free outdoor festival.",
			[]string{"Creative Neighbourhoods Grant|Oakhaven Community Foundation|2026-04-15",
				"Mural Commission: Riverside Underpass|City of Eastmere Public Art Office|2026-04-24",
				"Call for Performers 2026|Tidemark Festival|2026-05-03"}},
		{"one a line, a name with a colon, and from before the funder", "Commissions open, one per line:\n\n" +
			"New Writing Commission from Greyfriars Theatre — £6,000 commission fee — due April 6, 2026\n" +
			"Mural Commission: Riverside Underpass — $18,000 — due April 24, 2026\n\nSent every other Thursday.",
			[]string{"New Writing Commission|Greyfriars Theatre|2026-04-06", "Mural Commission: Riverside Underpass||2026-04-24"}},
		{"after a dash, and in bold or with from on the line under the name", "Picks:\n\n" +
			"Touring Support 2027 — Silverline Dance Fund\nUp to $12,000, closing March 5, 2027.\n\n" +
			"## Cup Design Contest\n**Kettle & Ash Coffee** · $3,000 plus royalties\nDeadline: 10 March 2027\n\n" +
			"## Translation Grants\nFrom Quillmark Foundation. Grants of $4,000 for literary translators. Deadline: May 15, 2027.",
			[]string{"Touring Support 2027|Silverline Dance Fund|2027-03-05", "Cup Design Contest|Kettle & Ash Coffee|2027-03-10",
				"Translation Grants|Quillmark Foundation|2027-05-15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callSummaries(Calls(Input{Title: "The Studio Sheet", Text: tt.text, PublishedAt: pub}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
