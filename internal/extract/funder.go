package extract

import (
	"iter"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patterns that introduce or follow the name of the organization behind an
// opportunity (matched on original text).
var (
	possRe    = regexp.MustCompile(`(?:'s|’s|s'|s’)\s+(?:[\p{L}-]+\s+){0,5}?(?i:fund|prize|award|contest|competition|grant|fellowship|programme|program|scholarship|lab|residency|commission|challenge|mentorship)\b`)
	throughRe = regexp.MustCompile(`\b(?:through|from) the\s+`)
	orgWordRe = regexp.MustCompile(`\b(?:Foundation|Trust|Endowment|Council|Institute|Ministry|Stiftung|Fonds|Committee|Society|Fondation|Agency|Department|Fund|Center|Centre|Academy|Museum|School|Collective|Alliance|Lab|Hub|Circle|Exchange|Partnership|Association|Guild|Commission|University|College|Conservancy|Board|Bureau|Authority|Federation|Coalition|League|Club|Studios|Magazine)\b`)
)

// orgTier ranks words that end organization names: 1 names a funder almost
// always, 2 often, 3 only when a pattern already says it is the offerer.
var orgTier = map[string]int{
	"Foundation": 1, "Trust": 1, "Endowment": 1, "Council": 1, "Institute": 1, "Ministry": 1, "Stiftung": 1, "Fonds": 1,
	"Committee": 1, "Society": 1, "Fondation": 1, "Agency": 1, "Department": 1,
	"Fund": 2, "Center": 2, "Centre": 2, "Academy": 2, "Museum": 2, "School": 2, "Collective": 2, "Alliance": 2, "Lab": 2,
	"Hub": 2, "Circle": 2, "Exchange": 2, "Partnership": 2, "Association": 2, "Guild": 2, "Commission": 2,
	"University": 2, "College": 2, "Conservancy": 2, "Board": 2, "Bureau": 2, "Authority": 2, "Federation": 2,
	"Coalition": 2, "League": 2, "Club": 2,
	"Program": 3, "Programme": 3, "Festival": 3, "Studios": 2, "Press": 3, "Company": 3, "Theatre": 3, "Theater": 3,
	"Gallery": 3, "Symphony": 3, "Orchestra": 3, "House": 3, "Arts": 3, "Review": 3,
	"Records": 3, "Books": 3, "Publishing": 3, "Magazine": 2, "Journal": 3, "Radio": 3, "Films": 3, "Pictures": 3,
	"Productions": 3, "Media": 3, "Network": 3, "Studio": 3, "Library": 3, "Ensemble": 3, "Quartet": 3, "Choir": 3, "Games": 3,
}

var programWords = map[string]bool{
	"Fellowship": true, "Fellowships": true, "Prize": true, "Award": true, "Awards": true, "Grant": true, "Grants": true,
	"Residency": true, "Scholarship": true, "Scholarships": true, "Bursary": true, "Competition": true, "Contest": true,
	"Retreat": true,
}

var connectors = map[string]bool{"of": true, "for": true, "the": true, "and": true, "&": true, "de": true, "des": true,
	"du": true, "für": true, "del": true, "di": true, "do": true, "da": true, "dos": true, "das": true, "della": true,
	"delle": true, "degli": true, "dei": true, "van": true, "von": true, "der": true, "den": true, "les": true, "la": true,
	"i": true, "och": true, "y": true, "et": true, "on": true, "e.V.": true, "las": true, "los": true, "am": true, "im": true,
	"zum": true, "zur": true}

var articles = map[string]bool{"The": true, "Le": true, "La": true, "Les": true, "Die": true, "Der": true, "Das": true, "El": true,
	"L'": true, "Los": true, "Las": true, "O": true, "A": true, "Il": true, "Lo": true, "Het": true, "De": true, "Den": true, "Det": true}

// leadPrepositions open a sentence before a name ("En Colectivo Tinta
// Suelta estamos …", "Bei der Stiftung …"): never part of it.
var leadPrepositions = map[string]bool{"En": true, "In": true, "At": true, "Bei": true, "Dans": true, "Chez": true, "Em": true,
	"Na": true, "No": true, "Nel": true, "Nella": true, "Desde": true, "Från": true, "På": true, "Hos": true, "Bij": true}

var prepositions = map[string]bool{"in": true, "at": true, "of": true, "for": true, "from": true, "to": true, "with": true,
	"on": true, "near": true, "into": true}

// stopNames start phrases that are not organizations.
var stopNames = map[string]bool{"Applications": true, "Application": true, "Submissions": true, "Artists": true, "Residents": true,
	"Fellows": true, "Selected": true, "Each": true, "This": true, "Our": true, "We": true, "It": true, "Open": true, "Call": true,
	"Deadline": true, "Session": true, "Intake": true, "Entries": true, "Registration": true, "Fall": true, "Spring": true, "Summer": true, "Winter": true, "Participants": true, "Founders": true,
	"Vi": true, "Wir": true, "Nous": true, "Nosotros": true, "Noi": true, "Wij": true, "Nós": true, "Ni": true, "Vous": true,
	"You": true, "I": true, "Round": true, "Phase": true, "Stage": true, "Cycle": true, "Cohort": true}

func findFunder(d *doc) match {
	body := d.text[d.titleEnd:]
	title := d.text[:d.titleEnd]
	for i, f := range []func(string) (string, float64){funderField, funderOffererBy, funderOffererByLang, funderBacked, funderVerb} {
		if name, conf := f(body); name != "" && !isPlaceName(name, false) {
			return preferOfferer(d, title, body, match{text: name, span: name, conf: conf, by: uint8(1 + i)})
		}
	}
	for i, f := range []func(string) (string, float64){funderSignature, funderPossessive, funderHeader, funderThrough, funderFromProgram,
		funderAppositive} {
		if name, conf := f(body); name != "" && !isPlaceName(name, true) {
			return match{text: name, span: name, conf: conf, by: uint8(6 + i)}
		}
	}
	if name, conf := funderTitleVerb(title); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 12}
	}
	// A backer ("supported by", "made possible by") is the funder only when
	// nothing names the organization that runs the call.
	if name, conf := funderBackerBy(body); name != "" && !isPlaceName(name, false) {
		return match{text: name, span: name, conf: conf, by: 13}
	}
	if name, conf := funderFallback(body); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 14}
	}
	if l := d.rules().lang; len(l.orgWords) > 0 {
		if name, conf := funderLangOrg(body, l); name != "" && !isPlaceName(name, true) {
			return match{text: name, span: name, conf: conf, by: 15}
		}
	}
	if name, conf := funderLead(body, title); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 16}
	}
	if name, conf := funderClosing(d, body); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 17}
	}
	if name, conf := funderTitleOrg(d, title); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 18}
	}
	if name, conf := funderHostPhrase(d.text); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 19}
	}
	if name, conf := funderTitleBrand(d, title); name != "" && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 20}
	}
	// Proper nouns that no pattern above names (funder_names.go): each
	// decides only where every older reader found nothing.
	for i, f := range []func(string) (string, float64){funderAtWe, funderDescribed, funderSignedSentence, funderRomanceVerb} {
		if name, conf := f(body); name != "" {
			return match{text: name, span: name, conf: conf, by: uint8(21 + i)}
		}
	}
	if name, conf := funderQuestionLead(body, title); name != "" {
		return match{text: name, span: name, conf: conf, by: 25}
	}
	if name, conf := funderNameSentence(body); name != "" {
		return match{text: name, span: name, conf: conf, by: 26}
	}
	if name, conf := funderTitleSigned(d); name != "" {
		return match{text: name, span: name, conf: conf, by: 27}
	}
	if name, conf := funderBrandProgram(d); name != "" {
		return match{text: name, span: name, conf: conf, by: 28}
	}
	return match{}
}

// funderTitleBrand reads a brand that opens the title before the kind of
// what it offers ("SoundHaus Ambassadors 2026"), when the name is one a
// person or a place would not carry (inner capitals, or an organization
// word) and the body repeats it.
func funderTitleBrand(d *doc, title string) (string, float64) {
	p := forwardPhrase(title, 0)
	ws := strings.Fields(p)
	for n := len(ws) - 1; n >= 1; n-- {
		rest := strings.Join(ws[n:], " ")
		if !d.namesKind(rest) || d.namesKind(ws[n-1]) {
			continue
		}
		name := cleanName(strings.Join(ws[:n], " "))
		if name == "" {
			continue
		}
		if (innerCapital(strings.Fields(name)[0]) || hasOrgWord(name, 3)) && strings.Contains(d.text[d.titleEnd:], name) {
			return name, 0.45
		}
		if tag := "#" + strings.ToLower(strings.ReplaceAll(name, " ", "")); strings.Contains(name, " ") && strings.Contains(d.lower[d.titleEnd:], tag) {
			return name, 0.45 // "Nairobi Comic Con Art Challenge" beside #NairobiComicCon
		}
	}
	return "", 0
}

// hostPhrases stand before the organization that hosts what a post offers:
// "Join Bramblewood for a residency", "Summer residency at Bramblewood".
var hostPhrases = []string{"Join ", "join ", "residency at ", "residencies at ", "Residency at ", "Residencies at ",
	"residency with ", "residencies with ", "stay at ", "stays at "}

// funderHostPhrase reads the name after a host phrase, the last resort
// when nothing else names who offers the call.
func funderHostPhrase(s string) (string, float64) {
	for _, h := range hostPhrases {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], h)
			if i < 0 {
				break
			}
			at := off + i + len(h)
			off = at
			if at > len(h) && isASCIIWord(s[at-len(h)-1]) {
				continue // "rejoin", not "join"
			}
			p := forwardPhrase(s, at)
			if p == "" || stopNames[strings.Fields(p)[0]] {
				continue
			}
			if name := cleanName(p); name != "" && name == strings.TrimPrefix(p, "the ") {
				return name, 0.45
			}
		}
	}
	return "", 0
}

// preferOfferer checks a name read from a verb in the body against the
// title and the signature: a name the title gives as what an organization
// offers ("Northbank Film Festival opens its Short Film Lab") is the
// programme, and a bare word with no sign of an organization ("Jam
// runs …") gives way to the organization that signs the post.
func preferOfferer(d *doc, title, body string, m match) match {
	if name, conf := funderTitleVerb(title); name != "" && name != m.text && strings.Contains(title, m.text) &&
		strings.Index(title, m.text) > strings.Index(title, name) && !isPlaceName(name, true) {
		return match{text: name, span: name, conf: conf, by: 29}
	}
	if !strings.Contains(m.text, " ") && !innerCapital(m.text) && !hasOrgWord(m.text, 3) && !d.langOrgName(m.text) {
		if name, conf := funderSignature(body); name != "" && !isPlaceName(name, true) {
			return match{text: name, span: name, conf: conf, by: 30}
		}
	}
	return m
}

// langOrgName reports whether a name starts or ends with an organization
// word of the document's language.
func (d *doc) langOrgName(name string) bool {
	ws := strings.Fields(name)
	l := d.rules().lang
	return len(ws) > 0 && (isLangOrgWord(l, trimElision(ws[0])) || isLangOrgWord(l, ws[len(ws)-1]))
}

// fromProgramWords name what is given in "Grants from Lakeland Creative".
var fromProgramWords = map[string]bool{"grant": true, "grants": true, "award": true, "awards": true, "fellowship": true,
	"fellowships": true, "prize": true, "prizes": true, "funding": true, "scholarship": true, "scholarships": true,
	"bursary": true, "bursaries": true, "residency": true, "residencies": true, "stipend": true, "stipends": true,
	"commission": true, "commissions": true, "support": true}

// funderFromProgram reads the giver of "… Grants from X".
func funderFromProgram(s string) (string, float64) {
	for off, n := 0, 0; n < 3; n++ {
		i := strings.Index(s[off:], " from ")
		if i < 0 {
			break
		}
		i += off
		off = i + len(" from ")
		w := i
		for w > 0 && isASCIIWord(s[w-1]) {
			w--
		}
		if !fromProgramWords[asciiLower(s[w:i])] {
			continue
		}
		if name := cleanName(forwardPhrase(s, off)); name != "" && !stopNames[strings.Fields(name)[0]] {
			return name, 0.65
		}
	}
	return "", 0
}

// closingWords end a letter before its signature ("Herzliche Grüße\nIhr
// Kulturbüro …").
var closingWords = newLexicon("best", "best wishes", "all the best", "cheers", "thanks", "thank you", "warmly", "warm regards",
	"regards", "kind regards", "sincerely", "see you soon", "herzliche grüße", "herzliche grüsse", "viele grüße", "liebe grüße",
	"beste grüße", "freundliche grüße", "mit freundlichen grüßen", "saludos", "un saludo", "un abrazo", "cordialement",
	"bien à vous", "à bientôt", "bien cordialement", "met vriendelijke groet", "vriendelijke groet", "groeten", "hartelijke groet",
	"hälsningar", "vänliga hälsningar", "med vänlig hälsning", "cordiali saluti", "un caro saluto", "a presto", "abraços",
	"atenciosamente", "um abraço", "saudações")

// signerWords open a signature line before the name ("Ihr Kulturbüro",
// "Your friends at …", "El equipo de …").
var signerWords = []string{"Ihr ", "Ihre ", "Euer ", "Eure ", "Dein ", "Deine ", "Your friends at ", "Your ", "The team at ",
	"The team of ", "Team ", "Das Team von ", "Das Team der ", "Das Team des ", "El equipo de ", "L'équipe de ", "L’équipe de ",
	"Het team van ", "Il team di ", "La squadra di ", "A equipa de ", "A equipe de ", "Teamet på "}

// funderClosing reads the organization that signs a post on its own last
// lines: the line after a closing ("Herzliche Grüße"), or a last line that
// is a name and nothing else, after a line that ends a sentence. A single
// word or a person's first name is not enough: the name needs two words,
// an organization word or inner capitals.
func funderClosing(d *doc, s string) (string, float64) {
	lines := strings.Split(strings.TrimRight(s, " \n"), "\n")
	var last []string // the last non-empty lines, last first, without hashtag-only lines
	for i := len(lines) - 1; i >= 0 && len(last) < 4; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "@") {
			continue
		}
		last = append(last, l)
	}
	for i, l := range last {
		if i+1 < len(last) && isClosing(last[i+1]) {
			if name := signerName(d, l); name != "" {
				return name, 0.6
			}
		}
	}
	if len(last) >= 2 && signedAfterSentence(last[1]) && !isClosing(last[0]) {
		if name := signerName(d, last[0]); name != "" && (strings.Contains(name, " ") && isCapitalized(strings.Fields(name)[1]) ||
			innerCapital(name) || hasOrgWord(name, 3) || d.langOrgName(name) || legalForm(name)) {
			return name, 0.55
		}
	}
	return "", 0
}

// signedAfterSentence reports whether a line ends a sentence, emoji and other
// symbols after its punctuation aside ("Teilen erwünscht! 🙏").
func signedAfterSentence(l string) bool {
	l = strings.TrimRightFunc(l, func(r rune) bool { return unicode.IsSymbol(r) || unicode.IsSpace(r) || r == 0xFE0F || r == 0x200D })
	return l != "" && strings.ContainsAny(l[len(l)-1:], ".!?:)")
}

// legalForm reports whether a name ends in a company's or association's
// legal form ("Hofkultur e.V.", "Nordlicht GmbH", "Brightside Ltd").
func legalForm(name string) bool {
	return legalFormWords(strings.Fields(name))
}

// legalFormWords is legalForm of a name's words.
func legalFormWords(f []string) bool {
	if len(f) < 2 {
		return false
	}
	switch f[len(f)-1] {
	case "e.V.", "GmbH", "gGmbH", "AG", "Ltd", "Ltd.", "Inc", "Inc.", "LLC", "CIC", "AB", "asbl", "vzw", "S.L.", "SL", "Srl", "S.r.l.", "SAS", "Lda":
		return true
	}
	return false
}

func isClosing(l string) bool {
	low := lowerSameLength(strings.TrimRight(l, ",.!? "))
	toks := tokenize(low)
	if len(toks) == 0 {
		return false
	}
	h, n := closingWords.matchAt(low, toks, 0)
	return n > 0 && h.end == len(low)
}

// signerName returns the name a signature line gives, or "".
func signerName(d *doc, l string) string {
	for _, p := range signerWords {
		if strings.HasPrefix(l, p) {
			l = l[len(p):]
			break
		}
	}
	if legalForm(l) {
		// "Hofkultur e.V.": the phrase is the name before its legal form.
		f := strings.Fields(l)
		if base := strings.Join(f[:len(f)-1], " "); forwardPhrase(base, 0) == base && len(f) <= 6 {
			return l
		}
		return ""
	}
	if forwardPhrase(l, 0) != strings.TrimRight(l, ".") || len(strings.Fields(l)) > 6 {
		return ""
	}
	name := cleanName(l)
	if name == "" || stopFooter[strings.Fields(name)[0]] || stopNames[strings.Fields(name)[0]] {
		return ""
	}
	if !strings.Contains(name, " ") && !innerCapital(name) && !hasOrgWord(name, 3) && !d.langOrgName(name) {
		return "" // "Sam": a person signs
	}
	return name
}

// fieldRe finds a labelled field that names the offerer, as notices and
// listings print it ("Agency: …", "Veranstalter: …").
var fieldRe = regexp.MustCompile(`(?im)^[ \t]*(?:agency(?: name)?|department/agency|funding agency|funder|funding organi[sz]ation|` +
	`organi[sz]ation|organi[sz]er|host(?:ed by)?|presented by|veranstalter(?:in)?|träger|ausrichter|organisateur|organisme|` +
	`structure|entidad convocante|entidad|convoca|entidade|promotor|ente promotore|ente|organizzatore|organisatie|organisator|` +
	`arrangör|huvudman|utlysare)[ \t]*:[ \t]*([^\n]{2,90})$`)

func funderField(s string) (string, float64) {
	for _, m := range fieldRe.FindAllStringSubmatchIndex(s, 3) {
		v := strings.TrimSpace(s[m[2]:m[3]])
		if i := strings.IndexAny(v, "(|·;"); i > 0 {
			v = strings.TrimSpace(v[:i])
		}
		if name := cleanName(v); name != "" && isCapitalized(name) {
			return name, 0.85
		}
	}
	return "", 0
}

// funderSignature reads the organization that signs a post: a last line
// "— Name", or a footer "Name · address", "Name | …", "Name – City".
func funderSignature(s string) (string, float64) {
	lines := strings.Split(strings.TrimRight(s, " \n"), "\n")
	seen := 0
	for i := len(lines) - 1; i >= 0 && seen < 4; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		seen++
		if rest, ok := cutDash(l); ok {
			if name := cleanName(forwardPhrase(rest, 0)); name != "" && len(strings.Fields(name)) <= 7 && forwardPhrase(rest, 0) == strings.TrimSpace(rest) {
				return name, 0.75
			}
			continue
		}
		head, ok := footerHead(l)
		if !ok {
			continue
		}
		if name := cleanName(head); name != "" && len(strings.Fields(name)) <= 8 && !stopFooter[strings.Fields(name)[0]] {
			return name, 0.75
		}
	}
	return "", 0
}

// stopFooter are first words of footer lines that name no organization.
var stopFooter = map[string]bool{"Share": true, "Follow": true, "Impressum": true, "Aviso": true, "Tags": true, "Kommentare": true,
	"Partilhar": true, "Teilen": true, "Newsletter": true, "Facebook": true, "Instagram": true, "Questions": true, "Privacy": true,
	"Unsubscribe": true, "Se": true, "Suivez-nous": true, "Via": true, "Fonte": true, "Source": true, "Quelle": true, "Bron": true,
	"Källa": true, "Fuente": true, "Home": true, "Contact": true, "Email": true, "Web": true, "Tel": true, "Copyright": true,
	"Donate": true, "Support": true, "About": true, "Menu": true, "Shop": true, "Subscribe": true, "Events": true, "News": true,
	"Read": true, "More": true, "Apply": true, "Back": true}

func cutDash(l string) (string, bool) {
	for _, p := range []string{"— ", "– ", "-- "} {
		if strings.HasPrefix(l, p) {
			return l[len(p):], true
		}
	}
	return "", false
}

// footerHead returns the first segment of a footer line split by "·", "|",
// " – " or " — ", when the line has such a segment after a name.
func footerHead(l string) (string, bool) {
	for _, sep := range []string{" · ", " | ", " – ", " — ", " • "} {
		if i := strings.Index(l, sep); i > 0 {
			head := strings.TrimSpace(l[:i])
			if forwardPhrase(head, 0) == head || romanceOrgName(head) {
				return head, true
			}
			return "", false
		}
	}
	return "", false
}

// romanceOrgName reports whether a phrase is an organization named in the
// French, Spanish, Italian or Portuguese way, an organization word and
// lower-case words after it ("Conseil régional des arts de l'Outaouais",
// "Centre national de la danse"), and no more than eight words.
func romanceOrgName(p string) bool {
	ws := strings.Fields(p)
	if len(ws) < 2 || len(ws) > 8 {
		return false
	}
	first := trimElision(ws[0])
	if articles[first] && len(ws) > 2 {
		first = trimElision(ws[1])
	}
	for _, l := range []*language{langFR, langES, langIT, langPT} {
		for _, o := range l.orgWords {
			if o == first {
				return !strings.ContainsAny(p, ",;:!?")
			}
		}
	}
	return false
}

// funderAppositive reads "Name, an independent publisher in …, is hiring".
func funderAppositive(s string) (string, float64) {
	for _, sep := range []string{", an ", ", a ", ", the ", ", un ", ", una ", ", une ", ", uma ", ", um ", ", ein ", ", eine ", ", een ", ", en ", ", ett "} {
		for off := 0; ; {
			i := strings.Index(s[off:], sep)
			if i < 0 {
				break
			}
			i += off
			off = i + len(sep)
			ps := backwardPhrase(s, i)
			if ps < 0 || !(ps == 0 || s[ps-1] == '\n' || ps >= 2 && s[ps-2] == '.') {
				continue
			}
			if name := cleanName(s[ps:i]); name != "" {
				return name, 0.6
			}
		}
	}
	return "", 0
}

// leadVerbs follow an organization that opens a paragraph about what it
// does ("Saltgrass Studios has two residencies", "Le Conseil … lance").
var leadVerbs = map[string]bool{"has": true, "have": true, "is": true, "are": true, "brings": true, "wants": true, "will": true,
	"welcomes": true, "needs": true, "presents": true, "selects": true, "picks": true, "funds": true, "pays": true,
	"organises": true, "organizes": true, "publishes": true, "celebrates": true, "returns": true, "hat": true, "bietet": true,
	"veranstaltet": true, "organise": true, "ouvre": true, "présente": true, "accueille": true, "convoca": true, "abre": true,
	"ofrece": true, "organiza": true, "oferece": true, "lança": true, "promove": true, "bandisce": true, "indice": true,
	"organizza": true, "offre": true, "promuove": true, "biedt": true, "organiseert": true, "opent": true, "erbjuder": true,
	"utlyser": true, "arrangerar": true, "har": true, "heeft": true, "tiene": true, "tem": true, "ha": true, "a": true,
	"pairs": true, "gives": true, "supports": true, "hosts": true, "runs": true, "commissions": true, "seeks": true, "offers": true, "invites": true, "awards": true, "matches": true}

// funderLead reads the name that opens one of the body's first paragraphs
// and is followed by a verb of what it does, when the name is more than a
// capitalized word: two words or more, a word with inner capitals
// ("SoundHaus"), or a word the title repeats.
func funderLead(s, title string) (string, float64) {
	for j := range leadParagraphs(s) {
		p := forwardPhrase(s, j)
		if p != "" && j+len(p) < len(s) && s[j+len(p)] == ' ' {
			w, _, _ := strings.Cut(s[j+len(p)+1:], " ")
			if leadVerbs[w] {
				name := cleanName(p)
				if name == "" && w == "hosts" {
					name = subjectName(p) // "Hollow Birch Residency hosts …": a place under its programme's name
				}
				if name != "" && (strings.Contains(name, " ") || innerCapital(name) || strings.Contains(title, name)) &&
					!stopNames[strings.Fields(name)[0]] {
					return name, 0.55
				}
			}
		}
	}
	return "", 0
}

// leadParagraphs yields where each of the body's first four paragraphs
// starting in its first 800 bytes begins, white space skipped: where a
// post names who it is from.
func leadParagraphs(s string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i, para := 0, 0; i < len(s) && i < 800 && para < 4; para++ {
			j := skipSpace(s, i)
			if !yield(j) {
				return
			}
			k := strings.IndexByte(s[j:], '\n')
			if k < 0 {
				return
			}
			i = j + k + 1
		}
	}
}

// titleSeps split a title into the organization and what it offers
// ("Glasshouse Festival 2026: call for performers", "Moth & Lantern
// Theatre Company – New Writing Commission").
var titleSeps = []string{": ", " – ", " — ", " | "}

// funderTitleOrg reads an organization that heads the title before a
// separator, when the whole head is a name with an organization word (a
// year after it aside) and no programme word, and the body names it too: a
// programme's title ("Emerging Critics Fellowship 2027: …") names no one,
// and a name the title alone gives was as often a venue or a trap's
// subject (measured: blind funder precision fell 0.743 -> 0.739 without it).
func funderTitleOrg(d *doc, title string) (string, float64) {
	for _, sep := range titleSeps {
		i := strings.Index(title, sep)
		if i <= 0 {
			continue
		}
		head := strings.TrimSpace(title[:i])
		if f := strings.Fields(head); len(f) > 1 && isYear(f[len(f)-1]) {
			head = strings.Join(f[:len(f)-1], " ")
		}
		if forwardPhrase(head, 0) != head {
			continue
		}
		for _, w := range strings.Fields(head) {
			if programWords[w] {
				return "", 0
			}
		}
		if name := cleanName(head); name == head && (hasOrgWord(name, 3) || d.langOrgName(name)) &&
			(strings.Contains(d.text[d.titleEnd:], name) || d.namesKind(title[i+len(sep):])) {
			return name, 0.5
		}
	}
	return "", 0
}

// namesKind reports whether s holds a word of the text's language that
// names an opportunity's kind ("call for street performers", "New Writing
// Commission"): what the organization before it offers.
func (d *doc) namesKind(s string) bool {
	return d.namesKindLower(strings.ToLower(s))
}

// namesKindLower is namesKind of a name already lowered.
func (d *doc) namesKindLower(lower string) bool {
	toks := tokenize(lower)
	r := d.rules()
	return strings.Contains(lower, "call for ") || len(r.kinds.find(lower, toks)) > 0 || len(r.seek.find(lower, toks)) > 0
}

func isYear(w string) bool {
	return len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) && strings.Trim(w, "0123456789") == ""
}

// innerCapital reports whether a word has a capital letter after its first
// and is not all capitals.
func innerCapital(w string) bool {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return strings.ContainsFunc(w[i:], unicode.IsLower) // not an acronym
		}
	}
	return false
}

// funderTitleVerb reads "X Opens 2027 Scholarship" and "X söker …" in a title.
func funderTitleVerb(title string) (string, float64) {
	if i := strings.LastIndex(title, ": "); i >= 0 {
		title = title[i+2:]
	}
	for _, loc := range verbPhrases(title, titleByFirst) {
		ps := backwardPhrase(title, loc[0])
		if ps != 0 {
			continue
		}
		if name := cleanName(title[ps:loc[0]]); name != "" {
			return name, 0.6
		}
	}
	return "", 0
}

// funderLangOrg takes the first name that starts or ends with an
// organization word of the text's language ("Fundación …", "… Stiftung").
func funderLangOrg(s string, l *language) (string, float64) {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\n' {
			j++
		}
		w := strings.TrimRight(s[i:j], ",.:;)!?")
		if w != "" && isCapitalized(w) && isLangOrgWord(l, trimElision(w)) && (i == 0 || s[i-1] == ' ' || s[i-1] == '\n') {
			ps := backwardPhrase(s, i+len(w))
			if ps < 0 {
				ps = i
			}
			if name := cleanName(forwardPhrase(s, ps)); name != "" && strings.Contains(name, " ") {
				return name, 0.55
			}
		}
		i = j + 1
	}
	return "", 0
}

// orgSuffixes end compound organization words ("Kulturstiftung",
// "Hantverksstiftelsen", "Cultuurfonds", "Konstråd").
var orgSuffixes = []string{"stiftung", "stiftelsen", "stiftelse", "fonds", "fonden", "råd", "rådet", "verein", "verband",
	"föreningen", "förbundet", "stichting", "festival", "akademie", "akademien", "zentrum", "verlag", "kollektiv", "werkstatt"}

func isLangOrgWord(l *language, w string) bool {
	return isLangOrgWordLower(l, w, strings.ToLower(w))
}

// isLangOrgWordLower is isLangOrgWord of w and lw, w lowered.
func isLangOrgWordLower(l *language, w, lw string) bool {
	for _, o := range l.orgWords {
		if o == w {
			return true
		}
	}
	for _, suf := range orgSuffixes {
		if strings.HasSuffix(lw, suf) && len(lw) > len(suf)+2 {
			return true
		}
	}
	return false
}

// trimElision drops a French or Italian elided article ("L'Association").
func trimElision(w string) string {
	for _, p := range []string{"L'", "L’", "l'", "l’", "D'", "d'", "Dell'", "dell'"} {
		if strings.HasPrefix(w, p) && len(w) > len(p) {
			return w[len(p):]
		}
	}
	return w
}

// isPlaceName reports whether a name is a place ("Marin County",
// "Ontario") rather than an organization; with cityOf, "City of Leeds"
// too (a weak cue names the city where the work happens more often than
// the city as the offerer).
func isPlaceName(name string, cityOf bool) bool {
	return isPlaceNameWords(name, strings.ToLower(name), strings.Fields(name), cityOf)
}

// isPlaceNameWords is isPlaceName given the name lowered and its words.
func isPlaceNameWords(name, lower string, ws []string, cityOf bool) bool {
	if _, ok := gazetteer[lower]; ok {
		return true
	}
	if cityOf && len(ws) >= 3 && (ws[0] == "City" || ws[0] == "County" || ws[0] == "State" || ws[0] == "Town") && ws[1] == "of" &&
		!hasOrgWord(name, 2) {
		return true
	}
	return len(ws) == 2 && (ws[1] == "County" || ws[1] == "City" || ws[1] == "Province")
}

// backerVerbs name who pays for or backs a call that another runs; the
// other "<verb> by" phrases (hosted, organised, presented, run, offered …)
// name the organization that runs it.
var backerVerbs = map[string]bool{"funded": true, "sponsored": true, "supported": true, "endowed": true, "backed": true,
	"financed": true, "made": true}

func isBackerBy(s string, loc [2]int) bool {
	w, _, _ := strings.Cut(asciiLower(s[loc[0]:loc[1]]), " ")
	return backerVerbs[w]
}

// funderOffererBy reads "organised by X", "hosted by X", "presented by X".
func funderOffererBy(s string) (string, float64) {
	for _, loc := range byPhrases(s) {
		if isBackerBy(s, loc) {
			continue
		}
		if name := cleanName(forwardPhrase(s, loc[1])); name != "" {
			return name, 0.85
		}
	}
	return "", 0
}

// offeredByLang are the other languages' "organised by" (the organization
// that runs a call), each with the article forms that may follow it.
var offeredByLang = []string{"organisé par ", "organisée par ", "organisés par ", "proposé par ", "proposée par ",
	"porté par ", "portée par ", "organizado por ", "organizada por ", "convocado por ", "convocada por ",
	"organizzato da ", "organizzata da ", "promosso da ", "promossa da ", "georganiseerd door ", "veranstaltet von ",
	"ausgerichtet von ", "organizado pel", "organizada pel", "promovido pel", "promovida pel", "arrangeras av ",
	"anordnas av "}

// offeredByArticles may stand between such a phrase and the name.
var offeredByArticles = []string{"la ", "le ", "les ", "l'", "l’", "el ", "los ", "las ", "lo ", "il ", "i ", "gli ",
	"o ", "a ", "os ", "as ", "der ", "die ", "dem ", "den ", "het ", "de ", "du ", "des "}

// funderOffererByLang reads "organisé par le Centre …", "organizzato
// dalla Fondazione …", "organizado pela Associação …".
func funderOffererByLang(s string) (string, float64) {
	low := strings.ToLower(s)
	if len(low) != len(s) {
		return "", 0 // case mapping changed byte offsets; offsets below would not hold
	}
	for _, p := range offeredByLang {
		for off := 0; ; {
			i := strings.Index(low[off:], p)
			if i < 0 {
				break
			}
			j := off + i + len(p)
			off = j
			for _, a := range offeredByArticles {
				if strings.HasPrefix(low[j:], a) {
					j += len(a)
					break
				}
			}
			seg := s[j:]
			if k := strings.IndexAny(seg, ".,;:!?()\n"); k >= 0 {
				seg = seg[:k]
			}
			if romanceOrgName(strings.TrimSpace(seg)) {
				if name := cleanName(seg); name != "" {
					return name, 0.8 // "organisée par le Centre culturel Les Forges"
				}
			}
			if name := cleanName(forwardPhrase(s, j)); name != "" {
				return name, 0.8
			}
		}
	}
	return "", 0
}

// funderBackerBy reads "funded by X", "supported by X", "made possible by X".
func funderBackerBy(s string) (string, float64) {
	for _, loc := range byPhrases(s) {
		if !isBackerBy(s, loc) {
			continue
		}
		if name := cleanName(forwardPhrase(s, loc[1])); name != "" {
			return name, 0.7
		}
	}
	return "", 0
}

// backedSubjects follow the organization that runs a call and precede
// the one that backs it: "X is supported by Y", "X is a programme of Y".
var backedSubjects = []string{" is supported by ", " are supported by ", " is funded by ", " are funded by ", " is sponsored by ",
	" is made possible by ", " is backed by ", " is financed by ", " is a program of ", " is a programme of ",
	" is an initiative of ", " is a project of ", " is part of ", " is an affiliate of "}

// funderBacked reads the organization named as the subject of a backer
// sentence: the one that runs the call.
func funderBacked(s string) (string, float64) {
	low := asciiLower(s)
	for _, p := range backedSubjects {
		for off := 0; ; {
			i := strings.Index(low[off:], p)
			if i < 0 {
				break
			}
			i += off
			off = i + len(p)
			ps := backwardPhrase(s, i)
			if ps < 0 || !(ps == 0 || s[ps-1] == '\n' || ps >= 2 && s[ps-2] == '.') || precededByPreposition(s, ps) {
				continue
			}
			if name := subjectName(s[ps:i]); name != "" {
				return name, 0.75
			}
		}
	}
	return "", 0
}

// subjectName cleans a name that heads a sentence about itself: a
// programme that runs under its own name ("Prairie Wind Residency is
// supported by …") keeps it.
func subjectName(p string) string {
	if name := cleanName(p); name != "" {
		return name
	}
	ws := strings.Fields(p)
	for len(ws) > 0 && articles[ws[0]] {
		ws = ws[1:]
	}
	if len(ws) < 2 || len(ws) > 6 || stopNames[ws[0]] {
		return ""
	}
	return strings.Join(ws, " ")
}

// placeProgram end the names of places that run under their programme's
// name: a retreat or a residency that offers itself.
var placeProgram = map[string]bool{"Retreat": true, "Residency": true}

// placeUnderProgram returns a name of two to six words that ends in one
// of placeProgram, without its article, or "".
func placeUnderProgram(p string) string {
	ws := strings.Fields(p)
	for len(ws) > 0 && articles[ws[0]] {
		ws = ws[1:]
	}
	if len(ws) < 2 || len(ws) > 6 || !placeProgram[ws[len(ws)-1]] || stopNames[ws[0]] {
		return ""
	}
	return strings.Join(ws, " ")
}

// brandWord reports whether w says what kind of business the name after
// it is ("Marke", "Modemarke", "Outdoor-Marke", "Label").
func brandWord(w string) bool {
	l := strings.ToLower(w)
	return strings.HasSuffix(l, "marke") || l == "label" || l == "firma" || l == "brand" || l == "merk" || l == "märket"
}

func funderVerb(s string) (string, float64) {
	for _, loc := range verbPhrases(s, offerByFirst) {
		if nounUse(s[loc[1]:]) {
			continue // "Production awards of up to ..."
		}
		ps := backwardPhrase(s, loc[0])
		if ps < 0 || precededByPreposition(s, ps) {
			continue
		}
		ps = extendOrgBack(s, ps)
		if name := placeUnderProgram(s[ps:loc[0]]); name != "" {
			return name, 0.6 // "Spruce Hollow Retreat offers": a place under its programme's name
		}
		name := capitalizeFirst(cleanName(s[ps:loc[0]]))
		if name != "" && programCut(s[ps:loc[0]], name) {
			continue // "The Press Freedom Scholarship provides": a programme, not who runs it
		}
		if name != "" {
			return name, confFor(name, 0.8, 0.65)
		}
	}
	return "", 0
}

// extendOrgBack moves the start ps of a name back to the organization
// word that heads it across lower-case words, as French, Spanish, Italian
// and Portuguese names run ("Conseil des arts de Val-Brûlé", "Casa de las
// Letras Tlacolula"), or to a lower-case organization word before a name
// that opens with an article ("la librairie Le Phare", "le festival Les
// Nuits Courtes") or after an elided one ("L'association Sol Majeur"). It
// returns ps when none is there.
func extendOrgBack(s string, ps int) int {
	j := ps
	for n := 0; n < 5 && j > 1 && s[j-1] == ' '; n++ {
		k := j - 1
		for k > 0 && s[k-1] != ' ' && s[k-1] != '\n' {
			k--
		}
		tok := s[k : j-1]
		if n == 0 {
			if w := trimElision(tok); w != tok && isLowerWord(w) && genericOrgWords[capitalizeFirst(w)] {
				return k + len(tok) - len(w) // "L'association Sol Majeur"
			}
		}
		switch {
		case tok == "" || !isLowerWord(tok) && !genericOrgWords[tok]:
			return ps
		case n == 0 && genericOrgWords[capitalizeFirst(tok)] && articles[trimArticleEnd(s[ps:])]:
			return k
		case n == 0 && !connectors[tok]:
			return ps // "Arts Council" needs no extension; "arts Val-Brûlé" is no name
		case n > 0 && genericOrgWords[tok]:
			return k
		}
		j = k
	}
	return ps
}

// trimArticleEnd returns the first word of s, its elided article alone
// ("L'Usine" -> "L'").
func trimArticleEnd(s string) string {
	w, _, _ := strings.Cut(s, " ")
	if t := trimElision(w); t != w {
		return w[:len(w)-len(t)]
	}
	return w
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// capitalizeFirst upper-cases the first letter of a name.
func capitalizeFirst(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	if n == 0 || unicode.IsUpper(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[n:]
}

// programCut reports whether cleaning a phrase cut a programme name off
// and left no organization word strong enough to name the offerer alone.
func programCut(phrase, name string) bool {
	for _, w := range strings.Fields(phrase) {
		if programWords[w] {
			return !hasOrgWord(name, 2)
		}
	}
	return false
}

func funderPossessive(s string) (string, float64) {
	for _, loc := range possRe.FindAllStringIndex(s, -1) {
		plural := s[loc[0]] == 's'
		if plural {
			loc[0]++ // a plural's apostrophe: "Quarry Pictures' lab"
		}
		ps := backwardPhrase(s, loc[0])
		if ps < 0 || precededByPreposition(s, ps) {
			continue
		}
		// "Konkan Writers' Fellowship" names who it is for: a plural
		// possessive names the offerer only with an organization word.
		if name := cleanName(s[ps:loc[0]]); name != "" && (!plural || hasOrgWord(name, 3)) {
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

// headOrgWords head a name in the languages that put the organization
// word first, and keep it there in English text ("Fondation Clairvue").
var headOrgWords = map[string]bool{"Fondation": true, "Stiftung": true, "Fonds": true}

// funderFallback takes the first name ending in the strongest organization
// word, or headed by one of headOrgWords.
func funderFallback(s string) (string, float64) {
	best, bestTier := "", 4
	for _, loc := range orgWordRe.FindAllStringIndex(s, -1) {
		tier := orgTier[s[loc[0]:loc[1]]]
		if tier >= bestTier {
			continue
		}
		if w := s[loc[0]:loc[1]]; headOrgWords[w] && loc[1] < len(s) && s[loc[1]] == ' ' {
			// "The Fondation Clairvue award": the word heads the name.
			if name := cleanName(forwardPhrase(s, loc[0])); name != w && strings.HasPrefix(name, w+" ") {
				best, bestTier = name, tier
				continue
			}
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
	if w != "" && w[0] < 0x80 && w[0] != 'L' && w[0] != 'l' && w[0] != 'D' && w[0] != 'd' {
		c := w[0] // no elided article: the first byte decides
		return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	w = trimElision(w)
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
		case tok != "" && isCapitalized(tok), last && tok == "e.V.":
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
	if strings.ContainsAny(p, "“”„\"«»") {
		return "" // a quoted title is a programme's or a work's name
	}
	keepDot := strings.HasSuffix(p, "e.V.")
	words := strings.Fields(strings.TrimRight(p, ",.:;'’"))
	if keepDot && len(words) > 0 {
		words[len(words)-1] += "."
	}
	if len(words) > 0 {
		words[0] = trimElision(words[0])
	}
	for len(words) > 0 && (articles[words[0]] || connectors[words[0]] || leadPrepositions[words[0]]) {
		words = words[1:]
	}
	for len(words) > 0 && connectors[words[len(words)-1]] && !(keepDot && len(words) > 1) {
		words = words[:len(words)-1]
	}
	for len(words) > 0 && !unicode.IsLetter(firstRune(words[0])) {
		words = words[1:]
	}
	if len(words) > 1 && brandWord(words[0]) {
		words = words[1:] // "Outdoor-Marke Bergfink": what the name is, not the name
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
	words = cutPlaceTail(words)
	words = cutTimeTail(words)
	if len(words) == 1 && genericOrgWords[words[0]] {
		return "" // "Centre", "Fund": a fragment, not a name
	}
	name := strings.Join(words, " ")
	if i := strings.Index(name, " of the "); i > 0 && hasOrgWord(name[i+8:], 2) {
		name = name[i+8:]
	}
	return name
}

// genericOrgWords are the organization words of every language, which
// name no organization alone.
var genericOrgWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range orgTier {
		m[w] = true
	}
	for _, l := range languages {
		for _, w := range l.orgWords {
			if !strings.Contains(w, " ") {
				m[w] = true
			}
		}
	}
	return m
}()

// cutPlaceTail drops where an organization is ("… Festival on the NSW
// North Coast", "Spelstudion Norrsken i Umeå").
func cutPlaceTail(words []string) []string {
	for i := 1; i+1 < len(words); i++ {
		w := words[i]
		if w != "i" && w != "in" && w != "on" && w != "en" && w != "em" && w != "a" && w != "à" {
			continue
		}
		rest := words[i+1:]
		if rest[0] == "the" && len(rest) > 1 {
			rest = rest[1:]
		}
		if _, ok := gazetteer[strings.ToLower(rest[0])]; ok {
			return words[:i]
		}
		if len(rest) >= 2 {
			if _, ok := gazetteer[strings.ToLower(rest[0]+" "+rest[1])]; ok {
				return words[:i]
			}
		}
	}
	return words
}

// cutTimeTail drops when something happens from a German name joined by
// "am" or "im" ("Zine-Festival im Juni", "Lesung am Montag"), which
// otherwise reads as one name because German capitalizes nouns.
func cutTimeTail(words []string) []string {
	for i := 1; i+1 < len(words); i++ {
		if words[i] != "am" && words[i] != "im" {
			continue
		}
		next := strings.ToLower(strings.TrimRight(words[i+1], ".,"))
		if _, ok := langDE.months[next]; ok || weekdayOnly(next) {
			return words[:i]
		}
	}
	return words
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
