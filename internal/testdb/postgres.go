package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scoutdev/scout/internal/store/postgres"
)

// PostgresEnv names the variable that points the PostgreSQL tests at a
// server: a URL whose user may create and drop databases.
const PostgresEnv = "SCOUT_TEST_POSTGRES_URL"

// PostgresURL returns a URL for a new, empty database on the test server,
// dropped when the test ends. It skips the test when PostgresEnv is unset and
// fails it when the server cannot be reached, so that CI, which sets the
// variable, never passes without running the PostgreSQL tests.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) to run them", PostgresEnv)
	}
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("%s must be a postgres:// URL", PostgresEnv)
	}
	name := "scout_test_" + randomHex(8)
	exec(tb, admin, "CREATE DATABASE "+name)
	tb.Cleanup(func() { exec(tb, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	u.Path = "/" + name
	return u.String()
}

// Postgres opens a migrated store on a fresh database (see PostgresURL) and
// closes it when the test ends. now may be nil for time.Now.
func Postgres(tb testing.TB, now func() time.Time) *postgres.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, postgres.Options{URL: PostgresURL(tb), Now: now})
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { s.Close() }) // runs before the database is dropped
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate postgres: %v", err)
	}
	return s
}

// exec runs one statement on its own connection to the admin database.
func exec(tb testing.TB, admin, stmt string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("PostgreSQL at %s is unreachable (%s is set, so the PostgreSQL tests must run): %v", redact(admin), PostgresEnv, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		tb.Fatalf("%s: %v", stmt, err)
	}
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
