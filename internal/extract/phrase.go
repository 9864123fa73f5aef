package extract

import "strings"

// The two funder cues below ran as regular expressions over every item and
// took half of extraction's time (alternations of thirty words cannot be
// anchored, so the matcher tried each at every byte). These scanners find
// the same matches by looking only where a match can start: at the word
// "by", and at white space.

// byVerbs precede "by" in "funded by", "organised by", … (case-insensitive).
var byVerbs = map[string]bool{"funded": true, "sponsored": true, "supported": true, "endowed": true, "hosted": true,
	"organised": true, "organized": true, "run": true, "presented": true, "commissioned": true, "offered": true,
	"backed": true, "financed": true, "administered": true}

// byPhrases returns the [start, end) of each "<verb> by " (optionally
// followed by "the "), in order and without overlaps; end is where the
// name begins. It matches what
//
//	(?i:\b(?:funded|…|made possible)\s+by\s+)(?:the\s+)?
//
// matches.
func byPhrases(s string) [][2]int {
	low := asciiLower(s)
	var out [][2]int
	for i := 0; ; {
		j := strings.Index(low[i:], "by")
		if j < 0 {
			return out
		}
		p := i + j
		i = p + 2
		if p == 0 || !isSpaceByte(low[p-1]) || i >= len(low) || !isSpaceByte(low[i]) {
			continue
		}
		start := verbBefore(low, p)
		if start < 0 {
			continue
		}
		e := skipSpace(s, i)
		if strings.HasPrefix(s[e:], "the") && e+3 < len(s) && isSpaceByte(s[e+3]) {
			e = skipSpace(s, e+3)
		}
		out = append(out, [2]int{start, e})
		i = e
	}
}

// verbBefore returns where the verb before the white space ending at p
// starts, or -1 when the word there is not one of byVerbs.
func verbBefore(low string, p int) int {
	q := p
	for q > 0 && isSpaceByte(low[q-1]) {
		q--
	}
	w := q
	for w > 0 && low[w-1] >= 'a' && low[w-1] <= 'z' {
		w--
	}
	if w == q || (w > 0 && isASCIIWord(low[w-1])) {
		return -1
	}
	if byVerbs[low[w:q]] {
		return w
	}
	if low[w:q] == "possible" && w >= 5 && low[w-5:w] == "made " && (w == 5 || !isASCIIWord(low[w-6])) {
		return w - 5
	}
	return -1
}

// offerVerbs follow an organization's name: "X invites", "X is seeking".
// Order matters where one could start like another: the first that fits wins.
var offerVerbs = []string{"invites", "offers", "is offering", "announces", "supports", "provides", "awards", "will award",
	"will distribute", "makes", "accepts", "is accepting", "seeks", "is seeking", "is looking for", "is hiring",
	"is commissioning", "will commission", "commissions", "is recruiting", "will sponsor", "is sponsoring", "hosts", "runs",
	"gives", "helps", "invests", "vergibt", "fördert", "soutient", "propose", "lance", "has launched", "has opened", "opens",
	"launches", "is teaming up", "is partnering", "is calling", "is giving", "will give", "wants", "relance"}

// titleVerbs are offer verbs as a title capitalizes them.
var titleVerbs = []string{"Opens", "Launches", "Seeks", "Invites", "Offers", "Announces", "Is Looking For", "Is Hiring",
	"Wants", "Calls For", "Is Seeking", "Is Accepting", "Awards", "opens", "launches", "seeks", "invites", "offers", "is looking for",
	"is hiring", "wants", "is seeking", "is accepting", "söker", "sucht", "busca", "cerca", "zoekt", "recrute", "procura", "cherche"}

// allOfferVerbs are offerVerbs and then every language's offer verbs.
var allOfferVerbs = append(append([]string(nil), offerVerbs...), func() []string {
	var vs []string
	for _, l := range languages {
		vs = append(vs, l.offerVerbs...)
	}
	return vs
}()...)

// offerByFirst indexes allOfferVerbs by first byte, keeping their order.
var offerByFirst = indexVerbs(allOfferVerbs)

var titleByFirst = indexVerbs(titleVerbs)

func indexVerbs(vs []string) map[byte][]string {
	m := map[byte][]string{}
	for _, v := range vs {
		m[v[0]] = append(m[v[0]], v)
	}
	return m
}

// verbPhrases returns the [start, end) of each white space plus offer verb
// ending at a word boundary (case-sensitive), in order and without
// overlaps, as `\s(?:invites|…|lance)\b` would.
func verbPhrases(s string, byFirst map[byte][]string) [][2]int {
	var out [][2]int
	for i := 0; i+1 < len(s); i++ {
		if !isSpaceByte(s[i]) {
			continue
		}
		for _, v := range byFirst[s[i+1]] {
			e := i + 1 + len(v)
			if strings.HasPrefix(s[i+1:], v) && (e == len(s) || !isASCIIWord(s[e])) {
				out = append(out, [2]int{i, e})
				i = e - 1
				break
			}
		}
	}
	return out
}

// isSpaceByte is the white space of regexp's \s.
func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// isASCIIWord is a byte of regexp's \w, which \b looks at.
func isASCIIWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	return i
}
