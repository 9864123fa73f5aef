package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// prefDoc is the stored JSON form of the preference lists and limits.
type prefDoc struct {
	Kinds           []scout.Kind          `json:"kinds,omitempty"`
	Disciplines     []string              `json:"disciplines,omitempty"`
	Keywords        []string              `json:"keywords,omitempty"`
	Excluded        []string              `json:"excluded,omitempty"`
	MinAmount       int64                 `json:"min_amount,omitempty"`
	DeadlineHorizon int64                 `json:"deadline_horizon_s,omitempty"`
	Locations       []string              `json:"locations,omitempty"`
	Frequency       store.DigestFrequency `json:"frequency,omitempty"`
}

func scanPreferences(sc interface{ Scan(...any) error }) (store.Preferences, error) {
	var data string
	var read, updated sql.NullInt64
	var p store.Preferences
	if err := sc.Scan(&data, &read, &updated, &p.Version); err != nil {
		return p, err
	}
	var d prefDoc
	unmarshalJSON(data, &d)
	p.Kinds, p.Disciplines, p.Keywords, p.Excluded = d.Kinds, d.Disciplines, d.Keywords, d.Excluded
	p.MinAmount, p.DeadlineHorizon, p.Locations = d.MinAmount, time.Duration(d.DeadlineHorizon)*time.Second, d.Locations
	p.Frequency, p.DigestReadAt, p.UpdatedAt = d.Frequency, fromMicros(read), fromMicros(updated)
	return p, nil
}

// GetPreferences returns a user's preferences, or the zero value.
func (s *Store) GetPreferences(ctx context.Context, userID int64) (store.Preferences, error) {
	p, err := scanPreferences(s.R.QueryRowContext(ctx, `SELECT data, digest_read_at, updated_at, version FROM preferences WHERE user_id = $1`, userID))
	if err == sql.ErrNoRows {
		return store.Preferences{Frequency: store.DigestWeekly}, nil
	}
	if err != nil {
		return store.Preferences{}, fmt.Errorf("get preferences of user %d: %w", userID, err)
	}
	return p, nil
}

// PutPreferences replaces a user's preferences and bumps their version.
func (s *Store) PutPreferences(ctx context.Context, userID int64, p store.Preferences) (store.Preferences, error) {
	if err := p.Validate(); err != nil {
		return store.Preferences{}, err
	}
	d := prefDoc{Kinds: p.Kinds, Disciplines: p.Disciplines, Keywords: p.Keywords, Excluded: p.Excluded, MinAmount: p.MinAmount,
		DeadlineHorizon: int64(p.DeadlineHorizon / time.Second), Locations: p.Locations, Frequency: p.Frequency}
	data, err := json.Marshal(d)
	if err != nil {
		return store.Preferences{}, fmt.Errorf("put preferences of user %d: %w", userID, err)
	}
	var out store.Preferences
	err = s.write(ctx, func(tx *tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO preferences (user_id, data, created_at, updated_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, version = preferences.version + 1
			RETURNING data, digest_read_at, updated_at, version`, userID, string(data), tx.now.UnixMicro())
		var err error
		out, err = scanPreferences(row)
		return s.translate(err)
	})
	if err != nil {
		return store.Preferences{}, fmt.Errorf("put preferences of user %d: %w", userID, err)
	}
	return out, nil
}

// MarkDigestRead moves the digest cursor forward to t.
func (s *Store) MarkDigestRead(ctx context.Context, userID int64, t time.Time) error {
	err := s.write(ctx, func(tx *tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO preferences (user_id, data, digest_read_at, created_at, updated_at) VALUES ($1, '{}', $2, $3, $3)
			ON CONFLICT (user_id) DO UPDATE SET digest_read_at = excluded.digest_read_at
			WHERE preferences.digest_read_at IS NULL OR preferences.digest_read_at < excluded.digest_read_at`,
			userID, t.UnixMicro(), tx.now.UnixMicro())
		return s.translate(err)
	})
	if err != nil {
		return fmt.Errorf("mark digest of user %d read: %w", userID, err)
	}
	return nil
}

// GetUserByFeedToken returns the user whose stored feed token is hash.
func (s *Store) GetUserByFeedToken(ctx context.Context, hash string) (scout.User, error) {
	if hash == "" {
		return scout.User{}, scout.ErrNotFound
	}
	u, err := scanUser(s.R.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE feed_token = $1`, hash))
	if err != nil {
		return scout.User{}, fmt.Errorf("get user by feed token: %w", s.translate(err))
	}
	return u, nil
}
