package postgres_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/testdb"
)

// TestDepartureOfADeletedOpportunityIsRunAgain checks that deleting a
// source whose sighting's opportunity another writer deletes meanwhile
// succeeds: its departure's insert, checked against the opportunity just
// before, waits for that writer and finds the row gone, which is a reason
// to run the write again, not to fail it.
func TestDepartureOfADeletedOpportunityIsRunAgain(t *testing.T) {
	s := testdb.Postgres(t, nil)
	src := mustCreate(t, s, scout.Source{URL: "https://arts.example/feed", Visibility: scout.VisibilityPublic, Title: "t"})
	complete(t, s, src, scout.Item{GUID: "c1", Title: "Neighborhood Arts Grants", URL: "https://arts.example/c1",
		ContentText: "Apply by June.", ContentHash: "h1", PublishedAt: time.Now().Add(-time.Hour),
		Opportunity: scout.Opportunity{Kind: scout.KindGrant, Deadline: time.Now().AddDate(0, 2, 0), Extractor: "rules/1"}})
	var opp int64
	if err := s.R.QueryRowContext(ctx, `SELECT opportunity_id FROM sightings`).Scan(&opp); err != nil {
		t.Fatal(err)
	}
	// Another writer deletes the opportunity and holds its row until the
	// source's deletion waits on it.
	other, err := s.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Rollback() }()
	if _, err := other.ExecContext(ctx, `DELETE FROM opportunities WHERE id = $1`, opp); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.DeleteSource(ctx, src.ID) }()
	waitForLockWait(t, s.R)
	if err := other.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("delete source while its opportunity is deleted: %v", err)
	}
}

// waitForLockWait returns once a backend of the test database waits for a
// lock.
func waitForLockWait(t *testing.T, db *sql.DB) {
	t.Helper()
	for range 500 {
		var n int
		if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no writer waited for the deleted opportunity")
}
