-- +goose Up
-- The amendments of each item: for every version whose extracted facts
-- changed, the changes (field, old, new) as JSON. Written in the same
-- transaction as the version and its opportunity.amended event.
CREATE TABLE item_versions (
    item_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    changes    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, version)
);

-- +goose Down
DROP TABLE item_versions;
