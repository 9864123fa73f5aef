package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// PruneEvents deletes outbox rows created before t and records the highest
// id deleted, so that a change cursor below it is known to have lost rows.
func (s *Store) PruneEvents(ctx context.Context, before time.Time, relayedOnly bool) (int, error) {
	cond := `created_at < $1`
	if relayedOnly {
		cond += ` AND relayed_at IS NOT NULL`
	}
	var n int
	err := s.write(ctx, func(tx *tx) error {
		var top sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM outbox WHERE `+cond, before.UnixMicro()).Scan(&top); err != nil {
			return err
		}
		if !top.Valid {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id <= $2 AND `+cond, before.UnixMicro(), top.Int64)
		if err != nil {
			return err
		}
		deleted, _ := res.RowsAffected()
		n = int(deleted)
		old, err := prunedThrough(ctx, tx)
		if err != nil || old >= top.Int64 {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			PrunedKey, strconv.FormatInt(top.Int64, 10))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune events before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// deadlineRow is an item found by deadline, with what its events need.
type deadlineRow struct {
	src scout.Source
	it  scout.Item
}

const deadlineCols = `i.id, i.source_id, i.title, i.url, i.kind, i.deadline, i.version, COALESCE(s.owner_id, 0), s.visibility`

func scanDeadlineRow(sc interface{ Scan(...any) error }) (deadlineRow, error) {
	var r deadlineRow
	var deadline sql.NullInt64
	err := sc.Scan(&r.it.ID, &r.it.SourceID, &r.it.Title, &r.it.URL, &r.it.Opportunity.Kind, &deadline, &r.it.Version,
		&r.src.OwnerID, &r.src.Visibility)
	r.src.ID, r.it.Opportunity.Deadline = r.it.SourceID, fromMicros(deadline)
	return r, err
}

// NoteClosing writes an opportunity.closing event per item newly inside
// the closing-soon window.
func (s *Store) NoteClosing(ctx context.Context, now time.Time, horizon time.Duration, limit int) (int, error) {
	var n int
	err := s.writeEvents(ctx, func(tx *tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deadlineCols+` FROM items i JOIN sources s ON s.id = i.source_id
			LEFT JOIN closing_notices n ON n.item_id = i.id
			WHERE i.deleted_at IS NULL AND s.deleted_at IS NULL AND i.deadline > $1 AND i.deadline <= $2
				AND (n.item_id IS NULL OR n.deadline <> i.deadline)
			ORDER BY i.deadline, i.id LIMIT $3`, now.UnixMicro(), now.Add(horizon).UnixMicro(), limitOf(limit, 500, 5000))
		if err != nil {
			return err
		}
		due, err := collect(rows, scanDeadlineRow)
		if err != nil {
			return err
		}
		for _, r := range due {
			if err := insertEvent(ctx, tx, itemEvent(store.EventOpportunityClosing, r.src, r.it)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO closing_notices (item_id, deadline) VALUES ($1, $2)
				ON CONFLICT (item_id) DO UPDATE SET deadline = excluded.deadline`, r.it.ID, r.it.Opportunity.Deadline.UnixMicro())
			if err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("note closing opportunities: %w", err)
	}
	return n, nil
}

// ArchiveClosed tombstones live items whose deadline passed before t. The
// choice is by age alone, never by count, so a busy source loses nothing
// that is still open.
func (s *Store) ArchiveClosed(ctx context.Context, before time.Time, limit int) (int, error) {
	var n int
	// Run again if a departure finds its opportunity deleted by a
	// concurrent writer (see flushDepartures).
	err := s.writeRetried(ctx, func(tx *tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deadlineCols+` FROM items i JOIN sources s ON s.id = i.source_id
			WHERE i.deleted_at IS NULL AND i.deadline IS NOT NULL AND i.deadline < $1
			ORDER BY i.deadline, i.id LIMIT $2`, before.UnixMicro(), limitOf(limit, 500, 5000))
		if err != nil {
			return err
		}
		old, err := collect(rows, scanDeadlineRow)
		if err != nil {
			return err
		}
		for _, r := range old {
			if err := archiveItem(ctx, tx, r); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("archive closed opportunities: %w", err)
	}
	return n, nil
}

func archiveItem(ctx context.Context, tx *tx, r deadlineRow) error {
	// Its sightings leave the view of their opportunities' viewers.
	if err := departWhere(ctx, tx, "g.item_id = $1", args{r.it.ID}); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE items SET deleted_at = $1, updated_at = $1, version = version + 1 WHERE id = $2`,
		tx.now.UnixMicro(), r.it.ID)
	if err != nil {
		return err
	}
	r.it.Version++
	e := itemEvent(store.EventItemDeleted, r.src, r.it)
	var p map[string]any
	_ = json.Unmarshal(e.Payload, &p)
	p["deleted"], p["archived"] = true, true
	e.Payload = json.RawMessage(mustJSON(p))
	return insertEvent(ctx, tx, e)
}
