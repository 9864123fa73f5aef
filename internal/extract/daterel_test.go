package extract

import (
	"testing"
	"time"
)

// Deadlines written relative to a month or recurring monthly resolve to
// their next occurrence on or after publication.
func TestRelativeDeadlines(t *testing.T) {
	pub := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ text, want string }{
		{"Open call for painters. Apply by the last Friday of March.", "2026-03-27"},
		{"Open call for painters. Apply by the first Monday of February.", "2027-02-01"},
		{"Open call for painters. Apply by the second Tuesday in June 2026.", "2026-06-09"},
		{"Grants of up to $2,000 for musicians. The deadline is the 1st of every month.", "2026-04-01"},
		{"Grants of up to $2,000 for musicians. The deadline is the 15th of each month.", "2026-03-15"},
		{"Grants for writers. The submissions window runs 1–30 September.", "2026-09-30"},
		{"Grants of $500 for crafters. Apply by the Friday after Thanksgiving.", "2026-11-27"},
		{"Grants of $500 for crafters. Apply by Thanksgiving.", "2026-11-26"},
		{"Grants of $500 for crafters. Applications are due the Monday after Thanksgiving.", "2026-11-30"},
		{"The prize closes at the end of March. Entries are due the last Friday of March.", "2026-03-27"},
	} {
		o, _ := Extract(Input{Title: "Call", Text: c.text, PublishedAt: pub})
		if got := o.Deadline.Format("2006-01-02"); got != c.want {
			t.Errorf("%q: deadline %s, want %s", c.text, got, c.want)
		}
	}
}

// Pay per piece of work is multiplied by the pieces one recipient makes.
func TestPerItemPay(t *testing.T) {
	pub := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		text string
		want float64
	}{
		{"We are looking for 4 creators for a paid partnership: 3 YouTube videos each, £2,500 per video. Apply by 30 April.", 7500},
		{"Podcasters wanted for our creator partnership: £1,000 per episode for four episodes. Apply by 30 April.", 4000},
		{"Open call for illustrators: a commission fee of £500 per illustration. Apply by 30 April.", 0},
	} {
		o, _ := Extract(Input{Title: "Call", Text: c.text, PublishedAt: pub})
		got := 0.0
		if p := o.Funding.PerRecipient; p != nil && p.Max != float64(o.AmountMax) {
			got = p.Max
		}
		if got != c.want {
			t.Errorf("%q: per recipient %v (amount %d), want %v", c.text, o.Funding.PerRecipient, o.AmountMax, c.want)
		}
	}
}

// A zone named in words of the text's language sets the deadline's zone;
// French writes hours and minutes apart ("23 h 59") and asks "pour le".
func TestZonePhrases(t *testing.T) {
	pub := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ title, text, want string }{
		{"Appel à candidatures", "Nous lançons un appel à candidatures pour une résidence de création dans notre maison. Les artistes sont " +
			"invités à envoyer un dossier avec leur CV. Date limite : 15 mars 2026 à 17h (heure de Paris).", "2026-03-15T16:00:00Z"},
		{"Convocatoria abierta", "La convocatoria está abierta a artistas de todas las disciplinas que residan en la región. Las solicitudes " +
			"se presentan en línea hasta el 20 de abril de 2026 a las 14:00 (hora de España).", "2026-04-20T12:00:00Z"},
		{"Bando di concorso", "Il concorso è aperto a tutti gli artisti under 35 residenti in Italia. Le domande devono essere inviate " +
			"entro il 30 marzo 2026 alle ore 12:00 (ora italiana).", "2026-03-30T10:00:00Z"},
		{"Appel à candidatures", "Nous lançons un appel à candidatures pour une résidence de création dans notre maison. Les artistes sont " +
			"invités à envoyer un dossier avec leur CV. Candidatures jusqu'au dimanche 15 mars 2026 à 23 h 59.", "2026-03-15T23:59:00Z"},
		{"Appel à candidatures", "Nous lançons un appel à candidatures pour une résidence de création dans notre maison. Les artistes sont " +
			"invités à envoyer un dossier avec leur CV. Les dossiers sont attendus pour le 15 mars 2026.", "2026-03-15T23:59:59Z"},
		{"Bando", "Il bando è aperto a tutti gli artisti under 35 residenti in Italia. I candidati devono inviare un portfolio e " +
			"un curriculum. Le candidature vanno inviate entro e non oltre le ore 12 del 15 marzo 2026.", "2026-03-15T11:00:00Z"}, // Italy's time
		{"Convocatoria", "La convocatoria está abierta a artistas de todas las disciplinas que residan en la región. Las personas " +
			"interesadas deben enviar un dossier. Recepción de obras: del 1 al 15 de marzo de 2026.", "2026-03-15T23:59:59Z"},
		{"Edital", "O edital está aberto a artistas de todas as áreas que residam na região. Os interessados devem enviar um " +
			"portfólio e uma proposta de projeto. Data-limite: 15 de março de 2026.", "2026-03-15T23:59:59Z"},
		{"Ausschreibung", "Die Ausschreibung richtet sich an Künstlerinnen und Künstler aller Sparten mit Wohnsitz in Sachsen. " +
			"Das Stipendium ist mit 3.000 Euro dotiert. Bewerbungen sind vom 1. bis 15. März 2026 möglich.", "2026-03-15T23:59:59Z"},
		{"Convocatoria", "La convocatoria está abierta a artistas de todas las disciplinas que residan en la región. Las personas " +
			"interesadas deben enviar un dossier. Las inscripciones estarán abiertas hasta el 15-03-2026.", "2026-03-15T23:59:59Z"},
		{"Convocatoria", "La convocatoria está abierta a artistas de todas las disciplinas que residan en la región. Las personas " +
			"interesadas deben enviar un dossier. Cierre de postulaciones: 15 de marzo de 2026 a las 17 horas.", "2026-03-15T17:00:00Z"},
		{"Open call", "Open call for writers in Ireland. Applications close at 5pm Irish time on 16 March 2026.", "2026-03-16T17:00:00Z"},
		{"Open call", "Open call for Nigerian photographers. Entries close on 20 April 2026 at 11:59 pm Lagos time.", "2026-04-20T22:59:00Z"},
		{"Open call", "Open call for illustrators. Deadline: 1 March 2026, 6 pm India Standard Time.", "2026-03-01T12:30:00Z"},
	} {
		o, _ := Extract(Input{Title: c.title, Text: c.text, PublishedAt: pub})
		if got := o.Deadline.UTC().Format(time.RFC3339); got != c.want {
			t.Errorf("%q: deadline %s, want %s", c.text, got, c.want)
		}
	}
}

// A time stated without a zone is in the zone of the country the text
// places the call in: by its places, else by its language and currency;
// a country of several zones gives none unless a place names one.
func TestZoneOfTheTextsCountry(t *testing.T) {
	pub := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ title, text, want, zone string }{
		{"Oproep", "De stad Gent zoekt kunstenaars voor een kunstwerk in het stadspark. Het budget is € 20.000. " +
			"Dien je voorstel in vóór 15 maart 2026 om 12:00.", "2026-03-15T11:00:00Z", "Europe/Brussels"},
		{"Stipendier", "Stiftelsen delar ut arbetsstipendier på 8 000 euro till författare. Ansökningstiden går ut den " +
			"15 mars 2026 kl. 16.00.", "2026-03-15T14:00:00Z", "Europe/Helsinki"},
		{"Convocatoria", "Becas de creación de 2.000.000 CLP para artistas. Cierre de postulaciones: 30 de abril de 2026 " +
			"a las 23:59.", "2026-05-01T03:59:00Z", "America/Santiago"},
		{"Folk arts grants", "Apprenticeship grants of $6,000 for traditional artists in Hawaii. Applications are due " +
			"May 22, 2026 at 5:00 p.m.", "2026-05-23T03:00:00Z", "Pacific/Honolulu"},
		{"Artist grants", "Grants of $5,000 for artists across the United States. Applications are due May 22, 2026 " +
			"at 5:00 p.m.", "2026-05-22T17:00:00Z", ""},
	} {
		o, _ := Extract(Input{Title: c.title, Text: c.text, PublishedAt: pub})
		if got := o.Deadline.UTC().Format(time.RFC3339); got != c.want {
			t.Errorf("%q: deadline %s, want %s", c.text, got, c.want)
		}
		if k := o.KeyDates.Deadline; k == nil || k.Zone != c.zone {
			t.Errorf("%q: deadline key date %+v, want zone %q", c.text, k, c.zone)
		}
	}
}

// deadlineCase is a text and the deadline the rules must read in it, ""
// for none.
type deadlineCase struct{ title, text, want string }

// checkDeadlines extracts each case published at pub and compares its
// deadline.
func checkDeadlines(t *testing.T, pub time.Time, cases []deadlineCase) {
	t.Helper()
	for _, c := range cases {
		o, _ := Extract(Input{Title: c.title, Text: c.text, PublishedAt: pub})
		got := ""
		if !o.Deadline.IsZero() {
			got = o.Deadline.UTC().Format(time.RFC3339)
		}
		if got != c.want {
			t.Errorf("%q: deadline %q, want %q", c.text, got, c.want)
		}
	}
}

// Cue words common in other senses ("voor", "innan", "til") cue a date
// only right before it; cues with an elided article ("délai d'envoi")
// are found as written.
func TestAdjacentAndElidedCues(t *testing.T) {
	pub := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	checkDeadlines(t, pub, []deadlineCase{
		{"Projectsubsidie", "Projectsubsidie tot €8.000 voor theatermakers in Limburg! Aanvragen voor 22 mei via het fonds.", "2026-05-22T23:59:59Z"},
		{"Samarbete", "Klädmärket söker 5 creators för sommarkampanjen, 8 000 kr per person. Ansök innan 15 maj.", "2026-05-15T23:59:59Z"},
		{"Zine call", "Call for submissions for our summer zine: street and documentary photography. DMs open til 5/5.", "2026-05-05T23:59:59Z"},
		{"Concours photo", "Concours de photographie, prix de 3 000 €.\n\nDélai d'envoi des dossiers : 31 août 2026", "2026-08-31T23:59:59Z"},
		{"Open call", "Open call voor kunstenaars: een werkbijdrage tot € 5.000. Voor meer informatie over de regeling van 4 juli, zie de website.", ""},
	})
}

// A strong deadline cue after an event word makes the date a deadline
// again, the event word alone keeps it an event's; a Dutch submitting verb
// asks for the application ("Inzenden kan t/m"), and "23u59" is a time.
func TestDeadlineCueForms(t *testing.T) {
	pub := time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC)
	checkDeadlines(t, pub, []deadlineCase{
		{"Ceramics residency", "The residency takes three residents per season. The autumn season runs September to November, and applications are due by May 8, 2026.", "2026-05-08T23:59:59Z"},
		{"Kurzfilmförderung", "Unsere Kurzfilmförderung unterstützt Kurzfilme mit bis zu 10.000 €. Nächster Einreichtermin: 4. Dezember 2026.", "2026-12-04T23:59:59Z"},
		{"Ceramics residency", "The residency takes three residents per season. The exhibition runs until May 8, 2026.", ""},
		{"Open call zomerexpo", "Open call! Inschrijfgeld € 15, expositie van 4 juli t/m 30 augustus.\n\nInzenden kan t/m 14 juni 2026 via de link.", "2026-06-14T23:59:59Z"},
		{"Projectsubsidie", "Projectsubsidie tot € 5.000. Dossiers moeten ingediend zijn vóór 15 september 2026 om 23u59.", "2026-09-15T21:59:00Z"},
	})
}

// A weekday named alone after a deadline cue is its next occurrence after
// the publish date; one before a date is that date's.
func TestWeekdayAloneAfterACue(t *testing.T) {
	pub := time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC) // a Saturday
	checkDeadlines(t, pub, []deadlineCase{
		{"GIG: session violinist", "We need a session violinist for our album, $1,200 for 3 days. Send a clip by this Thursday!", "2026-03-26T23:59:59Z"},
		{"Photo award", "Last chance! The Greywater Photo Award closes SUNDAY midnight CET. €5,000 first prize.", "2026-03-22T22:59:59Z"},
		{"Sökes: illustratör", "Vi söker en illustratör till vår podd. Budget: 5 000 kr. Skicka portfolio senast lördag!", "2026-03-28T23:59:59Z"},
		{"Photo award", "The Greywater Photo Award offers €5,000. Entries close Friday 1 May 2026.", "2026-05-01T23:59:59Z"},
		{"Open studio", "Our open studio was on Friday; thank you to everyone who came.", ""},
	})
}

// A cap written the ways other languages write it makes the award "up to".
func TestUpToForms(t *testing.T) {
	pub := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ title, text string }{
		{"Appel à candidatures", "Nous lançons un appel à candidatures pour une résidence de création dans notre maison. Les " +
			"artistes envoient un dossier avant le 15 mars 2026. La bourse, d'un montant maximal de 5 000 €, est versée en deux fois."},
		{"Appel à candidatures", "Nous lançons un appel à candidatures pour une résidence de création dans notre maison. Les " +
			"artistes envoient un dossier avant le 15 mars 2026. Aide plafonnée à 5 000 euros par projet."},
		{"Convocatoria", "La convocatoria está abierta a artistas de todas las disciplinas que residan en la región, que deben " +
			"enviar un dossier antes del 15 de marzo de 2026. Importe máximo por proyecto: 5.000 €."},
		{"Ausschreibung", "Die Ausschreibung richtet sich an Künstlerinnen und Künstler aller Sparten mit Wohnsitz in Sachsen. " +
			"Bewerbungen sind bis zum 15. März 2026 einzureichen. Gefördert wird mit max. 5.000 Euro."},
	} {
		o, _ := Extract(Input{Title: c.title, Text: c.text, PublishedAt: pub})
		if o.AmountMin != 0 || o.AmountMax != 5000 || o.Currency != "EUR" {
			t.Errorf("%q: amount %d-%d %s, want 0-5000 EUR", c.text, o.AmountMin, o.AmountMax, o.Currency)
		}
	}
}

// The other languages' "organised by" names the organization that runs a
// call.
func TestOrganisedByOtherLanguages(t *testing.T) {
	pub := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ title, text, want string }{
		{"Appel à candidatures", "Nous lançons un appel à candidatures pour une résidence de création. Les artistes envoient un " +
			"dossier avant le 15 mars 2026. La résidence est organisée par le Centre culturel Les Forges.", "Centre culturel Les Forges"},
		{"Convocatoria", "La convocatoria está abierta a artistas de todas las disciplinas que residan en la región, que deben " +
			"enviar un dossier antes del 15 de marzo de 2026. El premio está organizado por la Fundación Tierra Alta.", "Fundación Tierra Alta"},
	} {
		o, _ := Extract(Input{Title: c.title, Text: c.text, PublishedAt: pub})
		if o.Funder != c.want {
			t.Errorf("%q: funder %q, want %q", c.text, o.Funder, c.want)
		}
	}
}
