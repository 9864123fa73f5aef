package match

import (
	"hash/fnv"
	"net/url"
	"regexp"
	"sort"
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
	Deadline string   `json:"d,omitempty"` // YYYY-MM-DD in UTC
	Title    []string `json:"t,omitempty"` // normalized title words, sorted, unique
	Sig      []uint32 `json:"m,omitempty"` // MinHash signature of the text's shingles
	Kind     string   `json:"k,omitempty"`
}

// Signature sizes: Bands bands of Rows hashes each. A pair whose shingle sets
// have Jaccard similarity j shares a band with probability 1-(1-j^Rows)^Bands:
// about 0.93 at j=0.5 and 0.01 at j=0.1.
const (
	Bands  = 20
	Rows   = 3
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

// Extract computes the features of an item.
func Extract(it *scout.Item) Features {
	o := &it.Opportunity
	f := Features{Funder: normName(o.Funder), Kind: string(o.Kind), Title: words(it.Title)}
	if !o.Deadline.IsZero() {
		f.Deadline = o.Deadline.UTC().Format("2006-01-02")
	}
	text := it.Title + "\n" + it.Summary + "\n" + it.ContentText
	f.Strong = strongKeys(it, text+"\n"+it.ContentHTML)
	f.Sig = minhash(shingles(it.Title + " " + firstNonEmpty(it.ContentText, it.Summary)))
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

func strongKeys(it *scout.Item, text string) []string {
	set := map[string]bool{}
	own := hostOf(it.URL)
	for _, m := range oppNoRE.FindAllString(text, 20) {
		if hasDigit(m) && strings.Count(m, "-") >= 1 && len(m) >= 7 {
			set["n:"+m] = true
		}
	}
	for _, m := range doiRE.FindAllString(text, 5) {
		set["d:"+strings.ToLower(strings.TrimRight(m, ".,;"))] = true
	}
	for _, m := range urlRE.FindAllString(text, 50) {
		// Links back to the posting site are navigation, not the call.
		if u := canonURL(m); u != "" && hostOf(m) != own {
			set["u:"+u] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) > 12 {
		out = out[:12]
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

// normName normalizes an organisation name for comparison.
func normName(s string) string {
	ws := tokens(s)
	out := ws[:0]
	for _, w := range ws {
		if w != "the" && w != "inc" && w != "ltd" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// shingles returns the hashes of the text's overlapping word triples.
func shingles(s string) []uint64 {
	ws := tokens(s)
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

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
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
