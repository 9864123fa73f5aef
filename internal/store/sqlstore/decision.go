package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// An operator's merge and split are stored on the sightings (pinned) and
// never revisited by the matcher: sightItem keeps a stored sighting's
// opportunity on every re-fetch, so the decision sticks.

// movedSighting is a sighting an operator moved, with what its event and
// its departure need.
type movedSighting struct {
	id, itemID, version int64
	live                bool // its item is not archived nor its source deleted
	src                 scout.Source
}

func sightingsOf(ctx context.Context, tx *tx, where string, arg int64) ([]movedSighting, error) {
	rows, err := tx.QueryContext(ctx, `SELECT g.id, g.item_id, g.version, i.deleted_at IS NULL AND s.deleted_at IS NULL, s.id, COALESCE(s.owner_id, 0), s.visibility
		FROM sightings g JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id WHERE `+where+` ORDER BY g.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("read sightings: %w", err)
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (movedSighting, error) {
		var m movedSighting
		return m, sc.Scan(&m.id, &m.itemID, &m.version, &m.live, &m.src.ID, &m.src.OwnerID, &m.src.Visibility)
	})
}

// moveSightings moves the sightings cond selects (its argument $4) into
// opportunity into, pinned as an operator's decision, as a change to each
// (see stamp).
func moveSightings(ctx context.Context, tx *tx, into int64, pinned, evidence, cond string, arg int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sightings SET opportunity_id = $1, pinned = $2, confidence = 1, evidence = $3,
		changed_at = $5, version = version + 1 WHERE `+cond, into, pinned, evidence, arg, tx.now.UnixMicro()); err != nil {
		return fmt.Errorf("move sightings into %d: %w", into, err)
	}
	return nil
}

// lockOpportunity returns scout.ErrNotFound unless opportunity id exists,
// and on engines with concurrent writers locks it in the mode given (for
// example " FOR UPDATE") until the transaction ends.
func lockOpportunity(ctx context.Context, tx *tx, id int64, mode string) error {
	if _, ok := tx.d.(RowLocker); !ok {
		mode = ""
	}
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM opportunities WHERE id = $1`+mode, id).Scan(&one); err != nil {
		if err == sql.ErrNoRows {
			return fmt.Errorf("opportunity %d: %w", id, scout.ErrNotFound)
		}
		return fmt.Errorf("opportunity %d: %w", id, err)
	}
	return nil
}

// MergeOpportunities moves the sightings of from into into.
//
// It locks from for the delete first, then into: a fetch joining from
// holds a key lock on it from its sighting's insert, which the merge waits
// for while it holds nothing, and a fetch takes no lock on an opportunity
// that the merge's lock on into blocks (a key lock does not wait for it),
// which leaves no wait in a circle. A fetch that read from as a candidate
// before the merge and inserts its sighting after finds the row gone and is
// run again (see writeRetried).
func (s *Store) MergeOpportunities(ctx context.Context, into, from int64) (scout.MergedOpportunity, error) {
	if into == from {
		return scout.MergedOpportunity{}, scout.Invalid("from", "must differ from the opportunity merged into")
	}
	err := s.writeRetried(ctx, func(tx *tx) error {
		if err := lockOpportunity(ctx, tx, from, " FOR UPDATE"); err != nil {
			return err
		}
		if err := lockOpportunity(ctx, tx, into, " FOR NO KEY UPDATE"); err != nil {
			return err
		}
		moved, err := sightingsOf(ctx, tx, "g.opportunity_id = $1", from)
		if err != nil {
			return err
		}
		// The moved sightings join into as changes of their own, so into
		// moves for those who see them and for nobody else; from goes with
		// its departures.
		if err := moveSightings(ctx, tx, into, "merged", `["merged by an operator"]`, "opportunity_id = $4", from); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM opportunities WHERE id = $1`, from); err != nil {
			return fmt.Errorf("delete opportunity %d: %w", from, err)
		}
		for _, m := range moved {
			p := sightingPayload{OpportunityID: into, SightingID: m.id, ItemID: m.itemID, Confidence: 1, From: from}
			if err := insertEvent(ctx, tx, sightingEvent(store.EventOpportunityMerged, m.src, p)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return scout.MergedOpportunity{}, fmt.Errorf("merge opportunity %d into %d: %w", from, into, err)
	}
	return s.GetOpportunity(ctx, into, store.Viewer{Admin: true})
}

// SplitSighting moves a sighting to a new opportunity of its own.
//
// It locks the sighting's opportunity before counting its sightings, as a
// merge locks the one it empties: two splits of an opportunity's last two
// sightings, or a split beside a merge, would otherwise each count the
// other's sighting and leave the opportunity with none. The lock is taken
// in a mode that a fetch joining the opportunity (its insert holds only a
// key-share lock) does not wait for.
func (s *Store) SplitSighting(ctx context.Context, sightingID int64) (int64, error) {
	var id int64
	err := s.writeRetried(ctx, func(tx *tx) error {
		old, err := lockedSightingOpportunity(ctx, tx, sightingID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sightings WHERE opportunity_id = $1`, old).Scan(&n); err != nil {
			return fmt.Errorf("count sightings: %w", err)
		}
		if n < 2 {
			return scout.Invalid("sighting", "is the only sighting of opportunity %d", old)
		}
		moved, err := sightingsOf(ctx, tx, "g.id = $1", sightingID)
		if err != nil {
			return err
		}
		if id, err = insertOpportunity(ctx, tx); err != nil {
			return err
		}
		// The sighting leaves old (a departure, for those who could see
		// it) and founds id as a change of its own.
		for _, m := range moved {
			if m.live {
				depart(tx, old, m.src, m.version)
			}
		}
		if err := moveSightings(ctx, tx, id, "split", `["split by an operator"]`, "id = $4", sightingID); err != nil {
			return err
		}
		for _, m := range moved {
			p := sightingPayload{OpportunityID: id, SightingID: m.id, ItemID: m.itemID, Confidence: 1, From: old}
			if err := insertEvent(ctx, tx, sightingEvent(store.EventOpportunitySplit, m.src, p)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("split sighting %d: %w", sightingID, err)
	}
	return id, nil
}

// lockedSightingOpportunity returns the opportunity of a sighting, locked
// as lockOpportunity does, reading the sighting again after the lock until
// no merge or split moved it in between.
func lockedSightingOpportunity(ctx context.Context, tx *tx, sightingID int64) (int64, error) {
	read := func() (int64, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT opportunity_id FROM sightings WHERE id = $1`, sightingID).Scan(&id)
		if err == sql.ErrNoRows {
			return 0, fmt.Errorf("sighting %d: %w", sightingID, scout.ErrNotFound)
		} else if err != nil {
			return 0, fmt.Errorf("read sighting %d: %w", sightingID, err)
		}
		return id, nil
	}
	id, err := read()
	for err == nil {
		if err = lockOpportunity(ctx, tx, id, " FOR NO KEY UPDATE"); err != nil {
			break
		}
		var now int64
		if now, err = read(); err == nil && now == id {
			return id, nil
		}
		id = now
	}
	return 0, err
}
