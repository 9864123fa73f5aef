package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/scoutdev/scout/internal/match"
)

// A sighting's blocking keys are stored as 64-bit hashes in one table
// keyed (key, sighting_id), with no index by sighting and no foreign key
// (see migration 00061): whatever deletes a sighting deletes its keys,
// recomputed from the features stored with it. A key left behind (a
// sighting deleted by a cascade the store did not see) names an id no
// sighting will have again, and the candidates' read skips it.

// keyed is a stored sighting with what its keys are recomputed from.
type keyed struct {
	id, opportunityID int64
	features          string
}

func scanKeyed(sc interface{ Scan(...any) error }) (keyed, error) {
	var g keyed
	return g, sc.Scan(&g.id, &g.opportunityID, &g.features)
}

// storedKeys returns the keys a sighting with these stored features was
// written under; none for a sighting not yet matched (no features).
func storedKeys(features string) []int64 {
	if features == "" {
		return nil
	}
	var f match.Features
	decodeFeatures(features, &f)
	return match.KeyHashes(f)
}

// insertKeys stores sighting sid under keys (distinct).
func insertKeys(ctx context.Context, tx *tx, sid int64, keys []int64) error {
	if len(keys) == 0 {
		return nil
	}
	a := args{sid}
	vals := make([]string, 0, len(keys))
	for _, k := range keys {
		vals = append(vals, "("+a.add(k)+", $1)")
	}
	_, err := tx.ExecContext(ctx, insertIgnoring(tx.d, "match_keys (key, sighting_id) VALUES "+strings.Join(vals, ", ")), a...)
	if err != nil {
		return fmt.Errorf("insert match keys of sighting %d: %w", sid, err)
	}
	return nil
}

// IgnoringInserter is implemented by dialects whose plain "ON CONFLICT DO
// NOTHING" insert costs more than one that skips every row a constraint
// rejects. SQLite copies each page a multi-row statement changes into a
// statement journal (a temporary file once it passes 64 KiB) whenever the
// statement could abort halfway, as a NOT NULL column's check could; a
// sighting's keys, random hashes, change a page each, which made the
// journal two fifths of the keys' insert.
type IgnoringInserter interface {
	// InsertIgnoring returns the statement that inserts into (the table,
	// its columns and its VALUES follow) and skips a rejected row.
	InsertIgnoring(into string) string
}

// insertIgnoring returns the insert of into that skips rows already stored:
// the dialect's own where it has one.
func insertIgnoring(d Dialect, into string) string {
	if ii, ok := d.(IgnoringInserter); ok {
		return ii.InsertIgnoring(into)
	}
	return "INSERT INTO " + into + " ON CONFLICT DO NOTHING"
}

// deleteKeys removes sighting sid from keys.
func deleteKeys(ctx context.Context, tx *tx, sid int64, keys []int64) error {
	if len(keys) == 0 {
		return nil
	}
	a := args{sid}
	ph := make([]string, len(keys))
	for i, k := range keys {
		ph[i] = a.add(k)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM match_keys WHERE sighting_id = $1 AND key IN (`+strings.Join(ph, ", ")+`)`, a...)
	if err != nil {
		return fmt.Errorf("delete match keys of sighting %d: %w", sid, err)
	}
	return nil
}

// replaceKeys moves sighting sid from the keys old to the keys now (both
// sorted and distinct), writing only the difference: a re-fetched item
// whose features did not change writes nothing.
func replaceKeys(ctx context.Context, tx *tx, sid int64, old, now []int64) error {
	gone, added := sortedMinus(old, now), sortedMinus(now, old)
	if err := deleteKeys(ctx, tx, sid, gone); err != nil {
		return err
	}
	return insertKeys(ctx, tx, sid, added)
}

// sortedMinus returns the elements of a (sorted) that b (sorted) lacks.
func sortedMinus(a, b []int64) []int64 {
	var out []int64
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			out = append(out, x)
		}
	}
	return out
}

// deleteKeysOfItems removes the keys of every sighting of the items whose
// ids the placeholders in name (bound in a), before the items go.
func deleteKeysOfItems(ctx context.Context, tx *tx, in string, a args) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, opportunity_id, features FROM sightings WHERE item_id IN (`+in+`)`, a...)
	if err != nil {
		return fmt.Errorf("read sightings of deleted items: %w", err)
	}
	list, err := collect(rows, scanKeyed)
	if err != nil {
		return fmt.Errorf("read sightings of deleted items: %w", err)
	}
	for _, g := range list {
		delete(tx.sightings, g.id)
		if err := deleteKeys(ctx, tx, g.id, storedKeys(g.features)); err != nil {
			return err
		}
	}
	return nil
}

// rebuiltKey is the meta row that migration 00061 leaves: the keys of the
// sightings up to its id are rebuilt.
const rebuiltKey = "match_keys_rebuilt_to"

// RebuildMatchKeys writes the keys of the sightings stored before keys
// were hashes (see migration 00061), 500 sightings per transaction, from
// their stored features; a no-op once done. It runs after the migrations,
// before the store serves, so no new sighting is matched against a store
// whose older keys are missing.
func (s *Store) RebuildMatchKeys(ctx context.Context) error {
	for {
		done := true
		err := s.write(ctx, func(tx *tx) error {
			var v string
			err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, rebuiltKey).Scan(&v)
			if err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return nil
				}
				return err
			}
			from, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("meta %s = %q: %w", rebuiltKey, v, err)
			}
			last, err := rebuildKeys(ctx, tx, from, 500)
			if err != nil {
				return err
			}
			if last == from {
				_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = $1`, rebuiltKey)
				return err
			}
			done = false
			_, err = tx.ExecContext(ctx, `UPDATE meta SET value = $1 WHERE key = $2`, strconv.FormatInt(last, 10), rebuiltKey)
			return err
		})
		if err != nil {
			return fmt.Errorf("rebuild match keys: %w", err)
		}
		if done {
			return nil
		}
	}
}

// rebuildKeys writes the keys of up to limit matched sightings with ids
// above from and returns the last id written (from when there are none).
func rebuildKeys(ctx context.Context, tx *tx, from int64, limit int) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, opportunity_id, features FROM sightings WHERE id > $1 AND features <> ''
		ORDER BY id LIMIT $2`, from, limit)
	if err != nil {
		return 0, err
	}
	list, err := collect(rows, scanKeyed)
	if err != nil {
		return 0, err
	}
	for _, g := range list {
		if err := insertKeys(ctx, tx, g.id, storedKeys(g.features)); err != nil {
			return 0, err
		}
		from = g.id
	}
	return from, nil
}
