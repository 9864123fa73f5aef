package extract

import (
	"strings"
)

// A newsletter often names a call's funder beside the call's name rather
// than in a sentence: "Touring Grant (Northern Lights Music Council)",
// "Touring Support 2027 — Silverline Dance Fund", "Composer Commission 2026
// from Plainsong Foundation", "Sundial Arts Fund: Artist Relief Grant", or
// on the first line under it ("**Wrenfield Foundation** · $40,000",
// "Tessellate Magazine. An international short story competition…"). The
// newsletter states it; the rules reading the block's sentences would
// often miss it or cut it short.

// headingFunder splits a call's heading into its programme's name and the
// funder the heading names beside it; funder is empty when it names none.
func headingFunder(d *doc, h string) (name, funder string) {
	if i := strings.LastIndex(h, " ("); i > 0 && strings.HasSuffix(h, ")") {
		if p, f := strings.TrimSpace(h[:i]), h[i+2:len(h)-1]; f == p || !isPlaceName(f, false) && sideName(d, strings.Replace(f, "City of ", "", 1), false) {
			return p, f
		}
	}
	for _, sep := range []string{" — ", " – ", " - ", " | ", " from ", " by "} {
		i := strings.LastIndex(h, sep)
		if i <= 0 {
			continue
		}
		p, f := strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+len(sep):])
		by := sep == " from " || sep == " by "
		if f == p && sep == " | " || (by || d.namesKind(p) || hasOrgWord(f, 2)) && sideName(d, f, true) {
			return p, f // "Starling Podcast Prize | Starling Podcast Prize": the prize is its own organization
		}
	}
	if f, p, ok := strings.Cut(h, ": "); ok && (!d.namesKind(f) || hasOrgWord(f, 2)) && d.namesKind(p) && sideName(d, f, true) {
		return strings.TrimSpace(p), strings.TrimSpace(f)
	}
	return h, ""
}

// leadFunder returns the funder that the first line of a call's text
// names alone before a full stop or a middle dot ("**Wrenfield
// Foundation** · $40,000", "Tessellate Magazine. An international…"), or
// "". A dash there sets off as often a place or a detail ("Riverside
// Underpass — $18,000").
func leadFunder(d *doc, body string) string {
	line := strings.TrimSpace(firstLine(body))
	if strings.HasPrefix(line, "**") {
		if f, _, ok := strings.Cut(line[2:], "**"); ok && sideName(d, f, false) {
			return strings.TrimSpace(f)
		}
		return ""
	}
	for _, by := range []string{"From ", "By ", "Von ", "De ", "Par ", "Por ", "Da "} {
		line = strings.TrimPrefix(line, by)
	}
	for _, sep := range []string{". ", " · "} {
		if f, _, ok := strings.Cut(line, sep); ok && sideName(d, f, true) {
			return strings.TrimSpace(f)
		}
	}
	return ""
}

// sideWords are words that a name beside a call's name carries when it
// names the call's round or state, not its funder ("Autumn Session",
// "Deadline Extended").
var sideWords = map[string]bool{"Session": true, "Edition": true, "Round": true, "Cycle": true, "Intake": true, "Spring": true,
	"Summer": true, "Autumn": true, "Fall": true, "Winter": true, "Update": true, "Reminder": true, "Deadline": true,
	"Extended": true, "Closing": true, "Open": true, "Now": true, "Last": true, "Chance": true, "Call": true, "New": true,
	"Online": true, "Virtual": true, "Hybrid": true, "Revised": true, "Corrected": true}

// sideOrgWords end the names of bodies that the funder rules do not rank
// as organizations but that a call's name carries beside it ("City of
// Eastmere Public Art Office", "Lensfield Quarterly").
var sideOrgWords = map[string]bool{"Office": true, "Quarterly": true, "Division": true, "Service": true}

// sideName reports whether s, set beside a call's name, names an
// organization: a short capitalized name without digits, that names no
// place and, when strict, no kind of call (a name in brackets after the
// call's or in bold under it may, after its first word: "Fallow Ground
// Residency", "Résidence Les Tilleuls"), and is not a round's or a
// state's name.
func sideName(d *doc, s string, strict bool) bool {
	s = strings.TrimSpace(s)
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 7 || !isCapitalized(ws[0]) || strings.ContainsAny(s, "0123456789$€£:;!?") || !capsShare(ws) {
		return false
	}
	for i, w := range ws {
		if programWords[w] && (strict || i == 0) || sideWords[w] {
			return false
		}
	}
	if isPlaceName(s, true) || strict && d.namesKind(s) && !hasOrgWord(s, 3) && !sideOrgWords[ws[len(ws)-1]] {
		return false
	}
	return len(ws) >= 2 || hasOrgWord(s, 3) || d.langOrgName(s)
}
