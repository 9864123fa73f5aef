package feed

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

var corpusDiff = flag.Bool("corpus.diff", false, "log every disagreement with the corpus oracle")

const corpusDir = "testdata/corpus"

// expectedDoc is what the oracle read from one corpus file (see
// testdata/corpus/README.md).
type expectedDoc struct {
	File       string
	Format     string
	Bozo       bool
	EntryCount int `json:"entry_count"`
	Feed       struct{ Title, Link *string }
	Entries    []expectedEntry
}

type expectedEntry struct {
	ID, Title, Link, Published, Author, Summary *string
	Categories                                  []string
}

// corpusExceptions are non-bozo files we knowingly read differently from
// the oracle; testdata/corpus/NOTES.md says why.
var corpusExceptions = map[string]string{
	"feedjira-DuplicateContentAtomFeed.xml": "an Atom feed inside an XHTML page: ErrNotAFeed",
	"newsboat-empty.xml":                    "an empty file: ErrNotAFeed",
	"nodefeedparser-illegally-nested.xml":   "10 real items; the oracle adds 10 empty ones",
	"rsparser-rose.json":                    "JSON Feed tags given as a string: ErrParse",
}

// recoveredHostile are files the oracle could not read at all that Scout
// reads on purpose, with the item count checked by hand (NOTES.md).
var recoveredHostile = map[string]int{
	"simplepie-feed-utf16be.xml": 1, // UTF-16 without a byte order mark
	"simplepie-feed-utf16le.xml": 1,
}

// agreementFloor is the lowest share of entries on which each field must
// agree with the oracle: slightly under what was measured, so that a
// regression fails the test.
var agreementFloor = map[string]float64{
	"feed title": 0.98, "title": 0.97, "link": 0.995, "guid": 0.99, "published": 0.99,
}

// tally counts agreements per field.
type tally struct{ agree, total map[string]int }

// check counts one comparison and logs a disagreement under -corpus.diff.
func (tl *tally) check(t *testing.T, where, field, got, want string) {
	t.Helper()
	tl.total[field]++
	if got == want {
		tl.agree[field]++
	} else if *corpusDiff {
		t.Logf("%s %s: got %q, want %q", where, field, got, want)
	}
}

func TestCorpusAgreesWithOracle(t *testing.T) {
	srv := httptest.NewServer(corpusHandler(t))
	defer srv.Close()
	docs := loadExpected(t)
	tl := &tally{agree: map[string]int{}, total: map[string]int{}}
	for _, doc := range docs {
		feedURL := srv.URL + "/" + doc.File
		f, err := Parse(mustGet(t, feedURL), contentTypeFor(doc.File), feedURL, Options{Now: fixedNow})
		checkCorpusDoc(t, doc, f, err, tl)
	}
	fields := make([]string, 0, len(agreementFloor))
	for k := range agreementFloor {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	for _, field := range fields {
		rate := tl.rate(field)
		t.Logf("%-10s agreement %5.1f%% (%d/%d)", field, 100*rate, tl.agree[field], tl.total[field])
		if rate < agreementFloor[field] {
			t.Errorf("%s agreement %.3f is under the floor %.3f", field, rate, agreementFloor[field])
		}
	}
	for _, field := range reportedFields {
		t.Logf("%-10s agreement %5.1f%% (%d/%d, reported only)", field, 100*tl.rate(field), tl.agree[field], tl.total[field])
	}
}

// reportedFields are compared and logged but never fail the test: the
// oracle formats them differently by design (README.md).
var reportedFields = []string{"author", "summary", "categories"}

func (tl *tally) rate(field string) float64 {
	return float64(tl.agree[field]) / float64(max(tl.total[field], 1))
}

// checkCorpusDoc applies the README's strictness to one file and tallies
// its entries.
func checkCorpusDoc(t *testing.T, doc expectedDoc, f *Feed, err error, tl *tally) {
	t.Helper()
	hostile := doc.Bozo && doc.EntryCount == 0
	switch {
	case hostile:
		if n, ok := recoveredHostile[doc.File]; ok {
			if err != nil || len(f.Items) != n {
				t.Errorf("%s: recovered hostile file: got err %v, want %d items", doc.File, err, n)
			}
		} else if err == nil && len(f.Items) > 0 {
			t.Errorf("%s: hostile file gave %d items, want an error or none", doc.File, len(f.Items))
		}
		return
	case err != nil && doc.Bozo:
		return // an error is acceptable for bozo-recovered files
	case err != nil:
		if _, ok := corpusExceptions[doc.File]; !ok {
			t.Errorf("%s: %v", doc.File, err)
		}
		return
	}
	if len(f.Items) != doc.EntryCount {
		if _, ok := corpusExceptions[doc.File]; !ok && !doc.Bozo {
			t.Errorf("%s: got %d items, want %d", doc.File, len(f.Items), doc.EntryCount)
		}
		return
	}
	if !doc.Bozo && doc.Feed.Title != nil {
		tl.check(t, doc.File, "feed title", f.Title, collapseSpace(*doc.Feed.Title))
	}
	for i, e := range doc.Entries {
		compareEntry(t, doc.File, i, e, f, tl)
	}
}

// compareEntry tallies the agreement of one item with the oracle's entry.
func compareEntry(t *testing.T, file string, i int, e expectedEntry, f *Feed, tl *tally) {
	t.Helper()
	it := f.Items[i]
	where := fmt.Sprintf("%s[%d]", file, i)
	check := func(field, got, want string) { tl.check(t, where, field, got, want) }
	if e.Title != nil {
		check("title", it.Title, collapseSpace(*e.Title))
	}
	if e.ID != nil {
		check("guid", it.GUID, strings.TrimSpace(*e.ID))
	}
	if e.Link != nil {
		if want, err := CanonicalURL(*e.Link, ""); err == nil {
			check("link", it.URL, want)
		}
	}
	if e.Author != nil {
		check("author", it.Author, collapseSpace(*e.Author))
	}
	if e.Summary != nil && *e.Summary != "" {
		// The oracle keeps 200 characters; compare the first 100.
		want := truncateRunes(collapseSpace(*e.Summary), 100)
		check("summary", truncateRunes(it.Summary, 100), want)
	}
	if len(e.Categories) > 0 {
		check("categories", categorySet(it.Categories), categorySet(e.Categories))
	}
	if e.Published != nil {
		got := ""
		if !it.DateEstimated {
			got = it.PublishedAt.Format(time.RFC3339)
		}
		check("published", got, *e.Published)
	}
}

// fixedNow is after every date in the corpus, so none counts as future.
func fixedNow() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }

// corpusHandler serves the corpus with a Content-Type that has no charset:
// the oracle saw no HTTP headers.
func corpusHandler(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join(corpusDir, "feeds", filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentTypeFor(r.URL.Path))
		w.Write(b)
	})
}

func contentTypeFor(name string) string {
	if strings.HasSuffix(name, ".json") {
		return "application/feed+json"
	}
	return "application/octet-stream"
}

func loadExpected(t *testing.T) []expectedDoc {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, "expected", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no expected files in %s: %v", corpusDir, err)
	}
	docs := make([]expectedDoc, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var d expectedDoc
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		docs = append(docs, d)
	}
	return docs
}

func mustGet(tb testing.TB, url string) []byte {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(len(r), n)])
}

// categorySet is a canonical form of a category list: trimmed, lower-cased,
// deduplicated and sorted.
func categorySet(cats []string) string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cats {
		if c = strings.ToLower(collapseSpace(c)); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}
