-- +goose Up
-- Stats counts the items of the last 90 days per kind and deadline status
-- by walking items_source_published for each visible source; without the
-- facet columns in the index every recent item's row was looked up in the
-- table's B-tree (one random lookup per item, about two thirds of the time
-- of /v1/stats). Carrying kind, deadline, opens_at, rolling and
-- deleted_at makes that walk index-only. The key's prefix is unchanged, so
-- the queries that used the index still do. The deadline index gains
-- source_id so that counting upcoming deadlines per visible source reads no
-- rows either.
DROP INDEX items_source_published;
CREATE INDEX items_source_published ON items(source_id, published_at DESC, id DESC, kind, deadline, opens_at, rolling, deleted_at);
DROP INDEX items_live_deadline;
CREATE INDEX items_live_deadline ON items(deadline, source_id) WHERE deleted_at IS NULL AND deadline IS NOT NULL;

-- +goose Down
DROP INDEX items_live_deadline;
CREATE INDEX items_live_deadline ON items(deadline) WHERE deleted_at IS NULL AND deadline IS NOT NULL;
DROP INDEX items_source_published;
CREATE INDEX items_source_published ON items(source_id, published_at DESC, id DESC);
