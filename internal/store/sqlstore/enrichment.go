package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
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
	err := s.writeEvents(ctx, func(tx *tx) error {
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
		err = insertEvent(ctx, tx, scout.Event{Type: scout.EventEnrichment, SourceID: src.ID, ItemID: out.ItemID,
			OwnerID: src.OwnerID, Visibility: src.Visibility, Payload: payload})
		if err != nil || !tx.precedence.Ranks(e.Enricher) {
			return err // an unranked enricher's result is shown, never applied
		}
		return refacetItem(ctx, tx, src, e.ItemID)
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

// ClaimEnrichment leases up to n items that enricher has not finished and no
// one holds, newest first. The lease is a placeholder enrichments row
// (done = FALSE, version 0, so the first finished result has version 1);
// every claim runs in one write transaction, which the single SQLite writer
// serializes and PostgreSQL guards with row locks that skip held rows.
func (s *Store) ClaimEnrichment(ctx context.Context, enricher string, n int, lease time.Duration, v store.Viewer) ([]scout.Item, error) {
	if enricher == "" || len(enricher) > 100 {
		return nil, scout.Invalid("enricher", "must be 1 to 100 characters")
	}
	if n <= 0 {
		return nil, nil
	}
	var out []scout.Item
	err := s.write(ctx, func(tx *tx) error {
		ids, err := claimableItems(ctx, tx, enricher, min(n, store.MaxLimit), v)
		if err != nil {
			return err
		}
		if ids, err = leaseItems(ctx, tx, enricher, ids, lease); err != nil {
			return err
		}
		out, err = itemsByID(ctx, tx, ids)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim enrichment %q (limit %d): %w", enricher, n, err)
	}
	return out, nil
}

// leaseItems writes the lease rows and returns the ids it leased. The
// upsert re-checks the stored row, which it reads at its newest committed
// version: on PostgreSQL a concurrent claim that committed after this
// statement's snapshot was taken leaves a live lease there, and the item is
// skipped rather than leased twice.
func leaseItems(ctx context.Context, tx *tx, enricher string, ids []int64, lease time.Duration) ([]int64, error) {
	until, now := tx.now.Add(lease).UnixMicro(), tx.now.UnixMicro()
	leased := ids[:0:0]
	for _, id := range ids {
		var got int64
		err := tx.QueryRowContext(ctx, `INSERT INTO enrichments (item_id, enricher, data, lease_until, done, created_at, updated_at, version)
			VALUES ($1, $2, '{}', $3, FALSE, $4, $4, 0)
			ON CONFLICT (item_id, enricher) DO UPDATE SET lease_until = excluded.lease_until
			WHERE enrichments.done = FALSE AND (enrichments.lease_until IS NULL OR enrichments.lease_until < $4)
			RETURNING item_id`, id, enricher, until, now).Scan(&got)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return nil, fmt.Errorf("lease item %d: %w", id, err)
		}
		leased = append(leased, got)
	}
	return leased, nil
}

// claimableItems returns the ids of up to n visible live items without a
// finished or currently leased row for enricher, newest first. It walks the
// primary key downwards and stops after n hits, so its cost follows how
// many recent items are already done, not the size of the table.
func claimableItems(ctx context.Context, tx *tx, enricher string, n int, v store.Viewer) ([]int64, error) {
	var a args
	// The source is checked in a subquery, not joined, so that FOR UPDATE
	// locks only item rows: locking the shared source row would make every
	// concurrent claimer skip all of that source's items.
	conds := []string{"i.deleted_at IS NULL", "EXISTS (SELECT 1 FROM sources s WHERE s.id = i.source_id AND " + visibleSource(&a, v) + ")",
		`NOT EXISTS (SELECT 1 FROM enrichments e WHERE e.item_id = i.id AND e.enricher = ` + a.add(enricher) +
			` AND (e.done = TRUE OR e.lease_until >= ` + a.add(tx.now.UnixMicro()) + `))`}
	rows, err := tx.QueryContext(ctx, `SELECT i.id FROM items i`+where(conds)+
		` ORDER BY i.id DESC LIMIT `+a.add(n)+tx.d.LockSkipLocked(), a...)
	if err != nil {
		return nil, fmt.Errorf("find claimable items: %w", err)
	}
	return collect(rows, scanInt64)
}

// itemsByID reads the listed items (without content or entities) in the
// order of ids.
func itemsByID(ctx context.Context, tx *tx, ids []int64) ([]scout.Item, error) {
	if len(ids) == 0 {
		return []scout.Item{}, nil
	}
	var a args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+itemCols+` FROM items i WHERE i.id IN (`+strings.Join(ph, ", ")+`) ORDER BY i.id DESC`, a...)
	if err != nil {
		return nil, fmt.Errorf("read claimed items: %w", err)
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (scout.Item, error) { return scanItem(sc) })
}
