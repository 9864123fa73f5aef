package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ListChanges scans outbox rows after the cursor and keeps those v may see,
// judged both by the row (its source's owner and visibility when written)
// and by the source as it is now: a source made private later hides its
// earlier changes from everyone but its owner.
func (s *Store) ListChanges(ctx context.Context, v store.Viewer, after int64, limit int) (store.ChangePage, error) {
	limit = limitOf(limit, 100, 1000)
	if err := s.sequence(ctx); err != nil {
		return store.ChangePage{}, fmt.Errorf("list changes after %d: %w", after, err)
	}
	rows, err := s.R.QueryContext(ctx, `SELECT o.id, o.type, o.source_id, o.item_id, o.owner_id, o.visibility, o.payload, o.created_at,
			s.id, COALESCE(s.owner_id, 0), s.visibility
		FROM outbox o LEFT JOIN sources s ON s.id = o.source_id WHERE o.id > $1 ORDER BY o.id LIMIT $2`, after, limit)
	if err != nil {
		return store.ChangePage{}, fmt.Errorf("list changes after %d: %w", after, err)
	}
	page := store.ChangePage{Next: after}
	scanned := 0
	defer rows.Close()
	for rows.Next() {
		var e scout.Event
		var payload string
		var created, srcID, srcOwner sql.NullInt64
		var srcVis sql.NullString
		if err := rows.Scan(&e.ID, &e.Type, &e.SourceID, &e.ItemID, &e.OwnerID, &e.Visibility, &payload, &created,
			&srcID, &srcOwner, &srcVis); err != nil {
			return store.ChangePage{}, fmt.Errorf("list changes after %d: %w", after, err)
		}
		e.Payload, e.CreatedAt = []byte(payload), fromMicros(created)
		scanned++
		page.Next = e.ID
		now := scout.Event{OwnerID: srcOwner.Int64, Visibility: scout.Visibility(srcVis.String)}
		if v.CanSee(e) && (!srcID.Valid || v.CanSee(now)) {
			page.Events = append(page.Events, e)
		}
	}
	if err := rows.Err(); err != nil {
		return store.ChangePage{}, fmt.Errorf("list changes after %d: %w", after, err)
	}
	page.More = scanned == limit
	if after > 0 {
		floor, err := prunedThrough(ctx, s.R)
		if err != nil {
			return store.ChangePage{}, err
		}
		if after < floor {
			return store.ChangePage{}, fmt.Errorf("list changes after %d: %w", after, store.ErrCursorExpired)
		}
	}
	return page, nil
}

// LatestEventID returns the id of the newest outbox row.
func (s *Store) LatestEventID(ctx context.Context) (int64, error) {
	if err := s.sequence(ctx); err != nil {
		return 0, fmt.Errorf("latest event id: %w", err)
	}
	var id int64
	if err := s.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM outbox`).Scan(&id); err != nil {
		return 0, fmt.Errorf("latest event id: %w", err)
	}
	return id, nil
}
