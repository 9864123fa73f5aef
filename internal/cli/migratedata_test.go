package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/testdb"
)

func TestMigrateDataRefusesBadArguments(t *testing.T) {
	env := map[string]string{"SCOUT_LOG_LEVEL": "error"}
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"both URLs are required", []string{"migrate-data", "--from", "sqlite:x.db"}, 2, "are both required"},
		{"the source must be SQLite", []string{"migrate-data", "--from", "postgres://h/db", "--to", "postgres://h/db"}, 1, "--from must be a sqlite"},
		{"the target must be PostgreSQL", []string{"migrate-data", "--from", "sqlite:x.db", "--to", "sqlite:y.db"}, 1, "--to must be a postgres"},
		{"the source must exist", []string{"migrate-data", "--from", "sqlite:" + filepath.Join(t.TempDir(), "none.db"), "--to", "postgres://h/db"}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, env, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.err) {
				t.Fatalf("code %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.err)
			}
		})
	}
}

func TestMigrateDataMovesAnInstallation(t *testing.T) {
	target := testdb.PostgresURL(t)
	dir := t.TempDir()
	env := map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_LOG_LEVEL": "error"}
	if r := run(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %s", r.stderr)
	}
	if r := run(t, env, "", "user", "create", "--email", "ana@example.org"); r.code != 0 {
		t.Fatalf("user create: %s", r.stderr)
	}
	from := "sqlite:" + filepath.Join(dir, "scout.db")
	r := run(t, env, "", "migrate-data", "--from", from, "--to", target)
	if r.code != 0 {
		t.Fatalf("migrate-data: code %d: %s", r.code, r.stderr)
	}
	if !regexp.MustCompile(`(?m)^\s*users\s+1\s+1\s+0\s*$`).MatchString(r.stdout) {
		t.Fatalf("counts do not show the user:\n%s", r.stdout)
	}
	r = run(t, env, "", "migrate-data", "--from", from, "--to", target)
	if r.code != 1 || !strings.Contains(r.stderr, "not empty") {
		t.Fatalf("second move: code %d, stderr %q; want a refusal", r.code, r.stderr)
	}
	pg := map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_LOG_LEVEL": "error", "SCOUT_DATABASE_URL": target}
	if r := run(t, pg, "", "migrate", "status"); r.code != 0 || !strings.Contains(r.stdout, "applied") {
		t.Fatalf("migrate status on the moved database: %+v", r)
	}
}
