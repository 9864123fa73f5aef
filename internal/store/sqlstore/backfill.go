package sqlstore

import (
	"context"
	"fmt"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// pending is a sighting the matcher has not seen: one the migration made
// from an item stored before opportunities existed.
type pending struct {
	id, opportunityID int64
	src               scout.Source
	it                scout.Item
}

// MatchPending matches up to limit unmatched sightings, oldest first, in
// one transaction: each gets its features and keys, and joins the most
// confident earlier sighting's opportunity when the link reaches the
// threshold (its own, now empty, opportunity is deleted).
func (s *Store) MatchPending(ctx context.Context, limit int) (int, error) {
	var n int
	err := s.write(ctx, func(tx *tx) error {
		list, err := pendingSightings(ctx, tx, limitOf(limit, 100, 1000))
		if err != nil {
			return err
		}
		for _, p := range list {
			if err := matchPending(ctx, tx, p); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("match pending sightings: %w", err)
	}
	return n, nil
}

// CountBackfill counts the items without a record and the sightings not
// yet matched, in one read.
func (s *Store) CountBackfill(ctx context.Context) (store.Backfill, error) {
	var b store.Backfill
	err := s.R.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM items WHERE record = ''),
		(SELECT COUNT(*) FROM sightings WHERE features = '')`).Scan(&b.Records, &b.Sightings)
	if err != nil {
		return b, fmt.Errorf("count backfill: %w", err)
	}
	return b, nil
}

func pendingSightings(ctx context.Context, tx *tx, limit int) ([]pending, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+itemCols+`, i.content_text, g.id, g.opportunity_id, COALESCE(s.owner_id, 0), s.visibility
		FROM sightings g JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id
		WHERE g.features = '' ORDER BY g.id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("read pending sightings: %w", err)
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (pending, error) {
		var p pending
		var text string
		it, err := scanItem(sc, &text, &p.id, &p.opportunityID, &p.src.OwnerID, &p.src.Visibility)
		it.ContentText = text
		p.it, p.src.ID = it, it.SourceID
		return p, err
	})
}

func matchPending(ctx context.Context, tx *tx, p pending) error {
	f := match.Extract(&p.it)
	keys := match.KeyHashes(f)
	cands, err := candidates(ctx, tx, keys, p.it.ID)
	if err != nil {
		return err
	}
	best, link := bestLink(f, cands)
	if _, err := tx.ExecContext(ctx, `UPDATE sightings SET features = $1 WHERE id = $2`, mustJSON(f), p.id); err != nil {
		return fmt.Errorf("update sighting %d: %w", p.id, err)
	}
	delete(tx.sightings, p.id)
	if err := insertKeys(ctx, tx, p.id, keys); err != nil {
		return err
	}
	if !link.Same() || best.opportunityID == p.opportunityID {
		return nil
	}
	// It leaves its opportunity (a departure, kept should another sighting
	// hold it) and joins best as a change of its own (see stamp).
	if err := departWhere(ctx, tx, "g.id = $1", args{p.id}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sightings SET opportunity_id = $1, confidence = $2, evidence = $3,
		changed_at = $4, version = version + 1 WHERE id = $5`,
		best.opportunityID, link.Confidence, mustJSON(link.Evidence), tx.now.UnixMicro(), p.id); err != nil {
		return fmt.Errorf("move sighting %d: %w", p.id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM opportunities WHERE id = $1
		AND NOT EXISTS (SELECT 1 FROM sightings WHERE opportunity_id = $1)`, p.opportunityID); err != nil {
		return fmt.Errorf("delete opportunity %d: %w", p.opportunityID, err)
	}
	pl := sightingPayload{OpportunityID: best.opportunityID, SightingID: p.id, ItemID: p.it.ID, Confidence: link.Confidence,
		Evidence: link.Evidence, From: p.opportunityID}
	return insertEvent(ctx, tx, sightingEvent(store.EventOpportunitySighted, p.src, pl))
}
