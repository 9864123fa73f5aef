package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/store/storetest"
	"github.com/scoutdev/scout/internal/testdb"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, o storetest.Options) store.Store {
		s := testdb.Postgres(t, o.Now)
		s.Precedence, s.GroupPrecedence = o.Precedence, o.GroupPrecedence
		return s
	})
}

func TestConcurrentMigrateAppliesOnce(t *testing.T) {
	ctx := context.Background()
	url := testdb.PostgresURL(t)
	stores := make([]*postgres.Store, 3)
	for i := range stores {
		s, err := postgres.Open(ctx, postgres.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() { errs[i] = s.Migrate(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent migrate: %v", err)
	}
	var applied int
	err := stores[0].R.QueryRowContext(ctx, `SELECT COUNT(*) FROM goose_db_version WHERE version_id > 0 AND is_applied`).Scan(&applied)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := stores[1].MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if applied != len(lines) {
		t.Fatalf("%d migrations recorded as applied, want each of %d once", applied, len(lines))
	}
	for _, l := range lines {
		if !strings.Contains(l, "applied") {
			t.Errorf("migration not applied: %s", l)
		}
	}
}

func TestOpenFailsClearlyWhenUnreachable(t *testing.T) {
	// Port 1 on loopback refuses connections at once.
	_, err := postgres.Open(context.Background(), postgres.Options{URL: "postgres://scout:secret@127.0.0.1:1/scout?sslmode=disable"})
	if err == nil {
		t.Fatal("open succeeded against a closed port")
	}
	if !strings.Contains(err.Error(), "cannot be reached") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v, want a clear message without the password", err)
	}
}

func TestRecordsOfExistingRows(t *testing.T) {
	storetest.RecordsOfExistingRows(t, testdb.Postgres(t, storetest.NewClock(storetest.T0).Now))
}

func TestSummariesOfExistingRows(t *testing.T) {
	storetest.SummariesOfExistingRows(t, testdb.Postgres(t, storetest.NewClock(storetest.T0).Now))
}

func TestSightingsOfExistingRows(t *testing.T) {
	storetest.SightingsOfExistingRows(t, testdb.Postgres(t, storetest.NewClock(storetest.T0).Now))
}

func TestSourceKeysOfExistingRows(t *testing.T) {
	s := testdb.Postgres(t, storetest.NewClock(storetest.T0).Now)
	storetest.SourceKeysOfExistingRows(t, s, func(q string) error { _, err := s.W.Exec(q); return err })
}

func TestMatchKeysFollowSightings(t *testing.T) {
	s := testdb.Postgres(t, storetest.NewClock(storetest.T0).Now)
	storetest.MatchKeysFollowSightings(t, s, s.R, s.W)
}

func TestFeaturesOfExistingRows(t *testing.T) {
	s := testdb.Postgres(t, storetest.NewClock(storetest.T0).Now)
	storetest.FeaturesOfExistingRows(t, s, s.R)
}
