package extract

import "testing"

var zoneSeeds = []string{
	"", " 2027, 5 p.m.", " 17:00 CET.", " 5pm ET", " (UTC+2)", " GMT-05:30 sharp", " AoE", " 23:59 Anywhere on Earth",
	" 12:00 eastern", " at noon Pacific Time", " hora de Madrid", " hora del centro de México", " ora italiana",
	" svensk tid", " Mitteleuropäische Sommerzeit", " heure de Paris", " Lagos time", " NEW ZEALAND TIME", " nz time",
	" 11:59 pm (New York Standard Time)", " midnight, Irish time", " the Central European Summer Time", " Ends at 17h",
	" Brasília time", " horário de brasilia", " eaſtern", " on 3 March, ahead of the panel",
}

func TestMayHoldZoneNeverHidesAZone(t *testing.T) {
	for _, s := range zoneSeeds {
		if !mayHoldZone(s) && zoneRe.FindStringIndex(s) != nil {
			t.Errorf("mayHoldZone(%q) is false, but zoneRe matches %q", s, zoneRe.FindString(s))
		}
	}
	if mayHoldZone(" on 3 March, ahead of the panel") {
		t.Error("mayHoldZone holds a zone in a window of plain words")
	}
}

// FuzzMayHoldZone checks that the prefilter is false only where zoneRe
// finds nothing.
func FuzzMayHoldZone(f *testing.F) {
	for _, s := range zoneSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !mayHoldZone(s) && zoneRe.FindStringIndex(s) != nil {
			t.Fatalf("mayHoldZone(%q) is false, but zoneRe matches %q", s, zoneRe.FindString(s))
		}
	})
}
