package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// The departures of sightings (see stamp): one row per opportunity and
// visibility class (its source's visibility and owner), so that a sighting
// that left is still counted, with its time, for those who could see it
// and for nobody else.

// departKey is the row of sighting_departures a departure adds to.
type departKey struct {
	opp        int64
	visibility string
	owner      int64
}

// depart records that a sighting of src at version left opportunity opp.
func depart(tx *tx, opp int64, src scout.Source, version int64) {
	tx.depart(departKey{opp, string(src.Visibility), src.OwnerID}, version+1)
}

func (t *tx) depart(k departKey, versions int64) {
	if t.departed == nil {
		t.departed = map[departKey]int64{}
	}
	t.departed[k] += versions
}

// departWhere records the departure of every sighting of a live item of a
// live source that cond selects (over sightings g, items i, sources s; its
// arguments a), before the caller removes them from view. A deleted
// source's sightings left when it was deleted (DeleteSource).
func departWhere(ctx context.Context, tx *tx, cond string, a args) error {
	rows, err := tx.QueryContext(ctx, `SELECT g.opportunity_id, s.visibility, COALESCE(s.owner_id, 0), g.version
		FROM sightings g JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id
		WHERE i.deleted_at IS NULL AND s.deleted_at IS NULL AND (`+cond+`)`, a...)
	if err != nil {
		return fmt.Errorf("read departing sightings: %w", err)
	}
	type gone struct {
		k       departKey
		version int64
	}
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (gone, error) {
		var g gone
		return g, sc.Scan(&g.k.opp, &g.k.visibility, &g.k.owner, &g.version)
	})
	if err != nil {
		return fmt.Errorf("read departing sightings: %w", err)
	}
	for _, g := range list {
		tx.depart(g.k, g.version+1)
	}
	return nil
}

// departChunk bounds the departures one statement writes (5 values each).
const departChunk = 100

// flushDepartures writes the transaction's departures just before the
// commit, in opportunity order, a chunk per statement, skipping
// opportunities deleted meanwhile. A departure's row holds a key lock on
// its opportunity; taken here, in id order and after the transaction's
// other locks (as dropUnsighted takes its row locks), two writers never
// wait for each other's in a circle, where a departure written as the
// sighting left would have taken them in whatever order the sightings
// came. The check is not a lock: a writer deleting one of them after it
// makes the insert fail on its foreign key, so the writes that record
// departures run again on that error (writeRetried), all but the backfill
// of MatchPending.
func flushDepartures(ctx context.Context, tx *tx) error {
	keys := slices.SortedFunc(maps.Keys(tx.departed), func(a, b departKey) int {
		return cmp.Or(cmp.Compare(a.opp, b.opp), cmp.Compare(a.visibility, b.visibility), cmp.Compare(a.owner, b.owner))
	})
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), departChunk)]
		keys = keys[len(chunk):]
		live, err := existingOpportunities(ctx, tx, chunk)
		if err != nil {
			return err
		}
		var a args
		var rows []string
		for _, k := range chunk {
			if live[k.opp] {
				rows = append(rows, "("+a.add(k.opp)+", "+a.add(k.visibility)+", "+a.add(k.owner)+", "+
					a.add(tx.now.UnixMicro())+", "+a.add(tx.departed[k])+")")
			}
		}
		if len(rows) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sighting_departures (opportunity_id, visibility, owner_id, changed_at, version)
			VALUES `+strings.Join(rows, ", ")+` ON CONFLICT (opportunity_id, visibility, owner_id) DO UPDATE
			SET changed_at = excluded.changed_at, version = sighting_departures.version + excluded.version`, a...); err != nil {
			return fmt.Errorf("record departures: %w", err)
		}
	}
	clear(tx.departed)
	return nil
}

// existingOpportunities reports which opportunities of keys (in
// opportunity order) still exist.
func existingOpportunities(ctx context.Context, tx *tx, keys []departKey) (map[int64]bool, error) {
	var a args
	ph := make([]string, 0, len(keys))
	for i, k := range keys {
		if i == 0 || k.opp != keys[i-1].opp {
			ph = append(ph, a.add(k.opp))
		}
	}
	out, err := idSet(tx.QueryContext(ctx, `SELECT id FROM opportunities WHERE id IN (`+strings.Join(ph, ", ")+`)`, a...))
	if err != nil {
		return nil, fmt.Errorf("read departed opportunities: %w", err)
	}
	return out, nil
}

// scanInt64 reads a row of one integer column.
func scanInt64(sc interface{ Scan(...any) error }) (int64, error) {
	var v int64
	return v, sc.Scan(&v)
}

// idSet collects the ids of rows of one integer column into a set; it
// takes a query's results as they are returned.
func idSet(rows *sql.Rows, err error) (map[int64]bool, error) {
	if err != nil {
		return nil, err
	}
	ids, err := collect(rows, scanInt64)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// visibleClass is the condition under which v could see the sightings a
// departure d counts, as visibleSource is for a source.
func visibleClass(a *args, v store.Viewer) string {
	switch {
	case v.OwnedOnly:
		return "d.owner_id = " + a.add(v.UserID) + " AND d.owner_id <> 0"
	case v.Admin:
		return "1 = 1"
	case v.UserID == 0:
		return "d.visibility = 'public'"
	}
	return "(d.visibility = 'public' OR d.owner_id = " + a.add(v.UserID) + ")"
}

// departures returns, per opportunity of ids, the departures v could see,
// folded into one stamp.
func (s *Store) departures(ctx context.Context, ids []int64, v store.Viewer) (map[int64]stamp, error) {
	var a args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	rows, err := s.query(ctx, `SELECT d.opportunity_id, MAX(d.changed_at), CAST(SUM(d.version) AS BIGINT) FROM sighting_departures d
		WHERE d.opportunity_id IN (`+strings.Join(ph, ", ")+`) AND `+visibleClass(&a, v)+` GROUP BY d.opportunity_id`, a...)
	if err != nil {
		return nil, fmt.Errorf("read departures: %w", err)
	}
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (struct {
		id int64
		st stamp
	}, error) {
		var r struct {
			id int64
			st stamp
		}
		return r, sc.Scan(&r.id, &r.st.at, &r.st.version)
	})
	if err != nil {
		return nil, fmt.Errorf("read departures: %w", err)
	}
	out := make(map[int64]stamp, len(list))
	for _, r := range list {
		out[r.id] = r.st
	}
	return out, nil
}

// revealSightings is run before a source's visibility changes: its
// sightings leave the view of those who could see them (a departure of the
// class they had) and come into the view of those who now may (a change
// to each).
func revealSightings(ctx context.Context, tx *tx, sourceID int64) error {
	if err := departWhere(ctx, tx, "i.source_id = $1", args{sourceID}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sightings SET changed_at = $1, version = version + 1
		WHERE item_id IN (SELECT id FROM items WHERE source_id = $2)`, tx.now.UnixMicro(), sourceID); err != nil {
		return fmt.Errorf("touch sightings of source %d: %w", sourceID, err)
	}
	return nil
}
