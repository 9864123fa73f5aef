package match

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// genre are words nearly every post about an opportunity uses; they say
// nothing about which opportunity a post is about, so word similarity
// leaves them out.
var genre = hashSet("apply", "applications", "application", "applicants", "applicant", "deadline", "deadlines", "due", "closes",
	"close", "closing", "closed", "date", "artist", "artists", "arts", "art", "grant", "grants", "award", "awards", "awarded",
	"funding", "fund", "funds", "support", "supports", "project", "projects", "program", "programme", "programs", "up", "our",
	"your", "their", "this", "that", "will", "can", "may", "must", "be", "has", "have", "who", "all", "any", "per", "each",
	"year", "years", "month", "months", "week", "weeks", "day", "days", "open", "online", "portal", "guidelines", "eligible",
	"eligibility", "include", "including", "more", "information", "visit", "learn", "read", "details", "please", "questions",
	"email", "us", "we", "you", "it", "its", "from", "as", "was", "not", "no", "one", "two", "three", "first", "get", "also",
	"there", "here", "about", "work", "works", "creative", "creatives", "2025", "2026", "2027", "2028", "january", "february",
	"march", "april", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
	"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "pm", "am", "time", "s", "000", "offers", "offer", "available",
	"submissions", "submission", "submit", "entries", "entry", "enter", "prize", "prizes", "k", "usd", "eur", "gbp")

// wordHashSet is a set of word hashes with a bit filter in front of its map.
// wordOverlap asks it about every word of both posts of every pair the store
// judges, and most words are in no such set: one bit, indexed by the hash's
// top 12 bits (FNV mixes them best), turns those away without a map lookup.
type wordHashSet struct {
	bits [1 << 12 / 64]uint64
	m    map[uint32]bool
}

func hashSet(ws ...string) *wordHashSet {
	s := &wordHashSet{m: make(map[uint32]bool, len(ws))}
	for _, w := range ws {
		h := wordHash(w)
		s.m[h] = true
		s.bits[h>>26] |= 1 << (h >> 20 & 63)
	}
	return s
}

// has reports whether h is in the set.
func (s *wordHashSet) has(h uint32) bool {
	return s.bits[h>>26]&(1<<(h>>20&63)) != 0 && s.m[h]
}

// wordOverlap returns how many of the words of a and b, genre words
// aside, both hold, and how many each holds.
func wordOverlap(a, b []uint32) (both, na, nb int) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			if !genre.has(a[i]) {
				na++
			}
			i++
		case i == len(a) || b[j] < a[i]:
			if !genre.has(b[j]) {
				nb++
			}
			j++
		default:
			if !genre.has(a[i]) {
				both++
				na++
				nb++
			}
			i++
			j++
		}
	}
	return both, na, nb
}

// WordSimilarity is the Jaccard similarity of the two posts' words, genre
// words aside, and the share of the shorter post's words the other holds.
func WordSimilarity(a, b Features) (jaccard, containment float64) {
	both, na, nb := wordOverlap(a.Words, b.Words)
	if both == 0 {
		return 0, 0
	}
	return float64(both) / float64(na+nb-both), float64(both) / float64(min(na, nb))
}

// orgWords are the words of organisation names that say what kind of body
// it is, not which: "Greenway Foundation" and "Greenway Documentary Fund"
// are one funder by "greenway".
var orgWords = map[string]bool{"foundation": true, "fund": true, "funds": true, "council": true, "trust": true, "society": true,
	"commission": true, "center": true, "centre": true, "office": true, "department": true, "division": true, "agency": true,
	"program": true, "programme": true, "programs": true, "for": true, "of": true, "the": true, "and": true, "inc": true,
	"ltd": true, "llc": true, "de": true, "la": true, "du": true, "des": true, "le": true, "les": true,
	"für": true, "und": true, "der": true, "die": true, "stiftung": true, "fondation": true, "fundación": true}

// distinctive returns the words of a normalized organisation name that
// tell it from others.
func distinctive(name string) []string {
	var out []string
	for _, w := range strings.Fields(name) {
		if !orgWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// names reports whether a post's words name the organisation: all of the
// name's distinctive words, at least one, are among them.
func names(name string, words []uint32) bool {
	d := distinctive(name)
	if len(d) == 0 || len(words) == 0 {
		return false
	}
	n := 0
	for _, w := range d {
		h := wordHash(w)
		if i := sort.Search(len(words), func(i int) bool { return words[i] >= h }); i < len(words) && words[i] == h {
			n++
		}
	}
	return n == len(d)
}

// funderAlike reports whether two normalized funder names name one
// funder: the same name, or one the other's initials ("nea" and "national
// endowment for arts", the small words left out or kept), as posts write
// an agency or a council they name often.
func funderAlike(x, y string) bool {
	if x == "" || y == "" {
		return false
	}
	if x == y {
		return true
	}
	if len(y) < len(x) {
		x, y = y, x
	}
	if cutShort(x, y) {
		return true
	}
	if len(x) < 2 || len(x) > 6 || strings.IndexByte(x, ' ') >= 0 || strings.IndexByte(y, ' ') < 0 {
		return false
	}
	return x == initials(y, true) || x == initials(y, false)
}

// cutShort reports whether x is y cut before its "for" or "of" and is a
// body's name still, ending in a word for a kind of body: "canada
// council" of "canada council for arts". "national endowment" ends in no
// such word, and is the Arts' and the Humanities' alike.
func cutShort(x, y string) bool {
	rest, ok := strings.CutPrefix(y, x+" ")
	if !ok || !strings.HasPrefix(rest, "for ") && !strings.HasPrefix(rest, "of ") {
		return false
	}
	last := x[strings.LastIndexByte(x, ' ')+1:]
	return bodyWords[last]
}

// bodyWords are the words that end a body's name.
var bodyWords = map[string]bool{"foundation": true, "council": true, "trust": true, "society": true, "commission": true,
	"fund": true, "institute": true, "academy": true, "association": true, "alliance": true, "agency": true, "board": true}

// initials returns the first letters of the words of name, without the
// small words ("of", "for", "and") when skipSmall.
func initials(name string, skipSmall bool) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		if skipSmall && smallWords[w] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(r)
	}
	return b.String()
}

// smallWords are the words of organisation names that initials leave out.
var smallWords = map[string]bool{"of": true, "for": true, "and": true, "in": true, "on": true, "de": true, "la": true,
	"du": true, "des": true, "für": true, "und": true, "der": true, "die": true}

// funderRelation says whether a and b are posted for one funder: 1 when
// their funders are one (the same name, or each post naming the other's),
// or when one has none and names the other's; -1 when both have one and
// either post does not name the other's; else 0. Funders are read from
// prose and often a programme's name instead ("Individual Excellence" for
// the Ohio Arts Council), which a post about the same call names too; a
// name cut short ("National Endowment") names the Arts' and the
// Humanities' alike, but a post about one does not name the other.
func funderRelation(a, b Features) int {
	switch {
	case a.Funder == "" && b.Funder == "":
		return 0
	case funderAlike(a.Funder, b.Funder):
		return 1
	case a.Funder == "":
		return boolInt(names(b.Funder, a.Words))
	case b.Funder == "":
		return boolInt(names(a.Funder, b.Words))
	case names(a.Funder, b.Words) && names(b.Funder, a.Words):
		return 1
	}
	return -1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// titleNamed reports whether b's words name a title whose own words
// (ownWords) are own: half of them, at least one, are among b's words.
func titleNamed(own []string, b Features) bool {
	in := 0
	for _, w := range own {
		h := wordHash(w)
		if i := sort.Search(len(b.Words), func(i int) bool { return b.Words[i] >= h }); i < len(b.Words) && b.Words[i] == h {
			in++
		}
	}
	return len(own) > 0 && 2*in >= len(own)
}

// ownWords returns the words of f's title that are its own: no genre
// word, no digits, not its funder's name. A title's own words are those no
// post about any call uses (genre words), digits and its funder's name
// aside: "Folk Arts Apprenticeships" has "folk" and "apprenticeships".
func ownWords(f Features) []string {
	var out []string
	for _, w := range f.Title {
		if !genre.has(wordHash(w)) && !hasDigit(w) && !hasWord(f.Funder, w) {
			out = append(out, w)
		}
	}
	return out
}

// hasWord reports whether w is one of the space-separated words of s,
// without building " "+s+" ".
func hasWord(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		i += off
		if (i == 0 || s[i-1] == ' ') && (i+len(w) == len(s) || s[i+len(w)] == ' ') {
			return true
		}
		off = i + 1
	}
}
