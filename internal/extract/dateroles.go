package extract

import (
	"sort"
	"strings"
	"time"
)

// judge decides from the words before a date whether it is a deadline, an
// opening date or something else, and how sure the rules are.
func judge(d *doc, ms []mention, i int) {
	m := &ms[i]
	ps := clauseStart(d.lower, m.start, 90)
	if i > 0 && ms[i-1].end > ps {
		ps = ms[i-1].end // mentions are sorted and do not overlap
	}
	prefix := d.lower[ps:m.start]
	m.cueEnd = ps
	if i > 0 && ms[i-1].end == ps && (ms[i-1].role == roleOpens || ms[i-1].role == roleDeadline) && rangeJoin(prefix) {
		// "accepted February 20 to March 20", "Plazo: del 10 de febrero
		// al 10 de marzo": the window's end is the deadline, its start
		// the opening, in the year the end states.
		p := &ms[i-1]
		m.role, m.score, m.window = roleDeadline, max(p.score, 3), true
		p.role, p.score = roleOpens, 0
		if !p.hasYear && m.hasYear {
			p.y = m.y
			if p.m > m.m {
				p.y--
			}
		}
		return
	}
	if i > 0 && ms[i-1].end == ps && listSeparator(prefix) && ms[i-1].role != roleOther {
		// "Deadlines: 15 March, 15 June and 15 September": a date listed
		// after another is what that one is.
		p := &ms[i-1]
		m.role, m.score, m.listed, p.listed = p.role, p.score, true, p.role == roleDeadline
		m.cueEnd = m.start
		return
	}
	cues := dateCues(prefix, d.lang == "en")
	if len(cues) == 0 && strings.TrimSpace(prefix) == "" || len(cues) == 0 && weekdayOnly(prefix) {
		// A date alone on its line takes its cue from a short heading line
		// above ("DEADLINE\nJuly 31, 2026").
		if h := headingAbove(d.lower, ps); h >= 0 {
			ps, prefix = h, d.lower[h:m.start]
			cues = dateCues(prefix, d.lang == "en")
		}
	}
	if len(cues) == 0 {
		return
	}
	last := cues[len(cues)-1]
	m.cueEnd = ps + last[1]
	word := prefix[last[0]:last[1]]
	event := false
	for _, c := range cues {
		switch cueKind(prefix[c[0]:c[1]]) {
		case cueEvent:
			event = true
		case cueStrong:
			event = false // "The season runs September to November, and applications are due by May 8"
		}
	}
	if event && len(applyWords.find(prefix, tokenize(prefix))) > 0 {
		event = false // "Apply via the festival's website by 3 April": the event word names who asks
	}
	m.event = event
	m.window = strings.Contains(word, "window") || word == "reading period"
	switch cueKind(word) {
	case cueStrong:
		m.role, m.score = roleDeadline, 3
	case cueWeak:
		if event {
			return
		}
		m.role, m.score = roleDeadline, 2
		if strongBefore(prefix, cues) || len(applyWords.find(prefix, tokenize(prefix))) > 0 {
			// "Send your headshot by April 20", "Mándanos tu propuesta antes
			// del 31 de mayo", "Plazo: hasta el 15 de mayo": a weak cue in
			// the clause that asks for the application, or after a strong
			// cue, is its deadline.
			m.score = 3
		}
	case cueOpen:
		m.role = roleOpens
		if m.from != nil {
			// "Inscripciones abiertas del 1 al 31 de marzo": an open
			// window's end is the deadline.
			m.role, m.score, m.window = roleDeadline, 3, true
		}
		return
	default:
		return
	}
	m.score += tierBonus(d.lower[clauseStart(d.lower, m.start, 160):m.start])
	if m.hasYear && !d.pub.IsZero() && time.Date(m.y, m.m, m.d, 23, 59, 59, 0, time.UTC).Before(d.pub.AddDate(0, 0, -1)) {
		m.score -= 2
	}
}

// strongBefore reports whether a strong deadline cue stands among a
// date's cues before its last one.
func strongBefore(prefix string, cues [][]int) bool {
	for _, c := range cues[:len(cues)-1] {
		if cueKind(prefix[c[0]:c[1]]) == cueStrong {
			return true
		}
	}
	return false
}

// applyWords ask for an application in the clause of a date; with one, an
// event word there ("festival", "exhibition") names the caller, not what
// happens on the date.
var applyWords = newLexicon("apply", "submit", "send", "enter", "postula", "postular", "envía", "enviad", "envíen", "presenta",
	"envoyez", "envoyer", "postuler", "candidater", "bewerben", "bewerbt", "bewirb", "einreichen", "reicht", "schickt",
	"inscreve-te", "envie", "enviem", "candidatar", "candidata-te", "inviare", "inviate", "candidarsi", "candidati", "invia",
	"aanmelden", "stuur", "meld", "ansök", "ansöker", "skicka", "skickar", "dm us", "email us", "pitch", "register", "sign up",
	"mándanos", "envíanos", "manda", "mandad", "inscríbete", "envoie", "envoie-nous", "envoyez-nous", "inscrivez-vous", "schick",
	"schick uns", "schickt uns", "meldet euch", "inviaci", "mandaci", "iscriviti", "envia", "envie-nos", "inscreva-se",
	"inschrijven", "schrijf je in", "anmäl", "inzenden", "insturen", "indienen")

// dateCues returns the cues in a date's prefix, in order: the English
// ones dateCueRe finds and every language's cue words.
func dateCues(prefix string, english bool) [][]int {
	cues := adjacentOnly(prefix, dateCueRe.FindAllStringIndex(prefix, -1))
	if english {
		return cues
	}
	hs := langDateCues.find(prefix, tokenize(prefix))
	if len(hs) == 0 {
		return cues
	}
	for _, h := range hs {
		if !adjacentCues[prefix[h.start:h.end]] || strings.TrimSpace(prefix[h.end:]) == "" {
			cues = append(cues, []int{h.start, h.end})
		}
	}
	sort.Slice(cues, func(i, j int) bool { return cues[i][0] < cues[j][0] })
	return cues
}

// adjacentCues are cue words common enough in other senses ("voor
// theatermakers", "innan du skickar") that they cue only a date that
// follows them at once ("Aanmelden voor 20 april", "Ansök innan 15 maj",
// "DMs open til 5/5").
var adjacentCues = map[string]bool{"voor": true, "innan": true, "til": true}

// adjacentOnly drops the adjacentCues of cues that a date does not follow
// at once.
func adjacentOnly(prefix string, cues [][]int) [][]int {
	out := cues[:0]
	for _, c := range cues {
		if !adjacentCues[prefix[c[0]:c[1]]] || strings.TrimSpace(prefix[c[1]:]) == "" {
			out = append(out, c)
		}
	}
	return out
}

// listSeparator reports whether s only joins two listed dates.
func listSeparator(s string) bool {
	switch strings.TrimSpace(s) {
	case ",", "and", "et", "y", "e", "und", "en", "och", "or", "ou", "o", "oder", "of", "eller", ";", "/", "&", ", and", ", et", ", y":
		return true
	}
	return false
}

// rangeJoin reports whether s joins the two ends of a date range.
func rangeJoin(s string) bool {
	switch strings.TrimSpace(s) {
	case "to", "-", "–", "—", "until", "through", "till", "and", "bis", "bis zum", "au", "jusqu'au", "al", "hasta el", "a", "tot",
		"tot en met", "t/m", "fino al", "till och med":
		return true
	}
	return false
}

// weekdayOf numbers the weekdays of every language, which may stand
// between a cue and a date, or alone after a cue for the next such day.
var weekdayOf = func() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	for _, names := range [][]string{
		{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"},
		{"sonntag", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag"},
		{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"},
		{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
		{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
		{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"},
	} {
		for i, n := range names {
			m[n] = time.Weekday(i)
		}
	}
	return m
}()

// weekdays finds weekdayOf's names.
var weekdays = func() *lexicon {
	ws := make([]string, 0, len(weekdayOf))
	for w := range weekdayOf {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	return newLexicon(ws...)
}()

func weekdayOnly(s string) bool {
	toks := tokenize(s)
	return len(toks) == 1 && len(weekdays.find(s, toks)) == 1
}

// headingAbove returns where the line above the one holding pos starts
// when that line is a short heading, or -1.
func headingAbove(lower string, pos int) int {
	ls := strings.LastIndexByte(lower[:pos], '\n')
	if ls <= 0 {
		return -1
	}
	if strings.TrimSpace(lower[ls+1:pos]) != "" && !weekdayOnly(lower[ls+1:pos]) {
		return -1
	}
	ps := strings.LastIndexByte(lower[:ls], '\n') + 1
	if ls-ps > 40 || strings.TrimSpace(lower[ps:ls]) == "" {
		return -1
	}
	return ps
}

const (
	cueNone = iota
	cueStrong
	cueWeak
	cueOpen
	cueEvent
)

func cueKind(w string) int {
	if k, ok := dateCueWords[w]; ok {
		return k
	}
	if k, ok := dateCueWords[normCue(w)]; ok {
		return k
	}
	switch {
	case w == "by", w == "until", w == "til", w == "through", w == "before", w == "bis", w == "jusqu":
		return cueWeak
	case strings.HasPrefix(w, "open"), w == "accepted from", w == "accepted":
		return cueOpen
	case w == "deadline", w == "due", strings.HasPrefix(w, "clos"), strings.HasPrefix(w, "shut"), strings.HasPrefix(w, "date limite"), strings.HasSuffix(w, "schluss"),
		strings.Contains(w, "frist"), w == "last date", w == "last day", w == "extended to", w == "application period", w == "ends",
		w == "no later than", w == "received by", strings.Contains(w, "window"), w == "reading period":
		return cueStrong
	case w != "":
		return cueEvent
	}
	return cueNone
}

// tierBonus ranks dates of a tiered call: early tiers lose to final,
// late and extended ones. A full application is not ranked down: it is
// the application deadline (fullStage chooses it after a first stage).
func tierBonus(clause string) int {
	b := 0
	for _, loc := range tierRe.FindAllStringIndex(clause, -1) {
		switch w := clause[loc[0]:loc[1]]; {
		case w == "early":
			b--
		case w == "final", w == "late", w == "extended":
			b++
		}
	}
	return max(min(b, 1), -3)
}

// local is a date as the text wrote it: the calendar day, the time of day
// and the zone when stated.
type local struct {
	y        int
	m        time.Month
	d        int
	c        clock
	hasClock bool
	z        zone
	hasZone  bool
}

// instant is the UTC time of l; a day without a time means 23:59:59.
func (l local) instant() time.Time {
	c := l.c
	if !l.hasClock {
		c = clock{h: 23, m: 59, s: 59}
	}
	return l.z.at(l.y, l.m, l.d, c.h, c.m, c.s)
}

// resolveLocal reads the time and zone written in or around mention i.
func resolveLocal(d *doc, ms []mention, i int) local {
	m := &ms[i]
	l := local{y: m.y, m: m.m, d: m.d}
	if c := m.clock; c != nil {
		l.c, l.hasClock = *c, true
		if c.z != nil {
			l.z, l.hasZone = *c.z, true
		} else {
			l.z, l.hasZone = zoneNear(d.text, m.end, 10) // "2026.07.31 18:00 KST"
		}
		return l
	}
	se := clauseEnd(d.lower, m.end, 45)
	if rest := d.lower[m.end:]; strings.HasPrefix(rest, " kl.") || strings.HasPrefix(rest, ", kl.") {
		se = min(len(d.lower), m.end+16) // "15 april 2026 kl. 12.00": the abbreviation's dot ends no clause
	}
	if i+1 < len(ms) && ms[i+1].start < se {
		se = ms[i+1].start
	}
	if se < len(d.lower) && !isBoundary(d.lower, se) {
		se = extendClock(d.lower, se) // a clock the byte limit cut ("11:59:59 | PM")
	}
	c, zoneFrom, ok := findClock(d.lower[m.end:se], m.end, true)
	if !ok {
		c, zoneFrom, ok = findClock(d.lower[m.cueEnd:m.start], m.cueEnd, false)
	}
	z, zok := zoneNear(d.text, zoneFrom, 16)
	if !zok {
		z, zok = zoneNear(d.text, m.end, 10)
	}
	if !zok && m.cueEnd < m.start {
		z, zok = zoneIn(d.text[m.cueEnd:m.start])
	}
	l.c, l.hasClock, l.z, l.hasZone = c, ok, z, zok
	return l
}

// extendClock moves a window's end past a time of day it cuts: digits,
// colons and an "a.m."/"pm" that follows them.
func extendClock(lower string, end int) int {
	i := end
	for i < len(lower) && i < end+8 && (isDigit(lower[i]) || lower[i] == ':') {
		i++
	}
	j := i
	for j < len(lower) && lower[j] == ' ' {
		j++
	}
	if j < len(lower) && (lower[j] == 'a' || lower[j] == 'p') {
		k := j + 1
		if k < len(lower) && lower[k] == '.' {
			k++
		}
		if k < len(lower) && lower[k] == 'm' {
			return k + 1
		}
	}
	return i
}

// findClock finds a time of day in s (which starts at offset base); first
// picks the first match, otherwise the last. It returns the clock and the
// offset just after it, where a zone may follow.
func findClock(s string, base int, first bool) (clock, int, bool) {
	locs := timeRe.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 {
		return clock{}, -1, false
	}
	loc := locs[len(locs)-1]
	if first {
		loc = locs[0]
	}
	var c clock
	switch {
	case loc[12] >= 0:
		if w := s[loc[12]:loc[13]]; w == "noon" || w == "midday" || w == "midi" || w == "mediodía" || w == "mezzogiorno" || w == "mittag" {
			c = clock{h: 12}
		} else {
			c = clock{h: 23, m: 59, s: 59}
		}
	case loc[14] >= 0:
		c = clock{h: atoiAt(s, loc, 7), m: max(atoiAt(s, loc, 8), 0)}
	case loc[18] >= 0:
		c = clock{h: atoiAt(s, loc, 9), m: atoiAt(s, loc, 10)}
	case loc[22] >= 0: // "ore 12"
		c = clock{h: atoiAt(s, loc, 11), m: max(atoiAt(s, loc, 12), 0)}
	case loc[2] >= 0:
		h, mm := atoiAt(s, loc, 1), max(atoiAt(s, loc, 2), 0)
		h %= 12
		if s[loc[6]] == 'p' {
			h += 12
		}
		c = clock{h: h, m: mm}
	default:
		c = clock{h: atoiAt(s, loc, 4), m: atoiAt(s, loc, 5)}
	}
	if c.h > 23 || c.m > 59 {
		return clock{}, -1, false
	}
	return c, base + loc[1], true
}

// zoneNear reads a zone starting within n bytes after pos.
func zoneNear(text string, pos, n int) (zone, bool) {
	if pos < 0 || pos > len(text) {
		return zone{}, false
	}
	end := min(pos+n+28, len(text)) // room for a zone in words ("hora del centro de México")
	s := text[pos:end]
	if !mayHoldZone(s) {
		return zone{}, false
	}
	loc := zoneRe.FindStringSubmatchIndex(s)
	if loc == nil || loc[0] > n {
		return zone{}, false
	}
	return parseZone(s, loc)
}

func zoneIn(s string) (zone, bool) {
	if !mayHoldZone(s) {
		return zone{}, false
	}
	loc := zoneRe.FindStringSubmatchIndex(s)
	if loc == nil {
		return zone{}, false
	}
	return parseZone(s, loc)
}
