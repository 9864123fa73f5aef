package sqlstore

import (
	"context"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ListModifiedOpportunities returns a numbered page of the opportunities v
// sees, most recently modified first.
func (s *Store) ListModifiedOpportunities(ctx context.Context, v store.Viewer, offset, limit int) (store.NumberedPage[scout.MergedOpportunity], error) {
	var out store.NumberedPage[scout.MergedOpportunity]
	if offset < 0 || limit < 1 || limit > store.MaxLimit {
		return out, scout.Invalid("limit", "offset must be at least 0 and limit 1 to %d", store.MaxLimit)
	}
	var a args
	seen := ` FROM opportunities o WHERE EXISTS (SELECT 1 FROM sightings g JOIN items i ON i.id = g.item_id
		JOIN sources s ON s.id = i.source_id WHERE g.opportunity_id = o.id AND i.deleted_at IS NULL AND ` + visibleSource(&a, v) + `)`
	if err := s.queryRow(ctx, `SELECT COUNT(*)`+seen, a...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count opportunities: %w", err)
	}
	if offset >= out.Total {
		return out, nil
	}
	rows, err := s.query(ctx, `SELECT o.id`+seen+` ORDER BY o.updated_at DESC, o.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a...)
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	ids, err := collect(rows, scanID)
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	srows, err := s.visibleSightings(ctx, ids, v)
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	merged := mergeVisible(srows)
	out.Items = make([]scout.MergedOpportunity, 0, len(ids))
	for _, id := range ids { // an opportunity merged away meanwhile is left out
		if m, ok := merged[id]; ok {
			out.Items = append(out.Items, m)
		}
	}
	return out, nil
}

// scanID reads a row of one id.
func scanID(sc interface{ Scan(...any) error }) (int64, error) {
	var id int64
	return id, sc.Scan(&id)
}
