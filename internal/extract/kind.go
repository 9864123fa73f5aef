package extract

import (
	"regexp"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// kindPhrasesEN are English words that name an opportunity kind; every
// language's kind lexicon starts from them (see lang.go).
var kindPhrasesEN = []string{
	"grant", "grants", "micro-grant", "micro-grants", "microgrant", "microgrants", "bursary", "bursaries", "fund", "funds", "funding",
	"aide à la création", "förder*", "projektförder*", "subvention", "subventions",
	"fellowship", "fellowships", "fellows", "mentorship", "mentorships", "mentee", "mentees",
	"residency", "residencies", "résidence", "residencia", "artist-in-residence", "artists-in-residence", "artist in residence", "retreat",
	"commission*", "rfq", "request for qualifications", "public art",
	"contest", "contests", "competition", "competitions", "prize", "prizes", "game jam", "challenge", "wettbewerb", "concours", "award", "awards",
	"call for entries", "call for submissions", "call for proposals", "call for papers", "call for pitches", "call for artists",
	"call for works", "call for applications", "call for participants", "call for choreographers", "call for composers",
	"call for writers", "call for poets", "call for musicians", "call for bands", "call for filmmakers", "call for designers",
	"call for illustrators", "call for photographers", "call for performers", "call for dancers", "call for makers",
	"call for creators", "call for curators", "call for projects", "call for work", "call for ideas", "call for nominations",
	"call for expressions of interest", "call for scores", "call for films", "call for poems", "call for stories", "call for", "open call", "submissions open", "submissions are open",
	"now accepting", "submission", "submissions", "ausschreibung", "appel à candidatures", "pitch", "pitches",
	"scholarship", "scholarships", "stipendium", "stipendien", "arbeitsstipendium", "arbeitsstipendien", "tuition",
	"accelerator", "accelerators", "incubator", "incubators", "cohort", "pre-seed", "equity",
	"film lab", "writers lab", "writers' lab", "development lab", "story lab", "talent lab", "screenwriting lab",
	"sponsor", "sponsors", "sponsored", "sponsoring", "sponsorship", "sponsorships", "brand partnership", "brand partnerships",
	"ambassador", "ambassadors", "paid partnership", "paid partnerships", "creator partnership", "collab", "paid collab",
	"brand collab", "creator collab", "brand deal", "brand deals", "ugc", "partner creator", "partner creators",
	"creator program", "creator programme", "partner program", "partner programme", "creator partner program", "creator partner programme",
	"hiring", "job", "jobs", "vacancy", "vacancies", "position", "salary", "gig", "freelance", "audition", "part-time", "full-time",
	"stage manager", "producer", "curator", "teaching artist", "contract", "casting call", "is casting", "now casting",
	"now booking", "is booking"}

// seekPhrasesEN say that a post looks for people; with a call to action
// and no word that names a kind, the post is a call.
var seekPhrasesEN = []string{"looking for", "seeks", "seeking", "wanted", "want to hear from you", "wants your",
	"we want you", "we're after", "in search of", "needed", "teaming up with", "we're picking", "we are picking", "will select"}

// ctaPhrasesEN are calls to action: what an open opportunity asks readers to do.
var ctaPhrasesEN = append(applicationPhrases(),
	"apply", "deadline", "due", "submit", "submission", "submissions", "accepting", "accepts", "invites", "open call", "call for",
	"closes", "closing date", "close on", "enter by", "send your", "send us", "send links", "send a reel", "is hiring", "we're hiring",
	"now hiring", "seeks", "looking for", "is recruiting", "registration closes", "rolling", "until filled", "until the position is filled",
	"until positions are filled", "until the positions are filled", "win", "pitches close", "pitch window", "date limite", "bewerbung*",
	"einsendeschluss", "ends", "wanted", "sign up", "accept applications", "open for applications", "open for submissions",
	"open for entries", "open for proposals", "seeking", "job opening", "register", "now open", "is open", "are open",
	"open until", "entries close", "entries are due", "entries due", "entry fee", "entries", "send")

// ctaRe finds the calls to action a word list cannot express.
var ctaRe = regexp.MustCompile(`applications for [^.;]{0,60}?\b(?:are open|are now open|open|close|closes|are due)\b`)

func applicationPhrases() []string {
	var out []string
	for _, n := range []string{"application", "applications"} {
		for _, v := range []string{"", "are ", "is ", "will be "} {
			for _, w := range []string{"due", "open", "close", "closes", "accepted", "must", "reviewed"} {
				out = append(out, n+" "+v+w)
			}
		}
	}
	return out
}

// newsPhrasesEN are signs of news, reports, events and announcements of past awards.
var newsPhrasesEN = []string{"today announced", "announced today", "has announced", "have been announced", "winners announced",
	"winners of", "announce the winners", "were awarded", "was awarded", "has awarded", "has received", "received a",
	"congratulations", "meet the", "recipients", "have selected", "has selected", "thank you to", "thanks to everyone",
	"thanks to all", "deadline passed", "has passed", "is paused", "are paused", "cancelled", "canceled", "sold out",
	"remembering", "died", "obituary", "report finds", "a new study", "study finds", "according to", "annual report",
	"lauréats", "wurden vergeben", "wurde vergeben", "sind vergeben", "bereits vergeben", "last night", "appointed", "launches", "volunteers", "are closed", "is closed", "are now closed",
	"is now closed", "have closed", "will announce", "selected from", "on view", "tax return", "tax returns",
	"self assessment", "self-assessment", "tax deadline", "vat return", "estimated tax", "tax payment", "tax payments",
	"bookkeeping", "accountant", "deductible", "affiliate program", "affiliate programme", "affiliate link", "discount code",
	"in conversation", "a conversation with", "we spoke", "spoke to", "told us", "analysts", "the company said",
	"early-bird", "early bird", "day tickets", "on sale", "payouts", "referral", "referrals", "billing", "free trial", "promo code",
	"money-back", "payment plans", "enroll now", "enrol now", "become a sponsor", "sponsorship packages",
	"sponsorship package", "sponsorship prospectus", "final report", "reporting deadline", "course leader"}

// vetoPhrasesEN say alone that a post is not an open opportunity: the call
// is closed, paused or gone, or its results are out.
var vetoPhrasesEN = []string{"applications are now closed", "applications have closed", "submissions are now closed",
	"submissions have closed", "no longer accepting", "not accepting applications", "will not be offered", "will not run",
	"has been discontinued", "have been discontinued", "is discontinued", "on hiatus", "has been cancelled", "has been canceled",
	"is paused", "are paused", "is on pause", "winners announced", "congratulations to", "are pleased to announce the winners",
	"have been selected", "were selected", "deadline has passed", "is now closed", "are now closed", "take a pause",
	"taking a pause", "take a break", "taking a break", "there will be no open call", "no open call", "no call this year",
	"will not be accepting", "will not open", "has now closed", "have now closed", "the round has closed", "round has closed"}

// newsRe finds the news signs a word list cannot express.
var newsRe = regexp.MustCompile(`join (?:us|our) (?:[\w-]+ ){0,3}(?:workshop|webinar|session|talk|event|celebration)`)

// newsTitleRe finds words that mark news only when they head the item.
var newsTitleRe = regexp.MustCompile(`\brecap\b|spotlight|\blineup\b|\breview:|q&a|\binterview\b|\bepisode\b|\bhow to\b|\btips for\b|\bopinion\b|\bresults\b|what happens|\breport\b|\bwinners\b|\bmeet\b|\bworkshop\b|\bwebinar\b|\bmasterclass\b|\binfo session\b|\bcourse\b|\bconversation\b|\bbootcamp\b`)

type kindResult struct {
	kind scout.Kind
	conf float64
	span string
	// margin is how far the calls to action outweigh the signs of news
	// (gate − news; negative when news wins); vetoed says a closed or
	// past call was named, and named that the text names a kind word.
	margin float64
	vetoed bool
	named  bool
}

// kindOrder breaks ties: the more specific kind wins.
var kindOrder = []scout.Kind{scout.KindFellowship, scout.KindResidency, scout.KindScholarship, scout.KindAccelerator,
	scout.KindCommission, scout.KindContest, scout.KindSponsorship, scout.KindJob, scout.KindGrant, scout.KindCall}

func classify(d *doc, deadline, dated bool) kindResult {
	scores, spans, titleScores := kindScores(d)
	best, second := scout.KindNone, 0.0
	for _, k := range kindOrder {
		if s := scores[k]; s > scores[best] {
			best = k
		}
	}
	if best == scout.KindCall {
		// "Appel à candidatures : Prix …": a call's word wraps the kind a
		// title names beside it.
		for _, k := range kindOrder[:len(kindOrder)-1] {
			if titleScores[k] > 0 && (best == scout.KindCall || scores[k] > scores[best]) {
				best = k
			}
		}
	}
	for _, k := range kindOrder {
		if k != best && scores[k] > second {
			second = scores[k]
		}
	}
	r := d.rules()
	if len(r.veto.find(d.lower, d.tokens())) > 0 {
		return kindResult{kind: scout.KindNone, conf: 0.8, span: spans[best], vetoed: true, named: best != scout.KindNone}
	}
	cta := d.count(r.cta, ctaRe, 1)
	if deadline {
		cta += 2
	}
	if _, ok := d.rolling(); ok {
		cta++
	}
	news := d.newsScore(r) + 6*float64(len(newsTitleRe.FindAllStringIndex(d.lower[:d.titleEnd], -1)))
	gate := cta
	if dated && !deadline && scores[best] >= 3 {
		// "antes del 15 de septiembre" under a title that names the kind:
		// a dated request, weaker than a named deadline.
		gate++
	}
	named := best != scout.KindNone
	if !named || gate == 0 || news >= gate {
		return kindResult{kind: scout.KindNone, conf: 0.6 + 0.05*min(news, 6), span: spans[best], margin: gate - news, named: named}
	}
	conf := 0.45 + 0.08*(scores[best]-second) + 0.04*min(cta, 5)
	return kindResult{kind: best, conf: min(conf, 0.95), span: spans[best], margin: gate - news, named: true}
}

// kindScores weighs kind words: title 3, categories 3, body 1 (at most 3 per kind).
func kindScores(d *doc) (map[scout.Kind]float64, map[scout.Kind]string, map[scout.Kind]float64) {
	scores := make(map[scout.Kind]float64, 12)
	title := make(map[scout.Kind]float64, 12)
	spans := make(map[scout.Kind]string, 12)
	body := make(map[scout.Kind]float64, 12)
	students := studentsNamed(d)
	contestish := len(contestCues.find(d.lower, d.tokens())) > 0
	r := d.rules()
	for _, h := range r.kinds.find(d.lower, d.tokens()) {
		w, loc := h.phrase, []int{h.start, h.end}
		k, weight := r.kindOfPhrase(w, students, contestish)
		if k == scout.KindUnknown || skipKindWord(d.lower, loc, w) {
			continue
		}
		inTitle := loc[1] <= d.titleEnd
		if strings.HasPrefix(w, "award") && !inTitle {
			continue
		}
		if _, ok := spans[k]; !ok {
			spans[k] = d.text[loc[0]:loc[1]]
		}
		if inTitle {
			scores[k] += 3 * weight
			title[k] += 3 * weight
		} else if body[k] < 3 {
			body[k] += weight
			scores[k] += weight
		}
	}
	if cs := r.lang.compounds; len(cs) > 0 {
		for _, t := range d.tokens() {
			w := d.lower[t.start:t.end]
			if _, ok := r.kindOf[w]; ok {
				continue // the lexicon names this word itself
			}
			for suf, c := range cs {
				if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) && !priceCompound(w) {
					if _, ok := spans[c.kind]; !ok {
						spans[c.kind] = d.text[t.start:t.end]
					}
					if t.end <= d.titleEnd {
						scores[c.kind] += 3 * c.weight
					} else if body[c.kind] < 3 {
						body[c.kind] += c.weight
						scores[c.kind] += c.weight
					}
				}
			}
		}
	}
	for _, h := range r.kinds.find(d.cats, tokenize(d.cats)) {
		if k, weight := r.kindOfPhrase(h.phrase, students, contestish); k != scout.KindUnknown {
			scores[k] += 3 * weight
		}
	}
	if len(scores) == 0 {
		// No word names a kind: a post that looks for people is a call,
		// and one that looks for the makers of a work (illustrators,
		// photographers, muralists, designers) commissions that work.
		k := scout.KindCall
		if len(makerWords.find(d.lower, d.tokens())) > 0 {
			k = scout.KindCommission
		}
		for _, h := range r.seek.find(d.lower, d.tokens()) {
			if _, ok := spans[k]; !ok {
				spans[k] = d.text[h.start:h.end]
			}
			if h.end <= d.titleEnd {
				scores[k] += 1.5
			} else {
				scores[k] = min(scores[k]+0.5, 1.5)
			}
		}
	}
	return scores, spans, title
}

// makerWords name the makers of a work a client pays for, in every
// language (performers and writers are sought by calls as often).
var makerWords = newLexicon("illustrator", "illustrators", "photographer", "photographers", "muralist", "muralists",
	"graphic designer", "graphic designers", "illustrateur*", "illustratrice*", "photographe", "photographes",
	"ilustrador*", "fotógrafo*", "fotógrafa*", "muralista*", "illustrator*", "fotograf", "fotografen", "fotografin*",
	"illustratore", "illustratori", "illustratrice", "fotografo", "fotografi", "illustratör*", "fotografer")

// skipKindWord drops kind words that name who pays rather than what is
// offered ("sponsored by", "commissioned by").
func skipKindWord(lower string, loc []int, w string) bool {
	rest, before := lower[loc[1]:], lower[max(0, loc[0]-8):loc[0]]
	switch {
	case (w == "sponsored" || w == "commissioned") && strings.HasPrefix(rest, " by"):
		return true
	case strings.HasPrefix(w, "commission") && strings.Contains(before, "%"):
		return true // a share of sales ("20% commission"), not a commissioned work
	case strings.HasPrefix(w, "fund") && (strings.HasSuffix(before, "creator ") || strings.HasSuffix(before, "creators ")):
		return true // a platform's payouts to creators ("Creator Fund")
	}
	return false
}

// contestCueRe finds words that make an "award" a prize rather than a grant.
var contestCues = newLexicon("winner", "winners", "winning", "entries", "entry fee", "enter", "judge", "judges", "1st place",
	"first place", "1st prize", "first prize", "grand prix", "shortlist*", "runner-up", "runners-up")

// studentWords name students as the applicants; a student word closely
// followed by a negation ("students are not eligible") does not count.
var studentWords = newLexicon("student", "students", "studierende", "studierenden", "étudiant*", "estudiante*", "estudant*",
	"studenti", "studente", "studenten", "studerande", "studenter")

var studentNegRe = regexp.MustCompile(`^[^.;\n]{0,20}\b(?:not|nicht|ne sont pas|no|não|non|niet|inte|ineligible)\b`)

func studentsNamed(d *doc) bool {
	lower := d.lower
	for _, h := range studentWords.find(lower, d.tokens()) {
		if !studentNegRe.MatchString(lower[h.end:min(h.end+40, len(lower))]) {
			return true
		}
	}
	return false
}

// kindOfPhrase is the kind a phrase of the lexicon names: the language's
// own words first, then the English rules.
func (r *langRules) kindOfPhrase(w string, students, contestish bool) (scout.Kind, float64) {
	if c, ok := r.kindOf[w]; ok {
		if c.kind == scout.KindGrant && students && (strings.HasPrefix(w, "stipendi") || strings.HasPrefix(w, "beca") ||
			strings.HasPrefix(w, "bolsa") || strings.HasPrefix(w, "bourse") || strings.HasPrefix(w, "beurs") || strings.HasPrefix(w, "borsa")) {
			return scout.KindScholarship, c.weight
		}
		return c.kind, c.weight
	}
	return kindOf(w, students, contestish)
}

func kindOf(w string, students, contestish bool) (scout.Kind, float64) {
	switch {
	case strings.HasPrefix(w, "fellow"):
		return scout.KindFellowship, 1
	case strings.HasPrefix(w, "mentor"):
		return scout.KindFellowship, 0.5 // weaker than a cohort's or a lab's own words
	case strings.HasPrefix(w, "residenc"), strings.HasPrefix(w, "résidence"), strings.HasPrefix(w, "artist"), w == "retreat":
		return scout.KindResidency, 1
	case strings.HasPrefix(w, "scholarship"), w == "tuition":
		return scout.KindScholarship, 1
	case strings.Contains(w, "stipendi"):
		if students {
			return scout.KindScholarship, 1
		}
		return scout.KindGrant, 1
	case strings.HasPrefix(w, "bursar"):
		if students {
			return scout.KindScholarship, 1
		}
		return scout.KindGrant, 1
	case strings.HasPrefix(w, "accelerator"), strings.HasPrefix(w, "incubator"), w == "cohort", w == "pre-seed", w == "equity",
		strings.HasSuffix(w, " lab"):
		return scout.KindAccelerator, 1
	case strings.HasPrefix(w, "commission"), w == "rfq", w == "request for qualifications", w == "public art":
		return scout.KindCommission, 1
	case strings.HasPrefix(w, "contest"), strings.HasPrefix(w, "competition"), strings.HasPrefix(w, "prize"),
		w == "game jam", w == "wettbewerb", w == "concours":
		return scout.KindContest, 1
	case w == "challenge":
		return scout.KindContest, 0.7
	case strings.HasPrefix(w, "award"):
		if contestish {
			return scout.KindContest, 0.7
		}
		return scout.KindGrant, 0.7
	case strings.HasPrefix(w, "sponsor"), strings.Contains(w, "partnership"), strings.HasPrefix(w, "ambassador"),
		strings.Contains(w, "collab"), strings.HasPrefix(w, "brand deal"), w == "ugc", strings.HasPrefix(w, "partner "),
		strings.Contains(w, "creator p"):
		return scout.KindSponsorship, 1
	case w == "now booking", w == "is booking":
		return scout.KindCall, 1
	case w == "submission", w == "submissions":
		return scout.KindCall, 0.5
	case strings.HasPrefix(w, "call for"), w == "open call", strings.HasPrefix(w, "submissions"), w == "now accepting",
		w == "ausschreibung", w == "appel à candidatures", strings.HasPrefix(w, "pitch"):
		return scout.KindCall, 1
	case strings.HasPrefix(w, "fund"):
		return scout.KindGrant, 0.5
	case strings.Contains(w, "grant"), w == "aide à la création", strings.Contains(w, "förder"), strings.HasPrefix(w, "subvention"):
		return scout.KindGrant, 1
	case w != "":
		return scout.KindJob, 1
	}
	return scout.KindUnknown, 0
}

// priceCompound reports whether a compound names a price ("Eintrittspreis",
// "toegangsprijs", "biljettpris"), not a prize.
func priceCompound(w string) bool {
	for _, p := range []string{"eintritt", "ticket", "kauf", "verkauf", "miet", "sonder", "toegang", "entree", "inträde", "biljett",
		"kostprijs", "verkoop", "vorverkauf", "normal", "teilnahme", "deelname", "anmälnings"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// announceWords announce something; what follows decides whether it is
// news ("has announced the winners") or a call ("has announced its 2026
// residency").
var announceWords = map[string]bool{"today announced": true, "announced today": true, "has announced": true, "launches": true,
	"will announce": true}

// winnerWords are the news words that name winners; followed by a verb of
// receiving they state what a call offers ("el ganador recibirá 500 €").
var winnerWords = map[string]bool{"gewinner": true, "ganador": true, "lauréat": true, "vincitor": true, "winnaar": true,
	"vencedor": true, "vinnare": true, "preisträger": true, "winners of": true}

// receiveWords say what a winner gets, in the present or future tense.
var receiveWords = newLexicon("receive", "receives", "will receive", "wins", "will win", "gets", "will get", "erhält", "erhalten",
	"bekommt", "bekommen", "recibe", "recibirá", "recibirán", "recibe un", "obtendrá", "obtendrán", "recevra", "recevront",
	"reçoit", "reçoivent", "remportera", "riceve", "riceverà", "riceveranno", "otterrà", "ontvangt", "ontvangen", "krijgt",
	"krijgen", "wint", "får", "erhåller", "tilldelas", "recebe", "receberá", "receberão", "recebem", "ganha", "ganhará")

// newsScore weighs the signs of news like count, except that an
// announcement followed closely by a kind word announces the call itself.
func (d *doc) newsScore(r *langRules) float64 {
	var kinds []hit
	var n float64
	var receives []hit
	for _, h := range r.news.find(d.lower, d.tokens()) {
		if winnerWords[h.phrase] {
			if receives == nil {
				receives = receiveWords.find(d.lower, d.tokens())
			}
			if kindWordWithin(receives, h.end, clauseEnd(d.lower, h.end, 80)) {
				continue // "the winner receives €500": what a call offers, not a result
			}
			if toWinner(d.lower[max(0, h.start-12):h.start]) {
				continue // "assegna 1.500 euro al vincitore": what goes to the winner
			}
		}
		if announceWords[h.phrase] {
			if kinds == nil {
				kinds = r.kinds.find(d.lower, d.tokens())
			}
			if kindWordWithin(kinds, h.end, h.end+60) {
				continue
			}
		}
		if h.end <= d.titleEnd {
			n += 6
		} else {
			n += 3
		}
	}
	title := d.lower[:d.titleEnd]
	n += 6 * float64(len(r.titleNews.find(title, tokenize(title))))
	for _, loc := range newsRe.FindAllStringIndex(d.lower, -1) {
		if loc[1] <= d.titleEnd {
			n += 6
		} else {
			n += 3
		}
	}
	return n
}

// toWinner reports whether the words before a winner word give something
// to the winner ("to the winner", "al ganador", "ao vencedor", "au
// lauréat", "an den Gewinner", "aan de winnaar", "till vinnaren").
func toWinner(before string) bool {
	for _, p := range []string{"to the ", "al ", "a la ", "ao ", "à ", "au ", "alla ", "an den ", "an die ", "aan de ", "till "} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}

func kindWordWithin(hs []hit, from, to int) bool {
	for _, h := range hs {
		if h.start >= from && h.start < to {
			return true
		}
	}
	return false
}

// count counts the phrases of lx and matches of re, a title match weighing
// 2*base and a body match base.
func (d *doc) count(lx *lexicon, re *regexp.Regexp, base float64) float64 {
	var n float64
	add := func(end int) {
		if end <= d.titleEnd {
			n += 2 * base
		} else {
			n += base
		}
	}
	for _, h := range lx.find(d.lower, d.tokens()) {
		add(h.end)
	}
	for _, loc := range re.FindAllStringIndex(d.lower, -1) {
		add(loc[1])
	}
	return n
}
