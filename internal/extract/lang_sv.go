package extract

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

var langSV = &language{
	code: "sv",
	stop: []string{"och", "att", "det", "som", "för", "med", "på", "är", "av", "till", "ett", "du", "vi", "har", "om", "inte",
		"den", "kan", "ska", "från", "eller", "vår", "våra", "sig", "dig", "under", "alla", "kommer"},
	kinds: map[string]kindCue{
		"utlysning": {scout.KindCall, 1}, "öppen ansökan": {scout.KindCall, 1}, "open call": {scout.KindCall, 1}, "inbjudan": {scout.KindCall, 0.5},
		"stipendium": {scout.KindGrant, 1}, "stipendier": {scout.KindGrant, 1}, "arbetsstipendi*": {scout.KindGrant, 1},
		"bidrag": {scout.KindGrant, 1}, "projektbidrag": {scout.KindGrant, 1}, "stöd": {scout.KindGrant, 0.5},
		"studiestipendi*": {scout.KindScholarship, 2}, "utbildning": {scout.KindScholarship, 0.5}, "studier": {scout.KindScholarship, 0.7},
		"residens": {scout.KindResidency, 1}, "residenset": {scout.KindResidency, 1}, "residensprogram*": {scout.KindResidency, 1},
		"pris": {scout.KindContest, 1}, "tävling*": {scout.KindContest, 1.5}, "priset": {scout.KindContest, 1},
		"uppdrag": {scout.KindCommission, 1}, "beställning": {scout.KindCommission, 1}, "beställningsverk": {scout.KindCommission, 2},
		"tjänst": {scout.KindJob, 1}, "tjänsten": {scout.KindJob, 1}, "anställning": {scout.KindJob, 1}, "visstidsanställning": {scout.KindJob, 2},
		"jobb": {scout.KindJob, 1}, "jobbtips": {scout.KindJob, 1}, "lön": {scout.KindJob, 1}, "lönen": {scout.KindJob, 1},
		"inkubator": {scout.KindAccelerator, 1}, "accelerator": {scout.KindAccelerator, 1},
		"sponsring": {scout.KindSponsorship, 1}, "samarbete": {scout.KindSponsorship, 0.5}, "ambassadör*": {scout.KindSponsorship, 1},
	},
	seek:       []string{"söker", "vi söker", "sökes"},
	cta:        []string{"skicka in", "mejla", "hör av dig", "ansök*", "sök", "söka", "sista ansökningsdag", "skicka", "anmäl*", "bjuder in", "söker", "välkomna", "lämna in"},
	news:       []string{"kursledare", "heldagskurs", "deklaration", "deklarationen", "skatteverket", "vinnare", "tilldelats", "intervju", "biljetter", "vernissage", "utställning", "konsert"},
	titleNews:  []string{"kurs", "kurser"},
	veto:       []string{"uppehåll", "inställd", "inställt", "stängd", "stängt", "ingen ansökningsomgång", "har tilldelats", "har fått"},
	dateStrong: []string{"ansökningsperioden", "ansökningsperiod", "ansökningstiden", "stänger", "stängs", "sista ansökningsdag", "sista dag", "ansökningstid", "senast", "deadline", "ansökan ska vara inne"},
	dateWeak:   []string{"till och med", "t.o.m.", "före"},
	dateOpen:   []string{"öppen", "öppet", "öppna", "från och med"},
	dateEvent:  []string{"besked", "vernissage", "utställning", "konsert", "festival", "visning"},
	dateIntent: []string{"intresseanmälan", "intresseanmälningar", "avsiktsförklaring", "projektskiss", "projektskisser", "första steget"},
	dateFull:   []string{"fullständig ansökan", "inbjudna", "inbjudan"},
	months: map[string]time.Month{"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
		"augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12},
	disciplines: map[string][]string{
		"podcasting":              {"podd*"},
		"sound art":               {"ljudkonst"},
		"visual arts":             {"bildkonst*", "konstnär*", "måleri*", "skulptur*"},
		"music":                   {"musik*", "tonsättar*", "låtskrivar*", "kompositör*"},
		"writing":                 {"litteratur*", "författar*", "poesi", "lyrik", "skrivande", "novell*", "texter", "översättar*"},
		"film":                    {"film", "filmare", "dokumentär*"},
		"theatre":                 {"teater*", "scenkonst*", "skådespel*", "cirkus"},
		"dance":                   {"dans", "dansare", "koreograf*"},
		"photography":             {"fotograf*"},
		"illustration and comics": {"illustrat*", "serier", "tecknade serier", "serietecknar*", "serieskapar*"},
		"crafts":                  {"slöjd*", "hantverk*", "keramik*", "textilkonst", "duodji", "konsthantverk*"},
		"multidisciplinary":       {"alla konstformer", "alla konstområden", "tvärdisciplinär*"},
		"games":                   {"spel", "spelet", "spelstudio*", "äventyrsspel"},
		"design":                  {"formgiv*", "miljödesign"},
	},
	orgWords: []string{"Stiftelsen", "Föreningen", "Förbundet", "Konstråd", "Kulturråd", "Region", "Kommun", "Tidskriften",
		"Spelstudion", "Akademien", "Kulturhuset", "Hantverksstiftelsen"},
	offerVerbs: []string{"delar", "bjuder", "söker", "erbjuder", "utlyser", "ger", "välkomnar", "arrangerar", "inbjuder"},
	compounds: map[string]kindCue{"stipendium": {scout.KindGrant, 1}, "stipendier": {scout.KindGrant, 1}, "stöd": {scout.KindGrant, 1},
		"stödet": {scout.KindGrant, 1}, "bidrag": {scout.KindGrant, 1}, "priset": {scout.KindContest, 1}, "pris": {scout.KindContest, 0.7},
		"tävling": {scout.KindContest, 1}, "residens": {scout.KindResidency, 1}, "uppdrag": {scout.KindCommission, 1}},
	fee:        []string{"anmälningsavgift", "deltagaravgift", "avgift", "kostar"},
	pool:       []string{"totalt", "sammanlagt", "fördelas", "total"},
	currencies: map[string]string{"kronor": "SEK", "kr": "SEK", "kr.": "SEK"},
}
