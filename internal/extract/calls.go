package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// MaxCalls bounds how many calls one item yields.
const MaxCalls = 12

// Calls splits a newsletter or round-up that announces several distinct
// calls into one scout.Call per call: each is the block of the text under
// its own heading (a numbered or bulleted line, or a short line in
// capitals), read by the same rules as a whole item, so each has its own
// deadline, sums and funder. It returns nil for an item that announces one
// call or none: fewer than two blocks that each read as an opportunity with
// a date, a sum or a rolling intake of their own. Of the headed, tabled
// and loose readings, the one that finds the most calls is taken.
func Calls(in Input) []scout.Call {
	d := newDoc(in)
	out := readCalls(d, in, segments(d), splitHeading)
	if out == nil {
		out = tableCalls(d, in)
	}
	// Headings may head only some of the calls (others set under a name
	// too long for a heading line, or between news items): the loose
	// reading wins when it finds more.
	if loose := looseCalls(d, in, len(out)); len(loose) > len(out) {
		return loose
	}
	return out
}

// readCalls reads each segment of d as a call, its heading and body split
// by split, and returns the calls when they are several distinct ones.
func readCalls(d *doc, in Input, segs [][2]int, split func(string) (string, string)) []scout.Call {
	bs := make([]callBlock, 0, len(segs))
	for _, s := range segs {
		span := d.text[s[0]:s[1]]
		heading, body := split(span)
		bs = append(bs, callBlock{heading, body, strings.TrimSpace(span)})
	}
	return readBlocks(d, in, bs)
}

// callBlock is one block of a newsletter: its heading (empty when it has
// none), the text under it, and the span of the item it was read from.
type callBlock struct{ heading, body, span string }

// readBlocks reads each block as a call and returns the calls when they
// are several distinct ones.
func readBlocks(d *doc, in Input, bs []callBlock) []scout.Call {
	if len(bs) < 2 {
		return nil
	}
	var out []scout.Call
	for i, b := range bs {
		if len(out)+len(bs)-i < 2 {
			break // too few blocks left to make several calls
		}
		c, ok := readBlock(d, in, dateFirst(d, b))
		if !ok {
			continue
		}
		c.Part = len(out) + 1
		out = append(out, c)
		if len(out) == MaxCalls {
			break
		}
	}
	if len(out) < 2 || !distinctCalls(d, out) {
		return nil
	}
	return out
}

// readBlock reads one block as a call; ok is false when it reads as none.
func readBlock(d *doc, in Input, b callBlock) (c scout.Call, ok bool) {
	if h := strings.ToLower(b.heading); intentRe.MatchString(h) || fullRe.MatchString(h) {
		return c, false // a stage of one call ("Notice of Intent to Apply: …"), not a call
	}
	if !statesDayOrSum(b.heading + "\n" + b.body) {
		return c, false
	}
	name, funder := headingFunder(d, b.heading)
	if rest, ok := strings.CutPrefix(b.body, b.heading+" ("); ok && funder == "" {
		// A one-line call's name with its funder in brackets after it.
		if inner, _, ok := strings.Cut(rest, ")"); ok {
			_, funder = headingFunder(d, b.heading+" ("+inner+")")
		}
	}
	if funder == "" {
		funder = leadFunder(d, b.body)
	}
	title := callTitle(b.heading, b.body)
	if title == b.heading {
		title = name
	}
	read := func(body string) scout.Opportunity {
		o, _ := extractDoc(newDocLang(Input{Title: title, Text: body, PublishedAt: in.PublishedAt}, d.lang), true)
		return o
	}
	o := read(labelEmojiFields(b.body, d.lang))
	if !ownCall(&o) && o.Deadline.IsZero() && b.heading != "" && strings.HasPrefix(b.body, b.heading) {
		// A call listed on one line, its name opening it, gives the day it
		// closes and no cue ("Artist Relief Grant (Sundial Arts Fund),
		// Wednesday, March 25.").
		if body, ok := labelLoneDay(d, b.body); ok {
			o = read(body)
		}
	}
	if !ownCall(&o) || sectionOnly(d, b.heading, &o) {
		return c, false
	}
	if funder != "" {
		// The newsletter names the funder beside the call's name.
		o.Funder = funder
		o.Provenance["funder"] = prov(funder, 0.7)
	}
	return scout.Call{Title: title, Span: b.span, Opportunity: o}, true
}

// labelLoneDay puts the language's deadline label before the one day a
// one-line text states; ok is false for a text of several lines or days.
func labelLoneDay(d *doc, body string) (string, bool) {
	if strings.Contains(strings.TrimSpace(body), "\n") {
		return "", false
	}
	ld := newDocLang(Input{Text: body, PublishedAt: d.pub}, d.lang)
	ms := findMentions(ld)
	if len(ms) != 1 {
		return "", false
	}
	at := ms[0].start - 1 // ld.text opens with the empty title's newline
	if at < 0 || at > len(body) {
		return "", false
	}
	return body[:at] + deadlineLabel(d.lang) + ": " + body[at:], true
}

// statesDayOrSum reports whether a block may state a date, a sum or a
// rolling intake, which a call of its own needs (see ownCall): a digit, a
// month's or a weekday's name, or a relative day. It spares reading the
// many blocks of one-call posts that state none.
func statesDayOrSum(s string) bool {
	if strings.ContainsAny(s, "0123456789") {
		return true
	}
	lower := lowerSameLength(s)
	toks := tokenize(lower)
	for _, t := range toks {
		w := lower[t.start:t.end]
		if _, ok := allMonths[w]; ok || dayWords[w] {
			return true
		}
	}
	return len(rollingWords.find(lower, toks)) > 0
}

// dayWords name days without a number ("this Friday", "end of the month").
var dayWords = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "tomorrow": true, "tonight": true, "today": true, "midnight": true, "end": true,
	"week": true, "month": true, "thanksgiving": true}

// sectionOnly reports whether a block under a section's one-word name
// that names no kind of call ("Exposition", "Workshop") reads as a call
// only because it states a day (see extractDoc's listed reading): the
// section's news ("visible jusqu'au 30 avril"), not a call.
func sectionOnly(d *doc, heading string, o *scout.Opportunity) bool {
	h := cleanHeading(trimBullet(strings.TrimSpace(heading)))
	return len(strings.Fields(h)) == 1 && !d.namesKind(h) && o.Kind == scout.KindCall && o.KindConfidence == 0.5
}

// ownCall reports whether a block reads as an opportunity of its own.
func ownCall(o *scout.Opportunity) bool {
	if o.Kind == scout.KindNone || o.Kind == scout.KindUnknown {
		return false
	}
	return !o.Deadline.IsZero() || o.Rolling || o.AmountMax > 0
}

// distinctCalls reports whether the blocks are several calls rather than
// the sections of one ("Eligibility", "Key dates"): no two share a
// deadline unless their funders differ or each is named as a call of its
// own ("Touring Grant", "Recording Grant": one council's two programmes
// closing the same day), and at least two name different funders or
// deadlines.
func distinctCalls(d *doc, cs []scout.Call) bool {
	type seen struct{ funder, title string }
	dates, funders := map[string]seen{}, map[string]bool{}
	for _, c := range cs {
		f := Key(c.Opportunity.Funder)
		if dl := c.Opportunity.Deadline; !dl.IsZero() {
			k := dl.UTC().Format("2006-01-02")
			if g, ok := dates[k]; ok && (f == "" || g.funder == "" || f == g.funder) && !namedApart(d, g.title, c.Title) {
				return false
			}
			dates[k] = seen{f, c.Title}
		}
		if f != "" {
			funders[f] = true
		}
	}
	return len(dates) >= 2 || len(funders) >= 2
}

// namedApart reports whether two blocks' names each name a call of their
// own: different names that each say what kind of call it is.
func namedApart(d *doc, a, b string) bool {
	return Key(a) != Key(b) && d.namesKind(a) && d.namesKind(b)
}

// segments returns the byte ranges of d.text that each hold one heading
// after the title and the text under it: the rest of its block, or the
// next block when the heading stands alone. Later blocks are the sender's
// own words (a sign-off, the footer), not the call's.
func segments(d *doc) [][2]int {
	blocks := dedupeInts(blockStarts(d.lower))
	var out [][2]int
	for i, b := range blocks {
		if b <= d.titleEnd || !headingLine(d.text[b:]) {
			continue
		}
		end := len(d.text)
		if i+1 < len(blocks) {
			end = blocks[i+1]
		}
		if _, body := splitHeading(d.text[b:end]); body == "" && i+1 < len(blocks) && !headingLine(d.text[end:]) {
			end = len(d.text)
			if i+2 < len(blocks) {
				end = blocks[i+2]
			}
		}
		out = append(out, [2]int{b, end})
	}
	return out
}

func dedupeInts(xs []int) []int {
	out := xs[:0:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// splitHeading returns the first line of a block without its bullet or
// number, and the rest.
func splitHeading(s string) (heading, body string) {
	s = strings.TrimLeft(s, "\n ")
	heading, body, _ = strings.Cut(s, "\n")
	heading = strings.TrimSpace(heading)
	for _, b := range []string{"▸", "•", "■", "▪", "►", "◆", "●", "★", "→", "✦", "-", "*", "➜", "👉"} {
		heading = strings.TrimPrefix(heading, b)
	}
	heading = strings.TrimLeft(heading, "# ")
	heading = heading[numberLen(heading):]
	// A name run into the call's text ("1. Harbor Light Fellowship — The
	// Foundation gives…") heads the rest of its line too.
	if h, r, ok := inlineHeading(heading); ok && !nameRest(r) {
		return h, strings.TrimSpace(r + "\n" + body)
	}
	heading = cleanHeading(trimBullet(strings.TrimSpace(heading)))
	if body = strings.TrimSpace(body); body == "" {
		// A call given on one line ("Artist Relief Grant (Sundial Arts
		// Fund), Wednesday, March 25."): its name heads the line, and the
		// line is its text.
		if name, ok := lineName(heading); ok {
			return name, heading
		}
	}
	return heading, body
}

// lineName returns the name that opens a long line before a bracket, a
// comma, a dash or a colon.
func lineName(line string) (string, bool) {
	if len(line) <= 70 && !strings.Contains(line, ". ") {
		return "", false
	}
	end := len(line)
	for _, sep := range []string{" (", ", ", " — ", " – ", ": "} {
		if i := strings.Index(line, sep); i > 0 && i < end {
			end = i
		}
	}
	if name := line[:end]; end < len(line) && titleLike(name) {
		return name, true
	}
	return "", false
}

// cleanHeading drops a heading's markdown marks, a link's address
// ("[Name](https://…)" is "Name") and a closing colon.
func cleanHeading(h string) string {
	h = strings.TrimRight(strings.Trim(h, "* "), ": ")
	if strings.HasPrefix(h, "[") {
		if name, rest, ok := strings.Cut(h[1:], "]("); ok && strings.HasSuffix(rest, ")") && !strings.Contains(rest, " ") {
			h = name
		}
	}
	return strings.TrimSpace(h)
}

// callTitle is the heading, or the body's first sentence when the heading
// is a section name of one word ("JOBS", "COMMISSIONS").
func callTitle(heading, body string) string {
	if len(strings.Fields(heading)) >= 2 || body == "" {
		return heading
	}
	first := body
	if i := strings.IndexAny(first, ".!?\n"); i > 0 {
		first = first[:i]
	}
	first = bound(first, 120)
	if i := strings.LastIndexFunc(first, unicode.IsSpace); len(first) == 120 && i > 0 {
		first = first[:i]
	}
	return strings.TrimSpace(first)
}

// dateFirst reads a block headed by its day ("Tue 10 Mar — Cup Design
// Contest (Kettle & Ash Coffee), $3,000"): the name after the day heads
// it, and the day is its deadline.
func dateFirst(d *doc, b callBlock) callBlock {
	h := strings.TrimSpace(b.heading)
	if len(h) > 30 || len(h) < 5 || !strings.ContainsAny(h, "0123456789") {
		return b
	}
	ms := findMentions(newDocLang(Input{Text: h, PublishedAt: d.pub}, d.lang))
	if len(ms) != 1 || ms[0].end-ms[0].start < len(h)/2+1 {
		return b
	}
	line, rest, _ := strings.Cut(b.body, "\n")
	name := line
	if i := strings.Index(line, ", "); i > 0 {
		name = line[:i]
	}
	if !titleLike(name) {
		return b
	}
	return callBlock{name, strings.TrimSpace(deadlineLabel(d.lang) + ": " + h + ".\n" + line + "\n" + rest), b.span}
}

// deadlineLabels name a deadline in each language the rules read.
var deadlineLabels = map[string]string{"de": "Bewerbungsschluss", "fr": "Date limite", "es": "Fecha límite", "it": "Scadenza",
	"pt": "Prazo", "nl": "Deadline", "sv": "Sista ansökningsdag"}

// deadlineLabel names a deadline in lang, in English when the rules know
// no label of its own.
func deadlineLabel(lang string) string {
	if l, ok := deadlineLabels[lang]; ok {
		return l
	}
	return "Deadline"
}

// labelEmojiFields writes a block's emoji-led field lines as the labelled
// lines they stand for ("📅 November 27" is "Deadline: November 27"), so
// that the rules read a bare day as the call's deadline.
func labelEmojiFields(body, lang string) string {
	if !strings.ContainsAny(body, "📅🗓📆⏰⏳⌛💰💵💶💷💸🏆") {
		return body
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		r, n := utf8.DecodeRuneInString(t)
		switch fieldEmojis[r] {
		case "deadline":
			lines[i] = deadlineLabel(lang) + ": " + strings.TrimLeftFunc(t[n:], notLetterOrDigit)
		case "award":
			lines[i] = strings.TrimLeftFunc(t[n:], notLetterOrDigit)
		}
	}
	return strings.Join(lines, "\n")
}

func notLetterOrDigit(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("$€£¥₹", r)
}
