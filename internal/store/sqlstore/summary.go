package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/scoutdev/scout/internal/scout"
)

// summaryBackfillBatch is how many items one backfill transaction reads.
const summaryBackfillBatch = 500

// BackfillSummaries clears the stored summary of items written before rows
// could leave it out (migration 00067) wherever it is the one derived from
// their text, so that those rows shrink as new ones are written. It walks
// down from the bound the migration left in meta, moving the bound in the
// same transaction as each batch, and removes it at the end: a restart
// resumes, and once done it costs one read.
func (s *Store) BackfillSummaries(ctx context.Context) error {
	if err := s.walkDown(ctx, "summary_backfill_below", backfillSummaries); err != nil {
		return fmt.Errorf("backfill summaries: %w", err)
	}
	return nil
}

// walkDown runs step, one transaction a batch, from the bound meta keeps
// under key down to the first row: step does the batch below the bound and
// returns the next bound, 0 when none is left. The bound moves in the
// batch's transaction, so a restart resumes, and goes at the end, so that
// once done a start costs one read.
func (s *Store) walkDown(ctx context.Context, key string, step func(ctx context.Context, tx *tx, below int64) (int64, error)) error {
	for {
		done := false
		err := s.write(ctx, func(tx *tx) error {
			var v string
			err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			below, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("bound %s %q: %w", key, v, err)
			}
			next, err := step(ctx, tx, below)
			if err != nil {
				return err
			}
			if next <= 0 {
				done = true
				_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = $1`, key)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE meta SET value = $1 WHERE key = $2`, strconv.FormatInt(next, 10), key)
			}
			return err
		})
		if err != nil || done {
			return err
		}
	}
}

// backfillSummaries clears the derived summaries of the batch of items
// below id and returns the next bound, 0 when none is left.
func backfillSummaries(ctx context.Context, tx *tx, below int64) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, summary, content_text FROM items WHERE id < $1 ORDER BY id DESC LIMIT $2`,
		below, summaryBackfillBatch)
	if err != nil {
		return 0, err
	}
	type row struct {
		id            int64
		summary, text string
	}
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.summary, &r.text)
	})
	if err != nil || len(list) == 0 {
		return 0, err
	}
	for _, r := range list {
		it := scout.Item{Summary: r.summary, ContentText: r.text}
		if _, fromText := storedSummary(&it); !fromText {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET summary = '', summary_from_text = TRUE WHERE id = $1`, r.id); err != nil {
			return 0, fmt.Errorf("item %d: %w", r.id, err)
		}
	}
	if len(list) < summaryBackfillBatch {
		return 0, nil
	}
	return list[len(list)-1].id, nil
}

// summaryVersion is the migration that lets rows leave the summary out.
const summaryVersion = 67

// BeforeMigrateDown puts back the rows' shape that migrations at or below
// to expect: below summaryVersion, every summary derived on read is written
// into its row again, as the older versions read it.
func (s *Store) BeforeMigrateDown(ctx context.Context, to int64) error {
	if to < featuresVersion {
		if err := s.expandFeatures(ctx); err != nil {
			return err
		}
	}
	if to >= summaryVersion {
		return nil
	}
	for {
		var n int64
		err := s.write(ctx, func(tx *tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id, content_text FROM items WHERE summary_from_text ORDER BY id LIMIT $1`,
				summaryBackfillBatch)
			if err != nil {
				return err
			}
			type row struct {
				id   int64
				text string
			}
			list, err := collect(rows, func(sc interface{ Scan(...any) error }) (row, error) {
				var r row
				return r, sc.Scan(&r.id, &r.text)
			})
			if err != nil {
				return err
			}
			for _, r := range list {
				if _, err := tx.ExecContext(ctx, `UPDATE items SET summary = $1, summary_from_text = FALSE WHERE id = $2`,
					scout.TextSummary(r.text), r.id); err != nil {
					return fmt.Errorf("item %d: %w", r.id, err)
				}
			}
			n = int64(len(list))
			return nil
		})
		if err != nil {
			return fmt.Errorf("write derived summaries back: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}
