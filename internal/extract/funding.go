package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// Contexts that say what a sum that is not an award is (lowered text).
var (
	entryFeeRe = regexp.MustCompile(`(?:entry|entrance|application|submission|reading|registration|processing|jury|admin(?:istration)?|participation|handling) fees?\b` +
		`|\bfees? to (?:enter|apply|submit)\b|^\s*fees:[^.;]{0,12}$|\bcosts? to (?:enter|apply|submit)\b|\bentry\b[^.;]{0,12}$|\bfee(?: is|:)?\s*$`)
	entryFeeTailRe = regexp.MustCompile(`^\s*(?:\(\w+\)\s*)?(?:entry fee|application fee|submission fee|reading fee|per entry|per submission|to enter|to apply|entry\b|fee\b)`)
	poolOnlyTailRe = regexp.MustCompile(`^\s*(?:\(\w+\)\s*)?(?:in total|total|across|pool|prize pool|in grants|in awards|in funding|in prizes|to \d+|for \d+ (?:awards|grants|projects))`)
	inKindRe       = regexp.MustCompile(`in[- ]kind|valued at|a value of|with a value|market value|bons? d'achat d[e']|chèques?[- ]cadeaux? d[e']|gutscheine? (?:über|im wert von|von)|vales? de compra de|buoni? (?:acquisto|spesa) d[ai]|cadeaubon(?:nen)? van|presentkort på`)
	inKindTailRe   = regexp.MustCompile(`^\s*(?:\(\w+\)\s*)?(?:in[- ]kind|of in[- ]kind|worth of (?:support|services|equipment|studio)` +
		`|in (?:[\w-]+ ){0,2}?(?:supplies|gear|credits?|vouchers?|equipment|products|merch|software|materials)\b|(?:in )?(?:ad|store|platform) credits?\b|gift cards?\b` +
		`|en bons? d'achat|en chèques?[- ]cadeaux?|in (?:form von )?gutscheinen|en vales|in buoni|aan cadeaubonnen|i presentkort)`)
	periodTailRe = regexp.MustCompile(`^\s*(?:(?:stipend|grant|allowance|bursary|honorarium|fee|salary|living allowance|m\.\s?n\.)\s+)?(?:(?:brut|brutto|bruto|brutos|brutas|bruts|lordi|lordo|netto|netti|netos|net|nets)\s+)?` +
		`(?:(?:/|per|a|an|each)\s*(month|mo|week|wk|year|yr|annum)\b|(monthly|weekly|annually|yearly)\b|(p\.\s?a\.|pcm\b)` +
		`|(?:/|par|pro|por|al|per|i|im|om|a|au|en)\s*(` + periodUnitsAlt + `)\b` +
		`|(mensuels?|mensuelles?|monatlich|mensual(?:es)?|mensais|mensal|mensili?|maandelijks|månadsvis)\b)`)
	periodPreRe = regexp.MustCompile(`\b(monthly|weekly|annual|yearly|one-time|one-off|lump[- ]sum|single|monatlich\w*|mensuel\w*|mensual\w*|mensal|mensile|maandelijks\w*|månatlig\w*|månadsvis)\b[^.;]{0,24}$`)
	durationRe  = regexp.MustCompile(`\b(?:pendant|durant|während|für|über|durante|por|per|voor|gedurende|i|på|under|de|di|da|van|von|dauert|dauern|laufen|läuft|dure|durent|dura|duran|durano)\s+(?:(?:um|un|une|einen?|uno|los|las|les|die|the|gli|i|os|as|de)\s+)?(?:(?:maximaal|max\.?|högst|maximalt|höchstens|maximal|maximum|au plus|como máximo|un massimo di|massimo|no máximo)\s+)?(\d{1,2}|` + numberWordsAlt + `)\s+(` + periodUnitsAlt + `)\b` +
		`|\b(\d{1,2})-(maands|monatig\w*|månaders|mesi|meses)\b` +
		`|\b(zwei|drei|vier|fünf|sechs|zwölf|twee|drie|vier|vijf|zes|twaalf|två|fyra|fem|sex|tolv)(monatig|maands|månaders)\w*` +
		`|\b(?:for|over|lasting|lasts|runs|of|spend|spends)\s+(?:up to\s+)?(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)\s+(week|month|year)s?\b` +
		`|\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)[- ](week|month|year)s?[- ](?:(?:paid|funded|full-time|part-time|remote|salaried) )?(?:long\b|residenc|fellowship|stipend|programme|program|grant|period|placement|post|contract|term|job|position|role|engagement|appointment)` +
		`|\bfor (a|one) (week|month|year)\b`)
	// durationLooseRe is a bare count of months or years ("fixed term, 18
	// months"), read only when nothing more explicit states the duration.
	durationLooseRe = regexp.MustCompile(`(?:^|[^\w\s]\s*|\b(?:term|contract|contrat|contrato|contratto|vertrag|contract van|anställning)\s*(?:of|de|di|van|på|von)?\s*)` +
		`(\d{1,2}|` + numberWordsAlt + `)\s+(months|years|monate|monaten|mois|meses|mesi|maanden|månader|jahre|años|anos|anni|jaar|år)\b`)
	countRe = regexp.MustCompile(`^(?:(up to|approximately|approx\.?|about|around|an estimated|roughly|as many as|at least)\s+)?(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)` +
		`(?:\s*(?:-|–|to)\s*(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty))?\s+(?:[a-z£$€][\w£$€,.-]*\s+){0,2}?` +
		`(grants|awards|fellowships|prizes|residencies|scholarships|commissions|bursaries|winners|recipients|fellows|stipends|grantees|awardees|` +
		`writers|artists|poets|filmmakers|musicians|composers|creators|projects|participants|residents|designers|photographers)\b`)
	// selectRe near a count of people or projects says they are the ones
	// funded ("six artists will be selected", "looking for four writers").
	selectRe = regexp.MustCompile(`will be (?:selected|chosen|awarded|funded|invited|commissioned|supported|offered)|\b(?:select|selects|selecting|looking for|seeking|supports?|funds?|fund up to|awards?|offers?|commissions?|invites?)\s*$`)
)

// awardNouns name awards themselves; other nouns of countRe (artists,
// projects) count awards only where selectRe says they are chosen.
var awardNouns = map[string]bool{"grants": true, "awards": true, "fellowships": true, "prizes": true, "residencies": true,
	"scholarships": true, "commissions": true, "bursaries": true, "winners": true, "recipients": true, "fellows": true,
	"stipends": true, "grantees": true, "awardees": true}

// freeWords say that entering costs nothing.
var freeWords = newLexicon("free to enter", "free to apply", "free to submit", "free entry", "free entries", "no entry fee",
	"no entry fees", "no application fee", "no application fees", "no submission fee", "no submission fees", "no fee", "no fees",
	"no fee to apply", "no fee to enter", "no cost to apply", "no cost to enter", "free submission", "free submissions",
	"without an entry fee", "there is no fee", "there is no entry fee", "there is no application fee", "zero entry fee")

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20, "twenty-four": 24,
	"thirty": 30, "forty": 40, "fifty": 50}

func numberOf(w string) int {
	if w == "a" {
		return 1 // "for a year"
	}
	if n, ok := numberWords[w]; ok {
		return n
	}
	if n, ok := langNumbers[w]; ok {
		return n
	}
	n, err := strconv.Atoi(w)
	if err != nil {
		return 0
	}
	return n
}

// fillFunding sets the funding details beyond the award range: the award's
// period and duration and the total per recipient, the pool, the number of
// awards, the entry fee and in-kind support.
func fillFunding(d *doc, o *scout.Opportunity, place string, as []amount, best *amount) {
	f := &o.Funding
	if best != nil {
		fillPeriod(d, o, best)
	}
	for i := range as {
		a := &as[i]
		m := &scout.Money{Amount: roundCents(a.max), Currency: dollarCurrency(d, a, place)}
		key := ""
		switch {
		case a.use == useEntryFee && f.EntryFee == nil:
			f.EntryFee, key = m, "funding.entry_fee"
		case a.use == usePool && f.TotalAvailable == nil:
			f.TotalAvailable, key = m, "funding.total_available"
		case a.use == useInKind && f.InKind == nil:
			f.InKind, key = m, "funding.in_kind"
		}
		if key != "" {
			o.Provenance[key] = prov(d.text[a.start:a.end], 0.6)
		}
	}
	if f.EntryFee == nil {
		if hs := freeWords.find(d.lower, d.tokens()); len(hs) > 0 {
			f.EntryFee = &scout.Money{Amount: 0}
			o.Provenance["funding.entry_fee"] = prov(d.text[hs[0].start:hs[0].end], 0.8)
		}
	}
	fillAwardCount(d, o, as)
	if best != nil && f.Period == scout.PeriodUnstated {
		if n, span := perItemCount(d, best); n > 1 && o.AmountMax > 0 {
			f.PerRecipient = &scout.MoneyRange{Min: float64(o.AmountMin * int64(n)), Max: float64(o.AmountMax * int64(n)), Currency: o.Currency}
			p := o.Provenance["amount"]
			p.Span += " … " + span
			o.Provenance["funding.per_recipient"] = p
			return
		}
	}
	if t, span := statedTotal(d, as, best, f.Period); t > 0 {
		// "monatlich 1.200 € (insgesamt 3.600 €)": the total the text
		// states beside a periodic award is what one recipient gets.
		f.PerRecipient = &scout.MoneyRange{Min: t, Max: t, Currency: o.Currency}
		p := o.Provenance["amount"]
		p.Span += " … " + span
		o.Provenance["funding.per_recipient"] = p
		return
	}
	if best != nil {
		if t := scout.RecipientTotal(o.AmountMin, o.AmountMax, o.Currency, f.Period, f.Duration); t != nil {
			f.PerRecipient = t
			p := o.Provenance["amount"]
			if dp, ok := o.Provenance["funding.duration"]; ok {
				p.Span += " … " + dp.Span
				p.Confidence = min(p.Confidence, dp.Confidence)
			}
			o.Provenance["funding.per_recipient"] = p
		}
	}
}

// totalAsideRe joins a periodic award to the total written right after it
// ("€ 1.500 (€ 13.500 in totaal)", "£800 a month, £2,400 in total").
var totalAsideRe = regexp.MustCompile(`^[^.;:()\d\n]{0,40}?[(,–-]\s*(?:(?:also|d\.h\.|i\.e\.|soit|es decir|ou seja|cioè|dus|dvs\.?)\s+)?(?:insgesamt|in total|total|totaal|in totaal|au total|en total|in totale|totalt|no total|ao todo|a total of|so|that is|d\.h\.|soit|c'est-à-dire|es decir|ou seja|cioè|dus|dvs\.?)?:?\s*$`)

// statedTotal returns the sum the text states as a periodic award's total,
// and its span: the next sum, in the same currency and larger, joined to
// the award by totalAsideRe.
func statedTotal(d *doc, as []amount, best *amount, p scout.Period) (float64, string) {
	if best == nil || p == scout.PeriodUnstated || p == scout.PeriodOnce {
		return 0, ""
	}
	for i := range as {
		a := &as[i]
		if a.start < best.end {
			continue
		}
		if a.start-best.end > 40 || !totalAsideRe.MatchString(d.lower[best.end:a.start]) || a.cur != best.cur || a.max <= best.max {
			return 0, ""
		}
		return a.max, d.text[a.start:a.end]
	}
	return 0, ""
}

// perItemRe finds pay per piece of work after a sum ("£2,500 per video").
var perItemRe = regexp.MustCompile(`^\s*(?:per|a|each|por|par|pro|pour|för|voor|je|ao|al)\s+(video|episode|post|reel|article|piece|story|poem|illustration|vídeo|vidéo|épisode|folge|episodio|aflevering|avsnitt|artikel|beitrag|texto|artículo|articolo)\b`)

// perItemCount returns how many pieces one recipient is paid for when the
// award is paid per piece and the text counts the pieces ("3 YouTube
// videos each", "for four episodes", "(3 vídeos en total)").
func perItemCount(d *doc, a *amount) (int, string) {
	tail := d.lower[a.end:min(a.end+24, len(d.lower))]
	loc := perItemRe.FindStringSubmatchIndex(tail)
	if loc == nil {
		return 0, ""
	}
	unit := tail[loc[2]:loc[3]]
	re, err := regexp.Compile(`\b(\d{1,2}|` + numberWordsAlt + `)\s+(?:[\pL-]+\s+)?` + regexp.QuoteMeta(unit) + `(?:s|es)?\b`)
	if err != nil {
		return 0, ""
	}
	for _, m := range re.FindAllStringSubmatchIndex(d.lower, 4) {
		if m[0] >= a.start && m[0] < a.end+loc[1] {
			continue
		}
		if n := numberOf(d.lower[m[2]:m[3]]); n > 1 && n <= 50 {
			return n, d.text[m[0]:m[1]]
		}
	}
	return 0, ""
}

func roundCents(v float64) float64 { return math.Round(v*100) / 100 }

// periodOf reads how often a sum is paid, from the words after it or
// before it, and the text that says so.
func periodOf(d *doc, a *amount) (scout.Period, string) {
	tail := d.lower[a.end:min(a.end+24, len(d.lower))]
	if loc := periodTailRe.FindStringSubmatchIndex(tail); loc != nil {
		g := firstGroup(loc)
		return periodWord(tail[loc[g]:loc[g+1]]), d.text[a.start : a.end+loc[1]]
	}
	pre := d.lower[clauseStart(d.lower, a.start, 50):a.start]
	if loc := periodPreRe.FindStringSubmatchIndex(pre); loc != nil {
		return periodWord(pre[loc[2]:loc[3]]), d.text[a.start-len(pre)+loc[2] : a.end]
	}
	return scout.PeriodUnstated, ""
}

// fillPeriod reads how often the award is paid ("£1,200 a month") and for
// how long ("for six months").
func fillPeriod(d *doc, o *scout.Opportunity, a *amount) {
	p, span := periodOf(d, a)
	if p == scout.PeriodUnstated {
		return
	}
	o.Funding.Period = p
	o.Provenance["funding.period"] = prov(span, 0.7)
	if p == scout.PeriodOnce {
		return
	}
	// The duration is looked for after the award first, then anywhere.
	after := d.lower[a.end:clauseEnd(d.lower, a.end, 80)]
	loc, base := durationRe.FindStringSubmatchIndex(after), a.end
	if loc == nil {
		loc, base = durationRe.FindStringSubmatchIndex(d.lower), 0
	}
	if loc == nil {
		loc, base = durationLooseRe.FindStringSubmatchIndex(d.lower), 0
	}
	if loc == nil {
		return
	}
	g := firstGroup(loc)
	n := numberOf(d.lower[base+loc[g] : base+loc[g+1]])
	unit := periodWord(d.lower[base+loc[g+2] : base+loc[g+3]])
	if n <= 0 || n > 60 {
		return
	}
	o.Funding.Duration = &scout.Duration{Count: n, Unit: unit}
	o.Provenance["funding.duration"] = prov(d.text[base+loc[0]:base+loc[1]], 0.6)
}

// firstGroup returns the index of the first submatch that matched.
func firstGroup(loc []int) int {
	for g := 2; g+1 < len(loc); g += 2 {
		if loc[g] >= 0 {
			return g
		}
	}
	return 0
}

// Period words of the other languages: units after "per", "par", "pro" …
const periodUnitsAlt = `mois|monate?n?|monat|meses|mes|mês|mesi|mese|maanden|maand|månader|månaden|månad|semaines?|wochen|woche|semanas?|settimane|settimana|weken|week|veckor|vecka|années|année|ans|an|jahre?n?|jahr|años|año|anos|ano|anni|anno|jaren|jaar|åren|året|år`

// numberWordsAlt are small numbers written out in the other languages.
const numberWordsAlt = `deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|dois|duas|três|quatro|sete|oito|nove|dez|doze|due|tre|quattro|cinque|sei|sette|otto|dieci|dodici|twee|drie|vijf|zes|zeven|negen|tien|twaalf|två|fyra|fem|sex|sju|åtta|nio|tio|tolv|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four`

var langNumbers = map[string]int{"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
	"dix": 10, "douze": 12, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
	"zehn": 10, "zwölf": 12, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
	"diez": 10, "doce": 12, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
	"doze": 12, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "dieci": 10, "dodici": 12,
	"twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7, "negen": 9, "tien": 10, "twaalf": 12, "två": 2, "fyra": 4,
	"fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "tolv": 12}

// langPeriod maps the other languages' period words.
func langPeriod(w string) scout.Period {
	switch {
	case strings.HasPrefix(w, "mo"), strings.HasPrefix(w, "mes"), strings.HasPrefix(w, "mês"), strings.HasPrefix(w, "maand"),
		strings.HasPrefix(w, "månad"), strings.HasPrefix(w, "månatl"), strings.HasPrefix(w, "mensu"), strings.HasPrefix(w, "mensa"), strings.HasPrefix(w, "mensil"),
		strings.HasPrefix(w, "mensal"):
		return scout.PeriodMonth
	case strings.HasPrefix(w, "sema"), strings.HasPrefix(w, "woche"), strings.HasPrefix(w, "settiman"), strings.HasPrefix(w, "weke"),
		strings.HasPrefix(w, "veck"):
		return scout.PeriodWeek
	case strings.HasPrefix(w, "an"), strings.HasPrefix(w, "jahr"), strings.HasPrefix(w, "año"), strings.HasPrefix(w, "ano"),
		strings.HasPrefix(w, "anni"), strings.HasPrefix(w, "anno"), strings.HasPrefix(w, "jaar"), strings.HasPrefix(w, "jaren"), strings.HasPrefix(w, "år"):
		return scout.PeriodYear
	}
	return scout.PeriodUnstated
}

func periodWord(w string) scout.Period {
	switch w {
	case "month", "mo", "monthly", "pcm":
		return scout.PeriodMonth
	case "week", "wk", "weekly":
		return scout.PeriodWeek
	case "year", "yr", "annum", "annually", "yearly", "annual":
		return scout.PeriodYear
	case "one-time", "one-off", "lump sum", "lump-sum", "single":
		return scout.PeriodOnce
	}
	if len(w) > 1 && w[0] == 'p' && strings.HasSuffix(w, ".") {
		return scout.PeriodYear // p.a.
	}
	if p := langPeriod(w); p != scout.PeriodUnstated {
		return p
	}
	return scout.PeriodUnstated
}

// fillAwardCount reads how many awards are made ("ten grants", "up to 12
// awards", "3–5 fellowships"), skipping numbers that are sums or years.
func fillAwardCount(d *doc, o *scout.Opportunity, as []amount) {
	for _, t := range d.tokens() {
		w := d.lower[t.start:t.end]
		if !isDigit(w[0]) && numberOf(w) == 0 && w != "up" && w != "approximately" && w != "about" && w != "around" &&
			w != "an" && w != "roughly" && w != "as" && w != "at" && w != "approx" {
			continue
		}
		if overlaps(as, t.start, t.end) || t.start > 0 && (isDigit(d.lower[t.start-1]) || d.lower[t.start-1] == '$') {
			continue
		}
		loc := countRe.FindStringSubmatchIndex(d.lower[t.start:min(t.start+80, len(d.lower))])
		if loc == nil {
			continue
		}
		s := d.lower[t.start:]
		lo := numberOf(s[loc[4]:loc[5]])
		hi := lo
		if loc[6] >= 0 {
			hi = numberOf(s[loc[6]:loc[7]])
		}
		if lo <= 0 || hi < lo || hi > 500 {
			continue
		}
		if noun := s[loc[8]:loc[9]]; !awardNouns[noun] {
			before := d.lower[max(0, t.start-30):t.start]
			after := d.lower[t.start+loc[1] : min(t.start+loc[1]+30, len(d.lower))]
			if !selectRe.MatchString(strings.TrimRight(before, " ")) && !selectRe.MatchString(after) {
				continue
			}
		}
		c := &scout.AwardCount{Min: lo, Max: hi}
		if loc[2] >= 0 {
			switch q := s[loc[2]:loc[3]]; q {
			case "up to", "as many as":
				c.Min, c.Estimated = 0, true
			case "at least":
				c.Max = 0
			default:
				c.Estimated = true
			}
		}
		o.Funding.Awards = c
		o.Provenance["funding.awards"] = prov(d.text[t.start:t.start+loc[1]], 0.6)
		return
	}
}
