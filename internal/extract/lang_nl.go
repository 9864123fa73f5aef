package extract

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

var langNL = &language{
	code: "nl",
	stop: []string{"het", "een", "van", "voor", "met", "zijn", "niet", "je", "wij", "ons", "onze", "bij", "wordt", "worden",
		"ook", "naar", "uit", "kan", "als", "jouw", "jij", "er", "dat", "deze", "aan", "maar", "kunnen", "wie"},
	kinds: map[string]kindCue{
		"open oproep": {scout.KindCall, 1.5}, "oproep": {scout.KindCall, 1}, "open call": {scout.KindCall, 1},
		"subsidie*": {scout.KindGrant, 1}, "bijdrage": {scout.KindGrant, 0.7}, "regeling": {scout.KindGrant, 1}, "werkbijdrage": {scout.KindGrant, 1},
		"projectsubsidie": {scout.KindGrant, 1}, "fonds": {scout.KindGrant, 0.5},
		"beurs": {scout.KindGrant, 1}, "beurzen": {scout.KindGrant, 1}, "studiebeurs": {scout.KindScholarship, 2},
		"collegegeld": {scout.KindScholarship, 1}, "studie": {scout.KindScholarship, 0.5}, "opleiding": {scout.KindScholarship, 0.3},
		"residentie*": {scout.KindResidency, 1}, "werkperiode": {scout.KindResidency, 0.5},
		"prijs": {scout.KindContest, 1}, "prijsvraag": {scout.KindContest, 1.5}, "wedstrijd": {scout.KindContest, 1.5}, "fotowedstrijd": {scout.KindContest, 1.5},
		"opdracht": {scout.KindCommission, 1}, "compositieopdracht": {scout.KindCommission, 2},
		"vacature*": {scout.KindJob, 2}, "baan": {scout.KindJob, 1}, "functie": {scout.KindJob, 1}, "salaris": {scout.KindJob, 1},
		"dienstverband": {scout.KindJob, 1}, "uur per week": {scout.KindJob, 1},
		"incubator": {scout.KindAccelerator, 1}, "versneller": {scout.KindAccelerator, 1}, "talentprogramma": {scout.KindAccelerator, 1},
		"sponsoring": {scout.KindSponsorship, 1}, "samenwerking": {scout.KindSponsorship, 0.7}, "ambassadeur*": {scout.KindSponsorship, 1},
		"partnerschap": {scout.KindSponsorship, 1}, "gesponsorde": {scout.KindSponsorship, 1},
	},
	seek: []string{"gezocht", "zoeken", "zoekt", "we zoeken"},
	cta: []string{"stuur je", "mail je", "meld je", "meld je aan", "aanmelden", "aanmelding*", "solliciteer", "sollicitatie*", "reageer", "inzenden", "insturen", "stuur", "deadline",
		"uiterlijk", "indienen", "aanvragen", "aanvraag", "zoeken", "zoekt", "opent", "inschrijven", "inschrijving", "doe mee"},
	news: []string{"aangifte", "btw-aangifte", "belastingdienst", "herinnering", "gehonoreerd", "winnaar*", "interview", "kaartverkoop", "tickets", "voorstelling", "tentoonstelling", "opening",
		"terugblik", "bedankt"},
	titleNews:  []string{"cursus", "cursussen"},
	veto:       []string{"gesloten", "opgeschort", "geannuleerd", "gaat niet door", "krijgen steun", "zijn geselecteerd", "is verlopen"},
	dateStrong: []string{"aanmeldperiode", "inschrijfperiode", "indieningsperiode", "sluit", "sluitingsdatum", "deadline", "uiterlijk", "sluit", "sluiting", "sluitingsdatum", "aanmelden kan tot", "inzenden tot", "indienen tot"},
	dateWeak:   []string{"tot en met", "t m", "tot", "vóór"},
	dateOpen:   []string{"open", "geopend", "vanaf"},
	dateEvent:  []string{"opening", "tentoonstelling", "voorstelling", "festival", "uitreiking", "bekendgemaakt", "vindt plaats"},
	months: map[string]time.Month{"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
		"augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12},
	disciplines: map[string][]string{
		"visual arts":             {"beeldend kunstenaar*", "beeldende kunstenaar*", "beeldende kunst", "schilder*", "beeldhouw*", "tekenaar*"},
		"music":                   {"muziek*", "componist*", "musici", "muzikant*"},
		"writing":                 {"literatuur", "schrijver*", "schrijf*", "poëzie", "dichter*", "roman"},
		"film":                    {"filmmaker*", "documentaire*", "scenario*"},
		"theatre":                 {"theater*", "toneel*", "podiumkunst*"},
		"dance":                   {"dans", "dansmakers", "dansers", "choreogra*"},
		"photography":             {"fotografie*", "fotograaf*", "fotografen", "foto's"},
		"illustration and comics": {"illustrat*", "strip*"},
		"design":                  {"vormgev*", "ontwerp*"},
		"crafts":                  {"ambacht*", "keramiek*"},
		"multidisciplinary":       {"alle disciplines", "multidisciplinair*", "interdisciplinair*"},
	},
	orgWords: []string{"Stichting", "Fonds", "Vereniging", "Gemeente", "Provincie", "Cultuurfonds", "Studio", "Festival", "Centrum",
		"Academie", "Museum", "Huis", "Theater", "Galerie",
		"Bibliotheek", "Orkest", "Uitgeverij", "Filmhuis"},
	offerVerbs: []string{"opent", "zoekt", "biedt", "nodigt", "lanceert", "organiseert", "schrijft", "kent", "steunt", "start"},
	compounds: map[string]kindCue{"beurs": {scout.KindGrant, 1}, "prijs": {scout.KindContest, 1}, "wedstrijd": {scout.KindContest, 1},
		"subsidie": {scout.KindGrant, 1}, "bijdrage": {scout.KindGrant, 1}, "residentie": {scout.KindResidency, 1},
		"opdracht": {scout.KindCommission, 1}, "regeling": {scout.KindGrant, 0.7}},
	fee:        []string{"inschrijfgeld", "deelnamekosten", "deelnamebijdrage", "deelnamegeld", "kosten", "kost", "entree"},
	pool:       []string{"in totaal", "totaalbedrag", "totaal", "budget van"},
	currencies: map[string]string{"euro": "EUR"},
}
