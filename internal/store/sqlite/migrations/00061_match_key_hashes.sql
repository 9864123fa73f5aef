-- +goose Up
-- Blocking keys as 64-bit hashes (match.KeyHashes) in one b-tree, in the
-- order the lookup reads them (a key's newest sightings): no rowid table
-- holding every key a second time, no index by sighting. Without that index
-- a foreign-key cascade would scan the whole table for each deleted
-- sighting, so there is no foreign key: the store deletes a sighting's keys
-- itself, recomputing them from its stored features, and a key left behind
-- names an id no sighting will have again (ids are never reused), which
-- the candidates' read skips. The keys of the stored sightings are rebuilt
-- from their features once the migrations are applied; meta keeps the last
-- sighting id done, and the row goes when all are.
DROP TABLE match_keys;
CREATE TABLE match_keys (
    key         INTEGER NOT NULL,
    sighting_id INTEGER NOT NULL,
    PRIMARY KEY (key, sighting_id)
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('match_keys_rebuilt_to', '0')
    ON CONFLICT (key) DO UPDATE SET value = '0';

-- +goose Down
-- The text keys cannot be recovered from their hashes: the table comes back
-- empty, and the sightings stored before are found as candidates again only
-- once re-fetched items refresh their keys.
DELETE FROM meta WHERE key = 'match_keys_rebuilt_to';
DROP TABLE match_keys;
CREATE TABLE match_keys (
    key         TEXT    NOT NULL,
    sighting_id INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    PRIMARY KEY (key, sighting_id)
);
CREATE INDEX match_keys_sighting ON match_keys(sighting_id);
