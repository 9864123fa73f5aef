package extract

import (
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// curPrefixRe finds a currency written before a number (on original text),
// on the same line: a symbol that ends a line belongs to the sum before it
// ("1. Preis: 1.500 €\n2. Preis: 750 €").
var curPrefixRe = regexp.MustCompile(`^(?:(?:US|CA|AU|NZ|MX|HK)\$|\bC\$|\bA\$|\bS\$|\bR\$|\$|€|£|¥|₹|₩|₦|\b(?:USD|EUR|GBP|CHF|SEK|NOK|DKK|JPY|INR|ZAR|PLN|CAD|AUD|NZD|MXN|KES|KRW|NGN|BRL|COP|ARS|CLP|SGD|HKD|ISK|CZK|HUF|GHS|EGP|TWD|THB|PHP|IDR|MYR|UAH|RON|TRY)\s?\$?|\bK[Ss]h\.?\s?|\bRs\.?\s?|\bR)[ \t\x{a0}\x{202f}]?\d`)

// curSuffixRe finds a currency written right after a number (on lowered text).
var curSuffixRe = regexp.MustCompile(`^\s?(?:€|\$|euros?\b|eur\b|usd\b|cad\b|aud\b|nzd\b|gbp\b|chf\b|sek\b|nok\b|dkk\b|pln\b|zł|dollars\b|pounds\b|yen\b|mxn\b|inr\b|jpy\b|` + suffixCodes + `)`)

// suffixCodes are currency words and codes that follow a number in other
// languages and currencies ("25 000 kronor", "20 millones de pesos").
const suffixCodes = `fcfa\b|f cfa\b|xof\b|kronor\b|kr\b\.?|reais\b|pesos\b|won\b|naira\b|shillings?\b|franken\b|francs?\b|brl\b|cop\b|kes\b|krw\b|ngn\b|ars\b|clp\b|sgd\b|hkd\b|isk\b|czk\b`

// suffixNumRe finds numbers that may carry a currency after them.
var suffixNumRe = regexp.MustCompile(`^\d[\d.,'’\x{a0}\x{202f} ]*(?:[,.][-–])?(?:\s?(?:k|million|millionen|millions|mn|m|bn|billion|millones de|millones|milhões de|milhões|milioni di|milioni|miljoen|miljoner|mil)\b)?\s?(?:€|\$|euros?\b|eur\b|zł|pln\b|chf\b|sek\b|nok\b|usd\b|cad\b|aud\b|nzd\b|gbp\b|jpy\b|mxn\b|dollars\b|` + suffixCodes + `)`)

var currencyCodes = map[string]string{
	"US$": "USD", "CA$": "CAD", "AU$": "AUD", "NZ$": "NZD", "MX$": "MXN", "HK$": "HKD", "C$": "CAD", "A$": "AUD", "S$": "SGD",
	"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "R": "ZAR", "RS": "INR", "RS.": "INR",
	"euro": "EUR", "euros": "EUR", "zł": "PLN", "dollars": "USD", "pounds": "GBP", "yen": "JPY", "R$": "BRL", "₩": "KRW",
	"₦": "NGN", "KSh": "KES", "Ksh": "KES", "KSh.": "KES", "Ksh.": "KES", "kronor": "SEK", "kr": "SEK", "kr.": "SEK", "reais": "BRL",
	"pesos": "MXN", "won": "KRW", "naira": "NGN", "shilling": "KES", "shillings": "KES", "franken": "CHF", "franc": "CHF",
	"francs": "CHF", "fcfa": "XOF", "f cfa": "XOF", "xof": "XOF",
}

// amount is one sum of money found in the text.
type amount struct {
	start, end int
	min, max   float64
	cur        string
	bareDollar bool
	upTo       bool
	score      int // <= 0: not an award (fee, pool, cost, rate)
	use        use // what a sum that is not an award is
	rank       rank
	period     scout.Period // how often an award is paid, as written after it
}

// rank is where an award sits among the sums one call offers: a lower
// prize tier or a shortlist's fee is not what the winner receives.
type rank int

const (
	rankMain      rank = iota
	rankLower          // a runner-up, second or third prize, honourable mention
	rankShortlist      // paid to the finalists or the shortlist before the award
)

// use is what a sum of money stands for when it is not an award.
type use int

const (
	useAward use = iota
	useEntryFee
	usePool
	useInKind
	useOther
)

// Contexts that say what a sum is (lowered text).
var (
	feeRe      = regexp.MustCompile(`^\s*fees:|(?:entry|application|submission|reading|registration|processing|jury|admin(?:istration)?|program|programme|residency|participation|tuition|course|workshop) fee|\bentry\b|\bregistration\b|\bfee to enter\b|\btickets?\b|\badmission\b|\bcosts?\b|\bprice[sd]?\b|\bmembership\b|(?:residents|participants|you|applicants|artists) pay\b|\bpricing\b|\braise\b|\braised\b|\bsold\b|\bdamages\b|\bspending\b|\bcut\b|\bestimate\b|\bretail\b|\bgift card\b`)
	poolRe     = regexp.MustCompile(`total of|pool of|from a (?:total )?budget of|prize pool|total prize|total budget|prize fund|in total|total (?:program |programme )?funding|\ba total\b|insgesamt|\bshare\b|\bdistribut|\bpool\b`)
	poolTailRe = regexp.MustCompile(`^\s*(?:\(\w+\)\s*)?(?:in total|total|across|pool|prize pool|programme|program\b|fund\b|in grants|in awards|in funding|to \d+|for \d+ (?:awards|grants|projects)|renovation|shortfall|in damages|on kickstarter|in sales|sales|to [\w\s-]{0,24}?(?:programs|programmes|organizations|organisations|groups|charities)\b)`)
	rateTailRe = regexp.MustCompile(`^\s*(?:/\s*(?:hour|hr|h|word|line|page)\b|(?:per|an|a|each) (?:hour|word|line|page|minute)\b)`)
	feeTailRe  = regexp.MustCompile(`^\s*(?:entry\b|application fee|per entry|to enter|registration|admission)`)
	awardRe    = regexp.MustCompile(`grant|award|prize|stipend|honorarium|fellowship|bursary|\bfee\b|budget|salary|compensation|up to|receive|\bwin\b|worth|offer|funding|invest|\bpay|\bpaid\b|\brate\b|scholarship|commission|\beach\b|amount|bourse|aide|bis zu|between|from`)
	// awardTailRe names the award right after its sum ("a $2,000 stipend").
	awardTailRe = regexp.MustCompile(`^\s*(?:\(\w+\)\s*)?(?:grand |top |cash |first |main )?(?:prize|grant|award|stipend|honorarium|bursary|fellowship|scholarship|commission|fee\b|gage|preisgeld|stipendium|prix|bourse|premio|beca|bolsa|prémio|borsa|prijs|beurs|stipendi)`)
	// perRecipientTailRe says right after a sum that each recipient or
	// project gets it ("240 000 kr per stipendiat", "€ 5.000 per project").
	perRecipientTailRe = regexp.MustCompile(`^\s*(?:per|pro|par|por|pour|för|each|je|voor|a|ao|al|cada)\s+(?:stipendiat\w*|recipient|grantee|awardee|winner|fellow|artist|person|persona|personne|project|projekt|proyecto|projet|progetto|projeto|beneficiari[oa]|bénéficiaire|lauréat\w*|preisträger\w*|kunstenaar|konstnär|künstler\w*|artista)\b`)
	// instalmentRe ends the words before one part of an award paid in parts.
	instalmentRe = regexp.MustCompile(`\b(?:instal?l?ments?|tranches?|payments|parts|rates|raten|versements|tranches|plazos|prestações|rate|termijnen|delbetalningar) (?:of|von|de|di|van|om|à|á)\s*(?:\p{L}+ )?$`)
	upToRe       = regexp.MustCompile(`(?:up to|bis zu|jusqu'à|jusqu’à|maximum of|max\.?|maximal|höchstens|no more than|hasta|un máximo de|máximo de|até|fino a|massimo|un massimo di|tot|maximaal|max\.|upp till|högst|maximalt|maximale? de|maximum de|plafonnée? à|plafond de|máxim[ao](?: por [\pL ]{1,20}?)?:)\s*$`)
	// upToMoreRe are caps written with words upToRe's list cannot hold
	// ("pouvant atteindre", "cuantía máxima por proyecto es de"); run only
	// where upToMoreWords finds one of their words.
	upToMoreRe = regexp.MustCompile(`(?:pouvant (?:aller )?(?:jusqu'à|atteindre)|peut atteindre|jusqu'à concurrence de|máxim[ao]s?(?: por [\pL ]{1,20}?)?(?: es| será)? de|massim[ao] (?:di )?|maximaal|höchstens)\s*$`)
)

// fillAmount sets the award range from the sums as found in the text and
// returns the one it chose (nil when none reads as an award). Lower prize
// tiers and shortlist fees give way to the main award; a tiered prize is
// "up to" its top tier; a stated cap rules out larger sums paid as often
// (pools); and only sums paid as often as the chosen one join its range.
func fillAmount(d *doc, o *scout.Opportunity, place string, as []amount) *amount {
	var best *amount
	main, tiered := false, false
	type capKey struct {
		p    scout.Period
		line int
	}
	capMax := map[capKey]float64{} // the largest "up to" sum per period and line
	lines := linesOf(d.lower, as)
	for i := range as {
		a := &as[i]
		if a.score <= 0 {
			continue
		}
		switch a.rank {
		case rankMain:
			main = true
		case rankLower:
			tiered = true
		}
		if a.upTo {
			k := capKey{a.period, lines[i]}
			capMax[k] = math.Max(capMax[k], a.max)
		}
	}
	eligible := func(i int) bool {
		// A cap speaks for its own line: in a roundup, "up to 15 000 kr"
		// of the third call does not cap the first one's 40 000 kr, nor
		// "Travel grants: up to NOK 15 000" the project grants above it.
		a := &as[i]
		c, capped := capMax[capKey{a.period, lines[i]}]
		return a.score > 0 && (!main || a.rank == rankMain) && (!capped || a.upTo || a.max <= c)
	}
	for i := range as {
		if eligible(i) && (best == nil || as[i].score > best.score) {
			best = &as[i]
		}
	}
	if best == nil {
		return nil
	}
	cur := dollarCurrency(d, best, place)
	lo, hi := best.min, best.max
	joined := 0
	for i := range as {
		a := &as[i]
		if eligible(i) && a.score == best.score && a.period == best.period && dollarCurrency(d, a, place) == cur {
			lo, hi = math.Min(lo, a.min), math.Max(hi, a.max)
			if a.max != best.max || a.min != best.min {
				joined++
			}
		}
	}
	if o.Kind == scout.KindContest && joined > 0 {
		tiered, main = true, true // a contest's several prizes ("drei Preise: 1.500, 1.000 und 500 Euro") are tiers
	}
	if tiered && main || topTierRe.MatchString(d.lower[clauseStart(d.lower, best.start, 40):best.start]) {
		lo = 0 // a tiered prize, or its top tier named alone ("Top prize KES 100,000"), is up to its top
	}
	o.AmountMin, o.AmountMax, o.Currency = int64(math.Round(lo)), int64(math.Round(hi)), cur
	conf := 0.5 + 0.1*float64(best.score)
	o.Provenance["amount"] = prov(d.text[best.start:best.end], conf)
	return best
}

// pesoAdjectives name the country of a peso after the word.
var pesoAdjectives = map[string]string{" argentinos": "ARS", " chilenos": "CLP", " colombianos": "COP", " mexicanos": "MXN",
	" uruguayos": "UYU"}

// dollarCurrency reads a bare "$" as the dollar of the country the text
// places the opportunity in.
func dollarCurrency(d *doc, a *amount, place string) string {
	if strings.HasSuffix(d.lower[a.start:a.end], "pesos") { // the peso the text or its country names
		for adj, c := range pesoAdjectives {
			if strings.HasPrefix(d.lower[a.end:], adj) {
				return c
			}
		}
		switch place {
		case "Colombia":
			return "COP"
		case "Argentina":
			return "ARS"
		case "Chile":
			return "CLP"
		}
		return "MXN"
	}
	if !a.bareDollar {
		return a.cur
	}
	if loc := pesoTailRe.FindStringSubmatchIndex(d.lower[a.end:min(a.end+32, len(d.lower))]); loc != nil {
		if loc[2] >= 0 {
			return pesoAdjectives[" "+d.lower[a.end+loc[2]:a.end+loc[3]]]
		}
		return "MXN" // "M.N.", moneda nacional
	}
	switch c := dollarCountry(d, place); {
	case c == "Canada", c == "" && d.lang == "fr":
		return "CAD" // a French text's dollar is Quebec's unless it names another country
	case c == "Australia":
		return "AUD"
	case c == "New Zealand":
		return "NZD"
	case d.lang == "es" && pesoCountries[c] != "":
		return pesoCountries[c] // "$40,000" in Oaxaca is in pesos
	}
	return "USD"
}

// ownSums drops from as the sums of the other calls a roundup lists: when
// the deadline chosen (ms[deadline]) is the first of several, each on its
// own line ("1. Copperline Songwriters Fund — $5,000 … Deadline: March 20.
// 2. Brassworks … up to $8,000 … Deadline: March 22."), a sum between the
// end of its line and the last of the later deadlines is a later call's.
func ownSums(d *doc, ms []mention, deadline int, as []amount) []amount {
	if deadline < 0 || len(as) < 2 {
		return as
	}
	first := &ms[deadline]
	lineEnd := strings.IndexByte(d.lower[first.end:], '\n')
	if lineEnd < 0 || first.start < d.titleEnd {
		return as
	}
	lineEnd += first.end
	last := -1
	for i := range ms {
		m := &ms[i]
		if m.role != roleDeadline || m.score < 2 {
			continue
		}
		if m.start < first.start {
			return as // the chosen deadline is not the first call's
		}
		clause := d.lower[clauseStart(d.lower, m.start, 120):m.start]
		if m.start > lineEnd && !tierRe.MatchString(clause) && !intentRe.MatchString(clause) {
			last = m.end // not a later stage of the same call (a full proposal, a letter of intent)
		}
	}
	if last < 0 {
		return as
	}
	out := as[:0:0]
	for _, a := range as {
		if a.start <= lineEnd || a.start >= last {
			out = append(out, a)
		}
	}
	return out
}

// linesOf returns, for each sum of as, the index of the line it starts
// in.
func linesOf(lower string, as []amount) []int {
	var breaks []int
	for i := strings.IndexByte(lower, '\n'); i >= 0; {
		breaks = append(breaks, i)
		j := strings.IndexByte(lower[i+1:], '\n')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	out := make([]int, len(as))
	for i := range as {
		out[i] = sort.SearchInts(breaks, as[i].start)
	}
	return out
}

// pesoTailRe names the peso a "$" sum is in right after it ("$1.500.000
// (pesos argentinos)", "$150,000 M.N.").
var pesoTailRe = regexp.MustCompile(`^\s?\(?\s?(?:pesos? (argentinos|chilenos|colombianos|mexicanos|uruguayos)\b|m\.\s?n\.)`)

// pesoCountries are the countries whose own currency a bare "$" writes.
var pesoCountries = map[string]string{"Mexico": "MXN", "Colombia": "COP", "Argentina": "ARS", "Chile": "CLP"}

// dollarCountry names the country whose dollar a bare "$" is: the place
// the text names, unless it names the United States beside Canada ("US &
// Canada residents"); without a place, the country a time zone, a
// "<place>-based" or an Australian "Shire" points to.
func dollarCountry(d *doc, place string) string {
	if d.dollarSet {
		return d.dollar
	}
	d.dollarSet = true
	d.dollar = place
	switch {
	case place == "Canada" && namesUS(d):
		d.dollar = "United States"
	case place != "":
	default:
		for _, h := range dollarHints.find(d.lower, d.tokens()) {
			w := strings.TrimSuffix(strings.TrimSuffix(h.phrase, "-based"), "'s")
			if p, ok := gazetteer[w]; ok {
				d.dollar = p.country
			} else {
				d.dollar = dollarHintCountry[w]
			}
			if d.dollar != "" {
				break
			}
		}
	}
	return d.dollar
}

// usWords name the United States; "US" and "U.S." only in capitals.
var usWords = newLexicon("us", "u s", "usa", "united states", "american", "americans")

func namesUS(d *doc) bool {
	for _, h := range usWords.find(d.lower, d.tokens()) {
		switch t := d.text[h.start:h.end]; h.phrase {
		case "us", "u s":
			if t == "US" || t == "U.S" {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// dollarHintCountry are words that place a text in a dollar country
// without naming it: time zones and local government words.
var dollarHintCountry = map[string]string{"aest": "Australia", "aedt": "Australia", "acst": "Australia", "acdt": "Australia",
	"awst": "Australia", "shire": "Australia", "nzst": "New Zealand", "nzdt": "New Zealand", "aotearoa": "New Zealand",
	"nz time": "New Zealand", "canberra": "Australia", "hobart": "Australia", "darwin": "Australia", "geelong": "Australia",
	"fremantle": "Australia", "christchurch": "New Zealand", "dunedin": "New Zealand", "nz": "New Zealand",
	"ōtautahi": "New Zealand", "tāmaki makaurau": "New Zealand", "nelson": "New Zealand"}

// dollarHints finds dollarHintCountry's words, "<place>-based" and a
// place's possessive.
var dollarHints = func() *lexicon {
	var ps []string
	for w := range dollarHintCountry {
		ps = append(ps, w)
		if len(w) > 4 && !strings.Contains(w, " ") {
			ps = append(ps, w+"'s") // "in Dunedin's old fire station"
		}
	}
	for w, p := range gazetteer {
		if !strings.Contains(w, " ") && (p.country == "Canada" || p.country == "Australia" || p.country == "New Zealand") {
			ps = append(ps, w+"-based", w+"'s")
		}
	}
	sort.Strings(ps)
	return newLexicon(ps...)
}()

// findAmounts finds sums of money and scores each as an award (> 0) or not.
func findAmounts(d *doc) []amount {
	var as []amount
	for _, c := range moneyStarts(d) {
		loc := curPrefixRe.FindStringIndex(d.text[c:min(c+12, len(d.text))])
		if loc == nil {
			continue
		}
		loc[0], loc[1] = loc[0]+c, loc[1]+c
		numStart := loc[1] - 1
		a, ok := readAmount(d, loc[0], numStart, currencyOf(d.text[loc[0]:numStart]))
		if ok && (len(as) == 0 || as[len(as)-1].end <= a.start) {
			as = append(as, a)
		}
	}
	for _, t := range d.tokens() {
		if !isDigit(d.lower[t.start]) || t.start > 0 && isDigit(d.lower[t.start-1]) {
			continue
		}
		loc := suffixNumRe.FindStringIndex(d.lower[t.start:min(t.start+48, len(d.lower))])
		if loc == nil {
			continue
		}
		loc[0], loc[1] = loc[0]+t.start, loc[1]+t.start
		if loc[0] > 0 && (isDigit(d.lower[loc[0]-1]) || strings.ContainsRune("$€£¥", rune(d.lower[loc[0]-1]))) || overlaps(as, loc[0], loc[1]) {
			continue
		}
		if a, ok := readAmount(d, loc[0], loc[0], ""); ok && a.cur != "" {
			readRangeBack(d, &a, as)
			as = append(as, a)
		}
	}
	for i := range as {
		prev := 0
		if i > 0 {
			prev = as[i-1].end
		}
		as[i].score = scoreAmount(d, &as[i], prev)
	}
	// Ranks and periods only tell several awards apart.
	awards := 0
	for i := range as {
		if as[i].score > 0 {
			awards++
		}
	}
	for i := range as {
		if awards > 1 && as[i].score > 0 {
			rankAmount(d, as, i)
			as[i].period, _ = periodOf(d, &as[i])
		}
	}
	return as
}

// Words near a sum that place it below the main award: a lower prize tier
// or a fee paid to a shortlist.
var (
	lowerRankWords = newLexicon("runner-up", "runners-up", "runner up", "runners up", "second", "third", "fourth", "fifth",
		"2nd", "3rd", "4th", "5th", "honorable mention*", "honourable mention*", "special mention*", "people's choice", "highly commended", "commended",
		"zweiter", "zweite", "zweiten", "dritter", "dritte", "dritten", "anerkennungspreis*", "deuxième", "troisième",
		"second prix", "mention*", "segundo", "tercer", "tercero", "accésit*", "mención", "menciones", "menções", "menção", "terceiro",
		"secondo", "terzo", "menzion*", "tweede", "derde", "eervolle vermelding", "andra pris*", "andrapris*", "tredje",
		"hedersomnämnande*")
	shortlistWords = newLexicon("shortlist*", "finalist*", "semi-finalist*", "semifinalist*", "nominee*", "nominiert*",
		"présélectionn*", "preseleccionad*", "pré-selecionad*", "preselezionat*", "genomineerd*", "longlist*")
)

// rankAmount reads, between the sum before it in the same sentence and the
// clause after it, whether an award is a lower tier or a shortlist's fee.
func rankAmount(d *doc, as []amount, i int) {
	a := &as[i]
	from := clauseStart(d.lower, a.start, 100)
	if i > 0 && as[i-1].end > from && as[i-1].end <= a.start {
		from = as[i-1].end
	}
	to := clauseEnd(d.lower, a.end, 30)
	if i+1 < len(as) && as[i+1].start < to && as[i+1].start >= a.end {
		to = as[i+1].start
	}
	// A list of tiers ("first prize $1,000, second prize $300", "1st: $500
	// | 2nd: $250") names the next tier after a separator: that word is
	// the next sum's, not this one's.
	if k := strings.IndexAny(d.lower[a.end:to], ",|·–"); k >= 0 {
		to = a.end + k
	}
	if k := tierJoin(d.lower[a.end:to]); k >= 0 {
		to = a.end + k // "a first prize of $5,000 and two highly commended prizes of $500"
	}
	win := d.lower[from:to]
	toks := tokenize(win)
	switch {
	case len(lowerRankWords.find(win, toks)) > 0 || strings.Contains(win, "🥈") || strings.Contains(win, "🥉") || lowerOrdinal(win):
		a.rank = rankLower
	case len(shortlistWords.find(win, toks)) > 0:
		a.rank = rankShortlist
	}
}

// topTierRe names the top of several prize tiers just before a sum.
var topTierRe = regexp.MustCompile(`\b(?:top prize|top prizes)\b[^.;\d]{0,12}$`)

// tierJoin returns where a word that joins two sums ("and", "und", "et",
// "y", "e", "och", "en") starts in s, or -1.
func tierJoin(s string) int {
	for _, w := range []string{" and ", " und ", " et ", " y ", " e ", " och ", " en "} {
		if k := strings.Index(s, w); k >= 0 {
			return k
		}
	}
	return -1
}

// lowerOrdinal reports whether s holds a second or third place written
// with an ordinal sign ("2.º prémio", "2º premio", "3° prix", "2e prix").
func lowerOrdinal(s string) bool {
	for _, o := range []string{"2.º", "3.º", "2º", "3º", "2°", "3°", "2.ª", "3.ª", "2ª", "3ª", "2e prix", "3e prix", "2ème", "3ème"} {
		if strings.Contains(s, o) {
			return true
		}
	}
	return false
}

// currencyWords start sums written with a currency code or letters.
var currencyWords = map[string]bool{"US": true, "CA": true, "AU": true, "NZ": true, "MX": true, "HK": true, "C": true, "A": true,
	"S": true, "Rs": true, "USD": true, "EUR": true, "GBP": true, "CHF": true, "SEK": true, "NOK": true, "DKK": true, "JPY": true,
	"INR": true, "ZAR": true, "PLN": true, "CAD": true, "AUD": true, "NZD": true, "MXN": true, "KES": true, "KRW": true,
	"NGN": true, "BRL": true, "COP": true, "ARS": true, "CLP": true, "SGD": true, "HKD": true, "ISK": true, "CZK": true, "HUF": true,
	"GHS": true, "EGP": true, "TWD": true, "THB": true, "PHP": true, "IDR": true, "MYR": true, "UAH": true, "RON": true, "TRY": true,
	"KSh": true, "Ksh": true}

// moneyStarts returns, in order, the offsets where a sum with a currency
// before it may start: a currency symbol, a currency code, or "R" and digits.
func moneyStarts(d *doc) []int {
	var out []int
	toks := d.tokens()
	ti := 0
	for i := 0; i < len(d.text); i++ {
		for ti < len(toks) && toks[ti].start < i {
			ti++
		}
		if ti < len(toks) && toks[ti].start == i {
			w := d.text[i:toks[ti].end]
			if currencyWords[w] || len(w) > 1 && w[0] == 'R' && isDigit(w[1]) || w == "R" && strings.HasPrefix(d.text[toks[ti].end:], "$") {
				out = append(out, i)
				continue
			}
		}
		switch c := d.text[i]; {
		case c == '$' && (i == 0 || !isLetter(d.lower[i-1])):
			out = append(out, i)
		case c == 0xE2 && (strings.HasPrefix(d.text[i:], "€") || strings.HasPrefix(d.text[i:], "₹") || strings.HasPrefix(d.text[i:], "₩") || strings.HasPrefix(d.text[i:], "₦")),
			c == 0xC2 && (strings.HasPrefix(d.text[i:], "£") || strings.HasPrefix(d.text[i:], "¥")):
			out = append(out, i)
		}
	}
	return out
}

func overlaps(as []amount, s, e int) bool {
	for _, a := range as {
		if s < a.end && a.start < e {
			return true
		}
	}
	return false
}

func currencyOf(tok string) string {
	t := strings.TrimSpace(tok)
	if c, ok := currencyCodes[t]; ok {
		return c
	}
	if c, ok := currencyCodes[strings.ToUpper(t)]; ok {
		return c
	}
	t = strings.TrimSuffix(t, "$")
	t = strings.TrimSpace(t)
	if len(t) == 3 {
		return t
	}
	return ""
}

// readAmount parses the number at numStart, a multiplier, a trailing
// currency and a range to a second number.
func readAmount(d *doc, start, numStart int, cur string) (amount, bool) {
	v, end, ok := parseNumber(d.text, numStart)
	if !ok {
		return amount{}, false
	}
	v, end = multiplier(d.lower, v, end)
	end = skipZeroCents(d.text, end)
	a := amount{start: start, end: end, min: v, max: v, cur: cur, bareDollar: strings.TrimSpace(d.text[start:numStart]) == "$"}
	if c, e := suffixCurrency(d.lower, end); c != "" {
		a.cur, a.end, a.bareDollar = c, e, strings.TrimSpace(d.lower[end:e]) == "$"
	}
	if cur == "ZAR" && (a.end-start < 5 || !strings.ContainsAny(d.text[numStart:end], ",  ")) {
		return amount{}, false // a lone "R5" is rarely money
	}
	readRange(d, &a)
	return a, a.cur != "" && a.max >= 1 && a.max < 1e12
}

// skipZeroCents steps over the dash German and Swiss prices write for no
// cents ("5.000,- €", "CHF 200.–").
func skipZeroCents(s string, end int) int {
	if end+1 < len(s) && (s[end] == ',' || s[end] == '.') {
		switch {
		case s[end+1] == '-':
			return end + 2
		case strings.HasPrefix(s[end+1:], "–"):
			return end + 1 + len("–")
		}
	}
	return end
}

func suffixCurrency(lower string, end int) (string, int) {
	loc := curSuffixRe.FindStringIndex(lower[end:])
	if loc == nil {
		return "", end
	}
	tok := strings.TrimSpace(lower[end : end+loc[1]])
	if c, ok := currencyCodes[tok]; ok {
		return c, end + loc[1]
	}
	return strings.ToUpper(tok), end + loc[1]
}

var rangeJoinRe = regexp.MustCompile(`^\s*(?:[-–—]|to|and|bis|und|à|et|a|al|y|e|tot|en|till|och)\s+|^\s*[-–—]\s*`)

// readRange extends a to "A–B" when a second sum follows.
func readRange(d *doc, a *amount) {
	j := rangeJoinRe.FindStringIndex(d.lower[a.end:])
	if j == nil {
		return
	}
	p := a.end + j[1]
	if l := curPrefixRe.FindStringIndex(d.text[p:]); l != nil && l[0] == 0 {
		if c := currencyOf(d.text[p : p+l[1]-1]); c != "" && c != a.cur && !a.bareDollar {
			return
		}
		p += l[1] - 1
	}
	v, end, ok := parseNumber(d.text, p)
	if !ok {
		return
	}
	raw := v
	v, end = multiplier(d.lower, v, end)
	if raw != v && a.min < raw {
		a.min *= v / raw // "$5–10K"
	}
	if v <= a.min {
		return
	}
	a.max, a.end = v, end
	if c, e := suffixCurrency(d.lower, end); c != "" {
		a.end = e
		if a.cur == "" || a.bareDollar {
			a.cur, a.bareDollar = c, strings.TrimSpace(d.lower[end:e]) == "$" // "de 5 000 $ à 15 000 $"
		}
	}
}

// rangeBackRe finds a bare number joined to the sum after it, the way
// ranges are written with one currency at their end ("2.000 bis 12.000
// Euro", "entre 1.000 y 4.000 euros", "mellan 20 000 och 100 000 kronor").
var rangeBackRe = regexp.MustCompile(`\d\s*(?:[-–—]|to|and|bis|und|à|et|a|y|e|tot|en|och)\s+$`)

// readRangeBack extends a sum written with its currency after it to the
// bare number that opens its range, unless an earlier sum ends there.
func readRangeBack(d *doc, a *amount, as []amount) {
	from := max(0, a.start-40)
	loc := rangeBackRe.FindStringIndex(d.lower[from:a.start])
	if loc == nil || len(as) > 0 && as[len(as)-1].end > from+loc[0] {
		return
	}
	numEnd := from + loc[0] + 1
	i := numEnd - 1
	for i > from && (isDigit(d.text[i-1]) || strings.ContainsRune(".,'’ ", rune(d.text[i-1])) && i > 1 && isDigit(d.text[i-2])) {
		i--
	}
	v, end, ok := parseNumber(d.text, i)
	if !ok || end != numEnd || v >= a.min || v < a.min/50 || a.min != a.max || isYear(d.text[i:end]) {
		return
	}
	a.min, a.start = v, i
}

var multRe = regexp.MustCompile(`^\s?(?:(k)\b|(million|millionen|millions|millones(?: de)?|milhões(?: de)?|milioni(?: di)?|miljoen|miljoner|mio\.|mn|m)\b|(billion|bn)\b|(thousand|mil)\b)`)

func multiplier(lower string, v float64, end int) (float64, int) {
	loc := multRe.FindStringSubmatchIndex(lower[end:])
	switch {
	case loc == nil, abbrevAfter(lower, end+loc[1]):
		return v, end // "$150,000 M.N." (moneda nacional), not millions
	case loc[2] >= 0, loc[8] >= 0:
		v *= 1e3
	case loc[4] >= 0:
		v *= 1e6
	case loc[6] >= 0:
		v *= 1e9
	}
	return v, end + loc[1]
}

// abbrevAfter reports whether a multiplier's letter ending at i opens a
// dotted abbreviation ("m.n.", "k.o.") rather than standing alone.
func abbrevAfter(lower string, i int) bool {
	return i+1 < len(lower) && lower[i] == '.' && isLetter(lower[i+1])
}

// scoreAmount says how likely a sum is an award: 2 with an award word near,
// 1 without, 0 or less for fees, pools, costs and rates.
func scoreAmount(d *doc, a *amount, prev int) int {
	cs := clauseStart(d.lower, a.start, 60)
	pre := d.lower[cs:a.start]
	near := d.lower[max(cs, a.start-28):a.start]
	tail := d.lower[a.end:min(a.end+40, len(d.lower))]
	if k := strings.IndexByte(tail, '\n'); k >= 0 {
		tail = tail[:k] // the next line is another field ("Award Range: $15,000 – $75,000\nTotal Program Funding: …")
	}
	a.upTo = upToRe.MatchString(pre) || upToMoreWords(pre) && upToMoreRe.MatchString(pre)
	if a.upTo {
		a.min = 0
	}
	nearToks := tokenize(near)
	// A pool word before the previous sum is that sum's ("propina total:
	// 6.400 €, bolsa de 4.800 €").
	poolNear, poolToks := d.lower[max(cs, a.start-28, min(prev, a.start)):a.start], nearToks
	if len(poolNear) != len(near) {
		poolToks = tokenize(poolNear)
	}
	langFee, langPool := len(langFeeWords.find(near, nearToks)) > 0, len(langPoolWords.find(poolNear, poolToks)) > 0
	if pl := d.rules().pool; !langPool && pl != nil {
		// A pool word of the text's language anywhere in the clause since
		// the last sum ("La dotación total de la convocatoria es de 60.000
		// euros") says this sum is the pool.
		since := d.lower[max(cs, min(prev, a.start)):a.start]
		langPool = len(pl.find(since, tokenize(since))) > 0
	}
	if !langFee && copulaRe.MatchString(near) {
		// "La quota di partecipazione è di 20 euro": the fee word stands
		// beyond the near window, before a verb that states its sum.
		since := d.lower[max(cs, min(prev, a.start)):a.start]
		langFee = len(langFeeWords.find(since, tokenize(since))) > 0
	}
	switch {
	case rateTailRe.MatchString(tail):
		a.use = useOther
		return 0
	case strings.Contains(pre, "budget") && allInclusiveRe.MatchString(d.lower[a.end:min(a.end+120, len(d.lower))]):
		return 2 // "The total project budget is $185,000, inclusive of design, fabrication, … and artist fee": a commission's whole fee
	case feeRe.MatchString(near), feeTailRe.MatchString(tail), langFee:
		a.use = useOther
		if entryFeeRe.MatchString(near) || entryFeeTailRe.MatchString(tail) || langFee {
			a.use = useEntryFee
		}
		return -1
	case !poolRe.MatchString(near) && !langPool && totalTailRe.MatchString(tail) && awardLeadRe.MatchString(near):
		return 2 // "Fee: £4,500 in total, paid in three instalments": what the one recipient gets in all
	case poolRe.MatchString(near), poolTailRe.MatchString(tail), langPool:
		a.use = useOther
		if poolRe.MatchString(near) || poolOnlyTailRe.MatchString(tail) || langPool {
			a.use = usePool
		}
		return -1
	case poolSinceRe.MatchString(d.lower[max(cs, min(prev, a.start)):a.start]):
		a.use = usePool
		return -1
	case inKindRe.MatchString(near) || inKindTailRe.MatchString(tail) || coversCost(near, nearToks):
		a.use = useInKind
		return -1
	case len(expenseWords.find(near, nearToks)) > 0 || startsWith(expenseWords, tail) ||
		strings.HasPrefix(tail, " in ") && startsWith(expenseWords, tail[4:]) || pastAwardRe.MatchString(pre):
		a.use = useOther
		return 0
	case strings.HasSuffix(strings.TrimSpace(pre), "(") && strings.Contains(pre, "deadline"):
		a.use = useEntryFee
		return -1 // "Early deadline: March 1 ($20)"
	case instalmentWords(near) && instalmentRe.MatchString(near):
		a.use = useOther
		return 0 // one part of an award stated whole elsewhere
	case awardRe.MatchString(pre), awardTailRe.MatchString(tail), perRecipientTailRe.MatchString(tail):
		return 2
	}
	return 1
}

// totalTailRe and awardLeadRe find one recipient's total: an award's own
// noun right before the sum, "in total" right after it.
var (
	totalTailRe = regexp.MustCompile(`^\s*(?:in total|total)\b`)
	awardLeadRe = regexp.MustCompile(`\b(?:fee|honorarium|stipend|commission|award|bursary|grant|prize)\s*(?:of|is|:)\s*$`)
)

// poolSinceRe names a programme's whole funding anywhere in the clause
// before its sum ("Total program funding for FY2026 is $1,050,000").
var poolSinceRe = regexp.MustCompile(`total (?:program |programme |project )?funding|total prize (?:pool|fund)`)

// allInclusiveRe says, after a budget's sum, that it pays the artist's
// own work with the making: the commission's whole fee, not a pool.
var allInclusiveRe = regexp.MustCompile(`^\s*(?:\([^)]{0,24}\)\s*)?,?\s*(?:all[- ]inclusive|inclusive of|including|includes|covering|which covers|to cover)\b[^.;]{0,80}?\b(?:artist|artists'|artist's|fabrication|installation|design)`)

// coversCost reports whether the words before a sum say it is a cost the
// award covers ("cubre la matrícula completa (3.600 €)"), unless a word of
// pay stands between ("design a notebook cover each and be paid a $1,800
// flat fee").
func coversCost(near string, toks []span) bool {
	hs := coverWords.find(near, toks)
	return len(hs) > 0 && !awardRe.MatchString(near[hs[len(hs)-1].end:])
}

// pastAwardRe says a sum was paid in an earlier round ("Last year's winner
// received $3,000"), not what this call offers.
var pastAwardRe = regexp.MustCompile(`\b(?:last year|previous|past)\b[^.;]{0,30}\b(?:received|won|got|was awarded|were awarded|took home)\s+(?:an? |the )?$`)

// copulaRe ends the words that state what a sum is ("is", "è di",
// "beträgt").
var copulaRe = regexp.MustCompile(`(?:\bis| è di|\bes de|\best de|beträgt|bedraagt| är| é de|\bsont de|\bson de)\s+$`)

// upToMoreWords and instalmentWords are cheap tests before the
// expressions of the same names.
func upToMoreWords(pre string) bool {
	for _, w := range []string{"pouv", "peut", "concurrence", "máxim", "massim", "maximaal", "höchstens"} {
		if strings.Contains(pre, w) {
			return true
		}
	}
	return false
}

func instalmentWords(near string) bool {
	for _, w := range []string{"instal", "tranche", "payments", "parts", "rate", "versements", "plazos", "prestações", "termijnen",
		"delbetalningar"} {
		if strings.Contains(near, w) {
			return true
		}
	}
	return false
}

// startsWith reports whether one of lx's phrases is the first words of s.
func startsWith(lx *lexicon, s string) bool {
	toks := tokenize(s)
	if len(toks) == 0 {
		return false
	}
	_, n := lx.matchAt(s, toks, 0)
	return n > 0
}

// coverWords before a sum say an award pays a cost for the recipient (a
// course's fee): support in kind, not cash. expenseWords near a sum say it
// repays costs ("travel reimbursement", "Reisekosten").
var (
	coverWords = newLexicon("cover", "covers", "covering", "covered", "deckt", "decken", "couvre", "couvrent", "cubre", "cubren",
		"cobre", "cobrem", "copre", "coprono", "dekt", "dekken", "täcker")
	expenseWords = newLexicon("reimburse*", "reimbursed", "travel up to", "airfare", "air fare", "flights", "round-trip",
		"travel costs", "travel expenses", "travel grant", "travel support",
		"travel reimbursement*", "travel stipend*", "travel budget", "travel bursar*", "travel fund", "travel funds",
		"travel allowance", "reisekosten*", "fahrtkosten*", "frais de voyage", "frais de déplacement", "gastos de viaje",
		"gastos de desplazamiento", "despesas de viagem", "rimborso*", "spese di viaggio", "reiskosten*", "resekostnad*",
		"resebidrag", "vergütet", "remboursé*", "reembols*")
)

// parseNumber reads a number written with thousands separators (",", ".",
// spaces) or a decimal point or comma, starting at i.
func parseNumber(s string, i int) (float64, int, bool) {
	if i >= len(s) || !isDigit(s[i]) {
		return 0, i, false
	}
	var groups []string
	var seps []string
	j := i
	for {
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		groups = append(groups, s[j:k])
		j = k
		sep, n := separatorAt(s, j)
		if n == 0 || j+n >= len(s) || !isDigit(s[j+n]) {
			break
		}
		if sep == " " && !threeDigitsThenStop(s, j+n) {
			break
		}
		seps = append(seps, sep)
		j += n
		if len(groups) > 8 {
			break
		}
	}
	return groupsValue(groups, seps), j, true
}

func separatorAt(s string, j int) (string, int) {
	switch {
	case j >= len(s):
		return "", 0
	case s[j] == ',' || s[j] == '.' || s[j] == ' ' || s[j] == '\'':
		return s[j : j+1], 1
	case strings.HasPrefix(s[j:], "’"):
		return "'", 3
	case strings.HasPrefix(s[j:], "\u00a0"):
		return " ", 2
	case strings.HasPrefix(s[j:], "\u202f"):
		return " ", 3
	}
	return "", 0
}

func threeDigitsThenStop(s string, j int) bool {
	return j+3 <= len(s) && isDigit(s[j]) && isDigit(s[j+1]) && isDigit(s[j+2]) && (j+3 == len(s) || !isDigit(s[j+3]))
}

// groupsValue interprets digit groups: the last separator is a decimal mark
// unless it is followed by exactly three digits (and the others by two or
// three, for Indian grouping).
func groupsValue(groups, seps []string) float64 {
	n := len(groups)
	if n == 1 {
		return atof(groups[0])
	}
	last := groups[n-1]
	decimal := len(last) != 3 || (n >= 2 && seps[n-2] != seps[0] && seps[n-2] != " ")
	intPart := groups[:n-1]
	if !decimal {
		intPart = groups
	}
	v := 0.0
	for _, g := range intPart {
		v = v*math.Pow(10, float64(len(g))) + atof(g)
	}
	if decimal {
		v += atof(last) / math.Pow(10, float64(len(last)))
	}
	return v
}

func atof(digits string) float64 {
	v := 0.0
	for i := 0; i < len(digits) && i < 15; i++ {
		v = v*10 + float64(digits[i]-'0')
	}
	return v
}
