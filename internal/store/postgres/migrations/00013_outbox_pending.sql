-- +goose Up
-- Writers append their changes here, concurrently and without a lock; a
-- sequencer moves the committed rows into outbox, numbering them in commit
-- order (see internal/store/postgres/outbox.go). outbox.id stays the one
-- number a change cursor holds.
CREATE TABLE outbox_pending (
    pid        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type       TEXT   NOT NULL,
    source_id  BIGINT NOT NULL DEFAULT 0,
    item_id    BIGINT NOT NULL DEFAULT 0,
    owner_id   BIGINT NOT NULL DEFAULT 0,
    visibility TEXT   NOT NULL DEFAULT 'private',
    payload    TEXT   NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);

-- +goose Down
INSERT INTO outbox (type, source_id, item_id, owner_id, visibility, payload, created_at)
    SELECT type, source_id, item_id, owner_id, visibility, payload, created_at FROM outbox_pending ORDER BY pid;
SELECT setval(pg_get_serial_sequence('outbox', 'id'), GREATEST((SELECT MAX(id) FROM outbox), 1));
DROP TABLE outbox_pending;
