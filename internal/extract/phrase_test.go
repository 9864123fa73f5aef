package extract

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The scanners replaced these expressions; they must find exactly what the
// expressions found.
var (
	byRef = regexp.MustCompile(`(?i:\b(?:funded|sponsored|supported|endowed|hosted|organi[sz]ed|run|presented|commissioned|offered|backed|financed|administered|made possible)\s+by\s+)(?:the\s+)?`)
	// The verbs that end in an ASCII letter, where \b means what the
	// scanner checks.
	asciiVerbs = func() []string {
		var vs []string
		for _, v := range allOfferVerbs {
			if isASCIIWord(v[len(v)-1]) {
				vs = append(vs, v)
			}
		}
		return vs
	}()
	verbRef = func() *regexp.Regexp {
		qs := make([]string, len(asciiVerbs))
		for i, v := range asciiVerbs {
			qs[i] = regexp.QuoteMeta(v)
		}
		return regexp.MustCompile(`\s(?:` + strings.Join(qs, "|") + `)\b`)
	}()
	asciiByFirst = indexVerbs(asciiVerbs)
)

func refMatches(re *regexp.Regexp, s string) [][2]int {
	var out [][2]int
	for _, loc := range re.FindAllStringIndex(s, -1) {
		out = append(out, [2]int{loc[0], loc[1]})
	}
	return out
}

func checkPhrases(t *testing.T, s string) {
	t.Helper()
	if diff := cmp.Diff(refMatches(byRef, s), byPhrases(s)); diff != "" {
		t.Errorf("byPhrases(%q) (-regexp +scanner):\n%s", s, diff)
	}
	if diff := cmp.Diff(refMatches(verbRef, s), verbPhrases(s, asciiByFirst)); diff != "" {
		t.Errorf("verbPhrases(%q) (-regexp +scanner):\n%s", s, diff)
	}
}

func TestPhraseScannersMatchTheExpressions(t *testing.T) {
	texts := []string{
		"Funded by the Arts Council", "made possible by  The Trust", "unfunded by x", "FUNDED BY\tthe\nFund",
		"Made Possible by X", "remade possible by X", "organised by Y and organized by Z", "run by", "by",
		"The Foundation invites artists", "X is offering grants", "X offers", "X offered", "X is looking for writers",
		"Stiftung vergibt", "La ville lance un appel", "X commissions_y", "X invites\u00e9", " runs", "abc\tseeks more",
		"supported by the", "funded 2by x", "funded by the\u00a0Trust",
	}
	cases := append(mustLoadEval(t, "cases.jsonl"), mustLoadEval(t, "holdout.jsonl")...)
	for _, c := range cases {
		texts = append(texts, c.Title+"\n"+c.Text)
	}
	for _, s := range texts {
		checkPhrases(t, s)
	}
}

func FuzzPhrases(f *testing.F) {
	for _, s := range []string{"Funded by the Arts Council", "X is seeking artists", "made possible by The Y", " lance"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPhrases(t, s) })
}
