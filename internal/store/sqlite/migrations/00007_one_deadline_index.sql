-- +goose Up
-- Two partial indexes ordered items by deadline: items_deadline (deadline,
-- id) for lists by deadline and items_live_deadline (deadline, source_id)
-- for counting upcoming deadlines. Every query that walks deadlines also
-- asks for live items, so one index of live items carrying both id and
-- source_id serves them all, and each stored item updates one index fewer.
DROP INDEX items_deadline;
DROP INDEX items_live_deadline;
CREATE INDEX items_live_deadline ON items(deadline, id, source_id) WHERE deleted_at IS NULL AND deadline IS NOT NULL;

-- +goose Down
DROP INDEX items_live_deadline;
CREATE INDEX items_live_deadline ON items(deadline, source_id) WHERE deleted_at IS NULL AND deadline IS NOT NULL;
CREATE INDEX items_deadline ON items(deadline, id) WHERE deadline IS NOT NULL;
