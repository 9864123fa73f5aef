package extract

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

var langIT = &language{
	code: "it",
	stop: []string{"il", "gli", "della", "delle", "di", "per", "con", "una", "sono", "che", "del", "alla", "dei", "nel", "nella",
		"degli", "ai", "alle", "è", "non", "essere", "saranno", "sarà", "lo", "questo", "questa", "anche", "dal", "dalla"},
	kinds: map[string]kindCue{
		"bando": {scout.KindCall, 1}, "open call": {scout.KindCall, 1}, "chiamata": {scout.KindCall, 1}, "avviso pubblico": {scout.KindCall, 1},
		"bando di concorso": {scout.KindContest, 2}, "concorso": {scout.KindContest, 1}, "premio": {scout.KindContest, 1}, "premi": {scout.KindContest, 0.7},
		"contributo": {scout.KindGrant, 1}, "contributi": {scout.KindGrant, 1}, "finanziamento": {scout.KindGrant, 1}, "sostegno": {scout.KindGrant, 0.5},
		"sovvenzione": {scout.KindGrant, 1}, "borsa": {scout.KindGrant, 0.7}, "borse": {scout.KindGrant, 0.7},
		"borsa di studio": {scout.KindScholarship, 2}, "borse di studio": {scout.KindScholarship, 2},
		"residenza": {scout.KindResidency, 1}, "residenze": {scout.KindResidency, 1}, "residenza artistica": {scout.KindResidency, 2},
		"commissione di un'opera": {scout.KindCommission, 2}, "incarico": {scout.KindCommission, 1}, "committenza": {scout.KindCommission, 1.5},
		"opera commissionata": {scout.KindCommission, 2},
		"cercasi":             {scout.KindJob, 1}, "assunzione": {scout.KindJob, 1}, "offerta di lavoro": {scout.KindJob, 2}, "posizione": {scout.KindJob, 1},
		"contratto": {scout.KindJob, 0.7}, "retribuzione": {scout.KindJob, 1}, "stipendio": {scout.KindJob, 1}, "selezione per": {scout.KindJob, 0.7},
		"incubatore": {scout.KindAccelerator, 1.5}, "acceleratore": {scout.KindAccelerator, 1.5}, "laboratorio di sviluppo": {scout.KindAccelerator, 2},
		"percorso di": {scout.KindAccelerator, 0.5}, "tutoraggio": {scout.KindAccelerator, 0.7},
		"sponsorizzazione": {scout.KindSponsorship, 1}, "ambassador": {scout.KindSponsorship, 1}, "collaborazione retribuita": {scout.KindSponsorship, 2},
	},
	seek: []string{"cerchiamo", "cerca", "si cercano", "cercano"},
	cta: []string{"domande", "domanda", "presentate", "presentare", "mandate", "inviate", "manda", "mandaci", "scriveteci", "inviaci", "candidature", "candidatura", "candidarsi", "partecipare", "possono partecipare", "scadenza", "inviare", "invia",
		"iscrizione", "iscrizioni", "entro", "cerchiamo", "cerca", "lancia", "bandisce", "compilare"},
	news: []string{"dichiarazione dei redditi", "agenzia delle entrate", "vincitor*", "premiat*", "intervista", "biglietti", "inaugurazione", "risultati", "ringraziamo", "concerto",
		"mostra aperta"},
	titleNews: []string{"corso", "corsi", "laboratorio gratuito", "seminario", "graduatoria"},
	veto:      []string{"chiuso", "chiusa", "sospes*", "annullat*", "non sarà pubblicato", "sono stati selezionati"},
	dateStrong: []string{"invio dei materiali", "invio delle opere", "invio delle candidature", "invio dei lavori",
		"presentazione delle domande", "periodo di candidatura", "periodo di presentazione", "chiude", "chiudono", "si chiude", "si chiudono", "scadenza", "entro e non oltre", "entro il", "entro", "termine", "chiusura", "pervenire entro"},
	dateWeak:  []string{"fino al", "prima del"},
	dateOpen:  []string{"aperte", "aperto", "aperta", "a partire dal"},
	dateEvent: []string{"esposte", "mostra", "inaugurazione", "si terrà", "comunicazione", "premiazione", "festival", "concerto"},
	months: map[string]time.Month{"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
		"agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12},
	disciplines: map[string][]string{
		"visual arts":             {"arti visive", "pittura", "scultura*", "installazion*", "disegno"},
		"music":                   {"musica*", "musicist*", "compositor*", "composizion*"},
		"writing":                 {"racconti", "racconto", "autori", "autrici", "scrittura", "letteratura", "poesia", "romanzo", "scrittor*", "narrativa", "sceneggiatura*"},
		"film":                    {"cinema", "film", "serie televisive", "web series", "documentari*", "audiovisiv*", "cortometragg*"},
		"theatre":                 {"teatro*", "teatrale", "arti performative"},
		"dance":                   {"danza*", "coreograf*"},
		"photography":             {"fotografia*", "fotograf*"},
		"illustration and comics": {"illustra*", "fumetto", "fumetti"},
		"architecture":            {"architettura*", "architetti", "progettisti"},
		"crafts":                  {"artigianato", "ceramica*"},
		"multidisciplinary":       {"tutte le discipline", "multidisciplinar*"},
		"design":                  {"design"},
	},
	orgWords: []string{"Fondazione", "Associazione", "Istituto", "Centro", "Accademia", "Compagnia", "Spazio", "Comune", "Teatro",
		"Film Commission", "Museo", "Festival", "Regione", "Ministero", "Galleria",
		"Biblioteca", "Libreria", "Orchestra", "Casa", "Edizioni", "Comitato",
		"Rete", "Circolo", "Cooperativa", "Collettivo"},
	offerVerbs: []string{"lancia", "bandisce", "cerca", "offre", "promuove", "indice", "seleziona", "invita", "organizza", "apre", "sostiene"},
	fee:        []string{"quota di iscrizione", "quota di partecipazione", "quota", "costo", "prezzo", "biglietto"},
	pool:       []string{"montepremi", "complessivi", "in totale", "dotazione complessiva", "budget totale"},
	currencies: map[string]string{"euro": "EUR"},
}
