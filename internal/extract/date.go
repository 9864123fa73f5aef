package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// monthAlt matches a word that may be a month; the caller checks it is one
// (monthNumbers). A word class is much cheaper to run than an alternation
// of every language's month names.
const monthAlt = `(\pL+)`

// Date patterns, matched on lowered text at the start of a word (see
// findMentions): anchored, they run on a few bytes instead of the whole text.
var (
	isoDateRe   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ](\d{2}):(\d{2})(?::(\d{2}))?(z|[+-]\d{2}:?\d{2})?)?\b`)
	numDateRe   = regexp.MustCompile(`^(\d{1,2})([./-])(\d{1,2})(?:[./-](\d{4}|\d{2}))?\b`)
	monthDateRe = regexp.MustCompile(`^` + monthAlt + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–—]\s*(?:` + monthAlt + `\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(\d{4}))?\b`)
	dayDateRe   = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th|er|e|º|°|ª)?\.?(?:\s*(?:[-–—]|al|au|bis|a|tot|till|to)\s*(\d{1,2})(?:st|nd|rd|th|er|e|º)?\.?)?\s+(?:of\s+|de\s+|di\s+)?` + monthAlt + `\b\.?(?:,?\s+(?:de\s+|del\s+)?(\d{4}))?`)
)

// monthNumbers are the month names of every language.
var monthNumbers = allMonths

// dueTimeRe finds a time stated once for the listed due date, as federal
// notices state it ("by 11:59 p.m. Eastern Time on the listed application
// due date").
var dueTimeRe = regexp.MustCompile(`(\d{1,2}(?::\d{2}){0,2}\s*(?i:[ap]\.?\s?m\.?))[,\s]*\(?((?i:eastern|central|mountain|pacific)(?i: standard| daylight)?(?i: time)?|ET|EST|EDT|CT|CST|MT|PT|PST)\)?[^.\n]{0,40}?\b(?:on|of)\b[^.\n]{0,40}?(?:due|closing|close|deadline) date`)

// afterTimeRe finds the time and zone the sentence after a due date
// states for submitting by it ("Closing Date: March 2, 2026. Applications
// must be submitted by 11:59 PM ET."), with no other number between.
var afterTimeRe = regexp.MustCompile(`^[^\n\d]{0,140}?\b(?:submitted|received|due|validated|uploaded)\b[^\n\d]{0,60}?\bby\s+(\d{1,2}(?::\d{2}){0,2}\s*(?i:[ap]\.?\s?m\.?))[,\s]*\(?((?i:eastern|central|mountain|pacific)(?i: standard| daylight)?(?i: time)?|ET|EST|EDT|CT|CST|MT|PT|PST)\b`)

// afterDateTime returns the time and zone afterTimeRe finds after the
// date that ends at end.
func afterDateTime(d *doc, end int) (clock, zone, bool) {
	loc := afterTimeRe.FindStringSubmatchIndex(d.text[end:min(end+240, len(d.text))])
	if loc == nil {
		return clock{}, zone{}, false
	}
	c, _, ok := findClock(d.lower[end+loc[2]:end+loc[3]], 0, true)
	z, zok := zoneIn(d.text[end+loc[4] : end+loc[5]])
	return c, z, ok && zok
}

// dueDateTime returns the time and zone a text states for its due date
// apart from the date, if any.
func dueDateTime(d *doc, c clock, z zone) (clock, zone, bool, bool) {
	if !strings.Contains(d.lower, "due date") && !strings.Contains(d.lower, "closing date") && !strings.Contains(d.lower, "close date") &&
		!strings.Contains(d.lower, "deadline date") {
		return c, z, false, false // a cheap test before the expression
	}
	loc := dueTimeRe.FindStringSubmatchIndex(d.text)
	if loc == nil {
		return c, z, false, false
	}
	nc, _, ok := findClock(d.lower[loc[2]:loc[3]], 0, true)
	nz, zok := zoneIn(d.text[loc[4]:loc[5]])
	if !ok || !zok {
		return c, z, false, false
	}
	return nc, nz, true, true
}

// Cues before a date say what the date is (matched on lowered text).
var (
	dateCueRe = regexp.MustCompile(`deadline|\bdue\b|\bclos(?:e|es|ing)\b|\bshut(?:s|ting)?\b|date limite|bewerbungsschluss|einsendeschluss|bewerbungsfrist|frist|last date|last day|extended to|application period|\bends\b|no later than|received by` +
		`|submissions? window runs|window runs|submission window|submissions window|reading period|\bby\b|\buntil\b|\btil\b|\bthrough\b|\bbefore\b|\bbis\b|\bjusqu` +
		`|\bopen(?:s|ing)?\b|accepted from|\baccepted\b` +
		`|takes? place|taking place|\bruns?\b|\bheld\b|premiere|reception|ceremony|showcase|announced|\bbegins?\b|\bstarts?\b|rehearsal|\bauditions\b|festival|exhibition|performance|concert|\blaunch|on view|session|workshop|webinar|notif|decision|results|\bon sale\b`)
	tierRe = regexp.MustCompile(`\bearly\b|\bfinal\b|\blate\b|\bextended\b|\bfull (?:application|proposal|paper|submission)s?\b|\binvited\b|\bshortlisted\b`)
	timeRe = regexp.MustCompile(`\b(\d{1,2})(?:[:.](\d{2})(?::\d{2})?)?\s*([ap])\.?\s?m\b\.?|\b(\d{1,2})(?::|\s?h\s?|u)(\d{2})\b|\b(?:12 )?(noon|midday|midi|mediodía|mezzogiorno|mittag|midnight|minuit|mitternacht|medianoche|mezzanotte|middernacht|midnatt|meia-noite)\b` +
		`|\b(\d{1,2})(?:[.:](\d{2}))?\s?(?:uhr|h|uur|horas|hrs|hs|heures)\b|\bkl\.?\s?(\d{1,2})[.:](\d{2})\b|\bore\s(\d{1,2})(?:[.:](\d{2}))?\b`)
)

// mention is one date found in the text, with what its context says it is.
type mention struct {
	start, end int
	y          int
	m          time.Month
	d          int
	from       *mention // range start, if the date is a range
	hasYear    bool
	clock      *clock // time written inside the date itself (ISO)
	role       int
	score      int
	cueEnd     int  // where the time and zone words before the date may start
	listed     bool // one of several dates listed under one cue
	window     bool // the end of a submission window or reading period
	event      bool // a cue before the date names an event (exhibition, premiere, …)
	approx     bool // a month's end standing for a day the text may state elsewhere
}

type clock struct {
	h, m, s int
	z       *zone
}

const (
	roleOther = iota
	roleDeadline
	roleOpens
)

// hasDeadline reports whether a date in the text reads plainly as a deadline
// ("Deadline:", "closes", "due") that has not passed at publication: a call
// to action in itself.
func hasDeadline(d *doc, ms []mention) bool {
	for i := range ms {
		if ms[i].role == roleDeadline && ms[i].score >= 3 {
			return true
		}
	}
	return false
}

// datedCue reports whether a date is cued as a deadline by a weak word
// ("until", "by", "hasta el") that hasDeadline does not count alone.
func datedCue(ms []mention) bool {
	for i := range ms {
		if ms[i].role == roleDeadline && ms[i].score == 2 && !ms[i].event {
			return true
		}
	}
	return false
}

// rollingWords say that applications have no fixed closing date.
var rollingWords = newLexicon("rolling basis", "rolling admission", "rolling admissions", "rolling deadline", "rolling application",
	"rolling applications", "admissions are rolling", "until filled", "until the position is filled", "until positions are filled",
	"until the positions are filled", "until spots are filled", "until funds are exhausted", "until funds are allocated",
	"until funds are spent", "year-round", "no deadline", "reviewed as received", "as they are received", "ongoing basis", "first-come")

// rolling returns the first words saying applications are rolling.
func (d *doc) rolling() (span, bool) {
	hs := rollingWords.find(d.lower, d.tokens())
	if len(hs) == 0 {
		return span{}, false
	}
	return hs[0].span, true
}

func fillDates(d *doc, o *scout.Opportunity, ms []mention) int {
	if m, ok := d.rolling(); ok {
		o.Rolling = true
		o.Provenance["rolling"] = prov(d.text[m.start:m.end], 0.8)
	}
	var best, opens *mention
	bestIdx, opensIdx := -1, -1
	for i := range ms {
		m := &ms[i]
		if m.role == roleDeadline && m.score >= 2 && (best == nil || m.score > best.score ||
			m.score == best.score && m.listed && best.listed && dayBefore(m, best) ||
			m.score == best.score && best.approx && !m.approx && m.y == best.y && m.m == best.m) {
			best, bestIdx = m, i // of listed rounds, the next one
		}
		if m.role == roleOpens && opens == nil {
			opens, opensIdx = m, i
		}
	}
	if best != nil && firstStage(d, best) {
		if j := fullStage(d, ms, bestIdx); j >= 0 {
			best, bestIdx = &ms[j], j // the letter of intent is a key date of its own
		}
	}
	if best != nil {
		l := resolveLocal(d, ms, bestIdx)
		if !l.hasClock {
			l = sameDayClock(d, ms, bestIdx, l)
		}
		if !l.hasClock && !l.hasZone {
			l.c, l.z, l.hasClock, l.hasZone = dueDateTime(d, l.c, l.z)
		}
		if !l.hasClock && !l.hasZone {
			if c, z, ok := afterDateTime(d, best.end); ok {
				l.c, l.z, l.hasClock, l.hasZone = c, z, true, true
			}
		}
		o.Deadline = l.instant()
		conf := 0.45 + 0.1*float64(best.score)
		p := prov(d.text[best.start:best.end], conf)
		o.Provenance["deadline"] = p
		o.KeyDates.Deadline = keyDate(scout.DateDeadline, l, o.Deadline, p)
		if best.from != nil && opens == nil {
			opens = best.from
			opens.start, opens.end = best.start, best.end
		}
	}
	if opens != nil {
		t := zone{}.at(opens.y, opens.m, opens.d, 0, 0, 0)
		if o.Deadline.IsZero() || t.Before(o.Deadline) {
			o.OpensAt = t
			p := prov(d.text[opens.start:opens.end], 0.6)
			o.Provenance["opens"] = p
			o.KeyDates.Opens = keyDate(scout.DateOpens, local{y: opens.y, m: opens.m, d: opens.d}, t, p)
		}
	}
	o.KeyDates.Other = otherDates(d, ms, bestIdx, opensIdx)
	return bestIdx
}

// maxStageGap bounds how far after a first stage's date the full
// application's may stand to be the same call's.
const maxStageGap = 400

// firstStage reports whether the words before a date name a call's first
// stage: a letter of intent or inquiry, an expression of interest, a
// project outline ("Letters of intent due:", "Lettre d'intention :",
// "sind Projektskizzen bis spätestens").
func firstStage(d *doc, m *mention) bool {
	clause := d.lower[clauseStart(d.lower, m.start, 120):m.start]
	at := -1
	if locs := stageRe.FindAllStringIndex(clause, -1); len(locs) > 0 {
		at = locs[len(locs)-1][1]
	}
	if hs := langIntentWords.find(clause, tokenize(clause)); len(hs) > 0 {
		at = max(at, hs[len(hs)-1].end)
	}
	if at < 0 {
		return false
	}
	full := -1
	if locs := fullRe.FindAllStringIndex(clause, -1); len(locs) > 0 {
		full = locs[len(locs)-1][0]
	}
	if hs := langFullWords.find(clause, tokenize(clause)); len(hs) > 0 {
		full = max(full, hs[len(hs)-1].start)
	}
	return full < at // "invited to submit a full application after the LOI": the full one
}

// fullStage returns the deadline that follows first-stage date i in the
// same paragraph and later in time, the full application's (its tier
// bonus may have ranked it below a date open to all), or -1: the
// application deadline is the full application's (CommonGrants'
// appDeadline).
func fullStage(d *doc, ms []mention, i int) int {
	first, best := &ms[i], -1
	for j := i + 1; j < len(ms); j++ {
		m := &ms[j]
		if m.start-first.end > maxStageGap || strings.Contains(d.lower[first.end:m.start], "\n\n") {
			break
		}
		if m.role != roleDeadline || !dayBefore(first, m) || firstStage(d, m) {
			continue
		}
		if best < 0 || m.score > ms[best].score {
			best = j
		}
	}
	return best
}

// sameDayClock returns the time and zone another deadline mention of the
// same day states, when the chosen one states none: a title gives the
// date, the body the hour ("jusqu'au 15 juin" … "jusqu'au 15 juin 2026 à
// 12h").
func sameDayClock(d *doc, ms []mention, best int, l local) local {
	b := &ms[best]
	for j := range ms {
		m := &ms[j]
		if j == best || m.role != roleDeadline || m.y != b.y || m.m != b.m || m.d != b.d {
			continue
		}
		if o := resolveLocal(d, ms, j); o.hasClock {
			return o
		}
	}
	return l
}

// maxOtherDates bounds the other dates kept per item.
const maxOtherDates = 8

// otherDates returns the dates that are neither the deadline nor the
// opening but that their context names: a letter of intent, a later round,
// a notification, an event.
func otherDates(d *doc, ms []mention, deadline, opens int) []scout.KeyDate {
	var out []scout.KeyDate
	for i := range ms {
		if i == deadline || i == opens || len(out) == maxOtherDates {
			continue
		}
		label := otherLabel(d, &ms[i])
		if label == "" {
			continue
		}
		l := resolveLocal(d, ms, i)
		m := &ms[i]
		if label == scout.DateEvent && m.from != nil {
			l.y, l.m, l.d = m.from.y, m.from.m, m.from.d // an event starts on its first day
		}
		at := l.instant()
		if !l.hasClock && label == scout.DateEvent {
			at = l.z.at(l.y, l.m, l.d, 0, 0, 0)
		}
		out = append(out, *keyDate(label, l, at, prov(d.text[m.start:m.end], 0.5)))
	}
	return out
}

// Words in a date's clause that name what the date is.
var (
	intentRe = regexp.MustCompile(`letters? of intent|\bloi\b|expressions? of interest|\beoi\b|pre-?proposals?|preliminary (?:proposal|application)s?|intent to apply|concept notes?`)
	fullRe   = regexp.MustCompile(`\bfull (?:application|proposal|paper|submission)s?\b|\binvited\b|\bshortlisted\b|second (?:stage|round)`)
	noticeRe = regexp.MustCompile(`notif|decision|results|announced|winners? (?:will be )?(?:named|chosen|selected)`)
	// stageRe is intentRe with letters of inquiry, which a digest's
	// listed calls may ask for as their only stage.
	stageRe    = regexp.MustCompile(intentRe.String() + `|letters? of (?:inquiry|enquiry)|\blois\b`)
	earlyRe    = regexp.MustCompile(`\bearly\b`)
	lateTierRe = regexp.MustCompile(`\blate\b|\bfinal\b|\bextended\b`)
)

// otherLabel names a date that is not the deadline or the opening from the
// words before it; "" when they do not say.
func otherLabel(d *doc, m *mention) string {
	clause := d.lower[clauseStart(d.lower, m.start, 120):m.start]
	switch {
	case intentRe.MatchString(clause), m.role == roleDeadline && firstStage(d, m):
		return scout.DateIntent
	case fullRe.MatchString(clause):
		return scout.DateFullProposal
	case m.role == roleDeadline && earlyRe.MatchString(clause):
		return scout.DateEarly
	case m.role == roleDeadline && lateTierRe.MatchString(clause):
		return scout.DateLate
	case noticeRe.MatchString(clause):
		return scout.DateNotification
	case m.role == roleDeadline:
		return scout.DateRound
	case m.role == roleOther && m.event:
		return scout.DateEvent
	}
	return ""
}

// keyDate builds the KeyDate of a local date and its instant.
func keyDate(label string, l local, at time.Time, p scout.Provenance) *scout.KeyDate {
	k := &scout.KeyDate{Label: label, Date: fmt.Sprintf("%04d-%02d-%02d", l.y, l.m, l.d), At: at.UTC(), Provenance: p}
	if l.hasClock {
		k.Time = fmt.Sprintf("%02d:%02d", l.c.h, l.c.m)
		if l.c.s != 0 {
			k.Time += fmt.Sprintf(":%02d", l.c.s)
		}
	}
	if l.hasZone {
		k.Zone = l.z.label(l.y, l.m, l.d)
	}
	return k
}

func dayBefore(a, b *mention) bool {
	return time.Date(a.y, a.m, a.d, 0, 0, 0, 0, time.UTC).Before(time.Date(b.y, b.m, b.d, 0, 0, 0, 0, time.UTC))
}

// findMentions returns the dates in the text, ordered and without overlaps.
func findMentions(d *doc) []mention {
	var ms []mention
	for _, t := range d.tokens() {
		c := d.lower[t.start]
		switch {
		case t.end-t.start >= 4 && allDigits(d.lower[t.start:t.start+4]):
			if loc := anchored(d.lower, t.start, isoDateRe); loc != nil {
				if m, ok := isoMention(d.lower, loc); ok {
					ms = addMention(ms, m)
				}
			}
		case isDigit(c):
			if loc := anchored(d.lower, t.start, dayDateRe); loc != nil {
				if m, ok := dayMention(d, loc); ok {
					ms = addMention(ms, m)
				}
			}
			if loc := anchored(d.lower, t.start, numDateRe); loc != nil {
				if m, ok := numMention(d, loc); ok {
					ms = addMention(ms, m)
				}
			}
			if loc := anchored(d.lower, t.start, monthlyRe); loc != nil {
				if m, ok := monthlyMention(d, loc); ok {
					ms = addMention(ms, m)
				}
			}
		case relOrdinals[d.lower[t.start:t.end]] != 0:
			if m, ok := relativeMention(d, t.start); ok {
				ms = addMention(ms, m)
			}
		case weekdayOfToken(d, t):
			if m, ok := weekdayMention(d, t.start, t.end); ok {
				ms = addMention(ms, m)
			}
		case d.lower[t.start:t.end] == "thanksgiving":
			if m, ok := thanksgivingMention(d, t.start, ms); ok {
				ms = addMention(ms, m)
			}
		case monthEndWords[d.lower[t.start:t.end]]:
			if m, ok := monthEndMention(d, t.start); ok {
				ms = addMention(ms, m)
			}
		case monthNumbers[d.lower[t.start:t.end]] != 0:
			if loc := anchored(d.lower, t.start, monthDateRe); loc != nil {
				if m, ok := monthMention(d, loc); ok {
					ms = addMention(ms, m)
				}
			}
		}
	}
	sortMentions(ms)
	for i := range ms {
		judge(d, ms, i)
	}
	return ms
}

// anchored matches re at byte i of s, looking at most 80 bytes ahead, and
// returns submatch indexes into s.
func anchored(s string, i int, re *regexp.Regexp) []int {
	loc := re.FindStringSubmatchIndex(s[i:min(i+80, len(s))])
	for j := range loc {
		if loc[j] >= 0 {
			loc[j] += i
		}
	}
	return loc
}

// addMention appends m unless it overlaps the previous mention; mentions
// arrive in order of their start.
func addMention(ms []mention, m mention) []mention {
	if n := len(ms); n > 0 && m.start < ms[n-1].end {
		return ms
	}
	return append(ms, m)
}

func sortMentions(ms []mention) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].start < ms[j-1].start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

func atoiAt(s string, loc []int, g int) int {
	if loc[2*g] < 0 {
		return -1
	}
	n, err := strconv.Atoi(s[loc[2*g]:loc[2*g+1]])
	if err != nil {
		return -1
	}
	return n
}

func isoMention(s string, loc []int) (mention, bool) {
	m := mention{start: loc[0], end: loc[1], y: atoiAt(s, loc, 1), m: time.Month(atoiAt(s, loc, 2)), d: atoiAt(s, loc, 3), hasYear: true}
	if h := atoiAt(s, loc, 4); h >= 0 {
		c := &clock{h: h, m: atoiAt(s, loc, 5), s: max(atoiAt(s, loc, 6), 0)}
		if loc[14] >= 0 {
			c.z = isoZone(s[loc[14]:loc[15]])
		}
		m.clock = c
	}
	return m, validDate(m.y, m.m, m.d)
}

func isoZone(z string) *zone {
	if z == "z" {
		return &zone{}
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	h, _ := strconv.Atoi(digits[:2])
	mm, _ := strconv.Atoi(digits[2:])
	off := h*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	return &zone{offset: off}
}

// isMonthAt reports whether submatch g of loc is a month name.
func isMonthAt(s string, loc []int, g int) bool {
	return loc[2*g] >= 0 && monthNumbers[s[loc[2*g]:loc[2*g+1]]] != 0
}

func monthMention(d *doc, loc []int) (mention, bool) {
	s := d.lower
	if !isMonthAt(s, loc, 1) || loc[6] >= 0 && !isMonthAt(s, loc, 3) {
		return mention{}, false
	}
	mon := monthNumbers[s[loc[2]:loc[3]]]
	day := atoiAt(s, loc, 2)
	m := mention{start: loc[0], end: loc[1], m: mon, d: day}
	if y := atoiAt(s, loc, 5); y > 0 {
		m.y, m.hasYear = y, true
	}
	if day2 := atoiAt(s, loc, 4); day2 > 0 {
		from := m
		m.d = day2
		if loc[6] >= 0 {
			m.m = monthNumbers[s[loc[6]:loc[7]]]
		}
		if !resolveYear(d, &from) || !validDate(from.y, from.m, from.d) {
			return m, false
		}
		m.from = &from
	}
	return m, resolveYear(d, &m) && validDate(m.y, m.m, m.d)
}

func dayMention(d *doc, loc []int) (mention, bool) {
	s := d.lower
	if !isMonthAt(s, loc, 3) {
		return mention{}, false
	}
	mon := monthNumbers[s[loc[6]:loc[7]]]
	m := mention{start: loc[0], end: loc[1], m: mon, d: atoiAt(s, loc, 1)}
	if y := atoiAt(s, loc, 4); y > 0 {
		m.y, m.hasYear = y, true
	}
	if day2 := atoiAt(s, loc, 2); day2 > 0 {
		from := m
		m.d = day2
		if !resolveYear(d, &from) || !validDate(from.y, from.m, from.d) {
			return m, false
		}
		m.from = &from
	}
	return m, resolveYear(d, &m) && validDate(m.y, m.m, m.d)
}

func numMention(d *doc, loc []int) (mention, bool) {
	s := d.lower
	if loc[0] > 0 && strings.ContainsRune("$€£¥.,-/", rune(s[loc[0]-1])) || loc[1] < len(s) && strings.ContainsRune(".,/-", rune(s[loc[1]])) && loc[1]+1 < len(s) && isDigit(s[loc[1]+1]) {
		return mention{}, false
	}
	a, b, y := atoiAt(s, loc, 1), atoiAt(s, loc, 3), atoiAt(s, loc, 4)
	dot := s[loc[4]] == '.'
	if dot && y < 0 && !shortDottedDate(d, loc[1]) {
		return mention{}, false
	}
	if s[loc[4]] == '-' && (y < 1000 || s[loc[8]-1] != '-') {
		return mention{}, false // "10-12" is a range; only "15-03-2026" is a date
	}
	m := mention{start: loc[0], end: loc[1]}
	switch {
	case dot || a > 12 || d.dmy && b <= 12:
		m.d, m.m = a, time.Month(b)
	default:
		m.m, m.d = time.Month(a), b
	}
	if y >= 0 {
		if y < 100 {
			y += 2000
		}
		m.y, m.hasYear = y, true
	}
	return m, resolveYear(d, &m) && validDate(m.y, m.m, m.d)
}

// shortDottedDate reports whether a year-less dotted date ends with its
// own dot, as German and Nordic texts write a day and month ("bis
// 12.04."): in other languages and without the dot it is more often a
// decimal or a version.
func shortDottedDate(d *doc, end int) bool {
	s := d.lower
	return d.lang != "en" && end < len(s) && s[end] == '.' && (end+1 == len(s) || !isDigit(s[end+1]))
}

// Dates written relative to a month or to every month: "the last Friday
// of March", "the 1st of every month".
var (
	relWeekdayRe = regexp.MustCompile(`^(\pL+)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:of|in)\s+` + monthAlt + `\b(?:,?\s+(\d{4}))?`)
	monthlyRe    = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+)?of\s+(?:every|each)\s+(?:calendar\s+)?month\b`)
	relOrdinals  = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
	weekdayNums  = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
		"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}
)

// weekdayOfToken reports whether token t is a weekday's name.
func weekdayOfToken(d *doc, t span) bool {
	_, ok := weekdayOf[d.lower[t.start:t.end]]
	return ok
}

// weekdayLead are the words that may stand between a deadline cue and a
// weekday named alone ("by this Thursday", "senast på söndag").
var weekdayLead = map[string]bool{"": true, "this": true, "next": true, "on": true, "this coming": true, "den": true, "på": true,
	"nu": true, "le": true, "ce": true, "el": true, "este": true, "o": true, "a": true, "il": true, "am": true, "kommenden": true,
	"op": true, "deze": true, "kommande": true}

// weekdayMention reads a weekday named alone right after a deadline cue
// ("by this Thursday", "closes SUNDAY midnight CET", "senast söndag") as
// its next occurrence after the publish date; a weekday before a date
// ("Friday 1 May") is that date's.
func weekdayMention(d *doc, start, end int) (mention, bool) {
	if d.pub.IsZero() {
		return mention{}, false
	}
	rest := strings.TrimLeft(d.lower[end:min(end+16, len(d.lower))], " ,(")
	if rest != "" && (isDigit(rest[0]) || monthAhead(rest)) {
		return mention{}, false
	}
	ps := clauseStart(d.lower, start, 60)
	prefix := d.lower[ps:start]
	cues := dateCues(prefix, d.lang == "en")
	if len(cues) == 0 {
		return mention{}, false
	}
	last := cues[len(cues)-1]
	if k := cueKind(prefix[last[0]:last[1]]); k != cueStrong && k != cueWeak || !weekdayLead[strings.TrimSpace(prefix[last[1]:])] {
		return mention{}, false
	}
	wd := weekdayOf[d.lower[start:end]]
	day := d.pub.UTC()
	n := (int(wd) - int(day.Weekday()) + 7) % 7
	if n == 0 {
		n = 7 // "by Friday" on a Friday is the next one
	}
	day = day.AddDate(0, 0, n)
	return mention{start: start, end: end, y: day.Year(), m: day.Month(), d: day.Day(), hasYear: true}, true
}

// monthAhead reports whether s starts with a month's name.
func monthAhead(s string) bool {
	i := 0
	for i < len(s) && s[i] != ' ' && s[i] != '.' && s[i] != ',' && s[i] != ')' {
		i++
	}
	return monthNumbers[s[:i]] != 0
}

// relativeMention reads "the last Friday of March" at i: the day in the
// month's next occurrence on or after the publish date.
func relativeMention(d *doc, i int) (mention, bool) {
	loc := anchored(d.lower, i, relWeekdayRe)
	if loc == nil || !isMonthAt(d.lower, loc, 3) {
		return mention{}, false
	}
	n := relOrdinals[d.lower[loc[2]:loc[3]]]
	wd := weekdayNums[d.lower[loc[4]:loc[5]]]
	mon := monthNumbers[d.lower[loc[6]:loc[7]]]
	m := mention{start: loc[0], end: loc[1], m: mon, d: 1}
	if y := atoiAt(d.lower, loc, 4); y > 0 {
		m.y, m.hasYear = y, true
	}
	// Resolve the year on the month's last day, so that a month already
	// under way at publication keeps its year.
	y := m.y
	if !m.hasYear {
		y = d.pub.Year()
	}
	m.d = time.Date(y, mon+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if !resolveYear(d, &m) {
		return mention{}, false
	}
	m.d = nthWeekday(m.y, mon, wd, n)
	return m, m.d > 0 && validDate(m.y, m.m, m.d)
}

// afterThanksgivingRe ends "the Friday after Thanksgiving", read back from
// the holiday's name.
var afterThanksgivingRe = regexp.MustCompile(`(?:the\s+)?(day|monday|tuesday|wednesday|friday|saturday|sunday|week)\s+(?:after|following)\s+$`)

// thanksgivingMention reads "Thanksgiving" at i, or "the Friday after
// Thanksgiving", as the US holiday (the fourth Thursday of November) or
// the day after it the text names, in its next occurrence on or after
// the publish date.
func thanksgivingMention(d *doc, i int, ms []mention) (mention, bool) {
	m := mention{start: i, end: i + len("thanksgiving"), m: time.November, d: 30}
	from := max(0, i-30)
	if n := len(ms); n > 0 {
		from = max(from, ms[n-1].end)
	}
	offset := 0
	if loc := afterThanksgivingRe.FindStringSubmatchIndex(d.lower[from:i]); loc != nil {
		m.start = from + loc[0]
		switch w := d.lower[from+loc[2] : from+loc[3]]; w {
		case "day", "friday":
			offset = 1
		case "week":
			offset = 7
		default:
			offset = (int(weekdayNums[w]) - int(time.Thursday) + 7) % 7
		}
	}
	if !resolveYear(d, &m) {
		return mention{}, false
	}
	m.d = nthWeekday(m.y, time.November, time.Thursday, 4)
	t := time.Date(m.y, time.November, m.d+offset, 0, 0, 0, 0, time.UTC)
	m.m, m.d = t.Month(), t.Day()
	return m, validDate(m.y, m.m, m.d)
}

// monthEndWords start "the end of March" in every language ("Ende Mai",
// "fin mars", "finales de marzo", "fine aprile", "eind juni", "slutet av
// maj").
var monthEndWords = map[string]bool{"end": true, "ende": true, "fin": true, "finales": true, "fine": true, "final": true,
	"fim": true, "eind": true, "einde": true, "slutet": true}

var monthEndRe = regexp.MustCompile(`^(?:end|ende|fin|finales|fine|final|fim|eind|einde|slutet)\s+(?:(?:of|de|di|av|del|do|da|des|van)\s+)?` +
	monthAlt + `\b(?:,?\s+(?:de\s+)?(\d{4}))?`)

// monthEndMention reads "the end of March" at i as the month's last day,
// its next occurrence on or after the publish date.
func monthEndMention(d *doc, i int) (mention, bool) {
	loc := anchored(d.lower, i, monthEndRe)
	if loc == nil || !isMonthAt(d.lower, loc, 1) {
		return mention{}, false
	}
	mon := monthNumbers[d.lower[loc[2]:loc[3]]]
	m := mention{start: loc[0], end: loc[1], m: mon}
	if y := atoiAt(d.lower, loc, 2); y > 0 {
		m.y, m.hasYear = y, true
	}
	y := m.y
	if !m.hasYear {
		y = d.pub.Year()
	}
	m.d = time.Date(y, mon+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if !resolveYear(d, &m) {
		return mention{}, false
	}
	m.d = time.Date(m.y, mon+1, 0, 0, 0, 0, 0, time.UTC).Day() // February of the resolved year
	// "closes at the end of March" yields to "due the last Friday of March".
	m.approx = true
	return m, validDate(m.y, m.m, m.d)
}

// nthWeekday returns the day of month of the n-th weekday wd (n = -1: the
// last), or 0.
func nthWeekday(y int, mon time.Month, wd time.Weekday, n int) int {
	if n < 0 {
		last := time.Date(y, mon+1, 0, 0, 0, 0, 0, time.UTC)
		return last.Day() - (int(last.Weekday())-int(wd)+7)%7
	}
	first := time.Date(y, mon, 1, 0, 0, 0, 0, time.UTC)
	day := 1 + (int(wd)-int(first.Weekday())+7)%7 + 7*(n-1)
	if day > time.Date(y, mon+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return 0
	}
	return day
}

// monthlyMention reads "the 1st of every month": its next occurrence on or
// after the publish date.
func monthlyMention(d *doc, loc []int) (mention, bool) {
	day := atoiAt(d.lower, loc, 1)
	if d.pub.IsZero() || day < 1 || day > 28 {
		return mention{}, false
	}
	y, mon := d.pub.Year(), d.pub.Month()
	if d.pub.Day() > day {
		mon++
		if mon > 12 {
			y, mon = y+1, 1
		}
	}
	return mention{start: loc[0], end: loc[1], y: y, m: mon, d: day}, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// resolveYear gives a year-less date the next occurrence on or after the
// publish date.
func resolveYear(d *doc, m *mention) bool {
	if m.hasYear {
		return m.y >= 1900 && m.y <= 2200
	}
	if d.pub.IsZero() {
		return false
	}
	y := d.pub.Year()
	pubDay := time.Date(y, d.pub.Month(), d.pub.Day(), 0, 0, 0, 0, time.UTC)
	if time.Date(y, m.m, m.d, 0, 0, 0, 0, time.UTC).Before(pubDay) {
		y++
	}
	m.y = y
	return true
}

func validDate(y int, m time.Month, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}
