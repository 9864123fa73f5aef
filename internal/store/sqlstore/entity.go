package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

const entityCols = `id, type, name, key, created_at, updated_at, version`

func scanEntity(sc interface{ Scan(...any) error }) (scout.Entity, error) {
	var e scout.Entity
	var created, updated sql.NullInt64
	err := sc.Scan(&e.ID, &e.Type, &e.Name, &e.Key, &created, &updated, &e.Version)
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	return e, err
}

// GetEntity returns one entity.
func (s *Store) GetEntity(ctx context.Context, id int64) (scout.Entity, error) {
	e, err := scanEntity(s.R.QueryRowContext(ctx, `SELECT `+entityCols+` FROM entities WHERE id = $1`, id))
	if err != nil {
		return scout.Entity{}, fmt.Errorf("get entity %d: %w", id, s.translate(err))
	}
	return e, nil
}

// ListEntities returns entities by type and key prefix, in id order.
func (s *Store) ListEntities(ctx context.Context, f store.EntityFilter) (store.Page[scout.Entity], error) {
	var a args
	var conds []string
	if f.Type != "" {
		conds = append(conds, "type = "+a.add(string(f.Type)))
	}
	if p := strings.ToLower(strings.TrimSpace(f.Prefix)); p != "" {
		// A range on the key instead of LIKE: no escaping, and it uses the index.
		conds = append(conds, "key >= "+a.add(p)+" AND key < "+a.add(p+"\U0010FFFF"))
	}
	if f.Cursor != "" {
		var c idCursor
		if err := store.DecodeCursor(f.Cursor, &c); err != nil {
			return store.Page[scout.Entity]{}, err
		}
		conds = append(conds, "id > "+a.add(c.ID))
	}
	n := f.Size()
	rows, err := s.R.QueryContext(ctx, `SELECT `+entityCols+` FROM entities`+where(conds)+` ORDER BY id LIMIT `+a.add(n+1), a...)
	if err != nil {
		return store.Page[scout.Entity]{}, fmt.Errorf("list entities: %w", err)
	}
	list, err := collect(rows, scanEntity)
	if err != nil {
		return store.Page[scout.Entity]{}, fmt.Errorf("list entities: %w", err)
	}
	return pageOf(list, n, func(e scout.Entity) any { return idCursor{e.ID} }), nil
}
