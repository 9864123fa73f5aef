package app

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// TestBackfillLogsHowFarItHasCome stores 450 opportunity items, rolls the
// schema back below the opportunity record and forward again (as an
// installation upgraded from then finds its rows), and runs the backfill:
// its log must say how many items and sightings there are to do, how far
// it has come after each batch, how fast and how long the rest will take.
func TestBackfillLogsHowFarItHasCome(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t, t.TempDir())
	cfg.SeedSources = false
	a, err := Open(ctx, cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	src, err := a.Store.CreateSource(ctx, scout.Source{Kind: scout.SourceFeed, URL: "https://arts.example/feed", Visibility: scout.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	const n = 450
	var items []scout.Item
	for i := range n {
		it := scout.Item{GUID: fmt.Sprint(i), URL: fmt.Sprintf("https://arts.example/%d", i), Title: fmt.Sprintf("Grant %d for painters", i),
			ContentText: fmt.Sprintf("Grant %d: up to $%d for painters. Deadline: March 3, 2027.", i, 1000+i), ContentHash: fmt.Sprint("h", i),
			PublishedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			Opportunity: scout.Opportunity{Kind: scout.KindGrant, Deadline: time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC), Extractor: "rules/1"}}
		items = append(items, it)
	}
	if _, err := a.Store.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: items, NextFetchAt: time.Now().Add(time.Hour),
		Interval: time.Hour, Log: scout.FetchLog{StatusCode: 200}}); err != nil {
		t.Fatal(err)
	}
	m, ok := a.Store.(interface {
		MigrateDownTo(ctx context.Context, version int64) error
	})
	if !ok {
		t.Fatalf("%T cannot roll back its schema", a.Store)
	}
	if err := m.MigrateDownTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a.log = slog.New(slog.NewTextHandler(&logs, nil))
	a.progressEvery = -1 // a line per batch of 200
	a.backfill(ctx)

	for _, want := range []string{
		`msg="recomputing opportunity records of items stored before them" done_items=0 total_items=450 percent=0$`,
		`msg="recomputing opportunity records of items stored before them" done_items=200 total_items=450 percent=44 per_second=[0-9.]+ eta=[0-9.a-zµ]+$`,
		`msg="recomputing opportunity records of items stored before them" done_items=450 total_items=450 percent=100 per_second=[0-9.]+$`,
		`msg="recomputed opportunity records of items stored before them" done_items=450 took=[0-9.a-zµ]+$`,
		`msg="matching sightings of items stored before opportunities" done_sightings=0 total_sightings=450 percent=0$`,
		`msg="matching sightings of items stored before opportunities" done_sightings=400 total_sightings=450 percent=88 per_second=[0-9.]+ eta=[0-9.a-zµ]+$`,
		`msg="matched sightings of items stored before opportunities" done_sightings=450 took=[0-9.a-zµ]+$`,
	} {
		if !regexp.MustCompile(`(?m)` + want).MatchString(logs.String()) {
			t.Errorf("no log line matches %s in:\n%s", want, logs.String())
		}
	}
	if left, err := a.Store.CountBackfill(ctx); err != nil || left != (store.Backfill{}) {
		t.Errorf("left after the backfill = %+v, %v", left, err)
	}
	if strings.Count(logs.String(), "level=WARN") > 0 {
		t.Errorf("warnings:\n%s", logs.String())
	}
}
