package match

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/scoutdev/scout/internal/scout"
)

// Features is what matching knows about one sighting. It is stored with the
// sighting as JSON, so a candidate is judged without reading its item again.
type Features struct {
	// Strong are the identity keys: "u:" a canonical apply or landing URL,
	// "n:" a funder opportunity number, "d:" a DOI.
	Strong   []string `json:"s,omitempty"`
	Funder   string   `json:"f,omitempty"` // normalized funder name
	Deadline string   `json:"d,omitempty"` // YYYY-MM-DD, local when stated, else UTC
	Title    []string `json:"t,omitempty"` // normalized title words, sorted, unique
	Sig      Hashes   `json:"m,omitempty"` // MinHash signature of the text's shingles
	Kind     string   `json:"k,omitempty"`
	// Links are the canonical URLs the sighting links to, its own site's
	// included (a funder page's apply form), which tell two programmes of
	// one funder apart.
	Links []string `json:"l,omitempty"`
	Host  string   `json:"h,omitempty"` // the posting site
	// Amount is the largest sum per recipient with its currency
	// ("7500 USD"); distinct programmes of one funder rarely pay the same.
	Amount string `json:"a,omitempty"`
	// Words are the hashes of the distinct words of the title and text,
	// sorted: what tells whether one post names another's funder, and how
	// much of its vocabulary a rewrite in other words keeps.
	Words Hashes `json:"w,omitempty"`
}

// Signature sizes: Bands bands of Rows hashes each. A pair whose shingle sets
// have Jaccard similarity j shares a band with probability 1-(1-j^Rows)^Bands:
// about 0.99 at j=0.8, 0.89 at j=0.7 and 0.32 at j=0.5. The bands find what
// no other key does, a repost of much the same text under another title and
// with no deadline; rewrites in other words are found by their titles,
// funders and days. A looser cut (20 bands of 3: 0.93 at j=0.5) changed no
// labelled cluster set's score and made nearly every item of a feed of one
// template a candidate of every other, a quarter of the store's CPU per item
// (migration 00068 rebuilt the keys).
const (
	Bands  = 12
	Rows   = 5
	sigLen = Bands * Rows
)

var (
	urlRE = regexp.MustCompile(`https?://[^\s"'<>()\[\]]+`)
	// Funder opportunity numbers: Grants.gov style (NEA-2026-0042,
	// HHS-2026-ACF-0001, PD-26-1234) — letters, a dash, then groups that
	// include digits.
	oppNoRE = regexp.MustCompile(`\b[A-Z]{2,8}(?:-[A-Z0-9]{1,8}){1,4}\b`)
	doiRE   = regexp.MustCompile(`\b10\.\d{4,9}/[^\s"'<>]+`)
)

// ExtractCall computes the features of one of the calls an item announces,
// given as an item of its own with the item's URL: the item's page is not
// the call's key, since the page announces other calls too.
func ExtractCall(it *scout.Item) Features {
	f := Extract(it)
	own := "u:" + canonURL(it.URL)
	out := f.Strong[:0]
	for _, k := range f.Strong {
		if k != own {
			out = append(out, k)
		}
	}
	f.Strong = out
	return f
}

// CallLinks attributes the links of an item that announces n calls to its
// calls: when it links to exactly n other sites' pages (sharing links and
// its own site aside), one per call in the order the calls appear, the
// i-th link is the i-th call's; else none is attributed.
func CallLinks(it *scout.Item, n int) []string {
	own := hostOf(it.URL)
	var out []string
	seen := map[string]bool{}
	for _, m := range urlRE.FindAllString(it.ContentText+"\n"+it.ContentHTML, 100) {
		u := canonURL(m)
		if u == "" || hostOf(m) == own || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, strings.TrimRight(m, ".,;:!?"))
	}
	if len(out) != n {
		return nil
	}
	return out
}

// Extract computes the features of an item.
func Extract(it *scout.Item) Features {
	o := &it.Opportunity
	f := Features{Funder: normName(o.Funder), Kind: string(o.Kind), Title: words(it.Title), Host: hostOf(it.URL)}
	if k := o.KeyDates.Deadline; k != nil && len(k.Date) == len("2006-01-02") {
		// The funder's own calendar date: "11:59 pm Eastern" is the next
		// day in UTC, and a repost that drops the time would differ.
		f.Deadline = k.Date
	} else if !o.Deadline.IsZero() {
		f.Deadline = o.Deadline.UTC().Format("2006-01-02")
	}
	if o.AmountMax > 0 {
		f.Amount = strconv.FormatInt(o.AmountMax, 10) + " " + o.Currency
	}
	text := it.Title + "\n" + it.Summary + "\n" + it.ContentText
	f.Strong, f.Links = strongKeys(it, text, text+"\n"+it.ContentHTML)
	ws := tokens(it.Title + " " + firstNonEmpty(it.ContentText, it.Summary))
	f.Sig = minhash(shingles(ws))
	f.Words = wordHashes(ws)
	return f
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// strongKeys returns the identity keys of it and the links it makes. The
// item's own URL is a key (a blog links to the funder's page), links back to
// the posting site are not (navigation), but both are links.
func strongKeys(it *scout.Item, plain, text string) (keys, links []string) {
	set, linked := map[string]bool{}, map[string]bool{}
	own := hostOf(it.URL)
	if u := canonURL(it.URL); u != "" {
		set["u:"+u] = true
	}
	for _, m := range findAll(oppNoRE, mayHoldOppNo, plain, 20) {
		if hasDigit(m) && strings.Count(m, "-") >= 1 && len(m) >= 7 {
			set["n:"+m] = true
		}
	}
	for _, m := range findAll(doiRE, mayHoldDOI, plain, 5) {
		set["d:"+strings.ToLower(strings.TrimRight(m, ".,;"))] = true
	}
	var urls []string
	if strings.Contains(text, "://") {
		urls = urlRE.FindAllString(text, 50)
	}
	urls = append(urls, bareURLs(plain, 20)...)
	for _, m := range urls {
		u := canonURL(m)
		if u == "" {
			continue
		}
		linked[u] = true
		if hostOf(m) != own {
			set["u:"+u] = true
		}
	}
	return sortedCapped(set, 12), sortedCapped(linked, 12)
}

// The opportunity-number and DOI expressions start with \b, so the regexp
// package tries every position of the text with its backtracker: about
// 0.1 ms each on a 1 KB item, on the store's single writer. Each prefilter
// below tests for a substring every match holds, so a text without one has
// no match and the expression need not run.

// findAll is re.FindAllString(s, n) when may(s), else nil.
func findAll(re *regexp.Regexp, may func(string) bool, s string, n int) []string {
	if !may(s) {
		return nil
	}
	return re.FindAllString(s, n)
}

// mayHoldOppNo: every oppNoRE match holds two capitals and a dash.
func mayHoldOppNo(s string) bool {
	return anyAt(s, "-", func(i int) bool { return i >= 2 && isUpper(s[i-1]) && isUpper(s[i-2]) })
}

// mayHoldDOI: every doiRE match holds "10." and four digits.
func mayHoldDOI(s string) bool {
	return anyAt(s, "10.", func(i int) bool { return len(s) >= i+7 && isDigits(s[i+3:i+7]) })
}

// anyAt reports whether ok holds at some index of sub in s.
func anyAt(s, sub string, ok func(i int) bool) bool {
	for off := 0; ; {
		j := strings.Index(s[off:], sub)
		if j < 0 {
			return false
		}
		if ok(off + j) {
			return true
		}
		off += j + 1
	}
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func sortedCapped(set map[string]bool, n int) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// ignoredHosts are sites whose links say nothing about which call a post is
// (sharing buttons, profiles).
var ignoredHosts = map[string]bool{"twitter.com": true, "x.com": true, "facebook.com": true, "instagram.com": true,
	"linkedin.com": true, "youtube.com": true, "t.co": true, "bit.ly": true, "mailchimp.com": true, "substack.com": true}

// canonURL returns host and path of a link that can name a call, lower-cased
// host, no scheme, query or fragment, no trailing slash; "" for a site's
// front page or a sharing link.
func canonURL(raw string) string {
	u, err := url.Parse(strings.TrimRight(raw, ".,;:!?"))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p := strings.TrimRight(u.EscapedPath(), "/")
	if ignoredHosts[host] || p == "" {
		return ""
	}
	return host + p
}

var stop = map[string]bool{"the": true, "a": true, "an": true, "and": true, "or": true, "of": true, "for": true, "to": true,
	"in": true, "on": true, "at": true, "by": true, "with": true, "is": true, "are": true, "now": true, "open": true,
	"call": true, "new": true, "de": true, "la": true, "le": true, "der": true, "die": true, "das": true, "und": true,
	"el": true, "en": true, "et": true, "y": true, "für": true, "des": true, "du": true, "het": true, "van": true}

// tokens splits s into lower-case words of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// words returns the sorted unique content words of a title.
func words(s string) []string {
	set := map[string]bool{}
	for _, w := range tokens(s) {
		if !stop[w] {
			set[w] = true
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// normName normalizes an organisation name for comparison: lower case,
// without "the", a possessive's "s" or a company suffix.
func normName(s string) string {
	ws := tokens(s)
	out := ws[:0]
	for _, w := range ws {
		if w != "the" && w != "inc" && w != "ltd" && w != "s" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// maxWords bounds the words a sighting keeps: its first distinct ones.
const maxWords = 256

// wordSet returns the sorted hashes of the first maxWords distinct words of
// s, stop words aside.
func wordSet(s string) []uint32 { return wordHashes(tokens(s)) }

func wordHashes(ws []string) []uint32 {
	out := make([]uint32, 0, min(len(ws), maxWords))
	for _, w := range ws {
		if !stop[w] {
			out = append(out, wordHash(w))
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxWords {
		// The text's first distinct words, not the smallest hashes: a post
		// names its call and funder early.
		keep := map[uint32]bool{}
		for _, w := range ws {
			if len(keep) == maxWords {
				break
			}
			if !stop[w] {
				keep[wordHash(w)] = true
			}
		}
		out = slices.DeleteFunc(out, func(h uint32) bool { return !keep[h] })
	}
	return out
}

// wordHash is 32-bit FNV-1a, without the allocation of hash/fnv.
func wordHash(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	return h
}

// shingles returns the hashes of the overlapping triples of the words.
func shingles(ws []string) []uint64 {
	if len(ws) > 600 {
		ws = ws[:600]
	}
	if len(ws) < 3 {
		if len(ws) == 0 {
			return nil
		}
		return []uint64{hash64(strings.Join(ws, " "))}
	}
	out := make([]uint64, 0, len(ws)-2)
	for i := 0; i+3 <= len(ws); i++ {
		out = append(out, hash64(ws[i]+" "+ws[i+1]+" "+ws[i+2]))
	}
	return out
}

// hash64 is 64-bit FNV-1a (hash/fnv's New64a), without its allocation.
func hash64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// mix is splitmix64's finalizer: a cheap family of hash functions h_i(x) =
// mix(x ^ seed_i).
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func minhash(sh []uint64) []uint32 {
	if len(sh) == 0 {
		return nil
	}
	sig := make([]uint32, sigLen)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, s := range sh {
		for i := range sig {
			if v := uint32(mix(s ^ (uint64(i+1) * 0x9e3779b97f4a7c15))); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// bareURLs returns up to n links written without a scheme, as social posts
// write them ("funder.example/apply"): a word that is a host name (labels
// of letters, digits and dashes, the last of two letters or more) followed
// by a path. A scan of the words, not a regular expression: it runs on
// every item.
func bareURLs(text string, n int) []string {
	var out []string
	for w := range strings.FieldsSeq(text) { // a whole text's words: no slice of them
		w = strings.Trim(w, `()[]<>"'`)
		slash := strings.IndexByte(w, '/')
		if slash <= 0 || slash == len(w)-1 || strings.Contains(w, "://") || !isHostName(w[:slash]) {
			continue
		}
		if out = append(out, "https://"+w); len(out) == n {
			break
		}
	}
	return out
}

// isHostName reports whether s is a dotted host name with a top-level
// label of letters.
func isHostName(s string) bool {
	dot := strings.LastIndexByte(s, '.')
	if dot <= 0 || len(s)-dot-1 < 2 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '.' || r == '-' || r >= '0' && r <= '9':
			if i > dot {
				return false
			}
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		default:
			return false
		}
	}
	return !strings.HasPrefix(s, "10.")
}
