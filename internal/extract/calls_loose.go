package extract

import (
	"strings"
	"unicode"

	"github.com/scoutdev/scout/internal/scout"
)

// Not every newsletter sets its calls under headings of their own lines.
// Some run the name into the text ("Harbor Light Fellowship — The
// Foundation gives…", "**Harbor Light Fellowship**: …"), some put one call
// on each line, some give each call a paragraph and no name at all. The
// loose reading below runs only when the headed one finds no calls.

// looseCalls reads d's calls from its loose segments, when they are more
// than beat (the calls another reading found). A loose segment is
// a call only when it is more than a field of one call ("Full Proposal
// Deadline: May 1, 2026"): at least looseWords words under its name. The
// calls must name at least two funders, or each have a name and a day of
// its own; a paragraph without a name of its own is a call only when it
// names its own funder and deadline, each such funder differing (a single
// call's paragraphs share a funder, or name it once).
func looseCalls(d *doc, in Input, beat int) []scout.Call {
	segs := looseSegments(d)
	kept := segs[:0]
	for _, s := range segs {
		if h, body := splitInline(d.text[s[0]:s[1]]); len(strings.Fields(body)) >= looseWords || oneLineCall(d.text[s[0]:s[1]], h, body) {
			kept = append(kept, s)
		}
	}
	if len(kept) <= beat {
		return nil // too few segments to find more calls than another reading
	}
	out := readCalls(d, in, kept, splitInline)
	funders, headless, days := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range out {
		f := Key(c.Opportunity.Funder)
		if f != "" {
			funders[f] = true
		}
		if dl := c.Opportunity.Deadline; !dl.IsZero() {
			days[dl.UTC().Format("2006-01-02")] = true
		}
		if h, _, ok := inlineHeading(firstLine(c.Span)); ok && h != "" || nameLine(firstLine(c.Span)) {
			continue
		}
		if f == "" || c.Opportunity.Deadline.IsZero() || headless[f] {
			return nil
		}
		headless[f] = true
	}
	if len(funders) < 2 && (len(headless) > 0 || len(days) < len(out)) {
		// Named calls that name no two funders are several calls only
		// when each closes a day of its own.
		return nil
	}
	return out
}

// looseWords is how many words a loose segment's text holds at least.
const looseWords = 8

// oneLineCall reports whether a short loose segment is a call given on one
// line, its name run into its sum or day by dashes or bars ("Writer in
// Residence 2026 — $15,000 — due March 13"), not one field of a call
// ("Full Proposal Deadline: May 1, 2026", which a colon ends).
func oneLineCall(seg, heading, body string) bool {
	line := strings.TrimSpace(seg)
	return heading != "" && !strings.Contains(line, "\n") && len(strings.Fields(body)) >= 3 && dashRunIn(line)
}

// dashRunIn reports whether a line starts with a name run into its text
// by a dash or a bar ("Tue 10 Mar — Cup Design Contest …"): lines of one
// shape, one under another, list one call each.
func dashRunIn(line string) bool {
	h, rest, ok := inlineHeading(line)
	if !ok {
		return false
	}
	sep := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(trimBullet(strings.TrimSpace(line)), h), rest))
	return sep == "—" || sep == "–" || sep == "|" || sep == "-"
}

// looseSegments returns the byte ranges of d.text after the title that
// each start a paragraph, or a line that heads a call after a line that
// ends a sentence (calls one to a line, or a heading line over each).
func looseSegments(d *doc) [][2]int {
	var starts []int
	blank, prev := true, ""
	for i := d.titleEnd + 1; i < len(d.text); {
		end := len(d.text)
		if j := strings.IndexByte(d.text[i:], '\n'); j >= 0 {
			end = i + j
		}
		line := strings.TrimSpace(d.text[i:end])
		switch {
		case line == "" || ruleLine(line):
			blank = true
		default:
			if blank || endsSentence(prev) && !fieldLine(d, line) && (headingLine(line) || hasInlineHeading(line)) ||
				dashRunIn(line) && dashRunIn(prev) {
				starts = append(starts, i)
			}
			blank, prev = false, line
		}
		i = end + 1
	}
	out := make([][2]int, 0, len(starts))
	for k, s := range starts {
		end := len(d.text)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		out = append(out, [2]int{s, end})
	}
	return out
}

// ruleLine reports whether a line only separates ("---", "* * *", "═══").
func ruleLine(line string) bool {
	n := 0
	for _, r := range line {
		switch r {
		case '-', '*', '_', '=', '~', '—', '–', '═', '─', ' ':
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// fieldLine reports whether a line is one field of a call ("Deadline: July
// 15, 2026", "Who: painters"): a label of one or two words and a colon,
// the label no call's name ("Mural Commission: Riverside Underpass — …"
// ends in the kind of call it is, "Award Amount" in a field's noun).
func fieldLine(d *doc, line string) bool {
	label, _, ok := strings.Cut(line, ":")
	ws := strings.Fields(label)
	if !ok || len(ws) > 2 {
		return false
	}
	return len(ws) < 2 || !capsShare(ws) || !d.namesKind(ws[len(ws)-1])
}

// endsSentence reports whether a line ends a sentence or a date.
func endsSentence(line string) bool {
	if line == "" {
		return false
	}
	c := line[len(line)-1]
	return c == '.' || c == '!' || c == '?' || c == ')' || isDigit(c)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// splitInline splits a loose segment: an inline heading and the rest;
// else a heading line and the text under it; else no heading and the
// paragraph as the body.
func splitInline(s string) (heading, body string) {
	s = strings.TrimLeft(s, "\n ")
	line, rest, _ := strings.Cut(s, "\n")
	if h, b, ok := inlineHeading(line); ok && !nameRest(b) {
		return h, strings.TrimSpace(b + "\n" + rest)
	}
	if nameLine(line) && strings.TrimSpace(rest) != "" {
		return splitHeading(s)
	}
	return "", strings.TrimSpace(s)
}

// nameLine reports whether a line is a call's name over its text: a
// heading line, or a longer name ("Operating Support for Small Arts
// Organizations (Harbor City Arts Council)").
func nameLine(line string) bool {
	return headingLine(line) || titleLike(line)
}

func hasInlineHeading(line string) bool {
	_, _, ok := inlineHeading(line)
	return ok
}

// inlineSeparators end a call's name run into its text.
var inlineSeparators = []string{" — ", " – ", " - ", ": ", " | "}

// inlineHeading returns the name a line starts with, run into its text:
// in bold ("**Name**"), or before a dash, a colon or a bar, a short phrase
// in capitals or title case; ok is false for a line that starts with
// none.
func inlineHeading(line string) (heading, rest string, ok bool) {
	line = trimBullet(strings.TrimSpace(line))
	if strings.HasPrefix(line, "**") {
		if h, r, found := strings.Cut(line[2:], "**"); found && strings.TrimSpace(r) != "" && titleLike(h) {
			return strings.TrimSpace(h), strings.TrimLeft(r, " —–-:|"), true
		}
	}
	best := -1
	for _, sep := range inlineSeparators {
		if i := strings.Index(line, sep); i > 0 && i <= 80 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return "", "", false
	}
	if strings.HasPrefix(line[best:], ": ") {
		// "Mural Commission: Riverside Underpass — $18,000 — …": the name
		// goes on to the dash.
		for _, sep := range []string{" — ", " – ", " | "} {
			if j := strings.Index(line[best:], sep); j > 2 && nameRest(line[best+2:best+j]) {
				best += j
				break
			}
		}
	}
	h, r := line[:best], strings.TrimLeft(line[best:], " —–-:|")
	if r == "" || !titleLike(h) {
		return "", "", false
	}
	return strings.TrimSpace(h), r, true
}

// titleLike reports whether s reads as a name: two to ten words, most
// capitalized, no sentence's end.
func titleLike(s string) bool {
	s = strings.TrimSpace(s)
	ws := strings.Fields(s)
	if len(ws) < 2 || len(ws) > 10 || strings.ContainsAny(s, ".!?") {
		return false
	}
	return capsShare(ws)
}

// nameRest reports whether what follows a name's separator is a name too
// ("Harbor City Arts Council: Project Grants for Individual Artists"), not
// the call's text: no sentence, no figure.
func nameRest(s string) bool {
	return titleLike(s) && !strings.ContainsAny(s, "0123456789$€£")
}

// titleSmallWords are the short words a title leaves in lower case
// ("Writer in Residence", "Call per Compositori").
var titleSmallWords = map[string]bool{"a": true, "an": true, "in": true, "to": true, "at": true, "by": true, "with": true,
	"from": true, "or": true, "per": true, "en": true, "al": true, "au": true, "aux": true, "pour": true, "para": true}

// capsShare reports whether most of a name's words (seven in ten) are
// capitalized, its connectors ("of", "du", "für") and small words ("in")
// counting as such.
func capsShare(ws []string) bool {
	caps := 0
	for _, w := range ws {
		if isCapitalized(w) || !unicode.IsLetter(firstRune(w)) || connectors[w] || titleSmallWords[w] {
			caps++
		}
	}
	return caps*10 >= len(ws)*7
}

// trimBullet drops a line's leading bullet, number or markdown marks.
func trimBullet(line string) string {
	for _, b := range []string{"▸", "•", "■", "▪", "►", "◆", "●", "★", "→", "✦", "-", "*", "➜", "👉", "–", "—"} {
		if strings.HasPrefix(line, b) && !strings.HasPrefix(line, "**") {
			line = strings.TrimSpace(line[len(b):])
			break
		}
	}
	if len(line) > 2 && line[0] == '(' && isDigit(line[1]) && line[2] == ')' {
		line = strings.TrimSpace(line[3:])
	} else if n := numberLen(line); n > 0 {
		line = strings.TrimSpace(line[n:])
	}
	return strings.TrimLeftFunc(line, func(r rune) bool { return unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) })
}
