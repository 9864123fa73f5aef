package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
)

const enrichmentCols = `id, item_id, enricher, data, created_at, updated_at, version`

func scanEnrichment(sc interface{ Scan(...any) error }) (scout.Enrichment, error) {
	var e scout.Enrichment
	var data string
	var created, updated sql.NullInt64
	err := sc.Scan(&e.ID, &e.ItemID, &e.Enricher, &data, &created, &updated, &e.Version)
	e.Data, e.CreatedAt, e.UpdatedAt = json.RawMessage(data), fromMicros(created), fromMicros(updated)
	return e, err
}

// PutEnrichment creates or replaces the result of one enricher for one item.
func (s *Store) PutEnrichment(ctx context.Context, e scout.Enrichment) (scout.Enrichment, error) {
	if e.Enricher == "" || len(e.Enricher) > 100 {
		return scout.Enrichment{}, scout.Invalid("enricher", "must be 1 to 100 characters")
	}
	if !json.Valid(e.Data) {
		return scout.Enrichment{}, scout.Invalid("data", "must be valid JSON")
	}
	var out scout.Enrichment
	err := s.write(ctx, func(tx *tx) error {
		var srcID int64
		if err := tx.QueryRowContext(ctx, `SELECT source_id FROM items WHERE id = $1 AND deleted_at IS NULL`, e.ItemID).Scan(&srcID); err != nil {
			return s.translate(err)
		}
		src, err := getSource(ctx, tx, srcID)
		if err != nil {
			return err
		}
		row := tx.QueryRowContext(ctx, `INSERT INTO enrichments (item_id, enricher, data, done, created_at, updated_at)
			VALUES ($1, $2, $3, TRUE, $4, $4)
			ON CONFLICT (item_id, enricher) DO UPDATE SET data = excluded.data, done = TRUE, lease_until = NULL,
				updated_at = excluded.updated_at, version = enrichments.version + 1
			RETURNING `+enrichmentCols, e.ItemID, e.Enricher, string(e.Data), tx.now.UnixMicro())
		if out, err = scanEnrichment(row); err != nil {
			return s.translate(err)
		}
		payload, _ := json.Marshal(map[string]any{"item_id": out.ItemID, "enricher": out.Enricher, "version": out.Version})
		return insertEvent(ctx, tx, scout.Event{Type: scout.EventEnrichment, SourceID: src.ID, ItemID: out.ItemID,
			OwnerID: src.OwnerID, Visibility: src.Visibility, Payload: payload})
	})
	if err != nil {
		return scout.Enrichment{}, fmt.Errorf("put enrichment %q for item %d: %w", e.Enricher, e.ItemID, err)
	}
	return out, nil
}

// ListEnrichments returns the finished enrichments of an item.
func (s *Store) ListEnrichments(ctx context.Context, itemID int64) ([]scout.Enrichment, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+enrichmentCols+` FROM enrichments WHERE item_id = $1 AND done = TRUE ORDER BY enricher`, itemID)
	if err != nil {
		return nil, fmt.Errorf("list enrichments of item %d: %w", itemID, err)
	}
	list, err := collect(rows, scanEnrichment)
	if err != nil {
		return nil, fmt.Errorf("list enrichments of item %d: %w", itemID, err)
	}
	return list, nil
}
