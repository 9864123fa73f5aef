package match

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Threshold is the confidence at or above which two sightings are one
// opportunity; below it they are kept apart.
const Threshold = 0.85

// Link is the decision about two sightings.
type Link struct {
	Confidence float64  `json:"confidence"`
	Evidence   []string `json:"evidence"`
}

// Same reports whether the link joins the two sightings.
func (l Link) Same() bool { return l.Confidence >= Threshold }

// Keys returns the blocking keys under which f is stored and looked up: the
// strong keys, the pages it links to on its own site, the LSH bands of the signature, the normalized title, funder
// with deadline, and deadline with each title word. Two sightings that could
// be the same opportunity share at least one key, so the store compares a
// new sighting only with the few that share one.
func Keys(f Features) []string {
	keys := append([]string(nil), f.Strong...)
	for _, l := range f.Links {
		// A page a sighting links to on its own site is no identity key of
		// its own (see sharedKeys), but another site's post may name it.
		if hostOf("https://"+l) == f.Host {
			keys = append(keys, "u:"+l)
		}
	}
	if len(f.Sig) == sigLen {
		for b := 0; b < Bands; b++ {
			h := uint64(b)
			for _, v := range f.Sig[b*Rows : (b+1)*Rows] {
				h = mix(h ^ uint64(v))
			}
			keys = append(keys, "b:"+strconv.FormatUint(h, 36))
		}
	}
	if len(f.Title) > 0 {
		keys = append(keys, "t:"+strconv.FormatUint(hash64(fmt.Sprint(f.Title)), 36))
	}
	if f.Deadline != "" {
		if f.Funder != "" {
			keys = append(keys, "fd:"+strconv.FormatUint(hash64(f.Funder+"|"+f.Deadline), 36))
		}
		if f.Amount != "" {
			keys = append(keys, "da:"+f.Deadline+"|"+f.Amount)
		}
		n := 0
		for _, w := range f.Title {
			if len([]rune(w)) >= 4 && n < 8 {
				keys = append(keys, "dw:"+f.Deadline+"|"+w)
				n++
			}
		}
	}
	return keys
}

// KeyHashes returns f's blocking keys (Keys) as distinct 64-bit FNV-1a
// hashes, the form the store keeps them in: an integer compares and
// indexes more cheaply than the text. Two keys that collide only add a
// sighting to a key's candidates, which Decide then judges like any other.
func KeyHashes(f Features) []int64 {
	keys := Keys(f)
	out := make([]int64, 0, len(keys))
	for _, k := range keys {
		out = append(out, int64(hash64(k)))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Decide judges whether a and b are one opportunity. Strong keys decide
// first, unless the two disagree on something only distinct calls differ in
// (deadlines far apart: another round; different opportunity numbers);
// then near-duplicate evidence (text, title, funder, deadline) decides.
func Decide(a, b Features) Link {
	l, _ := decide(a, b, -1)
	return l
}

// DecideAbove is Decide for a caller that keeps a link only when it is
// more confident than floor (at least 0), as one looking for the best of
// many candidates does: it returns Decide(a, b) and true when that link's
// confidence exceeds floor, else false and no link. The confidence the
// evidence would give is read first, and what could only lower it (the
// conflicts) and the evidence are worked out only when it exceeds floor.
func DecideAbove(a, b Features, floor float64) (Link, bool) {
	return decide(a, b, max(floor, 0))
}

// decide is Decide, returning whether the link's confidence exceeds
// floor; a floor of 0 or more skips the work of any link that does not.
func decide(a, b Features, floor float64) (Link, bool) {
	shared := sharedKeys(a, b)
	j := Similarity(a.Sig, b.Sig)
	t := jaccard(a.Title, b.Title)
	sameDeadline := a.Deadline != "" && a.Deadline == b.Deadline
	sameFunder := funderAlike(a.Funder, b.Funder)
	sameAmount := a.Amount != "" && a.Amount == b.Amount
	// The title's own words, the funder's naming and the words' similarity
	// weigh only for two posts that close the same day; most candidates do
	// not, and these are the costly part of a judgment.
	var tt, wj, wc float64
	var named bool
	var oa, ob []string
	rel := 0
	if sameDeadline {
		oa, ob = ownWords(a), ownWords(b)
		tt = jaccard(oa, ob)
		named = titleNamed(oa, b) || titleNamed(ob, a)
		rel = funderRelation(a, b)
		wj, wc = WordSimilarity(a, b)
	}
	amountsDiffer := a.Amount != "" && b.Amount != "" && a.Amount != b.Amount
	conf := 0.0
	for _, k := range shared {
		switch {
		case k[0] == 'n' || k[0] == 'd':
			conf = max(conf, 0.99)
		case sameDeadline || sameFunder || t >= 0.25 || j >= 0.2:
			// A shared apply URL with any corroboration: a source's
			// boilerplate links alone never merge two posts.
			conf = max(conf, 0.95)
		}
	}
	switch {
	case j >= 0.6:
		conf = max(conf, 0.93)
	case j >= 0.35 && (sameDeadline || sameFunder || t >= 0.5):
		conf = max(conf, 0.9)
	case t >= 0.6 && sameDeadline:
		conf = max(conf, 0.9)
	case t >= 0.8 && sameFunder && (a.Deadline == "" || b.Deadline == ""):
		conf = max(conf, 0.86)
	case sameFunder && sameDeadline && tt >= 0.3:
		conf = max(conf, 0.88)
	case sameFunder && sameDeadline && sameAmount && t >= 0.5 && len(oa) == 0 && len(ob) == 0:
		// One funder's call named in genre words and the funder's name
		// alone ("Grants for Arts Projects", "NEA Grants for Arts
		// Projects"), which leave neither title a word of its own to
		// agree on: half the title, the day and the sum.
		conf = max(conf, 0.87)
	case sameDeadline && sameAmount && (tt >= 0.2 || j >= 0.1 || rel > 0 && named):
		// A rewrite in other words: the same sum and the same day, and
		// some of the title or the text, or the funder and the title's
		// own words. The funder alone is not enough: one funder's two
		// programmes may close the same day for the same sum, and then
		// the two share their boilerplate but not their names.
		conf = max(conf, 0.87)
	}
	// A rewrite in other words keeps the names and the rare words of the
	// call (its place, its programme, what it pays for) though hardly a
	// phrase of it, and one of the two names the other's title: on the
	// day it closes, with the funder agreed on and no sum against it, or
	// with the same sum and no funder against it.
	if sameDeadline && rel > 0 && !amountsDiffer && wj >= 0.25 && named {
		conf = max(conf, 0.88)
	}
	if sameDeadline && sameAmount && rel >= 0 && wj >= 0.3 && named {
		conf = max(conf, 0.87)
	}
	// Half the words in common, on the day, one naming the other's title
	// and no sum or funder against it; or the funder, the day and the sum
	// with two words in five in common, more than one funder's two
	// programmes share in boilerplate.
	if sameDeadline && !amountsDiffer && rel >= 0 && wj >= 0.5 && named {
		conf = max(conf, 0.87)
	}
	if sameFunder && sameDeadline && sameAmount && wj >= 0.4 {
		conf = max(conf, 0.87)
	}
	// The funder read from one post only (the other names it in a way
	// the rules do not read, "the city's arts office"), the same day and
	// sum, and a good part of the shorter post's own words in the other.
	if sameDeadline && sameAmount && (a.Funder == "" || b.Funder == "") && wc >= 0.3 && wj >= 0.1 {
		conf = max(conf, 0.86)
	}
	if conf == 0 {
		conf = 0.5 * max(j, t)
	}
	if conf <= floor {
		return Link{}, false
	}
	if c := conflicts(a, b, len(shared) > 0); len(c) > 0 {
		return Link{Confidence: 0, Evidence: c}, 0 > floor
	}
	if !sameDeadline {
		rel = funderRelation(a, b)
		wj, _ = WordSimilarity(a, b)
	}
	var ev []string
	if len(shared) > 0 {
		ev = append(ev, shared...)
	}
	if sameDeadline {
		ev = append(ev, "deadline:"+a.Deadline)
	}
	if sameFunder {
		ev = append(ev, "funder:"+a.Funder)
	}
	if sameAmount {
		ev = append(ev, "amount:"+a.Amount)
	}
	if rel > 0 && !sameFunder {
		ev = append(ev, "funder named:"+a.Funder+"|"+b.Funder)
	}
	ev = append(ev, "text:"+strconv.FormatFloat(j, 'f', 2, 64), "title:"+strconv.FormatFloat(t, 'f', 2, 64),
		"words:"+strconv.FormatFloat(wj, 'f', 2, 64))
	return Link{Confidence: conf, Evidence: ev}, true
}

// MentionFounds reports whether an item's mention of a call (see
// scout.Item.Mention), joining no known opportunity, founds one: when it
// states the call's day and links to a page (the call's own, or its apply
// form), it is the call posted where no other sighting of it is yet
// known, though the kind reading took it for no opportunity (a funder's
// guidelines page, an aggregator's post read as news); a reminder that
// names a call by its words alone founds none.
func MentionFounds(f Features) bool {
	return f.Deadline != "" && len(f.Links) > 0
}

// sharedKeys returns the strong keys a and b share, and the pages one
// links to as a call (a key) that the other, on another site, links to
// from its own site (a funder page's link to its apply form is no key of
// its own: a site's links to itself are mostly navigation).
func sharedKeys(a, b Features) []string {
	shared := intersect(a.Strong, b.Strong)
	if a.Host == b.Host {
		return shared
	}
	for _, p := range [2][2]Features{{a, b}, {b, a}} {
		for _, l := range p[1].Links {
			if k := "u:" + l; contains(p[0].Strong, k) && !contains(shared, k) && hostOf("https://"+l) == p[1].Host {
				shared = append(shared, k)
			}
		}
	}
	return shared
}

// fundersDiffer reports whether a and b name two funders: names that
// share under half their words, or that either post does not name
// ("National Endowment" is not the Humanities' in a post about the Arts).
//
// A funder that is its post's title ("Lumen Creator Fund" on the page of
// the Lumen Creator Fund) is the call's name read as its funder, which says
// nothing against the funder another post names.
func fundersDiffer(a, b Features) bool {
	return a.Funder != "" && b.Funder != "" && !funderAlike(a.Funder, b.Funder) &&
		(jaccard(tokens(a.Funder), tokens(b.Funder)) < 0.5 || funderRelation(a, b) < 0) &&
		!namesItsTitle(a) && !namesItsTitle(b)
}

// namesItsTitle reports whether f's funder is its title, word for word:
// each title word is one of the funder's, and each of the funder's words
// but the stop words is one of the title's. The funder is normalized
// (normName), its words one space apart; nothing is allocated.
func namesItsTitle(f Features) bool {
	if len(f.Title) == 0 || len(f.Funder) == 0 {
		return false
	}
	for _, w := range f.Title {
		if !hasWord(f.Funder, w) {
			return false
		}
	}
	for rest := f.Funder; rest != ""; {
		w, r, _ := strings.Cut(rest, " ")
		if _, in := slices.BinarySearch(f.Title, w); !in && !stop[w] {
			return false
		}
		rest = r
	}
	return true
}

// conflicts lists what says a and b are distinct calls. Names of funders
// are read from prose and often wrong (a programme's name taken for its
// funder), so they differ decisively only when no strong key or deadline
// joins the two.
func conflicts(a, b Features, keyed bool) []string {
	var c []string
	if d := days(a.Deadline, b.Deadline); d > 60 {
		c = append(c, fmt.Sprintf("deadlines %s and %s", a.Deadline, b.Deadline))
	}
	// A re-post that moves the deadline keeps the sum, and one that
	// raises the sum keeps the day: both moved is another call of one
	// funder behind one page, unless a number says otherwise.
	if days(a.Deadline, b.Deadline) > 0 && a.Amount != "" && b.Amount != "" && a.Amount != b.Amount && !sharesNumber(a, b) {
		c = append(c, "deadlines and sums differ")
	}
	na, nb := prefixed(a.Strong, "n:"), prefixed(b.Strong, "n:")
	if len(na) > 0 && len(nb) > 0 && len(intersect(na, nb)) == 0 {
		c = append(c, "opportunity numbers differ")
	}
	if fundersDiffer(a, b) && !(keyed && a.Deadline != "" && a.Deadline == b.Deadline) && !oneCallNamedAlike(a, b) {
		c = append(c, "funders "+a.Funder+" and "+b.Funder)
	}
	if yearsDiffer(a.Title, b.Title) {
		c = append(c, "title years differ")
	}
	if x, y, ok := substituted(a.Title, b.Title); ok && len(intersect(prefixed(a.Strong, "n:"), b.Strong)) == 0 {
		c = append(c, "titles name "+x+" and "+y)
	}
	if h := linksDiffer(a.Links, b.Links); h != "" && !linksTo(a, b) && !linksTo(b, a) {
		c = append(c, "links to "+h+" differ")
	}
	return c
}

// oneCallNamedAlike reports whether a and b are the same call posted with its
// funder read as a body on one side and as one of its units on the other
// (the agency on a portal, its division on its own page: "National
// Endowment for the Humanities", "Division of Public Programs"), which no
// post names as the other: the same title of two words or more, the same
// day and the same sum. Two bodies' calls of one title may close the same
// day for the same sum ("Individual Excellence Awards" of two states'
// arts agencies), so a unit's name on one side only is needed; a unit's
// name says nothing of its body, which is the limit of this reading.
func oneCallNamedAlike(a, b Features) bool {
	return isUnit(a.Funder) != isUnit(b.Funder) && len(a.Title) >= 2 && slices.Equal(a.Title, b.Title) &&
		a.Deadline != "" && a.Deadline == b.Deadline && a.Amount != "" && a.Amount == b.Amount
}

// isUnit reports whether a normalized funder name is a unit's within a
// body ("division of public programs", "office of arts and culture").
func isUnit(name string) bool {
	head, rest, ok := strings.Cut(name, " ")
	return ok && unitWords[head] && strings.HasPrefix(rest, "of ")
}

// unitWords open the names of units within a body.
var unitWords = map[string]bool{"division": true, "office": true, "department": true, "bureau": true, "directorate": true,
	"branch": true, "section": true}

// sharesNumber reports whether a and b share an opportunity number or a DOI.
func sharesNumber(a, b Features) bool {
	for _, k := range intersect(a.Strong, b.Strong) {
		if k[0] == 'n' || k[0] == 'd' {
			return true
		}
	}
	return false
}

// linksTo reports whether a links to b's own page: a listing that links
// to the funder's page of the call is about that call, whatever other
// pages of the site the funder's page links to (its portal, its forms).
func linksTo(a, b Features) bool {
	for _, k := range b.Strong {
		if len(k) < 2 || k[:2] != "u:" || hostOf("https://"+k[2:]) != b.Host {
			continue
		}
		for _, l := range a.Links {
			if l == k[2:] {
				return true
			}
		}
	}
	return false
}

// linksDiffer returns a host both link to where they link to unrelated
// pages: no page in common, and neither's deepest page on the host lies
// under the other's. Two programmes of one funder link to their own apply
// forms; a repost links to the same form or to the page above it.
func linksDiffer(a, b []string) string {
	if len(a) == 0 || len(b) == 0 {
		return ""
	}
	deepest := func(ls []string) map[string]string {
		out := map[string]string{}
		for _, l := range ls {
			h, _, _ := strings.Cut(l, "/")
			if len(l) > len(out[h]) {
				out[h] = l
			}
		}
		return out
	}
	da, db := deepest(a), deepest(b)
	shared := map[string]bool{}
	for _, l := range intersect(a, b) {
		h, _, _ := strings.Cut(l, "/")
		shared[h] = true
	}
	for h, la := range da {
		lb, ok := db[h]
		if !ok || shared[h] || under(la, lb) || under(lb, la) {
			continue
		}
		return h
	}
	return ""
}

// substituted reports whether two titles are one name with one word
// swapped for another, not a spelling of it: "Project Grants" and
// "Operating Grants" of one trust, a Portland and a Seattle edition, a
// spring and a fall round. A rewritten title adds and drops several words.
func substituted(a, b []string) (x, y string, ok bool) {
	common := intersect(a, b)
	if len(common) < 2 || len(a) != len(common)+1 || len(b) != len(common)+1 {
		return "", "", false
	}
	x, y = minus(a, common), minus(b, common)
	if len(years([]string{x})) > 0 || len(years([]string{y})) > 0 || hasDigit(x) || hasDigit(y) || editDistance(x, y) <= 2 ||
		postWords[x] || postWords[y] {
		return "", "", false
	}
	return x, y, true
}

// postWords say what a post about a call is (its guidelines, a reminder,
// an extension), not which call: "Short Fiction Prize Guidelines" and
// "Short Fiction Prize: last call" name one prize.
var postWords = map[string]bool{"guidelines": true, "guideline": true, "guide": true, "last": true, "reminder": true,
	"extended": true, "extension": true, "update": true, "updated": true, "faq": true, "overview": true, "announcing": true,
	"announcement": true, "reopens": true, "reopened": true, "now": true, "new": true, "chance": true, "closing": true,
	"deadline": true}

// minus returns the one element of ws not in set.
func minus(ws, set []string) string {
	for _, w := range ws {
		if !contains(set, w) {
			return w
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of two words, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// under reports whether page p lies under page q (or is q).
func under(p, q string) bool {
	return p == q || strings.HasPrefix(p, q+"/")
}

// yearsDiffer reports whether both titles name a year and no year is common:
// "2026 round" and "2027 round" are two calls.
func yearsDiffer(a, b []string) bool {
	ya, yb := years(a), years(b)
	return len(ya) > 0 && len(yb) > 0 && len(intersect(ya, yb)) == 0
}

func years(ws []string) []string {
	var out []string
	for _, w := range ws {
		if len(w) == 4 && (w[:2] == "19" || w[:2] == "20") && hasDigit(w[2:]) {
			if _, err := strconv.Atoi(w); err == nil {
				out = append(out, w)
			}
		}
	}
	return out
}

func days(a, b string) int {
	if a == "" || b == "" || a == b {
		return 0
	}
	ta, err1 := time.Parse("2006-01-02", a)
	tb, err2 := time.Parse("2006-01-02", b)
	if err1 != nil || err2 != nil {
		return 0
	}
	d := ta.Sub(tb).Hours() / 24
	if d < 0 {
		d = -d
	}
	return int(d)
}

func prefixed(ks []string, p string) []string {
	var out []string
	for _, k := range ks {
		if len(k) >= len(p) && k[:len(p)] == p {
			out = append(out, k)
		}
	}
	return out
}

// intersect returns the elements of a that are in b. The lists Decide
// compares are short (title words, a few keys), where scanning b beats
// building a set of it.
func intersect(a, b []string) []string {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	var out []string
	if len(b) <= smallList {
		for _, v := range a {
			if contains(b, v) {
				out = append(out, v)
			}
		}
		return out
	}
	set := make(map[string]bool, len(b))
	for _, v := range b {
		set[v] = true
	}
	for _, v := range a {
		if set[v] {
			out = append(out, v)
		}
	}
	return out
}

// smallList is the length up to which intersect scans instead of hashing.
const smallList = 16

// common counts the elements of a that are in b: len(intersect(a, b))
// without building it.
func common(a, b []string) int {
	if len(b) > smallList {
		return len(intersect(a, b))
	}
	n := 0
	for _, v := range a {
		if contains(b, v) {
			n++
		}
	}
	return n
}

func jaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := common(a, b)
	return float64(n) / float64(len(a)+len(b)-n)
}

// Similarity estimates the Jaccard similarity of the shingle sets behind two
// signatures: the share of positions where they agree.
func Similarity(a, b []uint32) float64 {
	if len(a) != sigLen || len(b) != sigLen {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / sigLen
}
