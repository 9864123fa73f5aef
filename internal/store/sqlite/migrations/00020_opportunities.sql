-- +goose Up
-- An opportunity is one real call; a sighting is one place it was seen (an
-- item, or a part of a newsletter item that announces several calls).
CREATE TABLE opportunities (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

-- features is the matcher's view of the sighting (JSON), so that candidates
-- are judged without reading their items; pinned is an operator's decision
-- ('merged' or 'split') that re-fetches never undo.
CREATE TABLE sightings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    part           INTEGER NOT NULL DEFAULT 0,
    span           TEXT    NOT NULL DEFAULT '',
    confidence     REAL    NOT NULL DEFAULT 1,
    evidence       TEXT    NOT NULL DEFAULT '[]',
    features       TEXT    NOT NULL DEFAULT '',
    pinned         TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX sightings_item ON sightings(item_id, part);
CREATE INDEX sightings_opportunity ON sightings(opportunity_id, item_id);

-- Blocking keys: a new sighting is compared only with the newest sightings
-- that share one of its keys, so the cost per item stays flat.
CREATE TABLE match_keys (
    key         TEXT    NOT NULL,
    sighting_id INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    PRIMARY KEY (key, sighting_id)
);
CREATE INDEX match_keys_sighting ON match_keys(sighting_id);

-- Every stored opportunity becomes an opportunity with one sighting; the
-- matcher fills features and keys for them in the background.
INSERT INTO opportunities (id, created_at, updated_at)
    SELECT id, created_at, updated_at FROM items WHERE kind NOT IN ('', 'none') AND deleted_at IS NULL;
INSERT INTO sightings (opportunity_id, item_id, created_at)
    SELECT id, id, created_at FROM items WHERE kind NOT IN ('', 'none') AND deleted_at IS NULL;

-- +goose Down
DROP TABLE match_keys;
DROP TABLE sightings;
DROP TABLE opportunities;
