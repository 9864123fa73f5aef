package extract

import (
	"testing"
	"time"
)

// funderProbes are one- to three-sentence posts written for the funder
// rules, one per way a post names who offers it: a brand before its
// programme's noun, a company as the subject of what it seeks, "at X we",
// an organization word of the language, a signature, and traps where the
// only capitalized names are places, people or the programme itself.
var funderProbes = []struct {
	lang, title, text, want string
}{
	{"en", "Summer Zine Challenge", "The Mossgate Summer Zine Challenge returns! Make a 16-page zine by July 15 and win $250. Post it with #MossgateZines.", "Mossgate"},
	{"en", "48-hour story sprint", "Join the Quillfire Sprint: write a short story in 48 hours. The top three get $200 each. Sign up by 10 June 2026.", "Quillfire"},
	{"en", "Paid pilot season for podcast producers", "Halyard Audio is looking for five podcast producers for a paid pilot season. Each gets $2,000. Pitch by March 20.", "Halyard Audio"},
	{"en", "Muralist wanted", "Copperline Coffee wants a muralist for the wall of its new Leeds café. The budget is £3,000. Send your portfolio by 1 May.", "Copperline Coffee"},
	{"de", "Illustratorinnen gesucht", "Der Lindenhof Verlag sucht Illustratorinnen und Illustratoren für eine Kinderbuchreihe. Honorar 2.500 Euro. Bewerbung bis 30. April 2026.", "Lindenhof Verlag"},
	{"fr", "Résidence BD", "Les Éditions du Phare recherchent des autrices et auteurs de BD pour une résidence de trois mois. Bourse de 3 000 €. Candidatures jusqu'au 12 mai 2026.", "Éditions du Phare"},
	{"es", "Premio de novela corta", "Editorial Marea Alta convoca su premio de novela corta, dotado con 4.000 euros. Plazo: 30 de septiembre de 2026.", "Editorial Marea Alta"},
	{"it", "Cerchiamo illustratori", "La Casa Editrice Lanterna cerca illustratori per una collana di albi. Compenso 1.800 euro. Candidature entro il 15 giugno 2026.", "Casa Editrice Lanterna"},
	{"pt", "Prêmio de poesia", "A Editora Ventania abre inscrições para o seu prêmio de poesia, no valor de R$ 5.000. Inscrições até 30 de julho de 2026.", "Editora Ventania"},
	{"nl", "Schrijvers gezocht", "Uitgeverij Kompas zoekt debuterende schrijvers voor een mentortraject. Vergoeding 1.500 euro. Aanmelden vóór 1 juni 2026.", "Uitgeverij Kompas"},
	{"sv", "Illustratörer sökes", "Förlaget Nordljus söker illustratörer till en ny bilderboksserie. Arvode 20 000 kr. Ansök senast 15 maj 2026.", "Förlaget Nordljus"},
	{"en", "Freelance composer wanted", "At Bramblewood Games we're hiring a freelance composer for our next title. Budget $6,000. Send your reel by April 12.", "Bramblewood Games"},
	{"es", "Buscamos ilustradores", "En Estudio Cardumen buscamos ilustradores para un mural. Pagamos 1.200 €. Escríbenos antes del 20 de mayo.", "Estudio Cardumen"},
	{"fr", "Photographe recherché·e", "Chez Atelier Brume, nous cherchons un·e photographe pour notre catalogue d'hiver. Cachet 900 €. Réponses avant le 3 juin 2026.", "Atelier Brume"},
	{"en", "Emerging acts wanted", "Saltmarsh Folk Festival opens applications for emerging acts. The fee is £400 per set. Apply by 28 February 2026.", "Saltmarsh Folk Festival"},
	{"de", "Nachwuchspreis 2026", "Das Filmfest Kirchberg vergibt einen Nachwuchspreis von 3.000 Euro. Einreichung bis 31. Juli 2026.", "Filmfest Kirchberg"},
	{"it", "Call per cortometraggi", "Il Festival Onde Corte apre la call per cortometraggi. Premio 2.000 euro. Scadenza 10 settembre 2026.", "Festival Onde Corte"},
	{"en", "Studio residency", "Two artists will spend six weeks in our print studio with a £1,200 stipend. Apply by 14 March 2026.\n\nFern House Studios", "Fern House Studios"},
	{"en", "Marlowe Street Theatre: call for new plays", "We're reading full-length plays by writers in the North West. Selected writers get £1,500. Send scripts by 20 May 2026.", "Marlowe Street Theatre"},
	{"en", "The Ada Lovelace Prize", "The Ada Lovelace Prize, run by the Byteworks Guild, awards £2,000 to a woman making games. Entries close 1 September 2026.", "Byteworks Guild"},
	{"en", "Six-week residency in Hull", "Artists can apply for a six-week stay at Fishgate Studio in the City of Hull, with a £1,000 stipend. Deadline 1 April 2026.", "Fishgate Studio"},
	{"en", "Underpass murals", "Call for artists: paint the underpass murals on Elm Street in Dayton. The budget is $5,000. Apply by June 1, 2026.", ""},
	{"en", "Rising Voices Fellowship", "Applications are open for the Rising Voices Fellowship. Fellows receive $10,000 and a year of mentoring. Apply by 15 May 2026.", ""},
	{"es", "Beca de creación", "Abrimos la Beca Río Seco de creación literaria: 3.000 euros para un libro en curso. Plazo hasta el 30 de junio de 2026.", ""},
	{"de", "Atelierstipendium in Leipzig", "Für das Atelierstipendium Leipzig können sich bildende Künstlerinnen bis zum 15. Mai 2026 bewerben. Es ist mit 6.000 Euro dotiert.", ""},
	{"en", "Grants for Oregon writers", "Oregon writers can apply for grants of up to $3,000 from Cascadia Letters, a nonprofit in Portland. Deadline: March 31, 2026.", "Cascadia Letters"},
	{"en", "Bristol makers: sell at our winter market", "Driftwood Makers Market is looking for 40 stallholders for its December fair. Stalls are free for first-time makers. Apply by 1 October 2026.", "Driftwood Makers Market"},
	{"pt", "Chamada para músicos", "O Coletivo Maré Baixa procura músicos para um disco coletivo. Cachê de R$ 800. Inscrições até 10 de maio de 2026.", "Coletivo Maré Baixa"},
	{"nl", "Open oproep", "Het Muziekhuis Delta zoekt jonge componisten voor een compositieopdracht van 2.000 euro. Aanmelden kan tot 1 mei 2026.", "Muziekhuis Delta"},
	{"sv", "Öppen ansökan", "Teater Vindsnurran söker dramatiker till ett nyskrivet verk. Arvodet är 40 000 kr. Sista ansökningsdag 1 juni 2026.", "Teater Vindsnurran"},
	{"fr", "Appel à projets", "La compagnie Les Trois Cailloux lance un appel à projets pour une création jeune public, dotée de 5 000 €. Date limite : 15 avril 2026.", "Compagnie Les Trois Cailloux"},
	{"en", "Brand collab for food creators", "Hey food creators! Sprigly Kitchen is teaming up with ten recipe creators this spring. $750 per reel plus a pantry box. DM us by April 30.", "Sprigly Kitchen"},
	{"en", "Paid illustration commission", "We need an illustrator for the cover of our autumn issue. Fee: $900. Send links by August 3, 2026. — Paper Lantern Quarterly", "Paper Lantern Quarterly"},
	{"it", "Residenza per artisti", "Spazio Ruggine ospita due artisti per un mese con una borsa di 1.500 euro. Candidature entro il 30 aprile 2026.", "Spazio Ruggine"},
	{"de", "Kompositionsauftrag", "Das Ensemble Nachtflug vergibt einen Kompositionsauftrag über 4.000 Euro für ein neues Kammermusikwerk. Bewerbungsschluss ist der 1. Juni 2026.", "Ensemble Nachtflug"},
	{"en", "Flash prize", "Maria Lopez, a publisher based in Lima, will judge this year's prize. First prize $500. Entries close 1 May 2026.", ""},
	{"en", "Summer residency", "At Easter we open applications for two summer residencies with a $2,000 stipend each. Apply by 30 April 2026.", ""},
	{"en", "Travel grants for artists", "Applications are open for the Culture Moves Europe programme. Artists get up to €3,000 for travel. Apply by 31 May 2026.", ""},
	{"en", "Poetry contest", "Send up to three poems by 1 June 2026. First prize $400. Questions welcome. — Jane Doe", ""},
	{"en", "Residency for writers", "Need time to write? Novelist Jane Smith is hosting two writers at her farm for a month, with a $1,000 stipend. Apply by 15 April 2026.", ""},
	{"en", "Winter grants", "Grants of $1,000 for community projects. Apply by 1 March 2026. The Winter Arts Program.", ""},
	{"en", "Mentorship grant", "The grant goes to one writer, chosen by Ana Ortiz, a company director, and two editors. $2,500. Apply by 1 July 2026.", ""},
	{"en", "Grants for Maine musicians", "Musicians living in Maine can apply for $1,500 grants for recording projects. Applications close 10 March 2026. Questions go to Anna Ruiz.", ""},
}

// TestFunderProbes scores the funder rules on the probes: hits, names
// found, names wanted, and each miss with -eval.v.
func TestFunderProbes(t *testing.T) {
	var tally score
	pub := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	for _, p := range funderProbes {
		o, _ := Extract(Input{Title: p.title, Text: p.text, PublishedAt: pub})
		tally.add(Key(o.Funder), Key(p.want))
		if Key(o.Funder) != Key(p.want) && *evalVerbose {
			t.Logf("[%s] %q: got %q, want %q", p.lang, p.title, o.Funder, p.want)
		}
	}
	t.Logf("funder probes: precision %.4f recall %.4f (%d hits, %d found, %d wanted)",
		tally.precision(), tally.recall(), tally.hit, tally.got, tally.want)
}
