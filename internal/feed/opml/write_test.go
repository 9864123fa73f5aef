package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite golden files")

var exportTime = time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))

func sampleOutlines() []Outline {
	return []Outline{
		{Title: "Grants.gov by agency", XMLURL: "https://www.grants.gov/rss/GG_NewOppByAgency.xml", HTMLURL: "https://www.grants.gov/", Categories: []string{"Federal"}},
		{Title: "Uncategorized & <odd> \"quoted\" 'title'", XMLURL: "https://example.com/feed?a=1&b=2"},
		{Title: "NEA", XMLURL: "https://www.arts.gov/rss.xml", Categories: []string{"Federal", "Arts", "US/Visual arts"}},
		{Title: "", XMLURL: "https://untitled.example.org/atom.xml", Categories: []string{"Résidences"}},
		{Title: "Line\nbreaks\tand\x00control", XMLURL: "https://ctrl.example.net/rss", Categories: []string{"Federal"}},
	}
}

func TestWriteGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "Scout export <all>", sampleOutlines(), exportTime); err != nil {
		t.Fatalf("Write: %v", err)
	}
	golden := filepath.Join("testdata", "export.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(fixture(t, "export.golden"), buf.String()); diff != "" {
		t.Errorf("output differs from %s (-want +got); run with -update if intended:\n%s", golden, diff)
	}
	if err := xml.Unmarshal(buf.Bytes(), new(document)); err != nil {
		t.Errorf("output is not well-formed XML: %v", err)
	}
}

func TestWriteThenReadGivesTheSameOutlines(t *testing.T) {
	tests := []struct {
		name string
		in   []Outline
		want []Outline // nil means in, regrouped by first category
	}{
		{"no outlines", nil, nil},
		{"mixed folders", sampleOutlines(), []Outline{
			sampleOutlines()[0],
			{Title: "NEA", XMLURL: "https://www.arts.gov/rss.xml", Categories: []string{"Federal", "Arts", "US/Visual arts"}},
			{Title: "Line breaks and\uFFFDcontrol", XMLURL: "https://ctrl.example.net/rss", Categories: []string{"Federal"}},
			sampleOutlines()[1],
			// an untitled feed is written with its URL as text, as OPML 2.0 requires
			{Title: "https://untitled.example.org/atom.xml", XMLURL: "https://untitled.example.org/atom.xml", Categories: []string{"Résidences"}},
		}},
		{"what Read gave is written back unchanged", mustRead(t, "nested.opml"), nil},
		{"categories are cleaned", []Outline{{Title: "t", XMLURL: "https://a.example/", Categories: []string{" ", "A  b", "A b", "c"}}},
			[]Outline{{Title: "t", XMLURL: "https://a.example/", Categories: []string{"A b", "c"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, "round trip", tt.in, exportTime); err != nil {
				t.Fatalf("Write: %v", err)
			}
			got, err := Read(&buf, 0, 0)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			want := tt.want
			if want == nil {
				want = regroup(tt.in)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	boom := errors.New("pipe closed")
	tests := []struct {
		name string
		w    io.Writer
		in   []Outline
		want string
	}{
		{"an outline without a URL", io.Discard, []Outline{{Title: "x"}}, `write opml: outline 0 ("x") has no xmlUrl`},
		{"a failing writer", failWriter{boom}, sampleOutlines(), "write opml: pipe closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(tt.w, "t", tt.in, exportTime)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// regroup orders outlines as Write does: by first category in first-seen
// order, uncategorized feeds in place.
func regroup(in []Outline) []Outline {
	var out []Outline
	done := make(map[string]bool)
	for i, o := range in {
		if len(o.Categories) == 0 {
			out = append(out, o)
			continue
		}
		if done[o.Categories[0]] {
			continue
		}
		done[o.Categories[0]] = true
		for _, p := range in[i:] {
			if len(p.Categories) > 0 && p.Categories[0] == o.Categories[0] {
				out = append(out, p)
			}
		}
	}
	return out
}

func mustRead(tb testing.TB, name string) []Outline {
	tb.Helper()
	got, err := Read(mustOpen(tb, name), 0, 0)
	if err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	return got
}

// TestSourcesOfOtherKindsComeBackAsTheyWere writes feeds and sources of
// other kinds together: the others travel as links with Scout's kind and
// config attributes, read back unchanged, while a reader that knows only
// feeds sees no feed it would subscribe to.
func TestSourcesOfOtherKindsComeBackAsTheyWere(t *testing.T) {
	in := []Outline{
		{Title: "NEA", XMLURL: "https://www.arts.gov/rss.xml", Categories: []string{"Federal"}},
		{Title: "Open calls", XMLURL: "https://arts.example/open-calls", Kind: "html", Categories: []string{"Federal", "Calls"},
			Config: `{"item":".listing article","title":"h3 a","link":"h3 a@href","next":"a[rel=\"next\"]","detail":{"content":"main"}}`},
		{Title: "Funds", XMLURL: "https://api.arts.example/funds?x=1&y=2", Kind: "json", Config: "{\"items\":\"$.results[*]\",\n \"currency\":\"EUR\"}"},
		{Title: "Grants.gov: arts", XMLURL: "https://api.grants.gov/v1/api/search2", Kind: "grantsgov", Config: `{"keyword":"arts & <crafts>"}`},
		// The same page read as a feed and with selectors: two sources.
		{Title: "Open calls feed", XMLURL: "https://arts.example/open-calls"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "Scout", in, exportTime); err != nil {
		t.Fatal(err)
	}
	out, err := Read(bytes.NewReader(buf.Bytes()), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := in // the folder comes first, where its first outline was
	if diff := cmp.Diff(want, out, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("read back (-want +got):\n%s\n%s", diff, buf.String())
	}
	var doc struct {
		Outlines []struct {
			Type   string `xml:"type,attr"`
			XMLURL string `xml:"xmlUrl,attr"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, o := range doc.Outlines {
		if o.Type == "link" && o.XMLURL != "" {
			t.Errorf("a link outline has an xmlUrl %q: other readers would take it for a feed", o.XMLURL)
		}
	}
	// An undeclared scout: prefix (a list edited by hand) is read too.
	hand := `<opml version="2.0"><body><outline text="x" type="link" url="https://a.example/" scout:kind="HTML" scout:config="{}"/></body></opml>`
	got, err := Read(strings.NewReader(hand), 0, 0)
	if err != nil || len(got) != 1 || got[0].Kind != "html" || got[0].XMLURL != "https://a.example/" || got[0].Config != "{}" {
		t.Fatalf("hand-written: %+v, %v", got, err)
	}
}
