package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// devCallCase is a dev-set record with the calls it announces (labels.calls,
// empty for a post with one call or none).
type devCallCase struct {
	ID        string    `json:"id"`
	Published time.Time `json:"pub"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Cats      []string  `json:"cats"`
	Labels    struct {
		Calls []struct {
			Deadline *blindDate `json:"deadline"`
			Rolling  bool       `json:"rolling"`
			Funder   *string    `json:"funder"`
		} `json:"calls"`
	} `json:"labels"`
}

func loadDevCalls(tb testing.TB) []devCallCase {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "eval", "dev", "dev.jsonl"))
	if os.IsNotExist(err) {
		tb.Skip("no dev set")
	}
	if err != nil {
		tb.Fatalf("open dev set: %v", err)
	}
	defer f.Close()
	var out []devCallCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c devCallCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("dev set: %v", err)
		}
		out = append(out, c)
	}
	return out
}

// callScore counts labelled calls, calls found, the labelled calls a found
// call matches (same deadline date, or same funder for a call without a
// deadline), and the matched calls whose funder is right.
type callScore struct{ labelled, found, matched, funder, falseSplits, single int }

func scoreCalls(t *testing.T, cases []devCallCase, verbose bool) callScore {
	var s callScore
	for _, c := range cases {
		got := Calls(Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published})
		if len(c.Labels.Calls) < 2 {
			s.single++
			if len(got) > 0 {
				s.falseSplits++
				if verbose {
					t.Logf("%s: one call split into %d", c.ID, len(got))
				}
			}
			continue
		}
		s.labelled += len(c.Labels.Calls)
		s.found += len(got)
		used := make([]bool, len(got))
		for _, l := range c.Labels.Calls {
			hit := -1
			for i, g := range got {
				if used[i] {
					continue
				}
				dl := ""
				if k := g.Opportunity.KeyDates.Deadline; k != nil {
					dl = k.Date
				}
				switch {
				case l.Deadline != nil && l.Deadline.Date == dl,
					l.Deadline == nil && dl == "" && l.Funder != nil && Key(*l.Funder) == Key(g.Opportunity.Funder),
					l.Deadline == nil && dl == "" && l.Rolling && g.Opportunity.Rolling:
					hit = i
				}
				if hit >= 0 {
					break
				}
			}
			if hit < 0 {
				if verbose {
					t.Logf("%s: missed the call %+v (found %d)", c.ID, l, len(got))
				}
				continue
			}
			used[hit] = true
			s.matched++
			if l.Funder != nil && Key(*l.Funder) == Key(got[hit].Opportunity.Funder) {
				s.funder++
			} else if verbose {
				t.Logf("%s: funder %q, want %v", c.ID, got[hit].Opportunity.Funder, l.Funder)
			}
		}
	}
	return s
}

// callFloor is the dev set's score when last measured: calls matched per
// labelled call, and per found call; at most this many single-call posts
// split.
var callFloor = struct {
	recall, precision float64
	falseSplits       int
}{0.96, 0.96, 1}

// TestCallsOnDev measures how many of the dev set's newsletter calls come
// out as calls of their own, with their own deadline and funder, and how
// many one-call posts are wrongly split; with -eval.v it names the misses.
func TestCallsOnDev(t *testing.T) {
	s := scoreCalls(t, loadDevCalls(t), *evalVerbose)
	r, p := ratio(s.matched, s.labelled), ratio(s.matched, s.found)
	t.Logf("calls: %d labelled, %d found, %d matched (recall %.3f, precision %.3f), funder right on %d; "+
		"%d of %d one-call posts split", s.labelled, s.found, s.matched, r, p, s.funder, s.falseSplits, s.single)
	if r < callFloor.recall || p < callFloor.precision || s.falseSplits > callFloor.falseSplits {
		t.Errorf("below the floor: recall %.3f precision %.3f false splits %d; floor %+v", r, p, s.falseSplits, callFloor)
	}
}

// newsCase is a post of the matcher's newsletter dev set
// (../match/testdata/clusters_news.jsonl): a newsletter labels one
// cluster per call it announces, a single post one.
type newsCase struct {
	ID       string    `json:"id"`
	Pub      time.Time `json:"pub"`
	Title    string    `json:"title"`
	Text     string    `json:"text"`
	Clusters []string  `json:"clusters"`
}

func loadNews(tb testing.TB) []newsCase {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "match", "testdata", "clusters_news.jsonl"))
	if os.IsNotExist(err) {
		tb.Skip("no newsletter set")
	}
	if err != nil {
		tb.Fatalf("open newsletter set: %v", err)
	}
	var out []newsCase
	for n, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var c newsCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			tb.Fatalf("newsletter set line %d: %v", n+1, err)
		}
		out = append(out, c)
	}
	return out
}

// newsFloor is the newsletter set's split score when last measured: calls
// found (at most as many as labelled, per newsletter) per labelled call,
// newsletters split into exactly their calls, and at most this many
// one-call posts split.
var newsFloor = struct {
	recall      float64
	exact       int
	falseSplits int
}{1, 45, 0}

// TestCallsOnNewsletters counts, per newsletter of the newsletter dev set,
// the calls the splitter finds against the calls labelled, and the one-call
// posts it splits; with -eval.v it names each miscount.
func TestCallsOnNewsletters(t *testing.T) {
	labelled, found, exact, letters, single, falseSplits := 0, 0, 0, 0, 0, 0
	for _, c := range loadNews(t) {
		got := len(Calls(Input{Title: c.Title, Text: c.Text, PublishedAt: c.Pub}))
		if len(c.Clusters) < 2 {
			single++
			if got > 0 {
				falseSplits++
				if *evalVerbose {
					t.Logf("%s: one call split into %d", c.ID, got)
				}
			}
			continue
		}
		letters++
		labelled += len(c.Clusters)
		found += min(got, len(c.Clusters))
		if got == len(c.Clusters) {
			exact++
		} else if *evalVerbose {
			t.Logf("%s: %d calls read as %d", c.ID, len(c.Clusters), got)
		}
	}
	r := ratio(found, labelled)
	t.Logf("newsletters: %d, %d calls labelled, %d found (%.3f), %d split exactly; %d of %d one-call posts split",
		letters, labelled, found, r, exact, falseSplits, single)
	if r < newsFloor.recall || exact < newsFloor.exact || falseSplits > newsFloor.falseSplits {
		t.Errorf("below the floor: found %.3f, exact %d, false splits %d; floor %+v", r, exact, falseSplits, newsFloor)
	}
}
