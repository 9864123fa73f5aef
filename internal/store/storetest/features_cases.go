package storetest

import (
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
)

// FeaturesOfExistingRows checks migration 00062 on stored sightings: the
// store writes their hashes as base64 text; migrating down below it writes
// them back as arrays of numbers, as older versions read them; migrating up
// again compacts them, with the same features each time, and a new post
// still joins the opportunity found before. db reads the store's tables; s
// must be fresh and fully migrated.
func FeaturesOfExistingRows(t *testing.T, s Migrator, db *sql.DB) {
	t.Helper()
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	a := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	mustFetch(t, s, a, call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", deadline, 7500),
		call("f2", "Coldharbour Sound Residency", "CSR-2026-0003", "Coldharbour Arts Centre", deadline.AddDate(0, -1, 0), 800))
	want := storedFeatures(t, db, `"m":"`, "as written")
	if err := s.MigrateDownTo(ctx, 61); err != nil {
		t.Fatalf("migrate down below compact features: %v", err)
	}
	if got := storedFeatures(t, db, `"m":[`, "after migrating down"); !cmp.Equal(want, got) {
		t.Fatalf("features after migrating down (-before +after):\n%s", cmp.Diff(want, got))
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	if got := storedFeatures(t, db, `"m":"`, "after migrating up again"); !cmp.Equal(want, got) {
		t.Fatalf("features after migrating up again (-before +after):\n%s", cmp.Diff(want, got))
	}
	var left int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM meta WHERE key = 'features_compact_below'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("the backfill's bound is still in meta (%d rows, %v)", left, err)
	}
	joined := mustItemOpportunity(t, s, a, "f1")
	mustFetch(t, s, a, call("f3", "Neighborhood Arts Grants 2026: info session", "NEA-2026-0042", "Bellmont Arts", deadline, 0))
	if got := mustItemOpportunity(t, s, a, "f3"); got != joined {
		t.Fatalf("a new post after the rewrite joined %d, want %d", got, joined)
	}
}

// storedFeatures returns every matched sighting's features by id, failing
// t unless each is stored in the shape that shows as shape.
func storedFeatures(t *testing.T, db *sql.DB, shape, when string) map[int64]match.Features {
	t.Helper()
	rows, err := db.QueryContext(ctx, `SELECT id, features FROM sightings WHERE features <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]match.Features{}
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(raw, shape) {
			t.Fatalf("sighting %d %s: features %s, want the hashes stored as %s…", id, when, raw, shape)
		}
		var f match.Features
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			t.Fatalf("sighting %d %s: %v", id, when, err)
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no matched sightings %s", when)
	}
	return out
}
