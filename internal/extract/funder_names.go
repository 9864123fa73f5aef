package extract

import (
	"strings"
	"unicode"
)

// The readers in this file find an organization as a proper noun where no
// pattern of funder.go names it: the place a post speaks from ("At X we
// …"), a name described as an organization ("X, a nonprofit in …"), a
// name that signs the last sentence ("… by May 3. — X"), and a brand
// before the name of its programme ("the Pixelforge Jam").

// atLeads open a sentence with the organization it is written from ("At
// Bramblewood Games we're hiring", "En Estudio Cardumen buscamos", "Chez
// Atelier Brume, nous cherchons", "Bei Studio Rauschen suchen wir").
var atLeads = []string{"At ", "En ", "Chez ", "Bei ", "Bij ", "Hos ", "Na ", "No ", "Em ", "Presso "}

// weWords are the first person plural the sentence goes on in.
var weWords = map[string]bool{"we": true, "we're": true, "we’re": true, "we've": true, "we’ve": true, "we'll": true,
	"we’ll": true, "nous": true, "on": true, "wir": true, "vi": true, "wij": true, "noi": true, "nós": true, "nosotros": true,
	"nosotras": true}

// funderAtWe reads "At X we …": a name after a leading preposition, with
// the sentence going on in the first person plural (its pronoun, or a
// Spanish, Portuguese or Italian verb in that person).
func funderAtWe(s string) (string, float64) {
	for _, lead := range atLeads {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], lead)
			if i < 0 {
				break
			}
			i += off
			off = i + len(lead)
			if !sentenceStart(s, i) {
				continue
			}
			p := forwardPhrase(s, off)
			name := cleanName(p)
			if name == "" || !unicode.IsLetter(firstRune(name)) || isPlaceName(name, true) || timeName(name) {
				continue
			}
			rest := strings.TrimLeft(s[off+len(p):], ", ")
			ws := strings.Fields(strings.ToLower(rest))
			if len(ws) == 0 {
				continue
			}
			w0 := strings.TrimRight(ws[0], ",.!?")
			if weWords[w0] || firstPersonVerb(w0) || len(ws) > 1 && weWords[strings.TrimRight(ws[1], ",.!?")] {
				return name, 0.6
			}
		}
	}
	return "", 0
}

// firstPersonVerb reports whether w is a Spanish or Portuguese verb in the
// first person plural ("buscamos", "queremos", "procuramos") or an
// Italian one ("cerchiamo").
func firstPersonVerb(w string) bool {
	return len(w) >= 6 && (strings.HasSuffix(w, "amos") || strings.HasSuffix(w, "emos") || strings.HasSuffix(w, "imos") ||
		strings.HasSuffix(w, "iamo"))
}

// sentenceStart reports whether s[i:] opens the text, a line or a sentence.
func sentenceStart(s string, i int) bool {
	if i == 0 || s[i-1] == '\n' {
		return true
	}
	before := strings.TrimRight(s[:i], " ")
	if before == "" {
		return true
	}
	return strings.ContainsAny(before[len(before)-1:], ".!?:") && len(before) < i
}

// orgDescriptors name what an organization is, after a name and a comma
// ("Cascadia Letters, a nonprofit in Portland").
var orgDescriptors = map[string]bool{"nonprofit": true, "non-profit": true, "charity": true, "organisation": true,
	"organization": true, "collective": true, "press": true, "label": true, "studio": true, "company": true,
	"foundation": true, "festival": true, "magazine": true, "gallery": true, "theatre": true, "theater": true, "agency": true,
	"network": true, "council": true, "society": true, "association": true, "cooperative": true, "co-op": true, "venue": true,
	"brand": true, "startup": true, "start-up": true, "nonprofits": true, "journal": true, "quarterly": true, "zine": true,
	"asociación": true, "editorial": true, "colectivo": true, "fundación": true, "collectif": true, "compagnie": true,
	"maison": true, "verein": true, "verlag": true, "stiftung": true, "associazione": true, "fondazione": true, "associação": true,
	"editora": true, "coletivo": true, "vereniging": true, "stichting": true, "uitgeverij": true, "förening": true,
	"förlag": true, "stiftelse": true, "ensemble": true, "orchestra": true, "choir": true}

// funderDescribed reads a name that an appositive calls an organization,
// wherever the name stands ("grants from Cascadia Letters, a nonprofit in
// Portland"); funderAppositive reads one that opens a sentence.
func funderDescribed(s string) (string, float64) {
	for _, sep := range []string{", an ", ", a ", ", un ", ", una ", ", une ", ", uma ", ", um ", ", ein ", ", eine ", ", een ", ", en ", ", ett "} {
		for off := 0; ; {
			i := strings.Index(s[off:], sep)
			if i < 0 {
				break
			}
			i += off
			off = i + len(sep)
			if !describedAsOrg(s[off:]) {
				continue
			}
			ps := backwardPhrase(s, i)
			if ps < 0 {
				continue
			}
			if name := cleanName(s[ps:i]); name != "" && !isPlaceName(name, true) {
				return name, 0.6
			}
		}
	}
	return "", 0
}

// describedAsOrg reports whether an appositive's first four words, before
// its clause ends, name an organization.
func describedAsOrg(rest string) bool {
	for n, w := range strings.Fields(rest) {
		if n >= 4 {
			break
		}
		t := strings.TrimRight(strings.ToLower(w), ",.;:!?)")
		if orgDescriptors[t] {
			// The word heads the appositive: the clause ends or a
			// preposition follows ("a nonprofit in Portland", not "a
			// company director").
			ws := strings.Fields(rest)
			return t != strings.ToLower(w) || n+1 >= len(ws) || appositiveLinks[strings.ToLower(ws[n+1])]
		}
		if t != w && t != strings.ToLower(w) {
			break // the clause ended
		}
	}
	return false
}

// funderSignedSentence reads the name that follows the last sentence of
// the text on its own line's end, after a dash ("Send links by August 3.
// — Paper Lantern Quarterly").
func funderSignedSentence(s string) (string, float64) {
	s = strings.TrimRight(s, " \n")
	line := s[strings.LastIndexByte(s, '\n')+1:]
	for _, sep := range []string{" — ", " – "} {
		i := strings.LastIndex(line, sep)
		if i <= 0 || !strings.ContainsAny(line[i-1:i], ".!?)") {
			continue
		}
		rest := strings.TrimSpace(line[i+len(sep):])
		p := forwardPhrase(rest, 0)
		if p != strings.TrimRight(rest, ".") {
			continue
		}
		// A person signs so as often: the name must end in an
		// organization word ("Paper Lantern Quarterly").
		if name := cleanName(p); name != "" && orgHead(name) && len(strings.Fields(name)) <= 7 {
			return name, 0.7
		}
	}
	return "", 0
}

// brandProgramNouns end the name of a programme a brand runs under its
// own name ("the Pixelforge Jam", "The Inkwell 30-Day Sketchbook
// Challenge", "the Tallyho Partner Creator programme"). Prizes, awards and
// fellowships are left out: they are named after people as often.
var brandProgramNouns = map[string]bool{"jam": true, "challenge": true, "sprint": true, "hackathon": true, "programme": true,
	"program": true, "ambassadors": true, "creators": true, "partners": true, "collab": true, "drop": true}

// commonNameWords are capitalized in programme names without naming who
// runs them.
var commonNameWords = map[string]bool{"summer": true, "spring": true, "autumn": true, "fall": true, "winter": true,
	"annual": true, "open": true, "new": true, "big": true, "great": true, "global": true, "international": true,
	"national": true, "young": true, "emerging": true, "rising": true, "first": true, "grand": true, "daily": true,
	"weekly": true, "monthly": true, "creative": true, "creator": true, "partner": true, "ambassador": true,
	"community": true, "art": true, "arts": true, "music": true, "film": true, "design": true, "photo": true, "poetry": true,
	"story": true, "writing": true, "game": true, "games": true, "zine": true, "sketch": true, "sketchbook": true,
	"drawing": true, "mural": true, "remix": true, "beat": true, "dance": true, "comic": true, "comics": true, "short": true,
	"flash": true, "micro": true, "student": true, "youth": true, "kids": true, "local": true, "digital": true, "indie": true,
	"the": true, "our": true, "your": true, "this": true, "next": true, "world": true, "city": true, "future": true,
	"black": true, "women": true, "queer": true, "green": true, "climate": true, "ai": true, "ugc": true}

// funderBrandProgram reads the brand that names a programme it runs: the
// first word of a capitalized run that ends in a programme noun, when that
// word is no common word of programme names, no kind, discipline, month
// or place, is never written in lower case, and the text names it again
// ("#Inkwell30").
func funderBrandProgram(d *doc) (string, float64) {
	s := d.text
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\n' {
			j++
		}
		if i == 0 || s[i-1] == ' ' || s[i-1] == '\n' {
			if name, ok := d.brandAt(i); ok {
				return name, 0.45
			}
		}
		i = j + 1
	}
	return "", 0
}

// brandAt tries the run of capitalized words that starts at i.
func (d *doc) brandAt(i int) (string, bool) {
	s := d.text
	if i > 0 {
		// Only a run's first word: the word before must not be capitalized.
		k := i - 1
		for k > 0 && s[k-1] != ' ' && s[k-1] != '\n' {
			k--
		}
		if prev := strings.TrimRight(s[k:i-1], ",.:;!?"); prev == s[k:i-1] && prev != "" && isCapitalized(prev) && !articles[prev] {
			return "", false
		}
	}
	p := forwardPhrase(s, i)
	ws := strings.Fields(p)
	if len(ws) == 0 || articles[ws[0]] || !unicode.IsUpper(firstRune(ws[0])) {
		return "", false
	}
	// The programme noun: the run's last word, or a lower-case word after it.
	n := len(ws)
	last := strings.ToLower(ws[n-1])
	if !brandProgramNouns[last] {
		after := strings.TrimLeft(s[i+len(p):], " ")
		w, _, _ := strings.Cut(after, " ")
		if !brandProgramNouns[strings.TrimRight(w, ",.:;!?")] {
			return "", false
		}
		n++
	}
	if n < 2 {
		return "", false
	}
	brand := ws[0]
	if !d.brandLike(brand) {
		return "", false
	}
	name := brand
	if len(ws) > 1 && orgTier[ws[1]] > 0 {
		name += " " + ws[1] // "Sundown Records Remix Challenge"
	}
	// A programme is named after no brand as often ("the Erasmus
	// programme", "the Phoenix Challenge"), so the brand must be named
	// again outside the programme's name and its hashtag ("#Inkwell30"
	// beside "The Inkwell 30-Day Sketchbook Challenge").
	lb := strings.ToLower(brand)
	if strings.Count(d.text, brand) < strings.Count(d.lower, lb) {
		return "", false // written in lower case too: a word, not a name ("Temporary Installations Program")
	}
	run := strings.ToLower(p)
	alone := strings.Count(d.lower, lb) - strings.Count(d.lower, run)
	if joined := strings.ReplaceAll(run, " ", ""); joined != run {
		alone -= strings.Count(d.lower, joined)
	}
	if alone > 0 {
		return name, true
	}
	return "", false
}

// brandLike reports whether w can be a brand's name: a word of letters,
// at least four long, that no lexicon of the document's language holds
// and that is no common word of programme names and no place.
func (d *doc) brandLike(w string) bool {
	if len(w) < 4 || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return false
	}
	lw := strings.ToLower(w)
	if commonNameWords[lw] || brandProgramNouns[lw] || isPlaceName(w, true) {
		return false
	}
	if _, ok := monthsEN[lw]; ok {
		return false
	}
	toks := tokenize(lw)
	r := d.rules()
	return len(r.kinds.find(lw, toks)) == 0 && len(r.disciplines.find(lw, toks)) == 0 && len(r.seek.find(lw, toks)) == 0
}

// romanceNameBefore returns where a French, Spanish, Italian or
// Portuguese organization's name that ends at end starts: a capitalized
// organization word of those languages and up to five lower-case words
// or connectors after it ("Centre national de la danse"), or -1.
func romanceNameBefore(s string, end int) int {
	j := strings.TrimRight(s[:end], " ")
	linked := false
	for n := 0; n < 6; n++ {
		k := strings.LastIndexAny(j, " \n")
		tok := j[k+1:]
		if tok == "" || strings.ContainsAny(tok, ",.:;!?()") {
			return -1
		}
		if romanceOrgWord(trimElision(tok)) {
			if n == 0 || !linked {
				// The word alone is no name, nor is one that no Romance
				// connector joins to the words after it ("The Kraków
				// Comics Festival competition awards").
				return -1
			}
			return k + 1
		}
		if !isLowerWord(tok) && !connectors[tok] {
			return -1
		}
		linked = linked || romanceConnectors[trimElision(tok)] || strings.HasPrefix(tok, "d'") || strings.HasPrefix(tok, "d’")
		if k < 0 {
			return -1
		}
		j = j[:k]
	}
	return -1
}

// romanceConnectors join the words of a French, Spanish, Italian or
// Portuguese organization's name.
var romanceConnectors = map[string]bool{"de": true, "des": true, "du": true, "del": true, "della": true, "delle": true,
	"degli": true, "dei": true, "di": true, "do": true, "da": true, "dos": true, "das": true, "la": true, "las": true, "los": true,
	"le": true, "les": true, "et": true, "y": true, "e": true, "per": true, "para": true, "pour": true}

func romanceOrgWord(w string) bool {
	for _, l := range []*language{langFR, langES, langIT, langPT} {
		for _, o := range l.orgWords {
			if o == w {
				return true
			}
		}
	}
	return false
}

// leadAfterQuestion reads the name that opens the sentence after a
// paragraph's opening question or exclamation ("Got a track that needs a
// home? Sundown Records wants demos"), followed by a lead verb, when the
// name has inner capitals or an organization word, or the title names it.
func leadAfterQuestion(s string, j int, title string) string {
	para := s[j:]
	if k := strings.IndexByte(para, '\n'); k >= 0 {
		para = para[:k]
	}
	q := strings.IndexAny(para, "?!")
	if q < 0 || q > 200 || q+2 >= len(para) || para[q+1] != ' ' {
		return ""
	}
	rest := para[q+2:]
	p := forwardPhrase(rest, 0)
	if p == "" || len(p) >= len(rest) || rest[len(p)] != ' ' {
		return ""
	}
	w, _, _ := strings.Cut(rest[len(p)+1:], " ")
	if !leadVerbs[w] {
		return ""
	}
	name := cleanName(p)
	if name == "" || stopNames[strings.Fields(name)[0]] || isPlaceName(name, true) {
		return ""
	}
	if strings.IndexFunc(name, unicode.IsSpace) < 0 && innerCapital(name) || hasOrgWord(name, 3) || strings.Contains(title, name) {
		return name // two capitalized words alone may be a person ("Poet Jane Smith is …")
	}
	return ""
}

// funderNameSentence reads a sentence that is only a name with an
// organization word ("Entry fee $10. The Lamplight Review. Entries close
// …"): a post's signature run into its text.
func funderNameSentence(s string) (string, float64) {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], ". ")
		if i < 0 {
			break
		}
		start := off + i + 2
		off = start
		end := strings.Index(s[start:], ".")
		if end < 0 {
			break
		}
		sent := s[start : start+end]
		if strings.ContainsAny(sent, "\n") || forwardPhrase(sent, 0) != sent {
			continue
		}
		if name := cleanName(sent); strings.Contains(name, " ") && hasOrgWord(name, 3) && !isPlaceName(name, true) && !programName(name) {
			return name, 0.55
		}
	}
	return "", 0
}

// funderTitleSigned reads the name that opens both the title and the
// post's last line, where a comma follows it ("Pinewick Candles x
// artists" … "Pinewick Candles, hand-poured in Asheville.").
func funderTitleSigned(d *doc) (string, float64) {
	body := strings.TrimRight(d.text[d.titleEnd:], " \n")
	line := strings.TrimSpace(body[strings.LastIndexByte(body, '\n')+1:])
	p := forwardPhrase(line, 0)
	if p == "" || len(p) >= len(line) || line[len(p)] != ',' {
		return "", 0
	}
	name := cleanName(p)
	if !strings.Contains(name, " ") || !strings.HasPrefix(d.text[:d.titleEnd], p) || isPlaceName(name, true) {
		return "", 0
	}
	return name, 0.55
}

// timeNames are the holidays, seasons and days a sentence can open with
// ("At Easter we open …", "En Navidad cerramos").
var timeNames = map[string]bool{"easter": true, "christmas": true, "navidad": true, "noël": true, "pâques": true,
	"weihnachten": true, "ostern": true, "pascua": true, "natale": true, "pasqua": true, "páscoa": true, "natal": true,
	"kerst": true, "pasen": true, "jul": true, "påsk": true, "halloween": true, "thanksgiving": true, "monday": true,
	"tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}

// timeName reports whether a one-word name is a holiday, season, month
// or day.
func timeName(name string) bool {
	if strings.Contains(name, " ") {
		return false
	}
	l := strings.ToLower(name)
	_, month := monthsEN[l]
	return month || timeNames[l] || commonNameWords[l]
}

// appositiveLinks follow the head noun of an appositive that describes an
// organization.
var appositiveLinks = map[string]bool{"in": true, "based": true, "from": true, "that": true, "which": true, "run": true,
	"founded": true, "dedicated": true, "for": true, "of": true, "with": true, "working": true, "supporting": true, "and": true,
	"en": true, "de": true, "aus": true, "från": true, "em": true, "à": true, "di": true, "da": true, "van": true, "i": true,
	"för": true, "uit": true, "que": true, "qui": true, "die": true, "der": true, "som": true, "che": true, "dat": true}

// orgHead reports whether a name ends in an organization word.
func orgHead(name string) bool {
	ws := strings.Fields(name)
	last := ws[len(ws)-1]
	return orgTier[last] > 0 && orgTier[last] <= 3 && !programName(name) || orgDescriptors[strings.ToLower(last)]
}

// programName reports whether a name ends in a programme's word ("Winter
// Arts Program"), not an organization's.
func programName(name string) bool {
	ws := strings.Fields(name)
	last := ws[len(ws)-1]
	return programWords[last] || last == "Program" || last == "Programme"
}

// funderRomanceVerb reads "Le Centre national de la danse soutient …":
// an offer verb after an organization word and the lower-case words of
// its name, which funderVerb, reading capitalized runs, leaves.
func funderRomanceVerb(s string) (string, float64) {
	for _, loc := range verbPhrases(s, offerByFirst) {
		if backwardPhrase(s, loc[0]) >= 0 {
			continue
		}
		if rs := romanceNameBefore(s, loc[0]); rs >= 0 {
			if name := cleanName(s[rs:loc[0]]); name != "" {
				return name, 0.6
			}
		}
	}
	return "", 0
}

// funderQuestionLead reads, in the body's first paragraphs, the name that
// opens the sentence after an opening question (leadAfterQuestion).
func funderQuestionLead(s, title string) (string, float64) {
	for j := range leadParagraphs(s) {
		if name := leadAfterQuestion(s, j, title); name != "" {
			return name, 0.5
		}
	}
	return "", 0
}
