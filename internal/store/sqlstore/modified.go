package sqlstore

import (
	"context"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ListModifiedOpportunities returns a numbered page of the opportunities v
// sees, most recently modified first as v is served them (see stamp): by
// the latest change to a sighting v sees or a departure v could see, so the
// order moves for v's changes alone.
func (s *Store) ListModifiedOpportunities(ctx context.Context, v store.Viewer, offset, limit int) (store.NumberedPage[scout.MergedOpportunity], error) {
	var out store.NumberedPage[scout.MergedOpportunity]
	if offset < 0 || limit < 1 || limit > store.MaxLimit {
		return out, scout.Invalid("limit", "offset must be at least 0 and limit 1 to %d", store.MaxLimit)
	}
	var a args
	live := `FROM sightings g JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id
		WHERE i.deleted_at IS NULL AND ` + visibleSource(&a, v)
	stamps := `SELECT g.opportunity_id AS id, g.changed_at AS t, 1 AS live ` + live + `
		UNION ALL SELECT d.opportunity_id, d.changed_at, 0 FROM sighting_departures d WHERE ` + visibleClass(&a, v)
	rows, err := s.query(ctx, `SELECT u.id, COUNT(*) OVER () FROM (`+stamps+`) u GROUP BY u.id HAVING MAX(u.live) = 1
		ORDER BY MAX(u.t) DESC, u.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a...)
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	type row struct{ id, total int64 }
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.total)
	})
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	if len(list) == 0 {
		var c args
		if err := s.queryRow(ctx, `SELECT COUNT(DISTINCT g.opportunity_id) FROM sightings g JOIN items i ON i.id = g.item_id
			JOIN sources s ON s.id = i.source_id WHERE i.deleted_at IS NULL AND `+visibleSource(&c, v), c...).Scan(&out.Total); err != nil {
			return out, fmt.Errorf("count opportunities: %w", err)
		}
		return out, nil
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.id
	}
	out.Total = int(list[0].total)
	merged, err := s.mergedVisible(ctx, ids, v)
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	out.Items = make([]scout.MergedOpportunity, 0, len(ids))
	for _, id := range ids { // an opportunity merged away meanwhile is left out
		if m, ok := merged[id]; ok {
			out.Items = append(out.Items, m)
		}
	}
	return out, nil
}
