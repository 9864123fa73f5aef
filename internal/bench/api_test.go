package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

func TestSynthItemIsDeterministicAndExtracted(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	a, b := synthItem(7, now, 3, 4), synthItem(7, now, 3, 4)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different items (-a +b):\n%s", diff)
	}
	if c := synthItem(7, now, 3, 5); c.Title == a.Title && c.ContentText == a.ContentText {
		t.Errorf("items 4 and 5 are the same: %q", c.Title)
	}
	var kinds, deadlines, grants int
	for j := range 200 {
		it := synthItem(1, now, 0, j)
		if it.PublishedAt.After(now) || it.PublishedAt.Before(now.AddDate(-1, 0, 0)) {
			t.Errorf("item %d published %s, outside the year before %s", j, it.PublishedAt, now)
		}
		if it.Opportunity.Kind != scout.KindUnknown && it.Opportunity.Kind != scout.KindNone {
			kinds++
		}
		if !it.Opportunity.Deadline.IsZero() {
			deadlines++
		}
		if strings.Contains(strings.ToLower(it.Title+it.ContentText), "grant") {
			grants++
		}
	}
	if kinds < 150 || deadlines < 120 || grants < 40 {
		t.Errorf("of 200 items, %d have a kind, %d a deadline, %d say grant", kinds, deadlines, grants)
	}
}

// TestAPIUnderLoadFillsAndAnswersEveryRoute fills 500 items, runs Scout in
// this process and loads every route briefly: nothing may fail.
func TestAPIUnderLoadFillsAndAnswersEveryRoute(t *testing.T) {
	if testing.Short() {
		t.Skip("API load run skipped in -short mode")
	}
	// The bound only stops a hung run: under -race on a shared machine the
	// fill alone has taken close to a minute.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	o := APIOptions{Sizes: []int{500}, Sources: 20, Dir: t.TempDir(), Seed: 1,
		Load: APILoad{Clients: []int{4}, Keys: 20, Warmup: 50 * time.Millisecond, Duration: 150 * time.Millisecond}, Log: testWriter{t}}
	rep, err := RunAPI(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunAPI(ctx, o); err == nil || !strings.Contains(err.Error(), "fresh database") {
		t.Errorf("a second run into the same directory: %v, want a refusal to fill a used database", err)
	}
	run := rep.Runs[0]
	if run.Fill.Items != 500 || run.Fill.Sources != 20 {
		t.Errorf("filled %+v, want 500 items over 20 sources", run.Fill)
	}
	if len(run.Results) != len(apiRoutes(1, 2)) {
		t.Fatalf("%d results, want one per route", len(run.Results))
	}
	for _, r := range run.Results {
		if r.Requests == 0 || r.Errors > 0 || r.Bytes == 0 {
			t.Errorf("%s: %d requests, %d errors (%s), mean body %d B", r.Route, r.Requests, r.Errors, r.FirstError, r.Bytes)
		}
	}
	if f := run.Floors[0]; f.Requests == 0 || f.Bytes != run.Results[0].Bytes {
		t.Errorf("floor %+v, want requests with the list body size %d", f, run.Results[0].Bytes)
	}
	var md bytes.Buffer
	rep.Markdown(&md)
	if !strings.Contains(md.String(), "% of the floor") {
		t.Errorf("report lacks the floor comparison:\n%s", md.String())
	}
}
