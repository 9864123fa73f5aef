-- +goose Up
-- Digest preferences per user, kept as one JSON document (lists of kinds,
-- disciplines, keywords…) plus the digest cursor.
CREATE TABLE preferences (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    data           TEXT    NOT NULL DEFAULT '{}',
    digest_read_at BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    version        BIGINT  NOT NULL DEFAULT 1
);

-- One row per item whose closing-soon event was written, with the deadline
-- it was written for: a moved deadline is announced again.
CREATE TABLE closing_notices (
    item_id  BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    deadline BIGINT  NOT NULL
);

-- Retention: prune the outbox by age; archive live items past their deadline.
CREATE INDEX outbox_created ON outbox(created_at);
CREATE INDEX items_live_deadline ON items(deadline) WHERE deleted_at IS NULL AND deadline IS NOT NULL;

-- +goose Down
DROP INDEX items_live_deadline;
DROP INDEX outbox_created;
DROP TABLE closing_notices;
DROP TABLE preferences;
