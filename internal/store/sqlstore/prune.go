package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// pruneBatch bounds the items one pruning transaction deletes, so that on
// SQLite the one writer is held for a few milliseconds at a time and the
// fetches waiting for it go in between.
const pruneBatch = 200

// PruneItems keeps a source within keep items (see store.Store). The count
// is read first on the read pool, so a source within its cap costs no
// write at all.
func (s *Store) PruneItems(ctx context.Context, sourceID int64, keep int) (int, error) {
	if keep <= 0 {
		return 0, nil
	}
	var n int
	if err := s.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE source_id = $1`, sourceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("prune items of source %d: count: %w", sourceID, err)
	}
	total := 0
	for n > keep {
		var got int
		err := s.writeRetried(ctx, func(tx *tx) error {
			var err error
			got, err = pruneSome(ctx, tx, sourceID, keep, pruneBatch)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune items of source %d (keep %d): %w", sourceID, keep, err)
		}
		total += got
		if got < pruneBatch {
			break
		}
		n -= got
	}
	return total, nil
}

// prunable is an item chosen for pruning, with what its tombstone needs.
type prunable struct {
	it       scout.Item
	archived bool
}

// pruneSome deletes up to limit of the items of a source beyond the keep
// most worth keeping, in one transaction: the source row is locked first
// (as a fetch does), so a fetch of the same source commits before or after
// it, never beside it.
func pruneSome(ctx context.Context, tx *tx, sourceID int64, keep, limit int) (int, error) {
	if err := lockForFetch(ctx, tx, sourceID); err != nil {
		return 0, err
	}
	src, err := getSource(ctx, tx, sourceID)
	if errors.Is(err, scout.ErrNotFound) {
		return 0, nil // deleted meanwhile: its items go with it
	}
	if err != nil {
		return 0, err
	}
	doomed, err := pruneCandidates(ctx, tx, sourceID, keep, limit)
	if err != nil || len(doomed) == 0 {
		return 0, err
	}
	slices.Reverse(doomed) // the least worth keeping first
	var a args
	ph := make([]string, len(doomed))
	for i, d := range doomed {
		ph[i] = a.add(d.it.ID)
	}
	in := strings.Join(ph, ", ")
	opps, err := sightedOpportunities(ctx, tx, in, a)
	if err != nil {
		return 0, err
	}
	if err := deleteKeysOfItems(ctx, tx, in, a); err != nil {
		return 0, err
	}
	if err := departWhere(ctx, tx, "g.item_id IN ("+in+")", a); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM items WHERE id IN (`+in+`)`, a...); err != nil {
		return 0, fmt.Errorf("delete items: %w", err)
	}
	for _, d := range doomed {
		if d.archived {
			continue // its tombstone went out when it was archived
		}
		if err := insertEvent(ctx, tx, prunedEvent(src, d.it, opps[d.it.ID])); err != nil {
			return 0, err
		}
	}
	return len(doomed), dropUnsighted(ctx, tx, src, opps)
}

// pruneCandidates returns up to limit items of the source beyond the keep
// most worth keeping. An item is an open opportunity when its facet says
// so with no deadline or one still ahead, or when one of the calls it
// announces is still open, or the call it mentions (its sighting holds what
// it says of the call: see readParts).
func pruneCandidates(ctx context.Context, tx *tx, sourceID int64, keep, limit int) ([]prunable, error) {
	a := args{sourceID}
	now := a.add(tx.now.UnixMicro())
	open := `(i.kind NOT IN ('', 'none') AND (i.deadline IS NULL OR i.deadline > ` + now + `))
		OR EXISTS (SELECT 1 FROM sightings g WHERE g.item_id = i.id AND (g.part > 0 OR g.facet <> '') AND (g.deadline IS NULL OR g.deadline > ` + now + `))`
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.source_id, i.title, i.url, i.kind, i.deadline, i.version, i.deleted_at FROM items i
		WHERE i.source_id = $1
		ORDER BY CASE WHEN i.deleted_at IS NOT NULL THEN 0 WHEN `+open+` THEN 2 ELSE 1 END DESC, i.published_at DESC, i.id DESC
		LIMIT `+a.add(limit)+` OFFSET `+a.add(keep), a...)
	if err != nil {
		return nil, fmt.Errorf("choose items to prune: %w", err)
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (prunable, error) {
		var p prunable
		var deadline, deleted sql.NullInt64
		err := sc.Scan(&p.it.ID, &p.it.SourceID, &p.it.Title, &p.it.URL, &p.it.Opportunity.Kind, &deadline, &p.it.Version, &deleted)
		p.it.Opportunity.Deadline, p.archived = fromMicros(deadline), deleted.Valid
		p.it.Version++
		return p, err
	})
}

// sightedOpportunities returns, per item of the id list in, the
// opportunities it is a sighting of.
func sightedOpportunities(ctx context.Context, tx *tx, in string, a args) (map[int64][]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT item_id, opportunity_id FROM sightings WHERE item_id IN (`+in+`)
		ORDER BY item_id, opportunity_id`, a...)
	if err != nil {
		return nil, fmt.Errorf("read sightings of pruned items: %w", err)
	}
	pairs, err := collect(rows, func(sc interface{ Scan(...any) error }) ([2]int64, error) {
		var p [2]int64
		return p, sc.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, fmt.Errorf("read sightings of pruned items: %w", err)
	}
	out := map[int64][]int64{}
	for _, p := range pairs {
		out[p[0]] = append(out[p[0]], p[1])
	}
	return out, nil
}

// prunedEvent is the tombstone of a pruned item; it names the
// opportunities the item was a sighting of.
func prunedEvent(src scout.Source, it scout.Item, opps []int64) scout.Event {
	e := itemEvent(store.EventItemDeleted, src, it)
	var p map[string]any
	_ = json.Unmarshal(e.Payload, &p)
	p["deleted"], p["pruned"] = true, true
	if len(opps) > 0 {
		p["opportunity_ids"] = opps
	}
	e.Payload = json.RawMessage(mustJSON(p))
	return e
}

// dropUnsighted deletes, with a tombstone each, the opportunities of opps
// left without a sighting. Each is
// locked before it is counted, in id order: a concurrent fetch sighting it
// again either commits first, and the opportunity stays, or finds it gone.
func dropUnsighted(ctx context.Context, tx *tx, src scout.Source, opps map[int64][]int64) error {
	seen := map[int64]bool{}
	var ids []int64
	for _, list := range opps {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	lock := ""
	if rl, ok := tx.d.(RowLocker); ok {
		lock = rl.ForUpdate()
	}
	for _, id := range ids {
		var left int
		err := tx.QueryRowContext(ctx, `SELECT id FROM opportunities WHERE id = $1`+lock, id).Scan(&left)
		if err == sql.ErrNoRows {
			continue // gone already
		}
		if err == nil {
			err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sightings WHERE opportunity_id = $1`, id).Scan(&left)
		}
		if err != nil {
			return fmt.Errorf("count sightings of opportunity %d: %w", id, err)
		}
		if left > 0 {
			continue // its viewers see the departure (pruneSome)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM opportunities WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete opportunity %d: %w", id, err)
		}
		p := map[string]any{"opportunity_id": id, "deleted": true, "pruned": true}
		if err := insertEvent(ctx, tx, scout.Event{Type: store.EventOpportunityDeleted, SourceID: src.ID, OwnerID: src.OwnerID,
			Visibility: src.Visibility, Payload: json.RawMessage(mustJSON(p))}); err != nil {
			return err
		}
	}
	return nil
}
