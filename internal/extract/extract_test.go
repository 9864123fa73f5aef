package extract

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/scoutdev/scout/internal/scout"
)

// facet is the part of an extraction the golden table compares.
type facet struct {
	Kind     scout.Kind
	Deadline string
	Opens    string
	Rolling  bool
	Min, Max int64
	Currency string
	Funder   string
}

func facetOf(o scout.Opportunity) facet {
	return facet{Kind: o.Kind, Deadline: timeField(o.Deadline), Opens: timeField(o.OpensAt), Rolling: o.Rolling,
		Min: o.AmountMin, Max: o.AmountMax, Currency: o.Currency, Funder: o.Funder}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func TestExtractTrickyCases(t *testing.T) {
	tests := []struct {
		name  string
		title string
		text  string
		pub   time.Time
		want  facet
	}{
		{"the invited full proposal's date, not the letter of inquiry's, is the deadline", "Journalism grants",
			"The Cedar Fund invites letters of inquiry by January 15, 2026; invited full proposals are due March 1, 2026. Grants of $30,000.",
			day(2025, 11, 20), facet{Kind: scout.KindGrant, Deadline: "2026-03-01T23:59:59Z", Min: 30000, Max: 30000, Currency: "USD", Funder: "Cedar Fund"}},
		{"a year-less date with a time and a generic US zone resolves to the next occurrence", "Podcast grants",
			"Grants of $5K–$10K for podcasters. Applications must be submitted by 5pm ET on Friday, January 9.",
			day(2025, 12, 1), facet{Kind: scout.KindGrant, Deadline: "2026-01-09T22:00:00Z", Min: 5000, Max: 10000, Currency: "USD"}},
		{"a European thousands dot and a dotted date", "Culture grants",
			"The Baltic Culture Fund supports projects with grants from €2.500 to €15.000. Deadline 31.12.2026.",
			day(2026, 9, 1), facet{Kind: scout.KindGrant, Deadline: "2026-12-31T23:59:59Z", Min: 2500, Max: 15000, Currency: "EUR", Funder: "Baltic Culture Fund"}},
		{"an award paid in instalments is the whole award", "Writers fellowship",
			"The Birchwood Trust's fellowship gives one writer $9,000, paid in three instalments of $3,000. Apply by May 1, 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindFellowship, Deadline: "2026-05-01T23:59:59Z", Min: 9000, Max: 9000, Currency: "USD", Funder: "Birchwood Trust"}},
		{"a share of sales is no commissioned work", "Earn 15% commission on every sale",
			"Join our affiliate program and earn 15% commission on every sale made through your link. Sign up by June 30.",
			day(2026, 5, 1), facet{Kind: scout.KindNone}},
		{"a call for choreographers is a call", "Call for choreographers",
			"Send a one-page proposal and a video of previous work by 6 March 2026. Each choreographer receives a fee of £2,500.",
			day(2026, 1, 10), facet{Kind: scout.KindCall, Deadline: "2026-03-06T23:59:59Z", Min: 2500, Max: 2500, Currency: "GBP"}},
		{"a programme paused for a year is no call", "An update on our fellowship",
			"We have decided to take a pause in 2026 to review the fellowship. Applications for 2027 will open in January.",
			day(2026, 1, 10), facet{Kind: scout.KindNone}},
		{"the day a window shuts is the deadline", "Up to $5,000 on offer: the Lakeland Arts Council opens its grant round",
			"Lakeland Arts Council is now taking applications for its Project Grants, up to $5,000. The window shuts on March 2, 2026, so don't leave it late.",
			day(2026, 1, 10), facet{Kind: scout.KindGrant, Deadline: "2026-03-02T23:59:59Z", Max: 5000, Currency: "USD", Funder: "Lakeland Arts Council"}},
		{"the day a call expires in Italian is its deadline", "Call per Compositori 2026",
			"Il Festival Suoni di Collina cerca compositori: il bando scade il 10 settembre 2026. 1.500 € e un'esecuzione dal vivo.",
			day(2026, 5, 1), facet{Kind: scout.KindCall, Deadline: "2026-09-10T23:59:59Z", Min: 1500, Max: 1500, Currency: "EUR", Funder: "Festival Suoni di Collina"}},
		{"a window's end after an opening date is the deadline", "Quick grants",
			"Quick grants of up to $1,000 for artists. Applications are accepted February 20 to March 20, 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-03-20T23:59:59Z", Opens: "2026-02-20T00:00:00Z", Max: 1000, Currency: "USD"}},
		{"a German day and month with their own dot", "Open Call für Zeichner*innen",
			"Wir suchen Zeichnerinnen und Zeichner für unser Festival. Schickt uns bis 12.04. ein paar Seiten, wir zahlen 150 € Pauschale.",
			day(2026, 3, 1), facet{Kind: scout.KindCall, Deadline: "2026-04-12T23:59:59Z", Min: 150, Max: 150, Currency: "EUR"}},
		{"the hour stated with the same day elsewhere, in France's time", "Bourse d'écriture : candidatures jusqu'au 15 juin",
			"La ville attribue trois bourses d'écriture de 6 000 € aux auteurs. Les dossiers sont à déposer jusqu'au 15 juin 2026 à 12h.",
			day(2026, 5, 1), facet{Kind: scout.KindGrant, Deadline: "2026-06-15T10:00:00Z", Min: 6000, Max: 6000, Currency: "EUR"}},
		{"a post that looks for bands, with no kind word, is a call", "Se buscan bandas",
			"La asociación busca grupos de música para las fiestas. Caché de 600 € por actuación. Mándanos tu propuesta antes del 31 de mayo.",
			day(2026, 4, 1), facet{Kind: scout.KindCall, Deadline: "2026-05-31T23:59:59Z", Min: 600, Max: 600, Currency: "EUR"}},
		{"the organization that signs after a closing is the funder", "Newsletter Februar",
			"Auch 2026 fördern wir kleine Kulturprojekte mit bis zu 1.500 €. Anträge bis zum 30. April 2026.\n\nHerzliche Grüße\nIhr Kulturbüro Landkreis Emmental",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-04-30T23:59:59Z", Max: 1500, Currency: "EUR", Funder: "Kulturbüro Landkreis Emmental"}},
		{"the giver of grants named after the word from", "Spring Quick Grants",
			"Spring Quick Grants from Lakeland Creative of up to $1,000 help artists buy equipment. Apply by March 20, 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-03-20T23:59:59Z", Max: 1000, Currency: "USD", Funder: "Lakeland Creative"}},
		{"the programme a title says an organization opens is not the funder", "Northbank Film Festival opens its Short Film Lab",
			"The Short Film Lab gives six directors a production budget of $6,000 each. Applications close on May 15, 2026.",
			day(2026, 3, 1), facet{Kind: scout.KindAccelerator, Deadline: "2026-05-15T23:59:59Z", Min: 6000, Max: 6000, Currency: "USD", Funder: "Northbank Film Festival"}},
		{"a French organization named with lower-case words signs the footer", "Aide à la création numérique",
			"Une aide à la création jusqu'à 8 000 € pour les artistes. Date limite : 15 octobre 2026.\n\nConseil régional des arts de l'Outaouais – Gatineau",
			day(2026, 9, 1), facet{Kind: scout.KindGrant, Deadline: "2026-10-15T23:59:59Z", Max: 8000, Currency: "EUR", Funder: "Conseil régional des arts de l'Outaouais"}},
		{"a bare dollar beside an Australian time zone is AUD", "Touring grants",
			"Grants of up to $15,000 help theatre makers tour. Applications close 5pm AEST, 30 April 2026.",
			day(2026, 3, 1), facet{Kind: scout.KindGrant, Deadline: "2026-04-30T07:00:00Z", Max: 15000, Currency: "AUD"}},
		{"a bare dollar for US and Canadian residents is USD", "Photo contest",
			"Win a $5,000 grand prize. Entries close April 15, 2026. Open to US & Canada residents. Tag us!",
			day(2026, 3, 1), facet{Kind: scout.KindContest, Deadline: "2026-04-15T23:59:59Z", Min: 5000, Max: 5000, Currency: "USD"}},
		{"a travel reimbursement and supplies are no award", "Residency",
			"Each resident receives a $2,000 stipend and up to $500 travel reimbursement; three winners get $300 in art supplies. Deadline: October 1, 2026.",
			day(2026, 6, 1), facet{Kind: scout.KindResidency, Deadline: "2026-10-01T23:59:59Z", Min: 2000, Max: 2000, Currency: "USD"}},
		{"a French maximum", "Aide à la création chorégraphique",
			"Le Centre soutient la création de pièces par une aide pouvant atteindre 8 000 €. Les compagnies peuvent déposer leur dossier jusqu'au 30 octobre 2026.",
			day(2026, 9, 1), facet{Kind: scout.KindGrant, Deadline: "2026-10-30T23:59:59Z", Max: 8000, Currency: "EUR"}},
		{"the end of a month is its last day", "Open call for artists",
			"We offer grants of $1,000 to artists. Apply by the end of February.",
			day(2027, 1, 10), facet{Kind: scout.KindCall, Deadline: "2027-02-28T23:59:59Z", Min: 1000, Max: 1000, Currency: "USD"}},
		{"midday and the last day to apply", "Open call for artists",
			"We offer grants of £1,000 to artists. Last day to apply: Friday 13th March 2026, midday.",
			day(2026, 2, 1), facet{Kind: scout.KindCall, Deadline: "2026-03-13T12:00:00Z", Min: 1000, Max: 1000, Currency: "GBP"}},
		{"a Spanish window runs to its second date", "Convocatoria de becas",
			"La fundación ofrece becas de 5.000 euros para los artistas de la región, con estudio y alojamiento durante el verano. Plazo de presentación: del 10 de febrero al 10 de marzo de 2026.",
			day(2026, 1, 20), facet{Kind: scout.KindGrant, Deadline: "2026-03-10T23:59:59Z", Opens: "2026-02-10T00:00:00Z", Min: 5000, Max: 5000, Currency: "EUR"}},
		{"a French window's year-less start takes the end's year; noon is France's", "Appel à candidatures",
			"La fondation offre une bourse de 5 000 € aux artistes de la région, avec un atelier et un logement pendant l'été. Dépôt des dossiers : du 5 janvier au 15 février 2026, au plus tard à midi.",
			day(2026, 2, 1), facet{Kind: scout.KindCall, Deadline: "2026-02-15T11:00:00Z", Opens: "2026-01-05T00:00:00Z", Min: 5000, Max: 5000, Currency: "EUR"}},
		{"an open window's end is the deadline", "Convocatoria de becas",
			"La fundación ofrece becas de 5.000 euros para los artistas de la región, con estudio y alojamiento durante el verano. Inscripciones abiertas del 1 al 31 de marzo de 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-03-31T23:59:59Z", Opens: "2026-03-01T00:00:00Z", Min: 5000, Max: 5000, Currency: "EUR"}},
		{"a German application period", "Ausschreibung Stipendium",
			"Die Stiftung vergibt ein Stipendium von 5.000 Euro an Künstlerinnen und Künstler, die in der Region leben und arbeiten. Bewerbungszeitraum: 1. bis 31. März 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-03-31T23:59:59Z", Opens: "2026-03-01T00:00:00Z", Min: 5000, Max: 5000, Currency: "EUR"}},
		{"a Swedish hour after kl., in Sweden's time", "Utlysning stipendium",
			"Stiftelsen delar ut ett stipendium på 50 000 kronor till konstnärer i regionen, och en ateljé i tre månader. Ansök senast den 15 april 2026 kl. 12.00.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-04-15T10:00:00Z", Min: 50000, Max: 50000, Currency: "SEK"}},
		{"a German price with a dash for no cents", "Ausschreibung Förderpreis",
			"Die Stiftung schreibt einen Förderpreis für Künstlerinnen und Künstler aus, die in der Region leben. Der Preis ist mit 5.000,- € dotiert. Bewerbungsschluss ist der 31. März 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindContest, Deadline: "2026-03-31T23:59:59Z", Min: 5000, Max: 5000, Currency: "EUR"}},
		{"a Spanish pool named early in its clause", "Convocatoria de becas",
			"Convocatoria abierta para artistas de la región, con estudio y alojamiento. La dotación total de la convocatoria es de 60.000 euros, repartidos en becas de 5.000 euros. Plazo: hasta el 15 de marzo de 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-03-15T23:59:59Z", Min: 5000, Max: 5000, Currency: "EUR"}},
		{"a total pool is not an award", "Documentary fund",
			"The Lumen Foundation will distribute a total of $1M across 20 awards. Apply by October 1, 2026.",
			day(2026, 6, 1), facet{Kind: scout.KindGrant, Deadline: "2026-10-01T23:59:59Z", Funder: "Lumen Foundation"}},
		{"an entry fee is not an award", "Call for entries: open exhibition",
			"Call for entries: annual open exhibition. Entry fee $25. Deadline Sept. 12.",
			day(2026, 7, 1), facet{Kind: scout.KindCall, Deadline: "2026-09-12T23:59:59Z"}},
		{"rolling applications set Rolling and no deadline", "Emergency grants",
			"The Open Door Fund accepts applications on a rolling basis for emergency grants of up to $1,500.",
			day(2026, 3, 3), facet{Kind: scout.KindGrant, Rolling: true, Max: 1500, Currency: "USD", Funder: "Open Door Fund"}},
		{"a French date and an amount with a space and a trailing euro sign", "Appel à candidatures : aide à la création",
			"Le Fonds Atlantique soutient les artistes avec une aide à la création de 8 000 €. Date limite : 15 mars 2027.",
			day(2026, 11, 1), facet{Kind: scout.KindGrant, Deadline: "2027-03-15T23:59:59Z", Min: 8000, Max: 8000, Currency: "EUR", Funder: "Fonds Atlantique"}},
		{"a German date and 'bis zu'", "Projektförderung",
			"Die Stiftung Kunstraum fördert Projekte mit bis zu 10.000 Euro. Bewerbungsschluss: 31. März 2027.",
			day(2026, 11, 10), facet{Kind: scout.KindGrant, Deadline: "2027-03-31T23:59:59Z", Max: 10000, Currency: "EUR", Funder: "Stiftung Kunstraum"}},
		{"news of a grant awarded is not an opportunity", "Harlow Foundation awards $2.3 million to 46 filmmakers",
			"The Harlow Foundation today announced $2.3 million in grants. Grants of up to $50,000 were awarded in the fall round.",
			day(2026, 4, 2), facet{Kind: scout.KindNone}},
		{"event dates are not the deadline", "Dance residency",
			"The Movement Lab offers a residency taking place June 1–28, 2026, with a $2,000 artist fee. Apply by February 27, 2026.",
			day(2026, 1, 12), facet{Kind: scout.KindResidency, Deadline: "2026-02-27T23:59:59Z", Min: 2000, Max: 2000, Currency: "USD", Funder: "Movement Lab"}},
		{"opening and closing dates are told apart", "Film co-production support",
			"The Ministry of Culture of Estonia announces a €1.5 million programme; grants of up to €200,000. Applications open 1 March 2026 and close 30 April 2026.",
			day(2026, 2, 1), facet{Kind: scout.KindGrant, Deadline: "2026-04-30T23:59:59Z", Opens: "2026-03-01T00:00:00Z", Max: 200000, Currency: "EUR", Funder: "Ministry of Culture of Estonia"}},
		{"a year-less date before the publish date rolls into the next year", "Composer fellowship",
			"The American Composers Circle offers a fellowship of $12,500. Apply by Jan. 8.",
			day(2026, 11, 30), facet{Kind: scout.KindFellowship, Deadline: "2027-01-08T23:59:59Z", Min: 12500, Max: 12500, Currency: "USD", Funder: "American Composers Circle"}},
		{"a literal zone abbreviation keeps its offset in summer", "Residency in Berlin",
			"Künstlerhaus Lukas offers residencies with a monthly stipend of €1,200. Application deadline: 1 October 2026 (CET).",
			day(2026, 7, 1), facet{Kind: scout.KindResidency, Deadline: "2026-10-01T22:59:59Z", Min: 1200, Max: 1200, Currency: "EUR", Funder: "Künstlerhaus Lukas"}},
		{"a generic Pacific zone after the autumn change is standard time", "Dance grants",
			"The Redwood Dance Fund offers $7,500 grants. Deadline: Monday, November 2, 2026 at 11:59 PM PT.",
			day(2026, 8, 1), facet{Kind: scout.KindGrant, Deadline: "2026-11-03T07:59:00Z", Min: 7500, Max: 7500, Currency: "USD", Funder: "Redwood Dance Fund"}},
		{"a bare dollar in a Canadian text is CAD", "Arts scholarship",
			"The Maple Leaf Scholarship awards $2,500 to Canadian students. Deadline: April 30, 2026.",
			day(2026, 1, 15), facet{Kind: scout.KindScholarship, Deadline: "2026-04-30T23:59:59Z", Min: 2500, Max: 2500, Currency: "CAD"}},
		{"per-word rates are not awards", "Freelance writers wanted",
			"Freelance music writers wanted. We pay 30 cents per word and $0.10 per word for reviews. Pitch anytime.",
			day(2026, 3, 11), facet{Kind: scout.KindJob}},
		{"prize tiers are up to the first prize", "Short story prize",
			"First prize $5,000, second prize $1,000. Entry fee $25. Deadline: midnight EST, December 31, 2026.",
			day(2026, 9, 1), facet{Kind: scout.KindContest, Deadline: "2027-01-01T04:59:59Z", Max: 5000, Currency: "USD"}},
		{"tiers joined by and are up to the first prize", "Photography prize",
			"The Alder Trust awards a first prize of $5,000 and two highly commended prizes of $500. Entries close June 30, 2026.",
			day(2026, 3, 1), facet{Kind: scout.KindContest, Deadline: "2026-06-30T23:59:59Z", Max: 5000, Currency: "USD", Funder: "Alder Trust"}},
		{"a second prize written with an ordinal sign is a lower tier", "Concurso de fotografia",
			"A Associação Lentes do Tejo lança o concurso. 1.º prémio: 1.500 euros; 2.º prémio: 500 euros. Candidaturas até 30 de junho de 2026.",
			day(2026, 5, 2), facet{Kind: scout.KindContest, Deadline: "2026-06-30T23:59:59Z", Max: 1500, Currency: "EUR", Funder: "Associação Lentes do Tejo"}},
		{"staged deadlines take the final tier", "Screenplay competition",
			"Early bird deadline: February 1, 2026 ($45). Regular deadline: March 15, 2026 ($60). Final deadline: April 30, 2026 ($75). Grand prize: $7,500.",
			day(2026, 1, 4), facet{Kind: scout.KindContest, Deadline: "2026-04-30T23:59:59Z", Min: 7500, Max: 7500, Currency: "USD"}},
		{"an ISO timestamp with an offset", "Theatre fund",
			"The Playwrights' Bridge Fund supports new plays. Award: $12,000. Deadline 2026-09-15T17:00:00-04:00.",
			day(2026, 6, 15), facet{Kind: scout.KindGrant, Deadline: "2026-09-15T21:00:00Z", Min: 12000, Max: 12000, Currency: "USD", Funder: "Playwrights' Bridge Fund"}},
		{"without a publish date a year-less date is left out", "Grants",
			"The Open Door Fund offers grants of $500. Apply by March 3.",
			time.Time{}, facet{Kind: scout.KindGrant, Min: 500, Max: 500, Currency: "USD", Funder: "Open Door Fund"}},
		{"an empty item is not an opportunity", "", "", day(2026, 1, 1), facet{Kind: scout.KindNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := Extract(Input{Title: tt.title, Text: tt.text, PublishedAt: tt.pub})
			if diff := cmp.Diff(tt.want, facetOf(o)); diff != "" {
				t.Errorf("Extract mismatch (-want +got):\n%s", diff)
			}
			checkInvariants(t, o, nil)
		})
	}
}

func TestExtractEntities(t *testing.T) {
	_, ents := Extract(Input{
		Title:       "Grants for documentary filmmakers in Ontario",
		Text:        "The Harlow Foundation invites filmmakers based in Ontario to apply for grants of up to CA$3,000 for documentary and podcast projects. Deadline: May 1, 2026.",
		PublishedAt: day(2026, 2, 1),
	})
	type row struct {
		Type       scout.EntityType
		Name, Key  string
		Role, Span string
	}
	var got []row
	for _, e := range ents {
		got = append(got, row{e.Entity.Type, e.Entity.Name, e.Entity.Key, e.Role, e.Span})
	}
	want := []row{
		{scout.EntityOrganization, "Harlow Foundation", "harlow foundation", "funder", "Harlow Foundation"},
		{scout.EntityPlace, "Ontario", "ontario", "location", "Ontario"},
		{scout.EntityTopic, "film", "film", "discipline", "documentary"},
		{scout.EntityTopic, "podcasting", "podcasting", "discipline", "podcast"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entities mismatch (-want +got):\n%s", diff)
	}
}

func TestRulesEnrichSetsFacetAndEntities(t *testing.T) {
	it := &scout.Item{
		Title:       "Travel grants for writers",
		Summary:     "Funded by the Society of Authors, travel grants of up to £2,500. The next deadline is 1 July 2026.",
		PublishedAt: day(2026, 5, 20),
		Categories:  []string{"Grants"},
	}
	var e Enricher = Rules{}
	e.Enrich(it)
	if e.Name() != Name {
		t.Errorf("Name() = %q, want %q", e.Name(), Name)
	}
	want := facet{Kind: scout.KindGrant, Deadline: "2026-07-01T23:59:59Z", Max: 2500, Currency: "GBP", Funder: "Society of Authors"}
	if diff := cmp.Diff(want, facetOf(it.Opportunity)); diff != "" {
		t.Errorf("Enrich facet mismatch (-want +got):\n%s", diff)
	}
	if it.Opportunity.Extractor != Name || len(it.Entities) == 0 {
		t.Errorf("Enrich: extractor %q, %d entities; want %q and some entities", it.Opportunity.Extractor, len(it.Entities), Name)
	}
	if p := it.Opportunity.Provenance["deadline"]; p.Source != Name || p.Span != "1 July 2026" {
		t.Errorf("deadline provenance = %+v, want source %q and span %q", p, Name, "1 July 2026")
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"1,000", 1000}, {"2.500", 2500}, {"1.5", 1.5}, {"10 000", 10000}, {"1,00,000", 100000},
		{"1,500.00", 1500}, {"3.500,50", 3500.5}, {"0.10", 0.1}, {"25", 25}, {"1.234.567", 1234567},
	}
	for _, tt := range tests {
		got, _, ok := parseNumber(tt.in, 0)
		if !ok || got != tt.want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}

func TestZoneDaylightRules(t *testing.T) {
	tests := []struct {
		name string
		z    zone
		date time.Time
		want string
	}{
		{"US eastern before the March change", zone{offset: -5 * 3600, rule: usDST}, day(2026, 3, 7), "2026-03-07T22:00:00Z"},
		{"US eastern on the March change", zone{offset: -5 * 3600, rule: usDST}, day(2026, 3, 8), "2026-03-08T21:00:00Z"},
		{"UK time in summer", zone{rule: euDST}, day(2026, 7, 31), "2026-07-31T16:00:00Z"},
		{"UK time after the October change", zone{rule: euDST}, day(2026, 10, 25), "2026-10-25T17:00:00Z"},
		{"Sydney time in January", zone{offset: 10 * 3600, rule: auDST}, day(2027, 1, 15), "2027-01-15T06:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.z.at(tt.date.Year(), tt.date.Month(), tt.date.Day(), 17, 0, 0).Format(time.RFC3339)
			if got != tt.want {
				t.Errorf("at 17:00 = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestExtractBoundsText(t *testing.T) {
	long := strings.Repeat("Lorem ipsum dolor sit amet. ", 4000) + "Deadline: March 3, 2026. Grants of $5,000."
	o, _ := Extract(Input{Title: "Grants", Text: long, PublishedAt: day(2026, 1, 1)})
	if !o.Deadline.IsZero() {
		t.Errorf("deadline %v read beyond MaxText", o.Deadline)
	}
}

// checkInvariants fails when an extraction breaks the facet's invariants.
func checkInvariants(tb testing.TB, o scout.Opportunity, ents []scout.ItemEntity) {
	tb.Helper()
	if o.AmountMin < 0 || o.AmountMin > o.AmountMax {
		tb.Errorf("amount %d..%d out of order", o.AmountMin, o.AmountMax)
	}
	if (o.AmountMax > 0) != (o.Currency != "") {
		tb.Errorf("amount %d..%d with currency %q", o.AmountMin, o.AmountMax, o.Currency)
	}
	if o.KindConfidence < 0 || o.KindConfidence > 1 {
		tb.Errorf("kind confidence %v outside [0,1]", o.KindConfidence)
	}
	if !o.OpensAt.IsZero() && !o.Deadline.IsZero() && !o.OpensAt.Before(o.Deadline) {
		tb.Errorf("opens %v not before deadline %v", o.OpensAt, o.Deadline)
	}
	for f, p := range o.Provenance {
		if p.Confidence < 0 || p.Confidence > 1 || !utf8.ValidString(p.Span) || p.Source != Name {
			tb.Errorf("provenance %s = %+v breaks invariants", f, p)
		}
	}
	for _, e := range ents {
		if e.Confidence < 0 || e.Confidence > 1 || !utf8.ValidString(e.Span) || !utf8.ValidString(e.Entity.Key) || e.Entity.Key == "" {
			tb.Errorf("entity %+v breaks invariants", e)
		}
	}
	checkRecord(tb, o)
}

// checkRecord checks the record beyond the facet: key dates agree with the
// instants and read back as the same local time, and money is never negative.
func checkRecord(tb testing.TB, o scout.Opportunity) {
	tb.Helper()
	if k := o.KeyDates.Deadline; (k != nil) != !o.Deadline.IsZero() || k != nil && !k.At.Equal(o.Deadline) {
		tb.Errorf("key date deadline %+v disagrees with deadline %v", k, o.Deadline)
	}
	if k := o.KeyDates.Opens; (k != nil) != !o.OpensAt.IsZero() || k != nil && !k.At.Equal(o.OpensAt) {
		tb.Errorf("key date opens %+v disagrees with opens %v", k, o.OpensAt)
	}
	for _, k := range append([]*scout.KeyDate{o.KeyDates.Deadline}, ptrs(o.KeyDates.Other)...) {
		if k == nil {
			continue
		}
		if _, err := time.Parse("2006-01-02", k.Date); err != nil || k.Label == "" {
			tb.Errorf("key date %+v: bad date or label", k)
		}
		if k.Zone != "" && k.Zone[0] != '+' && k.Zone[0] != '-' && k.Zone != "UTC" {
			if _, err := time.LoadLocation(k.Zone); err != nil {
				tb.Errorf("key date zone %q is no IANA zone: %v", k.Zone, err)
			} else if k.Time != "" {
				checkLocal(tb, k)
			}
		}
	}
	f := o.Funding
	for name, m := range map[string]*scout.Money{"entry fee": f.EntryFee, "pool": f.TotalAvailable, "in kind": f.InKind} {
		if m != nil && (m.Amount < 0 || m.Amount != m.Amount) {
			tb.Errorf("%s %+v is negative", name, m)
		}
	}
	if r := f.PerRecipient; r != nil && (r.Min < 0 || r.Min > r.Max || r.Currency == "") {
		tb.Errorf("per recipient %+v breaks invariants", r)
	}
	if c := o.Criteria; c.AgeMax != 0 && c.AgeMin > c.AgeMax {
		tb.Errorf("ages %d..%d out of order", c.AgeMin, c.AgeMax)
	}
}

// checkLocal checks that a key date's instant, seen in its IANA zone, is its
// local date and time (away from the small hours of a changeover day).
func checkLocal(tb testing.TB, k *scout.KeyDate) {
	tb.Helper()
	loc, _ := time.LoadLocation(k.Zone)
	lt := k.At.In(loc)
	if lt.Hour() >= 1 && lt.Hour() <= 3 {
		return
	}
	if got := lt.Format("2006-01-02"); got != k.Date {
		tb.Errorf("key date %+v: instant in %s is on %s", k, k.Zone, got)
	}
	if got := lt.Format("15:04"); got != k.Time[:5] {
		tb.Errorf("key date %+v: instant in %s is at %s", k, k.Zone, got)
	}
}

func ptrs[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}

func TestCallsSplitsANewsletterIntoItsCalls(t *testing.T) {
	pub := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	text := "THE LEDGER\n\nMorning all! Two things this week:\n\n" +
		"1. MARROWBONE PRINT PRIZE\nMarrowbone Print Studio's annual prize is open to printmakers in the UK. First prize £3,000. Deadline 30 April 2026.\n\n" +
		"2. COLDHARBOUR SOUND RESIDENCY\nColdharbour Arts Centre offers a two-week residency with an £800 fee. Apply by 12 May.\n\n" +
		"That's it.\n– Rhiannon\n\nUnsubscribe | Update preferences"
	cs := Calls(Input{Title: "The Ledger #112", Text: text, PublishedAt: pub})
	if len(cs) != 2 {
		t.Fatalf("got %d calls, want 2: %+v", len(cs), cs)
	}
	want := []struct{ title, deadline, funder, kind string }{
		{"MARROWBONE PRINT PRIZE", "2026-04-30", "Marrowbone Print Studio", "contest"},
		{"COLDHARBOUR SOUND RESIDENCY", "2026-05-12", "Coldharbour Arts Centre", "residency"},
	}
	for i, w := range want {
		c := cs[i]
		dl := ""
		if c.Opportunity.KeyDates.Deadline != nil {
			dl = c.Opportunity.KeyDates.Deadline.Date
		}
		if c.Part != i+1 || c.Title != w.title || dl != w.deadline || c.Opportunity.Funder != w.funder || string(c.Opportunity.Kind) != w.kind {
			t.Errorf("call %d = part %d %q deadline %s funder %q kind %s; want %+v", i, c.Part, c.Title, dl, c.Opportunity.Funder, c.Opportunity.Kind, w)
		}
		if !strings.HasPrefix(c.Span, "1. MARROWBONE") && i == 0 || strings.Contains(c.Span, "Rhiannon") {
			t.Errorf("call %d span = %q; want its own block without the sign-off", i, c.Span)
		}
	}
	one := "Marrowbone Print Prize\n\nELIGIBILITY\nPrintmakers in the UK. Deadline 30 April 2026.\n\nHOW TO APPLY\nSend three works by 30 April 2026."
	if cs := Calls(Input{Title: "Marrowbone Print Prize 2026", Text: one, PublishedAt: pub}); cs != nil {
		t.Errorf("the sections of one call came out as %d calls", len(cs))
	}
}

func TestRulesEnrichSplitsANewsletterReadAsNoOpportunity(t *testing.T) {
	// The news at the top makes the whole read as no opportunity; the
	// two calls under their own headings are still two calls.
	it := &scout.Item{Title: "Notes from the studio, June", PublishedAt: day(2026, 6, 2), ContentText: `Hi friends,

News first: the winners of our spring print prize were announced on Friday, and the exhibition of their work opens next week at the library. Congratulations to all of them.

A few things I saw this week that you might like:

▸ Harbor Light Fellowship
The Harbor Light Foundation gives two $10,000 fellowships to painters living in Maine. Deadline July 15, 2026.

▸ Quarry Road Residency
Quarry Road Arts hosts four sculptors for a month in the fall, with a $1,500 stipend. Apply by August 1, 2026.

See you at the market on Saturday.
Mara

Unsubscribe`}
	Rules{}.Enrich(it)
	if it.Opportunity.Kind != scout.KindNone {
		t.Fatalf("kind %q; the case wants a newsletter read as no opportunity", it.Opportunity.Kind)
	}
	type call struct {
		Title, Funder string
		Max           int64
	}
	var got []call
	for _, c := range it.Calls {
		got = append(got, call{c.Title, c.Opportunity.Funder, c.Opportunity.AmountMax})
	}
	want := []call{{"Harbor Light Fellowship", "Harbor Light Foundation", 10000}, {"Quarry Road Residency", "Quarry Road Arts", 1500}}
	if diff := cmp.Diff(want, got); diff != "" || it.Mention != nil {
		t.Errorf("calls mismatch (-want +got):\n%s\nmention %v, want none", diff, it.Mention)
	}
}
