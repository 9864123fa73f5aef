package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/scoutdev/scout/internal/scout"
)

// AfterMigrate runs the data fixes that need Go once the migrations are
// applied: each is a no-op once done.
func (s *Store) AfterMigrate(ctx context.Context) error {
	if err := s.BackfillHosts(ctx); err != nil {
		return err
	}
	if err := s.RebuildMatchKeys(ctx); err != nil {
		return err
	}
	if err := s.BackfillSummaries(ctx); err != nil {
		return err
	}
	if err := s.BackfillFeatures(ctx); err != nil {
		return err
	}
	return s.BackfillSourceKeys(ctx)
}

// BackfillSourceKeys writes the identity keys (scout.URLKey, ConfigKey) of
// sources stored before sources had them, 500 per transaction. Two live
// sources of one owner that the keys find to be one source (stored under
// two spellings of its URL) both stay: the newer is keyed apart, with its
// id after a '#' (a URL key never has a fragment), so that adding the
// source again finds the older.
func (s *Store) BackfillSourceKeys(ctx context.Context) error {
	for {
		rows, err := s.W.QueryContext(ctx, `SELECT id, COALESCE(owner_id, 0), kind, url, config, deleted_at IS NOT NULL
			FROM sources WHERE url_key = '' ORDER BY id LIMIT 500`)
		if err != nil {
			return fmt.Errorf("backfill source keys: %w", err)
		}
		todo, err := collect(rows, func(sc interface{ Scan(...any) error }) (scout.Source, error) {
			var src scout.Source
			var config string
			var deleted bool
			err := sc.Scan(&src.ID, &src.OwnerID, &src.Kind, &src.URL, &config, &deleted)
			src.Config = json.RawMessage(config)
			if deleted {
				src.DeletedAt = s.Now()
			}
			return src, err
		})
		if err != nil || len(todo) == 0 {
			return err
		}
		if err := s.write(ctx, func(tx *tx) error { return keySources(ctx, tx, todo) }); err != nil {
			return fmt.Errorf("backfill source keys: %w", err)
		}
	}
}

func keySources(ctx context.Context, tx *tx, todo []scout.Source) error {
	for _, src := range todo {
		key := scout.URLKey(src.URL)
		if key == "" {
			key = "#" + strconv.FormatInt(src.ID, 10) // unparseable: its own key, so the loop ends
		}
		if src.DeletedAt.IsZero() && urlTaken(ctx, tx, src, src.URL) {
			key += "#" + strconv.FormatInt(src.ID, 10)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET url_key = $1, config_key = $2 WHERE id = $3`,
			key, scout.ConfigKey(src.Config), src.ID); err != nil {
			return err
		}
	}
	return nil
}
