package extract

import (
	"sort"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// language is what the rules know of one language, as data: the words that
// detect it and the words each rule looks for. English is the base: every
// other language's lexicons are English plus its own words, because calls
// in any language borrow English ("open call", "deadline").
type language struct {
	code string
	// stop are frequent function words that tell the language apart.
	stop []string
	// kinds are phrases naming an opportunity kind, with their weight.
	kinds map[string]kindCue
	// seek say that a post looks for people ("wir suchen", "se buscan"):
	// a call when no word names its kind.
	seek []string
	// cta are calls to action; news are signs of news, events and trap
	// posts; veto are signs strong enough to rule an opportunity out alone
	// (a call announced closed, paused or cancelled; results).
	cta, news, veto []string
	// titleNews mark news only when they head the item (a course, a
	// workshop).
	titleNews []string
	// Cues before a date: strong deadline, weak deadline ("until"), opening
	// and event words.
	dateStrong, dateWeak, dateOpen, dateEvent []string
	// dateIntent name a call's first stage (a letter of intent, an
	// expression of interest, a project outline) before a full application.
	dateIntent []string
	// dateFull name the full application after a first stage, or that
	// applicants are invited to it.
	dateFull []string
	months   map[string]time.Month
	// places are place words that name a country (gazetteer names),
	// which gives a time stated without a zone its zone.
	places map[string]string
	// disciplines maps a discipline to the stems that name it.
	disciplines map[string][]string
	// orgWords end or start an organization's name; offerVerbs follow an
	// organization's name in "X invites …".
	orgWords   []string
	offerVerbs []string
	// compounds are word endings that name a kind inside a compound
	// ("Förderpreis", "Talentbeurs", "Kortfilmsstöd").
	compounds map[string]kindCue
	// fee and pool words before a sum say it is not an award.
	fee, pool []string
	// currency words written after a number.
	currencies map[string]string
}

// kindCue is a phrase's kind and weight.
type kindCue struct {
	kind   scout.Kind
	weight float64
}

// langRules are the compiled lexicons of one language.
type langRules struct {
	lang        *language
	kinds       *lexicon
	kindOf      map[string]kindCue
	seek        *lexicon
	pool        *lexicon // the language's own pool words; nil for English
	cta, news   *lexicon
	veto        *lexicon
	titleNews   *lexicon
	disciplines *lexicon
	discOf      map[string]string
}

var languages = []*language{langDE, langFR, langES, langPT, langIT, langNL, langSV}

// rulesByLang holds the compiled rules of every language; "en" has English only.
var rulesByLang = func() map[string]*langRules {
	m := map[string]*langRules{"en": compileLang(&language{code: "en"})}
	for _, l := range languages {
		m[l.code] = compileLang(l)
	}
	return m
}()

func compileLang(l *language) *langRules {
	r := &langRules{lang: l, kindOf: map[string]kindCue{}, discOf: map[string]string{}}
	kinds := append([]string(nil), kindPhrasesEN...)
	for p, c := range l.kinds {
		kinds = append(kinds, p)
		r.kindOf[strings.TrimSuffix(p, "*")] = c
	}
	r.kinds = newLexicon(kinds...)
	if len(l.pool) > 0 {
		r.pool = newLexicon(l.pool...)
	}
	r.seek = newLexicon(append(append([]string(nil), seekPhrasesEN...), l.seek...)...)
	r.cta = newLexicon(append(append([]string(nil), ctaPhrasesEN...), l.cta...)...)
	r.news = newLexicon(append(append([]string(nil), newsPhrasesEN...), l.news...)...)
	r.veto = newLexicon(append(append([]string(nil), vetoPhrasesEN...), l.veto...)...)
	r.titleNews = newLexicon(l.titleNews...)
	disc := append([]string(nil), disciplinePhrasesEN...)
	for name, stems := range l.disciplines {
		for _, s := range stems {
			disc = append(disc, s)
			r.discOf[strings.TrimSuffix(s, "*")] = name
		}
	}
	r.disciplines = newLexicon(disc...)
	return r
}

// stopWords maps each detection word to the languages it belongs to.
var stopWords = func() map[string][]string {
	m := map[string][]string{}
	for _, w := range stopEN {
		m[w] = append(m[w], "en")
	}
	for _, l := range languages {
		for _, w := range l.stop {
			m[w] = append(m[w], l.code)
		}
	}
	return m
}()

var stopEN = []string{"the", "and", "of", "to", "is", "for", "with", "are", "you", "your", "will", "this", "be", "our",
	"we", "from", "or", "an", "by", "on", "must", "who", "have", "has", "can", "their", "which", "it"}

// detectLanguage names the language of a text from its function words,
// counted over the first 400 words: a word shared by several languages
// counts for none. English wins ties and texts with too few words.
func detectLanguage(lower string, toks []span) string {
	counts := map[string]int{}
	for i, t := range toks {
		if i == 400 {
			break
		}
		if ls := stopWords[lower[t.start:t.end]]; len(ls) == 1 {
			counts[ls[0]]++
		}
	}
	best, bestN := "en", counts["en"]
	for _, l := range languages {
		if n := counts[l.code]; n > bestN {
			best, bestN = l.code, n
		}
	}
	if bestN < 2 {
		return hintedLanguage(lower, toks, counts)
	}
	return best
}

// hintedLanguage names the language of a text too short for its function
// words alone ("El plazo finaliza el 15 de mayo"): each word that only one
// language's month names, kind, call-to-action, date-cue or organization
// words hold counts with the function words. English still wins ties and
// texts with fewer than two such words.
func hintedLanguage(lower string, toks []span, counts map[string]int) string {
	for i, t := range toks {
		if i == 400 {
			break
		}
		if l, ok := hintWords[lower[t.start:t.end]]; ok {
			counts[l]++
		}
	}
	best, bestN := "en", counts["en"]
	for _, l := range languages {
		if n := counts[l.code]; n > bestN {
			best, bestN = l.code, n
		}
	}
	if bestN < 2 {
		return "en"
	}
	return best
}

// hintWords maps a single word of one language's lexicons (months, kinds,
// calls to action, date cues, organization words) to that language, when
// no other language and no English lexicon holds it.
var hintWords = func() map[string]string {
	english := map[string]bool{}
	for _, ws := range [][]string{stopEN, kindPhrasesEN, ctaPhrasesEN, seekPhrasesEN, newsPhrasesEN} {
		for _, w := range ws {
			english[strings.TrimSuffix(w, "*")] = true
		}
	}
	for w := range monthsEN {
		english[w] = true
	}
	owner := map[string]string{}
	claim := func(w, code string) { // a word two languages hold counts for none
		if o, ok := owner[w]; ok && o != code {
			owner[w] = ""
		} else if !ok {
			owner[w] = code
		}
	}
	add := func(w, code string) {
		w = strings.ToLower(strings.TrimSuffix(w, "*"))
		if len(w) < 4 || strings.ContainsAny(w, "'’-.") || english[w] {
			return
		}
		if strings.Contains(w, " ") {
			// A phrase's long words count alone ("sista ansökningsdag").
			for _, p := range strings.Fields(w) {
				if len(p) >= 6 && !english[p] {
					claim(p, code)
				}
			}
			return
		}
		claim(w, code)
	}
	for _, l := range languages {
		for w := range l.months {
			if len(w) == 3 && !english[w] { // "maj", "mei"
				claim(w, l.code)
			}
			add(w, l.code)
		}
		for w := range l.kinds {
			add(w, l.code)
		}
		for _, ws := range [][]string{l.cta, l.seek, l.dateStrong, l.dateWeak, l.dateOpen, l.orgWords} {
			for _, w := range ws {
				add(w, l.code)
			}
		}
	}
	m := make(map[string]string, len(owner))
	for w, code := range owner {
		if code != "" {
			m[w] = code
		}
	}
	return m
}()

// rules returns the compiled rules of the document's language.
func (d *doc) rules() *langRules {
	if r := rulesByLang[d.lang]; r != nil {
		return r
	}
	return rulesByLang["en"]
}

// allMonths is every language's month names.
var allMonths = func() map[string]time.Month {
	m := map[string]time.Month{}
	for k, v := range monthsEN {
		m[k] = v
	}
	for _, l := range languages {
		for k, v := range l.months {
			m[k] = v
		}
	}
	return m
}()

var monthsEN = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
	"june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// dateCueWords are every language's date cues by what they say, keyed as
// their words (normCue): "t.o.m." and "t/m" are the words "t o m", "t m".
var dateCueWords = func() map[string]int {
	m := map[string]int{}
	for _, l := range languages {
		for _, w := range l.dateStrong {
			m[normCue(w)] = cueStrong
		}
		for _, w := range l.dateWeak {
			m[normCue(w)] = cueWeak
		}
		for _, w := range l.dateOpen {
			m[normCue(w)] = cueOpen
		}
		for _, w := range l.dateEvent {
			m[normCue(w)] = cueEvent
		}
	}
	return m
}()

// normCue returns the words of a cue as the tokenizer splits them, joined
// by single spaces.
func normCue(w string) string {
	ts := tokenize(w)
	if len(ts) == 1 && ts[0].start == 0 && ts[0].end == len(w) {
		return w
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = w[t.start:t.end]
	}
	return strings.Join(out, " ")
}

// langDateCues finds every language's date cue words, as written: the
// lexicon splits an elided article as the tokenizer does ("délai
// d'envoi"), which dateCueWords' keys, joined by spaces, would not match.
var langDateCues = func() *lexicon {
	var ws []string
	for _, l := range languages {
		for _, list := range [][]string{l.dateStrong, l.dateWeak, l.dateOpen, l.dateEvent} {
			ws = append(ws, list...)
		}
	}
	sort.Strings(ws)
	return newLexicon(ws...)
}()

// langIntentWords and langFullWords are every language's first-stage
// and full-application words.
var langIntentWords, langFullWords = func() (*lexicon, *lexicon) {
	var intent, full []string
	for _, l := range languages {
		intent = append(intent, l.dateIntent...)
		full = append(full, l.dateFull...)
	}
	return newLexicon(intent...), newLexicon(full...)
}()

// langFeeWords and langPoolWords are every language's fee and pool words,
// looked for just before a sum.
var langFeeWords, langPoolWords = func() (*lexicon, *lexicon) {
	var fee, pool []string
	for _, l := range languages {
		fee = append(fee, l.fee...)
		pool = append(pool, l.pool...)
	}
	return newLexicon(fee...), newLexicon(pool...)
}()
