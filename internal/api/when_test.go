package api

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTimeParametersAcceptDatesAndDateTimes(t *testing.T) {
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2027-01-01", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2027-01-01T09:30", time.Date(2027, 1, 1, 9, 30, 0, 0, time.UTC)},
		{"2027-01-01T09:30:15", time.Date(2027, 1, 1, 9, 30, 15, 0, time.UTC)},
		{"2027-01-01T09:30:15Z", time.Date(2027, 1, 1, 9, 30, 15, 0, time.UTC)},
		{"2027-01-01T09:30:15.5+02:00", time.Date(2027, 1, 1, 9, 30, 15, 5e8, plus2)},
		{"2027-01-01T09:30:15 02:00", time.Date(2027, 1, 1, 9, 30, 15, 0, plus2)},
		{" 2027-01-01 ", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := parseWhen(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "01/02/2027", "2027-13-01", "2027-01-01 09:00", "1735689600"} {
		if _, err := parseWhen(bad); err == nil || !strings.Contains(err.Error(), "2027-01-01") {
			t.Errorf("parseWhen(%q) error = %v, want one naming the formats", bad, err)
		}
	}
}

func FuzzParseWhen(f *testing.F) {
	seeds, err := os.ReadFile(filepath.Join("testdata", "when-seeds.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(strings.TrimSpace(string(seeds)), "\n") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseWhen(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "must be ") {
				t.Fatalf("parseWhen(%q): unexpected error %v", s, err)
			}
			return
		}
		again, err := parseWhen(got.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(got) {
			t.Fatalf("parseWhen(%q) = %v, which does not read back: %v, %v", s, got, again, err)
		}
	})
}

func TestClosingWithinReadsDaysAndHours(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "48h": 48 * time.Hour, "999d": 999 * 24 * time.Hour, "1h": time.Hour} {
		var w Within
		if err := w.UnmarshalText([]byte(in)); err != nil || w.Duration != want {
			t.Errorf("Within(%q) = %v, %v; want %v", in, w.Duration, err, want)
		}
	}
	for _, bad := range []string{"", "7", "0d", "07d", "1000d", "1w", "-1d", "7D", "1.5d", " 7d"} {
		var w Within
		if err := w.UnmarshalText([]byte(bad)); err == nil || !strings.Contains(err.Error(), "7d or 48h") {
			t.Errorf("Within(%q) error = %v, want one naming the forms", bad, err)
		}
	}
}

// FuzzWithin holds the parser to the pattern the OpenAPI document
// publishes: it accepts exactly what the pattern matches.
func FuzzWithin(f *testing.F) {
	seeds, err := os.ReadFile(filepath.Join("testdata", "within-seeds.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(string(seeds), "\n") {
		f.Add(s)
	}
	pattern := regexp.MustCompile(Within{}.Schema(nil).Pattern)
	f.Fuzz(func(t *testing.T, s string) {
		var w Within
		err := w.UnmarshalText([]byte(s))
		if (err == nil) != pattern.MatchString(s) {
			t.Fatalf("Within(%q): error %v, pattern match %t", s, err, pattern.MatchString(s))
		}
		if err == nil && (w.Duration <= 0 || w.Duration > 999*24*time.Hour) {
			t.Fatalf("Within(%q) = %v", s, w.Duration)
		}
	})
}
