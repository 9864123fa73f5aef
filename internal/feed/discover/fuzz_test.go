package discover

import (
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"
)

func FuzzFromHTML(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		f.Add(mustRead(f, filepath.Base(p)), "https://fuzz.example/dir/page")
	}
	f.Fuzz(func(t *testing.T, page []byte, pageURL string) {
		const max = 5
		got, err := FromHTML(page, pageURL, max)
		if err != nil {
			return
		}
		if len(got) > max {
			t.Fatalf("got %d candidates, max %d", len(got), max)
		}
		var seen []string
		for _, c := range got {
			checkCandidate(t, c)
			if slices.Contains(seen, c.URL) {
				t.Fatalf("duplicate candidate %q", c.URL)
			}
			seen = append(seen, c.URL)
		}
		LooksLikeFeed(page) // must not panic
	})
}

// checkCandidate asserts what FromHTML promises about every candidate.
func checkCandidate(t *testing.T, c Candidate) {
	t.Helper()
	u, err := url.Parse(c.URL)
	if err != nil {
		t.Fatalf("candidate URL %q does not parse: %v", c.URL, err)
	}
	if !isWebURL(u) || u.User != nil || u.Fragment != "" {
		t.Fatalf("candidate URL %q is not a plain absolute http(s) URL", c.URL)
	}
	if len(c.URL) > maxURLLength || len(c.Title) > maxTitleBytes || !utf8.ValidString(c.Title) {
		t.Fatalf("candidate out of bounds: %+v", c)
	}
	if c.Type != TypeRSS && c.Type != TypeAtom && c.Type != TypeJSON {
		t.Fatalf("candidate type %q", c.Type)
	}
}
