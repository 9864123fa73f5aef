package feedfarm

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/feed"
)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func get(t *testing.T, h http.Handler, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestFeedsAreDeterministicRealisticAndParse(t *testing.T) {
	c := &clock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	a := New(Options{Feeds: 3, Items: 10, Seed: 7, Now: c.now})
	b := New(Options{Feeds: 3, Items: 10, Seed: 7, Now: c.now})
	ra, rb := get(t, a, "/feed/2", nil), get(t, b, "/feed/2", nil)
	ba, _ := io.ReadAll(ra.Body)
	bb, _ := io.ReadAll(rb.Body)
	if string(ba) != string(bb) {
		t.Fatal("same seed, different documents")
	}
	f, err := feed.Parse(ba, ra.Header.Get("Content-Type"), "http://127.0.0.1/feed/2", feed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 10 {
		t.Fatalf("parsed %d items, want 10", len(f.Items))
	}
	for _, it := range f.Items {
		if n := len(it.ContentHTML); n < 600 || n > 2000 {
			t.Errorf("%s: body of %d bytes, want about 1 KB", it.GUID, n)
		}
		if !strings.Contains(it.ContentText, "Deadline:") || !strings.Contains(it.ContentText, ",000") {
			t.Errorf("%s: no deadline or amount in %q", it.GUID, it.ContentText)
		}
	}
}

func TestConditionalGetAnswers304UntilTheFeedRotates(t *testing.T) {
	c := &clock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f := New(Options{Feeds: 2, Items: 5, Seed: 1, RotateEvery: 10 * time.Second, RotateCount: 2, Now: c.now})
	first := get(t, f, "/feed/0", nil)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	tests := []struct {
		name    string
		advance time.Duration
		hdr     map[string]string
		want    int
	}{
		{"an unchanged feed answers 304 to its ETag", 0, map[string]string{"If-None-Match": etag}, 304},
		{"an unchanged feed answers 304 to its date", 0, map[string]string{"If-Modified-Since": lm}, 304},
		{"a rotated feed answers 200 to the old ETag", 10 * time.Second, map[string]string{"If-None-Match": etag}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = c.t.Add(tt.advance)
			if got := get(t, f, "/feed/0", tt.hdr).StatusCode; got != tt.want {
				t.Fatalf("status %d, want %d", got, tt.want)
			}
		})
	}
	want := []string{"farm-1-0-0", "farm-1-0-1", "farm-1-0-2", "farm-1-0-3", "farm-1-0-4", "farm-1-0-5", "farm-1-0-6"}
	if diff := cmp.Diff(want, f.Truth()["/feed/0"]); diff != "" {
		t.Errorf("truth of feed 0 (-want +got):\n%s", diff)
	}
	if got := f.Truth()["/feed/1"]; len(got) != 0 {
		t.Errorf("feed 1 was never served but its truth has %d items", len(got))
	}
	at, ok := f.AppearedAt("farm-1-0-6")
	if !ok || !at.Equal(c.t) {
		t.Errorf("item 6 appeared at %v (%v), want %v", at, ok, c.t)
	}
	s := f.Stats()
	if s.OK != 2 || s.NotModified != 2 || s.ItemsServed != 7 {
		t.Errorf("stats %+v", s)
	}
}

func TestFreezeStopsRotation(t *testing.T) {
	c := &clock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f := New(Options{Feeds: 1, Items: 3, RotateEvery: time.Second, RotateCount: 1, Now: c.now})
	f.Freeze()
	etag := get(t, f, "/feed/0", nil).Header.Get("ETag")
	c.t = c.t.Add(time.Hour)
	if got := get(t, f, "/feed/0", map[string]string{"If-None-Match": etag}).StatusCode; got != 304 {
		t.Fatalf("frozen feed answered %d", got)
	}
}

func TestFailingEndpointsAndOPML(t *testing.T) {
	f := New(Options{Feeds: 2, Failing: 3, HangFor: 10 * time.Millisecond})
	for path, want := range map[string]int{"/fail/0": 500, "/fail/1": 200, "/fail/2": 404, "/feed/9": 404} {
		if got := get(t, f, path, nil).StatusCode; got != want {
			t.Errorf("%s: %d, want %d", path, got, want)
		}
	}
	body, _ := io.ReadAll(get(t, f, "/opml", nil).Body)
	if n := strings.Count(string(body), "xmlUrl="); n != 5 {
		t.Errorf("OPML lists %d feeds, want 5:\n%s", n, body)
	}
}

func TestTruthStartsAtTheFirstGenerationServed(t *testing.T) {
	c := &clock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f := New(Options{Feeds: 1, Items: 3, Seed: 2, RotateEvery: time.Second, RotateCount: 1, Now: c.now})
	c.t = c.t.Add(2 * time.Second)
	get(t, f, "/feed/0", nil)
	want := []string{"farm-2-0-2", "farm-2-0-3", "farm-2-0-4"}
	if diff := cmp.Diff(want, f.Truth()["/feed/0"]); diff != "" {
		t.Errorf("truth (-want +got):\n%s", diff)
	}
}

func TestExampleFeedKeepsItsDeadlinesAheadOfTheFarmAndIsNotInTheOPML(t *testing.T) {
	c := &clock{time.Date(2041, 7, 9, 15, 0, 0, 0, time.UTC)}
	f := New(Options{Feeds: 2, Items: 3, Now: c.now})
	res := get(t, f, ExampleFeed, nil)
	body, _ := io.ReadAll(res.Body)
	parsed, err := feed.Parse(body, res.Header.Get("Content-Type"), "http://127.0.0.1"+ExampleFeed, feed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range parsed.Items {
		got = append(got, it.Title+" | "+it.ContentText)
	}
	want := []string{
		"Artist residency in the dunes: four weeks for visual artists | A fully funded artist residency for painters and sculptors. Applications close on 6 November 2041. A stipend of $3,000 is included.",
		"Writing fellowship for early-career poets | A one-year fellowship of $20,000 for poets. Deadline: 25 January 2042.",
		"Artist residency by the lake (closed) | This artist residency is closed. Deadline: 9 June 2041.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("example feed (-want +got):\n%s", diff)
	}
	page, _ := io.ReadAll(get(t, f, ExamplePage, nil).Body)
	if !strings.Contains(string(page), `type="application/rss+xml"`) || !strings.Contains(string(page), `href="`+ExampleFeed+`"`) {
		t.Fatalf("the example page links no feed at %s:\n%s", ExampleFeed, page)
	}
	opml, _ := io.ReadAll(get(t, f, "/opml", nil).Body)
	if strings.Contains(string(opml), ExampleFeed) {
		t.Fatal("the example feed is in the OPML, so the walkthrough would add it twice")
	}
}

func TestExampleCallsAreAListingOfTwoPagesWithAPageForEachCall(t *testing.T) {
	f := New(Options{Feeds: 1, Items: 1, Now: (&clock{time.Date(2041, 7, 9, 15, 0, 0, 0, time.UTC)}).now})
	read := func(path string) (int, string) {
		res := get(t, f, path, nil)
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	_, first := read(ExampleCalls)
	_, second := read(ExampleCalls + "?page=2")
	if n := strings.Count(first, "<article>"); n != 2 || !strings.Contains(first, `<a rel="next" href="`+ExampleCalls+`?page=2">`) {
		t.Fatalf("first page: %d articles, want 2 and a rel=next link:\n%s", n, first)
	}
	if n := strings.Count(second, "<article>"); n != 1 || strings.Contains(second, `rel="next"`) {
		t.Fatalf("second page: %d articles, want 1 and no rel=next link:\n%s", n, second)
	}
	if !strings.Contains(first, `<a href="`+ExampleCalls+`/residency-dunes">`) || !strings.Contains(first, `<time datetime="2041-07-07">`) {
		t.Fatalf("first page has no link to the dune residency published 2041-07-07:\n%s", first)
	}
	code, page := read(ExampleCalls + "/residency-dunes")
	if code != 200 || !strings.Contains(page, `<div class="call__body"><p>A fully funded artist residency for painters and sculptors. Applications close on 6 November 2041.`) {
		t.Fatalf("the residency's page (%d) has no body with its deadline:\n%s", code, page)
	}
	if code, _ := read(ExampleCalls + "/nothing"); code != 404 {
		t.Fatalf("an unknown call answers %d, want 404", code)
	}
}
