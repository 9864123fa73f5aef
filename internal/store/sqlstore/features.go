package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/scoutdev/scout/internal/match"
)

// featuresVersion is the migration after which a sighting's hashes are
// stored as base64 text (match.Hashes).
const featuresVersion = 62

// featuresBatch is how many sightings one transaction rewrites.
const featuresBatch = 500

// BackfillFeatures rewrites the features of sightings stored before
// migration 00062 in the compact shape, so that those rows shrink as new
// ones are written (see walkDown; the migration leaves the bound).
func (s *Store) BackfillFeatures(ctx context.Context) error {
	if err := s.walkDown(ctx, "features_compact_below", compactFeatures); err != nil {
		return fmt.Errorf("compact sighting features: %w", err)
	}
	return nil
}

// compactFeatures rewrites the batch of sightings below id and returns the
// next bound, 0 when none is left. A row the store's reader does not read
// whole (a damaged one) is left as it is.
func compactFeatures(ctx context.Context, tx *tx, below int64) (int64, error) {
	list, err := readFeatures(ctx, tx, `SELECT id, opportunity_id, features FROM sightings WHERE id < $1 ORDER BY id DESC LIMIT $2`, below)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	for _, g := range list {
		d := jsonCol{s: g.features}
		f, ok := d.features()
		if !ok || !d.end() {
			continue
		}
		if out := mustJSON(f); out != g.features {
			if err := setFeatures(ctx, tx, g.id, out); err != nil {
				return 0, err
			}
		}
	}
	if len(list) < featuresBatch {
		return 0, nil
	}
	return list[len(list)-1].id, nil
}

// arrayFeatures is the shape of features before 00062: the hashes as
// arrays of numbers (the outer fields hide the embedded ones of the same
// JSON names).
type arrayFeatures struct {
	match.Features
	Sig   []uint32 `json:"m,omitempty"`
	Words []uint32 `json:"w,omitempty"`
}

// expandFeatures writes every sighting's hashes back as arrays of numbers,
// as versions before 00062 read them.
func (s *Store) expandFeatures(ctx context.Context) error {
	var after int64
	for {
		var n int
		err := s.write(ctx, func(tx *tx) error {
			list, err := readFeatures(ctx, tx, `SELECT id, opportunity_id, features FROM sightings
				WHERE id > $1 AND (features LIKE '%"m":"%' OR features LIKE '%"w":"%') ORDER BY id LIMIT $2`, after)
			if err != nil {
				return err
			}
			for _, g := range list {
				var f match.Features
				decodeFeatures(g.features, &f)
				b, err := json.Marshal(arrayFeatures{Features: f, Sig: f.Sig, Words: f.Words})
				if err != nil {
					return err
				}
				if err := setFeatures(ctx, tx, g.id, string(b)); err != nil {
					return err
				}
				after = g.id
			}
			n = len(list)
			return nil
		})
		if err != nil {
			return fmt.Errorf("write sighting features as arrays: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}

// readFeatures runs q, which selects one batch of sightings from a bound.
func readFeatures(ctx context.Context, tx *tx, q string, bound int64) ([]keyed, error) {
	rows, err := tx.QueryContext(ctx, q, bound, featuresBatch)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanKeyed)
}

func setFeatures(ctx context.Context, tx *tx, id int64, features string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sightings SET features = $1 WHERE id = $2`, features, id); err != nil {
		return fmt.Errorf("sighting %d: %w", id, err)
	}
	return nil
}
