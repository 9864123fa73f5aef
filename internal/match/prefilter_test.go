package match

import (
	"slices"
	"testing"
)

var prefilterSeeds = []string{
	"", "NEA-2026-0042 and HHS-2026-ACF-0001", "PD-26-1234.", "A-1 AB-", "ÀB-12 XY-Z9", "see 10.1234/abc.5 and 10.12/x",
	"doi:10.48550/arXiv.2301.00001", "funder.example/apply (arts.org/x) a.b.cd/e", "10.1234 10.12345/x -AB- AB-",
	"Deadline: March 3, 2027 — apply at grants.example.org/call?id=7", "10.", "10.123", "-", "/", ".ab",
}

// TestPrefiltersKeepMatches checks that the prefilters never skip a text the
// expressions match in.
func TestPrefiltersKeepMatches(t *testing.T) {
	for _, s := range prefilterSeeds {
		checkPrefilters(t, s)
	}
}

func FuzzPrefilters(f *testing.F) {
	for _, s := range prefilterSeeds {
		f.Add(s)
	}
	f.Fuzz(checkPrefilters)
}

func checkPrefilters(t *testing.T, s string) {
	if got, want := findAll(oppNoRE, mayHoldOppNo, s, 20), oppNoRE.FindAllString(s, 20); !slices.Equal(got, want) {
		t.Errorf("opportunity numbers in %q: %q, want %q", s, got, want)
	}
	if got, want := findAll(doiRE, mayHoldDOI, s, 5), doiRE.FindAllString(s, 5); !slices.Equal(got, want) {
		t.Errorf("DOIs in %q: %q, want %q", s, got, want)
	}
}
