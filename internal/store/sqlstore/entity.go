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
	if f.Viewer != nil && !f.Viewer.Admin {
		// The first visible link ends the probe; item_entities_entity keeps it
		// to the entity's own rows.
		conds = append(conds, `EXISTS (SELECT 1 FROM item_entities ie JOIN items i ON i.id = ie.item_id
			JOIN sources s ON s.id = i.source_id WHERE ie.entity_id = e.id AND i.deleted_at IS NULL AND `+visibleSource(&a, *f.Viewer)+`)`)
	}
	if f.Cursor != "" {
		var c idCursor
		if err := store.DecodeCursor(f.Cursor, &c); err != nil {
			return store.Page[scout.Entity]{}, err
		}
		conds = append(conds, "id > "+a.add(c.ID))
	}
	n := f.Size()
	rows, err := s.R.QueryContext(ctx, `SELECT `+entityCols+` FROM entities e`+where(conds)+` ORDER BY id LIMIT `+a.add(n+1), a...)
	if err != nil {
		return store.Page[scout.Entity]{}, fmt.Errorf("list entities: %w", err)
	}
	list, err := collect(rows, scanEntity)
	if err != nil {
		return store.Page[scout.Entity]{}, fmt.Errorf("list entities: %w", err)
	}
	return pageOf(list, n, func(e scout.Entity) any { return idCursor{e.ID} }), nil
}

// ListEntityItems returns the visible live items linked to an entity, newest
// id first. The item ids come from the item_entities_entity index.
func (s *Store) ListEntityItems(ctx context.Context, entityID int64, v store.Viewer, p store.PageRequest) (store.Page[scout.Item], error) {
	var a args
	conds := []string{"i.deleted_at IS NULL", visibleSource(&a, v),
		"i.id IN (SELECT ie.item_id FROM item_entities ie WHERE ie.entity_id = " + a.add(entityID) + ")"}
	if p.Cursor != "" {
		var c idCursor
		if err := store.DecodeCursor(p.Cursor, &c); err != nil {
			return store.Page[scout.Item]{}, err
		}
		conds = append(conds, "i.id < "+a.add(c.ID))
	}
	n := p.Size()
	rows, err := s.R.QueryContext(ctx, `SELECT `+itemCols+` FROM items i JOIN sources s ON s.id = i.source_id`+where(conds)+
		` ORDER BY i.id DESC LIMIT `+a.add(n+1), a...)
	if err != nil {
		return store.Page[scout.Item]{}, fmt.Errorf("list items of entity %d: %w", entityID, err)
	}
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (scout.Item, error) { return scanItem(sc) })
	if err != nil {
		return store.Page[scout.Item]{}, fmt.Errorf("list items of entity %d: %w", entityID, err)
	}
	return pageOf(list, n, func(it scout.Item) any { return idCursor{it.ID} }), nil
}
