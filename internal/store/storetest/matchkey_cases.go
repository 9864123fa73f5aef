package storetest

import (
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
)

// MatchKeysFollowSightings checks that the stored blocking keys are
// exactly those of the stored sightings' features, as the store deletes
// them itself (the keys table has no foreign key): after new sightings, an
// edit that changes an item's features, a newsletter that drops one of its
// calls, and pruning. It then checks that the keys rebuilt when migrating to
// hashed keys (00061) let a new post find the sightings stored before, and
// that migrating to the 12-band cut (00068) leaves no key of the old cut.
// db reads the store's tables, w writes them.
func MatchKeysFollowSightings(t *testing.T, s Migrator, db, w *sql.DB) {
	t.Helper()
	deadline := time.Date(2026, 6, 1, 23, 59, 0, 0, time.UTC)
	a := mustSource(t, s, 0, "https://arts.example/feed", scout.VisibilityPublic)
	b := mustSource(t, s, 0, "https://ledger.example/feed", scout.VisibilityPublic)
	f1 := call("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", deadline, 0)
	mustFetch(t, s, a, f1)
	one := call("c1", "Neighborhood Arts Grants", "NEA-2026-0042", "Bellmont Arts", deadline, 7500)
	two := call("c2", "Coldharbour Sound Residency", "CSR-2026-0003", "Coldharbour Arts Centre", deadline.AddDate(0, -1, 0), 800)
	three := call("c3", "Tidewater Print Fellowship", "TPF-2026-0100", "Tidewater Trust", deadline.AddDate(0, 1, 0), 2000)
	mustFetch(t, s, b, newsletter("l1", one, two, three))
	if n := checkKeys(t, db, "after the first sightings"); n == 0 {
		t.Fatal("no match keys stored")
	}

	f1.Title, f1.ContentText = "Neighborhood Arts Grants 2026, deadline extended", f1.ContentText+" The deadline is extended."
	f1.Opportunity.Deadline = deadline.AddDate(0, 0, 14)
	f1.ContentHash = hash(f1)
	mustFetch(t, s, a, f1)
	checkKeys(t, db, "after an edit changed the features")
	mustFetch(t, s, b, newsletter("l1", one, three))
	checkKeys(t, db, "after the newsletter dropped a call")

	if err := s.MigrateDownTo(ctx, 60); err != nil {
		t.Fatalf("migrate down below hashed keys: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	checkKeys(t, db, "after the keys were rebuilt")
	want := mustItemOpportunity(t, s, a, "f1")
	mustFetch(t, s, a, call("f2", "Neighborhood Arts Grants 2026: info session", "NEA-2026-0042", "Bellmont Arts", deadline, 0))
	if got := mustItemOpportunity(t, s, a, "f2"); got != want {
		t.Fatalf("a new post after the rebuild joined %d, want %d: the older sightings' keys were not rebuilt", got, want)
	}

	// A key of a band cut the store no longer makes (00068) stays behind a
	// live sighting until the migration empties the keys and they are
	// rebuilt from the features.
	var sighting int64
	if err := db.QueryRowContext(ctx, `SELECT MIN(id) FROM sightings`).Scan(&sighting); err != nil {
		t.Fatal(err)
	}
	if err := s.MigrateDownTo(ctx, 67); err != nil {
		t.Fatalf("migrate down below the 12-band cut: %v", err)
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO match_keys (key, sighting_id) VALUES (-12345, $1)`, sighting); err != nil {
		t.Fatalf("store a key of the old cut: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate up to the 12-band cut: %v", err)
	}
	checkKeys(t, db, "after the keys were rebuilt for the 12-band cut")

	before := checkKeys(t, db, "before pruning")
	mustPrune(t, s, a, 1, 1)
	if n := checkKeys(t, db, "after pruning"); n >= before {
		t.Fatalf("%d match keys after pruning a sighting's item, %d before", n, before)
	}
}

// checkKeys fails t unless the keys table holds exactly the keys of the
// stored sightings' features, and returns how many it holds.
func checkKeys(t *testing.T, db *sql.DB, when string) int {
	t.Helper()
	want := map[[2]int64]bool{}
	rows, err := db.QueryContext(ctx, `SELECT id, features FROM sightings`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var features string
		if err := rows.Scan(&id, &features); err != nil {
			t.Fatal(err)
		}
		var f match.Features
		if features != "" {
			if err := json.Unmarshal([]byte(features), &f); err != nil {
				t.Fatalf("features of sighting %d: %v", id, err)
			}
		}
		for _, k := range match.KeyHashes(f) {
			want[[2]int64{k, id}] = true
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	got := map[[2]int64]bool{}
	rows, err = db.QueryContext(ctx, `SELECT key, sighting_id FROM match_keys`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k [2]int64
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			t.Fatal(err)
		}
		got[k] = true
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("match keys %s (-sightings' features +stored):\n%s", when, d)
	}
	return len(got)
}
