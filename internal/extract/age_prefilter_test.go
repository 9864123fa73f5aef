package extract

import (
	"regexp"
	"strings"
	"testing"
)

var ageSeeds = []string{
	"", "open to artists over 40 based in melbourne", "applicants aged 18-25", "ages 16 to 21", "between the ages of 18 and 30",
	"between 18 and 35", "under 30", "under the age of 26", "younger than 35", "below the age of 30", "18+", "21 years of age or older",
	"65 or older", "18 and over", "50 and older", "at least 18", "aged over 60", "older than 21", "30 or younger", "25 years or under",
	"35 and under", "see page 12 of the stage guide", "a language grant of $5,000", "plus+", "leftover 40", "tunder 30", "x_under 30",
	"cover 40 artists", "sage 18-25",
}

func TestAgeMatchIsTheExpressionsMatch(t *testing.T) {
	for _, s := range ageSeeds {
		checkAgeMatch(t, s)
	}
}

func FuzzAgeMatch(f *testing.F) {
	for _, s := range ageSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkAgeMatch(t, strings.ToLower(s)) })
}

// checkAgeMatch fails t where ageMatch and the expression itself disagree.
func checkAgeMatch(t *testing.T, s string) {
	t.Helper()
	for _, re := range []*regexp.Regexp{ageRangeRe, ageUnderRe, ageMinRe, ageMaxRe} {
		got, want := ageMatch(re, s), re.FindStringSubmatchIndex(s)
		if len(got) != len(want) || (got != nil && got[0] != want[0]) {
			t.Errorf("ageMatch(%s, %q) = %v, the expression gives %v", re, s, got, want)
		}
	}
}
