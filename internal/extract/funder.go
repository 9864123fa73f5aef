package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patterns that introduce or follow the name of the organization behind an
// opportunity (matched on original text).
var (
	possRe    = regexp.MustCompile(`(?:'s|’s)\s+(?:[\p{L}-]+\s+){0,5}?(?i:fund|prize|award|contest|competition|grant|fellowship|programme|program|scholarship)\b`)
	throughRe = regexp.MustCompile(`\b(?:through|from) the\s+`)
	orgWordRe = regexp.MustCompile(`\b(?:Foundation|Trust|Endowment|Council|Institute|Ministry|Stiftung|Fonds|Committee|Society|Fondation|Agency|Department|Fund|Center|Centre|Academy|Museum|School|Collective|Alliance|Lab|Hub|Circle|Exchange|Partnership|Association|Guild|Commission)\b`)
)

// orgTier ranks words that end organization names: 1 names a funder almost
// always, 2 often, 3 only when a pattern already says it is the offerer.
var orgTier = map[string]int{
	"Foundation": 1, "Trust": 1, "Endowment": 1, "Council": 1, "Institute": 1, "Ministry": 1, "Stiftung": 1, "Fonds": 1,
	"Committee": 1, "Society": 1, "Fondation": 1, "Agency": 1, "Department": 1,
	"Fund": 2, "Center": 2, "Centre": 2, "Academy": 2, "Museum": 2, "School": 2, "Collective": 2, "Alliance": 2, "Lab": 2,
	"Hub": 2, "Circle": 2, "Exchange": 2, "Partnership": 2, "Association": 2, "Guild": 2, "Commission": 2,
	"Program": 3, "Programme": 3, "Festival": 3, "Studios": 3, "Press": 3, "Company": 3, "Theatre": 3, "Theater": 3,
	"Gallery": 3, "Symphony": 3, "Orchestra": 3, "House": 3, "Arts": 3, "Review": 3,
}

var programWords = map[string]bool{
	"Fellowship": true, "Fellowships": true, "Prize": true, "Award": true, "Awards": true, "Grant": true, "Grants": true,
	"Residency": true, "Scholarship": true, "Scholarships": true, "Bursary": true, "Competition": true, "Contest": true,
	"Retreat": true,
}

var connectors = map[string]bool{"of": true, "for": true, "the": true, "and": true, "&": true, "de": true, "des": true,
	"du": true, "für": true, "del": true, "di": true}

var articles = map[string]bool{"The": true, "Le": true, "La": true, "Les": true, "Die": true, "Der": true, "Das": true, "El": true, "L'": true}

var prepositions = map[string]bool{"in": true, "at": true, "of": true, "for": true, "from": true, "to": true, "with": true,
	"on": true, "near": true, "into": true}

// stopNames start phrases that are not organizations.
var stopNames = map[string]bool{"Applications": true, "Application": true, "Submissions": true, "Artists": true, "Residents": true,
	"Fellows": true, "Selected": true, "Each": true, "This": true, "Our": true, "We": true, "It": true, "Open": true, "Call": true,
	"Deadline": true, "Session": true, "Fall": true, "Spring": true, "Summer": true, "Winter": true, "Participants": true, "Founders": true}

func findFunder(d *doc) match {
	body := d.text[d.titleEnd:]
	for _, f := range []func(string) (string, float64){funderBy, funderVerb, funderPossessive, funderHeader, funderThrough, funderFallback} {
		if name, conf := f(body); name != "" {
			return match{text: name, span: name, conf: conf}
		}
	}
	return match{}
}

func funderBy(s string) (string, float64) {
	for _, loc := range byPhrases(s) {
		if name := cleanName(forwardPhrase(s, loc[1])); name != "" {
			return name, 0.85
		}
	}
	return "", 0
}

func funderVerb(s string) (string, float64) {
	for _, loc := range verbPhrases(s) {
		if nounUse(s[loc[1]:]) {
			continue // "Production awards of up to ..."
		}
		ps := backwardPhrase(s, loc[0])
		if ps < 0 || precededByPreposition(s, ps) {
			continue
		}
		if name := cleanName(s[ps:loc[0]]); name != "" {
			return name, confFor(name, 0.8, 0.65)
		}
	}
	return "", 0
}

func funderPossessive(s string) (string, float64) {
	for _, loc := range possRe.FindAllStringIndex(s, -1) {
		ps := backwardPhrase(s, loc[0])
		if ps < 0 || precededByPreposition(s, ps) {
			continue
		}
		if name := cleanName(s[ps:loc[0]]); name != "" {
			return name, 0.7
		}
	}
	return "", 0
}

// funderHeader reads "National Endowment for the Arts: Grants for ...".
func funderHeader(s string) (string, float64) {
	start := len(s) - len(strings.TrimLeft(s, " \n"))
	p := forwardPhrase(s, start)
	rest := strings.TrimLeft(s[start+len(p):], " ")
	if p == "" || rest == "" || !strings.ContainsAny(rest[:1], ":—–-") {
		return "", 0
	}
	if name := cleanName(p); name != "" && hasOrgWord(name, 3) {
		return name, 0.7
	}
	return "", 0
}

func funderThrough(s string) (string, float64) {
	for _, loc := range throughRe.FindAllStringIndex(s, -1) {
		if name := cleanName(forwardPhrase(s, loc[1])); name != "" && hasOrgWord(name, 2) {
			return name, 0.65
		}
	}
	return "", 0
}

// funderFallback takes the first name ending in the strongest organization word.
func funderFallback(s string) (string, float64) {
	best, bestTier := "", 4
	for _, loc := range orgWordRe.FindAllStringIndex(s, -1) {
		tier := orgTier[s[loc[0]:loc[1]]]
		if tier >= bestTier {
			continue
		}
		ps := backwardPhrase(s, loc[1])
		if ps < 0 {
			continue
		}
		name := cleanName(s[ps:loc[1]] + forwardTail(s, loc[1]))
		if name != "" && hasOrgWord(name, 2) && strings.Contains(name, " ") {
			best, bestTier = name, tier
		}
	}
	return best, 0.5
}

func nounUse(rest string) bool {
	for _, p := range []string{" of ", " are ", " were ", " include", " range", " for "} {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}

func confFor(name string, withOrg, without float64) float64 {
	if hasOrgWord(name, 3) {
		return withOrg
	}
	return without
}

func hasOrgWord(name string, maxTier int) bool {
	for _, w := range strings.Fields(name) {
		if t := orgTier[w]; t > 0 && t <= maxTier {
			return true
		}
	}
	return false
}

func firstRune(w string) rune {
	r, _ := utf8.DecodeRuneInString(w)
	return r
}

func isCapitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// forwardPhrase returns the run of capitalized words (joined by connectors)
// starting at i, ending at punctuation.
func forwardPhrase(s string, i int) string {
	end, j := i, i
	for j < len(s) {
		k := j
		for k < len(s) && s[k] != ' ' && s[k] != '\n' {
			k++
		}
		tok := s[j:k]
		word := strings.TrimRight(tok, ",.:;)!?")
		switch {
		case word != "" && isCapitalized(word):
			end = j + len(word)
		case connectors[word] && word == tok && end > i:
		default:
			return strings.TrimSpace(s[i:end])
		}
		if word != tok || k >= len(s) || s[k] == '\n' {
			return strings.TrimSpace(s[i:end])
		}
		j = k + 1
	}
	return strings.TrimSpace(s[i:end])
}

// forwardTail extends a name past its organization word with connector
// phrases such as " for the Arts".
func forwardTail(s string, i int) string {
	if i >= len(s) || s[i] != ' ' {
		return ""
	}
	rest := s[i+1:]
	w, _, _ := strings.Cut(rest, " ")
	if !connectors[w] {
		return ""
	}
	p := forwardPhrase(s, i+1)
	if p == "" || strings.HasSuffix(p, " "+w) || p == w {
		return ""
	}
	return " " + p
}

// backwardPhrase returns where the run of capitalized words that ends at end
// starts, or -1 when the word before end is not capitalized.
func backwardPhrase(s string, end int) int {
	start, j := -1, end
	for n := 0; j > 0 && n < 14; n++ { // names longer than 9 words are rejected anyway
		k := j
		for k > 0 && s[k-1] != ' ' && s[k-1] != '\n' {
			k--
		}
		tok := s[k:j]
		last := k+len(tok) == end
		switch {
		case tok != "" && strings.ContainsAny(tok[len(tok)-1:], ",.:;()!?") && !last, last && strings.ContainsAny(tok, "()"):
			return start
		case tok != "" && isCapitalized(tok):
			start = k
		case connectors[tok] && start >= 0:
		default:
			return start
		}
		if k == 0 || s[k-1] == '\n' {
			break
		}
		j = k - 1
	}
	return start
}

func precededByPreposition(s string, ps int) bool {
	words := strings.Fields(s[max(0, ps-20):ps])
	if n := len(words); n > 0 {
		w := strings.ToLower(words[n-1])
		if w == "the" && n > 1 {
			w = strings.ToLower(words[n-2])
		}
		return prepositions[w]
	}
	return false
}

// cleanName trims articles and program words from a phrase and rejects
// phrases that name a program rather than an organization.
func cleanName(p string) string {
	words := strings.Fields(strings.TrimRight(p, ",.:;'’"))
	for len(words) > 0 && (articles[words[0]] || connectors[words[0]]) {
		words = words[1:]
	}
	for len(words) > 0 && connectors[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	for len(words) > 0 && !unicode.IsLetter(firstRune(words[0])) {
		words = words[1:]
	}
	if len(words) == 0 || len(words) > 9 || stopNames[words[0]] && !hasOrgWord(strings.Join(words, " "), 3) {
		return ""
	}
	for i := 1; i < len(words); i++ {
		if words[i] == "the" && !connectors[words[i-1]] {
			words = words[i+1:] // "Email the Eastside Business Alliance"
			break
		}
	}
	if len(words) == 0 {
		return ""
	}
	words = cutProgram(words)
	if len(words) == 0 {
		return ""
	}
	name := strings.Join(words, " ")
	if i := strings.Index(name, " of the "); i > 0 && hasOrgWord(name[i+8:], 2) {
		name = name[i+8:]
	}
	return name
}

// cutProgram drops a trailing program name ("... Foundation Photography
// Fellowship" -> "... Foundation"); a phrase that is only a program name
// becomes empty.
func cutProgram(words []string) []string {
	cut := -1
	for i, w := range words {
		if programWords[w] {
			cut = i
			break
		}
	}
	if cut < 0 {
		return words
	}
	for _, w := range words[cut+1:] {
		if orgTier[w] > 0 && orgTier[w] <= 2 {
			return words
		}
	}
	words = words[:cut]
	lastOrg := -1
	for i, w := range words {
		if orgTier[w] > 0 {
			lastOrg = i
		}
	}
	if lastOrg < 0 {
		return nil
	}
	for _, w := range words[lastOrg+1:] {
		if connectors[w] {
			return words
		}
	}
	return words[:lastOrg+1]
}
