package extract

import (
	"regexp"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// kindRe finds words that name an opportunity kind (on lowered text).
var kindRe = regexp.MustCompile(`\b(?:micro-)?grants?\b|\bbursar(?:y|ies)\b|\bfund(?:s|ing)?\b|aide à la création|förder\w*|\bsubventions?\b` +
	`|\bfellowships?\b|\bfellows\b` +
	`|\bresidenc(?:y|ies)\b|résidence|\bresidencia\b|\bartists?[- ]in[- ]residence\b|\bretreat\b` +
	`|\bcommission(?:s|ed|ing)?\b|\brfq\b|\brequest for qualifications\b|\bpublic art\b` +
	`|\bcontests?\b|\bcompetitions?\b|\bprizes?\b|\bgame jam\b|\bwettbewerb\b|\bconcours\b|\bawards?\b` +
	`|\bcall for (?:entries|submissions|proposals|papers|pitches|artists|works|applications|participants)\b|\bopen call\b|\bsubmissions (?:are )?open\b|\bnow accepting\b|\bsubmissions?\b|\bausschreibung\b|appel à candidatures|\bpitch(?:es)?\b` +
	`|\bscholarships?\b|stipendi(?:um|en)\b|\btuition\b` +
	`|\baccelerators?\b|\bincubators?\b|\bcohort\b|\bpre-seed\b|\bequity\b` +
	`|\bsponsor(?:s|ed|ing|ship|ships)?\b|\bbrand partnerships?\b|\bambassadors?\b|\bpaid partnerships?\b|\bcreator partnership` +
	`|\bhiring\b|\bjobs?\b|\bvacanc(?:y|ies)\b|\bposition\b|\bsalary\b|\bgig\b|\bfreelance\b|\baudition\b|\bpart-time\b|\bfull-time\b|\bstage manager\b|\bproducer\b|\bcurator\b|\bteaching artist\b|\bcontract\b`)

// ctaRe finds calls to action: what an open opportunity asks readers to do.
var ctaRe = regexp.MustCompile(`\bapply\b|\bapplications? (?:are |is )?(?:due|open|close|closes|accepted|must|reviewed)\b|\bdeadline\b|\bdue\b|\bsubmit\b|\bsubmissions?\b|\baccepting\b|\baccepts\b|\binvites\b|\bopen call\b|\bcall for\b` +
	`|\bcloses\b|\bclosing date\b|\bclose on\b|\benter by\b|\bsend (?:your|us|links|a reel)\b|\bis hiring\b|\bwe're hiring\b|\bnow hiring\b|\bseeks\b|\blooking for\b|\bis recruiting\b` +
	`|\bregistration closes\b|\brolling\b|\buntil (?:the )?(?:position is |positions are )?filled\b|\bwin\b|\bpitches close\b|\bpitch window\b|\bdate limite\b|bewerbung|\beinsendeschluss\b|\bends\b|\bwanted\b|\bsign up\b|\baccept applications\b|\bapplications (?:will be |are )?accepted\b|\bopen for (?:applications|submissions|entries|proposals)\b|\bseeking\b|\bjob opening\b|\bregister\b|\bapplications for [^.;]{0,60}?\b(?:are open|are now open|open|close|closes|are due)\b|\bapplications (?:are )?accepted\b`)

// newsRe finds signs of news, reports, events and announcements of past awards.
var newsRe = regexp.MustCompile(`today announced|announced today|has announced|have been announced|winners announced|\bwinners of\b|announce the winners|were awarded|was awarded|has awarded|has received|\breceived a\b|congratulations|\bmeet the\b|\brecipients\b|have selected|has selected|thank you to|thanks to (?:everyone|all)` +
	`|deadline passed|has passed|is paused|are paused|\bcancel+ed\b|sold out|remembering|\bdied\b|obituary|report finds|a new study|study finds|according to|annual report|lauréats|vergeben|last night|\bappointed\b|\blaunches\b|\bvolunteers\b|\b(?:are|is) (?:now )?closed\b|\bhave closed\b|\bwill announce\b|\bselected from\b|\bon view\b|\bjoin (?:us|our) (?:[\w-]+ ){0,3}(?:workshop|webinar|session|talk|event|celebration)`)

// newsTitleRe finds words that mark news only when they head the item.
var newsTitleRe = regexp.MustCompile(`\brecap\b|spotlight|\blineup\b|\breview:|q&a|\binterview\b|\bepisode\b|\bhow to\b|\btips for\b|\bopinion\b|\bresults\b|what happens|\breport\b|\bwinners\b|\bmeet\b|\bworkshop\b|\bwebinar\b|\bmasterclass\b|\binfo session\b`)

type kindResult struct {
	kind scout.Kind
	conf float64
	span string
}

// kindOrder breaks ties: the more specific kind wins.
var kindOrder = []scout.Kind{scout.KindFellowship, scout.KindResidency, scout.KindScholarship, scout.KindAccelerator,
	scout.KindCommission, scout.KindContest, scout.KindSponsorship, scout.KindJob, scout.KindGrant, scout.KindCall}

func classify(d *doc, deadline bool) kindResult {
	scores, spans := kindScores(d)
	best, second := scout.KindNone, 0.0
	for _, k := range kindOrder {
		if s := scores[k]; s > scores[best] {
			best = k
		}
	}
	for _, k := range kindOrder {
		if k != best && scores[k] > second {
			second = scores[k]
		}
	}
	cta := countWeighted(d, ctaRe, 1)
	if deadline {
		cta += 2
	}
	if rollingRe.MatchString(d.lower) {
		cta++
	}
	news := countWeighted(d, newsRe, 3) + 6*float64(len(newsTitleRe.FindAllStringIndex(d.lower[:d.titleEnd], -1)))
	if best == scout.KindNone || cta == 0 || news >= cta {
		return kindResult{kind: scout.KindNone, conf: 0.6 + 0.05*min(news, 6), span: spans[best]}
	}
	conf := 0.45 + 0.08*(scores[best]-second) + 0.04*min(cta, 5)
	return kindResult{kind: best, conf: min(conf, 0.95), span: spans[best]}
}

// kindScores weighs kind words: title 3, categories 3, body 1 (at most 3 per kind).
func kindScores(d *doc) (map[scout.Kind]float64, map[scout.Kind]string) {
	scores := make(map[scout.Kind]float64, 12)
	spans := make(map[scout.Kind]string, 12)
	body := make(map[scout.Kind]float64, 12)
	students := strings.Contains(d.lower, "student") || strings.Contains(d.lower, "studierende")
	contestish := contestCueRe.MatchString(d.lower)
	for _, loc := range kindRe.FindAllStringIndex(d.lower, -1) {
		w := d.lower[loc[0]:loc[1]]
		k, weight := kindOf(w, students, contestish)
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
		} else if body[k] < 3 {
			body[k] += weight
			scores[k] += weight
		}
	}
	for _, loc := range kindRe.FindAllStringIndex(d.cats, -1) {
		if k, weight := kindOf(d.cats[loc[0]:loc[1]], students, contestish); k != scout.KindUnknown {
			scores[k] += 3 * weight
		}
	}
	return scores, spans
}

// skipKindWord drops kind words that name who pays rather than what is
// offered ("sponsored by", "commissioned by").
func skipKindWord(lower string, loc []int, w string) bool {
	rest := lower[loc[1]:]
	return (w == "sponsored" || w == "commissioned") && strings.HasPrefix(rest, " by")
}

// contestCueRe finds words that make an "award" a prize rather than a grant.
var contestCueRe = regexp.MustCompile(`\bwinners?\b|\bwinning\b|\bentries\b|\bentry fee\b|\benter\b|\bjudges?\b|\b(?:1st|first) (?:place|prize)\b|\bgrand prix\b|\bshortlist|\brunners?-up\b`)

func kindOf(w string, students, contestish bool) (scout.Kind, float64) {
	switch {
	case strings.HasPrefix(w, "fellow"):
		return scout.KindFellowship, 1
	case strings.HasPrefix(w, "residenc"), strings.HasPrefix(w, "résidence"), strings.HasPrefix(w, "artist"), w == "retreat":
		return scout.KindResidency, 1
	case strings.HasPrefix(w, "scholarship"), w == "tuition":
		return scout.KindScholarship, 1
	case strings.HasPrefix(w, "stipendi"), strings.HasSuffix(w, "stipendium"), strings.HasSuffix(w, "stipendien"):
		if students {
			return scout.KindScholarship, 1
		}
		return scout.KindGrant, 1
	case strings.HasPrefix(w, "bursar"):
		if students {
			return scout.KindScholarship, 1
		}
		return scout.KindGrant, 1
	case strings.HasPrefix(w, "accelerator"), strings.HasPrefix(w, "incubator"), w == "cohort", w == "pre-seed", w == "equity":
		return scout.KindAccelerator, 1
	case strings.HasPrefix(w, "commission"), w == "rfq", w == "request for qualifications", w == "public art":
		return scout.KindCommission, 1
	case strings.HasPrefix(w, "contest"), strings.HasPrefix(w, "competition"), strings.HasPrefix(w, "prize"),
		w == "game jam", w == "wettbewerb", w == "concours":
		return scout.KindContest, 1
	case strings.HasPrefix(w, "award"):
		if contestish {
			return scout.KindContest, 0.7
		}
		return scout.KindGrant, 0.7
	case strings.HasPrefix(w, "sponsor"), strings.Contains(w, "partnership"), strings.HasPrefix(w, "ambassador"):
		return scout.KindSponsorship, 1
	case w == "submission", w == "submissions":
		return scout.KindCall, 0.5
	case strings.HasPrefix(w, "call for"), w == "open call", strings.HasPrefix(w, "submissions"), w == "now accepting",
		w == "ausschreibung", w == "appel à candidatures", strings.HasPrefix(w, "pitch"):
		return scout.KindCall, 1
	case strings.HasPrefix(w, "fund"):
		return scout.KindGrant, 0.5
	case strings.Contains(w, "grant"), w == "aide à la création", strings.HasPrefix(w, "förder"), strings.HasPrefix(w, "subvention"):
		return scout.KindGrant, 1
	case w != "":
		return scout.KindJob, 1
	}
	return scout.KindUnknown, 0
}

// countWeighted counts matches of re, weighting title matches by titleWeight
// times the base weight 1 and body matches by 1, times base.
func countWeighted(d *doc, re *regexp.Regexp, base float64) float64 {
	var n float64
	for _, loc := range re.FindAllStringIndex(d.lower, -1) {
		if loc[1] <= d.titleEnd {
			n += 2 * base
		} else {
			n += base
		}
	}
	return n
}
