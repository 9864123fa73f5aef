package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

const sessionCols = `id, user_id, token_id, user_agent, address, created_at, last_used_at, expires_at, revoked_at, revoke_reason`

func scanSession(sc interface{ Scan(...any) error }) (scout.Session, error) {
	var ss scout.Session
	var created, used, expires, revoked sql.NullInt64
	err := sc.Scan(&ss.ID, &ss.UserID, &ss.TokenID, &ss.UserAgent, &ss.Address, &created, &used, &expires, &revoked, &ss.RevokeReason)
	ss.CreatedAt, ss.LastUsedAt, ss.ExpiresAt, ss.RevokedAt = fromMicros(created), fromMicros(used), fromMicros(expires), fromMicros(revoked)
	return ss, err
}

// CreateSession stores a new login session.
func (s *Store) CreateSession(ctx context.Context, ss scout.Session) (scout.Session, error) {
	if ss.UserID <= 0 || ss.TokenID == "" || ss.ExpiresAt.IsZero() {
		return scout.Session{}, scout.Invalid("session", "must have a user, a token id and an expiry")
	}
	if len(ss.UserAgent) > 4*scout.MaxSessionUserAgent || len(ss.Address) > scout.MaxSessionAddress {
		return scout.Session{}, scout.Invalid("session", "user agent or address too long")
	}
	err := s.write(ctx, func(tx *tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO sessions (user_id, token_id, user_agent, address, created_at, last_used_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING `+sessionCols,
			ss.UserID, ss.TokenID, ss.UserAgent, ss.Address, tx.now.UnixMicro(), ss.ExpiresAt.UnixMicro())
		var err error
		ss, err = scanSession(row)
		return s.translate(err)
	})
	if err != nil {
		return scout.Session{}, fmt.Errorf("create session for user %d: %w", ss.UserID, err)
	}
	return ss, nil
}

// GetSession returns a session.
func (s *Store) GetSession(ctx context.Context, id int64) (scout.Session, error) {
	ss, err := scanSession(s.W.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = $1`, id))
	if err != nil {
		return scout.Session{}, fmt.Errorf("get session %d: %w", id, s.translate(err))
	}
	return ss, nil
}

// RotateSession replaces a live session's token id.
func (s *Store) RotateSession(ctx context.Context, id int64, from, to string, expires time.Time) error {
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET token_id = $1, last_used_at = $2, expires_at = $3
			WHERE id = $4 AND token_id = $5 AND revoked_at IS NULL AND expires_at > $2`,
			to, tx.now.UnixMicro(), expires.UnixMicro(), id, from)
		err = affectedOne(res, err)
		if !errors.Is(err, scout.ErrNotFound) {
			return err
		}
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM sessions WHERE id = $1`, id).Scan(&one); err != nil {
			return s.translate(err)
		}
		return fmt.Errorf("%w: session revoked, expired or its token already used", scout.ErrConflict)
	})
	if err != nil {
		return fmt.Errorf("rotate session %d: %w", id, err)
	}
	return nil
}

// RevokeSession revokes one session.
func (s *Store) RevokeSession(ctx context.Context, userID, id int64, reason string) error {
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1),
			revoke_reason = CASE WHEN revoked_at IS NULL THEN $2 ELSE revoke_reason END
			WHERE id = $3 AND ($4 = 0 OR user_id = $4)`, tx.now.UnixMicro(), reason, id, userID)
		return affectedOne(res, err)
	})
	if err != nil {
		return fmt.Errorf("revoke session %d: %w", id, err)
	}
	return nil
}

// RevokeUserSessions revokes every live session of a user.
func (s *Store) RevokeUserSessions(ctx context.Context, userID int64, reason string) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = $1, revoke_reason = $2
			WHERE user_id = $3 AND revoked_at IS NULL`, tx.now.UnixMicro(), reason, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("revoke sessions of user %d: %w", userID, err)
	}
	return int(n), nil
}

// ListSessions returns a user's live sessions, newest first.
func (s *Store) ListSessions(ctx context.Context, userID int64) ([]scout.Session, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 1000`, userID, s.Now().UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("list sessions of user %d: %w", userID, err)
	}
	list, err := collect(rows, scanSession)
	if err != nil {
		return nil, fmt.Errorf("list sessions of user %d: %w", userID, err)
	}
	return list, nil
}
