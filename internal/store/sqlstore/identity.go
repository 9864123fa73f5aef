package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
)

// byIdentity selects the user linked to identity $1.
const byIdentity = `SELECT ` + userCols + ` FROM users WHERE id = (SELECT user_id FROM user_identities WHERE identity = $1)`

// GetUserByIdentity returns the user linked to an external identity.
func (s *Store) GetUserByIdentity(ctx context.Context, key string) (scout.User, error) {
	u, err := scanUser(s.R.QueryRowContext(ctx, byIdentity, key))
	if err != nil {
		return scout.User{}, fmt.Errorf("get user by identity: %w", s.translate(err))
	}
	return u, nil
}

// ProvisionIdentity links an external identity to a user, creating the user
// when asked.
func (s *Store) ProvisionIdentity(ctx context.Context, id scout.ExternalIdentity, create bool) (scout.User, error) {
	if id.Key == "" || len(id.Key) > scout.MaxIdentityKey {
		return scout.User{}, scout.Invalid("identity", "must be 1 to %d bytes", scout.MaxIdentityKey)
	}
	var out scout.User
	err := s.write(ctx, func(tx *tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, byIdentity, id.Key))
		if err != nil {
			if err = s.translate(err); !errors.Is(err, scout.ErrNotFound) {
				return err
			}
			if u, err = s.linkIdentity(ctx, tx, id, create); err != nil {
				return err
			}
		}
		if id.Admin != nil && u.Admin != *id.Admin {
			u, err = scanUser(tx.QueryRowContext(ctx, `UPDATE users SET admin = $1, updated_at = $2, version = version + 1
				WHERE id = $3 RETURNING `+userCols, *id.Admin, tx.now.UnixMicro(), u.ID))
			if err != nil {
				return s.translate(err)
			}
		}
		out = u
		return nil
	})
	if err != nil {
		return scout.User{}, fmt.Errorf("provision identity: %w", err)
	}
	return out, nil
}

// linkIdentity links id to the user with its e-mail, or to a new user.
func (s *Store) linkIdentity(ctx context.Context, tx *tx, id scout.ExternalIdentity, create bool) (scout.User, error) {
	email := scout.NormalizeEmail(id.Email)
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	if err = s.translate(err); errors.Is(err, scout.ErrNotFound) {
		if !create {
			return scout.User{}, scout.ErrNotFound
		}
		nu := scout.User{Email: email, Name: id.Name, Admin: id.Admin != nil && *id.Admin}
		if err := nu.Validate(); err != nil {
			return scout.User{}, err
		}
		u, err = scanUser(tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, admin, disabled, created_at, updated_at)
			VALUES ($1, $2, '', $3, false, $4, $4) RETURNING `+userCols, nu.Email, nu.Name, nu.Admin, tx.now.UnixMicro()))
	}
	if err != nil {
		return scout.User{}, s.translate(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO user_identities (identity, user_id, created_at) VALUES ($1, $2, $3)`,
		id.Key, u.ID, tx.now.UnixMicro()); err != nil {
		return scout.User{}, s.translate(err)
	}
	return u, nil
}
