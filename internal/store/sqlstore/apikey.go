package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

const apiKeyCols = `id, user_id, name, prefix, hash, scopes, last_used_at, expires_at, revoked_at, created_at, updated_at, version`

func scanAPIKey(sc interface{ Scan(...any) error }) (scout.APIKey, error) {
	var k scout.APIKey
	var scopes string
	var used, expires, revoked, created, updated sql.NullInt64
	err := sc.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Hash, &scopes, &used, &expires, &revoked, &created, &updated, &k.Version)
	for _, sc := range strings.Fields(scopes) {
		k.Scopes = append(k.Scopes, scout.Scope(sc))
	}
	k.LastUsedAt, k.ExpiresAt, k.RevokedAt = fromMicros(used), fromMicros(expires), fromMicros(revoked)
	k.CreatedAt, k.UpdatedAt = fromMicros(created), fromMicros(updated)
	return k, err
}

func joinScopes(scopes []scout.Scope) (string, error) {
	parts := make([]string, 0, len(scopes))
	for _, sc := range scopes {
		if !scout.ValidScope(sc) {
			return "", scout.Invalid("scopes", "unknown scope %q", sc)
		}
		parts = append(parts, string(sc))
	}
	return strings.Join(parts, " "), nil
}

// CreateAPIKey stores a key.
func (s *Store) CreateAPIKey(ctx context.Context, k scout.APIKey) (scout.APIKey, error) {
	scopes, err := joinScopes(k.Scopes)
	if err != nil {
		return scout.APIKey{}, err
	}
	if len(k.Hash) == 0 || k.Prefix == "" {
		return scout.APIKey{}, scout.Invalid("key", "must have a hash and a prefix")
	}
	err = s.write(ctx, func(tx *tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO api_keys (user_id, name, prefix, hash, scopes, expires_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING `+apiKeyCols,
			k.UserID, k.Name, k.Prefix, k.Hash, scopes, micros(k.ExpiresAt), tx.now.UnixMicro())
		var err error
		k, err = scanAPIKey(row)
		return s.translate(err)
	})
	if err != nil {
		return scout.APIKey{}, fmt.Errorf("create api key for user %d: %w", k.UserID, err)
	}
	return k, nil
}

// GetAPIKeyByHash returns the key whose SHA-256 is hash.
func (s *Store) GetAPIKeyByHash(ctx context.Context, hash []byte) (scout.APIKey, error) {
	k, err := scanAPIKey(s.R.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE hash = $1`, hash))
	if err != nil {
		return scout.APIKey{}, fmt.Errorf("get api key: %w", s.translate(err))
	}
	return k, nil
}

// ListAPIKeys returns the keys of a user, newest first.
func (s *Store) ListAPIKeys(ctx context.Context, userID int64) ([]scout.APIKey, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE user_id = $1 ORDER BY id DESC LIMIT 1000`, userID)
	if err != nil {
		return nil, fmt.Errorf("list api keys of user %d: %w", userID, err)
	}
	keys, err := collect(rows, scanAPIKey)
	if err != nil {
		return nil, fmt.Errorf("list api keys of user %d: %w", userID, err)
	}
	return keys, nil
}

// RevokeAPIKey revokes key id of userID.
func (s *Store) RevokeAPIKey(ctx context.Context, userID, id int64) error {
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1), updated_at = $1, version = version + 1
			WHERE id = $2 AND user_id = $3`, tx.now.UnixMicro(), id, userID)
		return affectedOne(res, err)
	})
	if err != nil {
		return fmt.Errorf("revoke api key %d: %w", id, err)
	}
	return nil
}

// TouchAPIKey records that a key was used at t. It writes at most once a
// minute per key, so that authentication does not turn every read into a write.
func (s *Store) TouchAPIKey(ctx context.Context, id int64, t time.Time) error {
	err := s.write(ctx, func(tx *tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $1
			WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`, t.UnixMicro(), id, t.Add(-time.Minute).UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("touch api key %d: %w", id, err)
	}
	return nil
}

// affectedOne turns "no row changed" into ErrNotFound.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return scout.ErrNotFound
	}
	return nil
}
