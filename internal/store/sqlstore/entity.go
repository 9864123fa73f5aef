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
	page, err := idPage(ctx, s, `SELECT `+entityCols+` FROM entities e`, "id", false, a, conds, f.PageRequest, scanEntity,
		func(e scout.Entity) int64 { return e.ID })
	if err != nil {
		return page, fmt.Errorf("list entities: %w", err)
	}
	return page, nil
}

// ListEntityItems returns the visible live items linked to an entity, newest
// id first. The item ids come from the item_entities_entity index.
func (s *Store) ListEntityItems(ctx context.Context, entityID int64, v store.Viewer, p store.PageRequest) (store.Page[scout.Item], error) {
	var a args
	conds := []string{"i.deleted_at IS NULL", visibleSource(&a, v),
		"i.id IN (SELECT ie.item_id FROM item_entities ie WHERE ie.entity_id = " + a.add(entityID) + ")"}
	page, err := idPage(ctx, s, `SELECT `+itemCols+` FROM items i JOIN sources s ON s.id = i.source_id`, "i.id", true, a, conds, p,
		func(sc interface{ Scan(...any) error }) (scout.Item, error) { return scanItem(sc) },
		func(it scout.Item) int64 { return it.ID })
	if err != nil {
		return page, fmt.Errorf("list items of entity %d: %w", entityID, err)
	}
	return page, nil
}
