package config

import (
	"fmt"
	"strings"
)

// Unknown returns a warning for every SCOUT_* variable of environ (KEY=value
// lines, as os.Environ gives them) that is no setting, naming the closest
// setting when one is near: a misspelled SCOUT_FETCH_ALLOWED would otherwise
// be ignored without a word. Variables of the test suite (SCOUT_TEST_*, and
// SCOUT_REQUIRE_*, which .ci/run sets to make tests fail instead of
// skipping) are not settings and are left alone.
func Unknown(environ []string) []string {
	known := map[string]bool{}
	var names []string
	var c Config
	for _, s := range settings(&c) {
		known[s.env()] = true
		names = append(names, s.env())
		if s.secret {
			known[s.env()+"_FILE"] = true
		}
	}
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "SCOUT_") || strings.HasPrefix(name, "SCOUT_TEST_") || strings.HasPrefix(name, "SCOUT_REQUIRE_") || known[name] {
			continue
		}
		w := fmt.Sprintf("%s is not a Scout setting and is ignored", name)
		if near := closest(name, names); near != "" {
			w += fmt.Sprintf(": did you mean %s?", near)
		}
		warnings = append(warnings, w)
	}
	return warnings
}

// closest returns the name nearest to s by edit distance, or "" when none is
// within a third of its length (so unrelated names suggest nothing).
func closest(s string, names []string) string {
	best, bestD := "", len(s)/3+1
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
