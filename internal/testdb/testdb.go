// Package testdb gives tests real databases: a migrated SQLite file in a
// temporary directory, or a fresh PostgreSQL database dropped after the test
// (when SCOUT_TEST_POSTGRES_URL names a server). It is imported only by tests.
package testdb

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/store/sqlite"
)

// SQLite opens a fresh, migrated SQLite store in t.TempDir and closes it
// when the test ends. now may be nil for time.Now.
func SQLite(tb testing.TB, now func() time.Time) *sqlite.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(tb.TempDir(), "scout.db"), Now: now})
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate sqlite: %v", err)
	}
	return s
}
