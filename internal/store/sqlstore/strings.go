package sqlstore

import (
	"slices"
	"strings"
)

// dedupeStrings trims, drops empties and duplicates, keeping first order.
func dedupeStrings(in []string) []string {
	var out []string
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func sortStrings(s []string) { slices.Sort(s) }
