package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

const userCols = `id, email, name, password_hash, admin, disabled, COALESCE(feed_token, ''), created_at, updated_at, version`

func scanUser(sc interface{ Scan(...any) error }) (scout.User, error) {
	var u scout.User
	var created, updated sql.NullInt64
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Admin, &u.Disabled, &u.FeedToken, &created, &updated, &u.Version)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateUser stores a new user.
func (s *Store) CreateUser(ctx context.Context, u scout.User) (scout.User, error) {
	u.Email = scout.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return scout.User{}, err
	}
	err := s.write(ctx, func(tx *tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, admin, disabled, feed_token, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING `+userCols,
			u.Email, u.Name, u.PasswordHash, u.Admin, u.Disabled, nullString(u.FeedToken), tx.now.UnixMicro())
		var err error
		u, err = scanUser(row)
		return s.translate(err)
	})
	if err != nil {
		return scout.User{}, fmt.Errorf("create user %q: %w", u.Email, err)
	}
	return u, nil
}

// GetUser returns the user with id.
func (s *Store) GetUser(ctx context.Context, id int64) (scout.User, error) {
	u, err := scanUser(s.R.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err != nil {
		return scout.User{}, fmt.Errorf("get user %d: %w", id, s.translate(err))
	}
	return u, nil
}

// GetUserByEmail returns the user with the e-mail.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (scout.User, error) {
	email = scout.NormalizeEmail(email)
	u, err := scanUser(s.R.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	if err != nil {
		return scout.User{}, fmt.Errorf("get user by email: %w", s.translate(err))
	}
	return u, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// ListUsers returns users in id order.
func (s *Store) ListUsers(ctx context.Context, p store.PageRequest) (store.Page[scout.User], error) {
	page, err := idPage(ctx, s, `SELECT `+userCols+` FROM users`, "id", false, nil, nil, p, scanUser,
		func(u scout.User) int64 { return u.ID })
	if err != nil {
		return page, fmt.Errorf("list users: %w", err)
	}
	return page, nil
}

// UpdateUser changes the non-nil fields of u.
func (s *Store) UpdateUser(ctx context.Context, id int64, u store.UserUpdate) (scout.User, error) {
	var a args
	var sets []string
	if u.Name != nil {
		if len(*u.Name) > 200 {
			return scout.User{}, scout.Invalid("name", "must be at most 200 characters")
		}
		sets = append(sets, "name = "+a.add(*u.Name))
	}
	if u.PasswordHash != nil {
		sets = append(sets, "password_hash = "+a.add(*u.PasswordHash))
	}
	if u.Admin != nil {
		sets = append(sets, "admin = "+a.add(*u.Admin))
	}
	if u.Disabled != nil {
		sets = append(sets, "disabled = "+a.add(*u.Disabled))
	}
	if u.FeedToken != nil {
		sets = append(sets, "feed_token = "+a.add(nullString(*u.FeedToken)))
	}
	var out scout.User
	err := s.write(ctx, func(tx *tx) error {
		sets := append(sets, "updated_at = "+a.add(tx.now.UnixMicro()), "version = version + 1")
		row := tx.QueryRowContext(ctx, `UPDATE users SET `+strings.Join(sets, ", ")+
			` WHERE id = `+a.add(id)+` RETURNING `+userCols, a...)
		var err error
		out, err = scanUser(row)
		return s.translate(err)
	})
	if err != nil {
		return scout.User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return out, nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// pageOf trims a result fetched with limit n+1 and sets the next cursor.
func pageOf[T any](rows []T, n int, pos func(T) any) store.Page[T] {
	if len(rows) <= n {
		return store.Page[T]{Items: rows}
	}
	rows = rows[:n]
	return store.Page[T]{Items: rows, Next: store.EncodeCursor(pos(rows[n-1]))}
}
