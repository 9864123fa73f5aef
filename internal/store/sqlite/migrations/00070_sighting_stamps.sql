-- +goose Up
-- What a viewer is served of an opportunity (when it last changed, its
-- version, its place among the most recently modified) is worked out from
-- the sightings that viewer may see, never from the opportunity's row,
-- which moved whenever any sighting joined, a private one too. changed_at
-- is when a sighting last changed (written, its item amended, moved by a
-- merge or a split); version counts its changes. A sighting that leaves an
-- opportunity (split off, pruned, archived, dropped by its item, its source
-- deleted) leaves a departure for those who could see it: its source's
-- visibility and owner (0 for none), with the time and the versions it took
-- away plus one, so that what they are served still moves forward.
-- Existing sightings start from their item: its update time and version.
ALTER TABLE sightings ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sightings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE sightings SET
    changed_at = MAX(created_at, COALESCE((SELECT i.updated_at FROM items i WHERE i.id = sightings.item_id), 0)),
    version = COALESCE((SELECT i.version FROM items i WHERE i.id = sightings.item_id), 1);
CREATE TABLE sighting_departures (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    visibility     TEXT    NOT NULL,
    owner_id       INTEGER NOT NULL DEFAULT 0,
    changed_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (opportunity_id, visibility, owner_id)
);

-- The opportunity's own time and version are gone: nothing may serve them.
ALTER TABLE opportunities DROP COLUMN updated_at;
ALTER TABLE opportunities DROP COLUMN version;

-- +goose Down
ALTER TABLE opportunities ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE opportunities SET updated_at = COALESCE((SELECT MAX(g.changed_at) FROM sightings g WHERE g.opportunity_id = opportunities.id), created_at);
DROP TABLE sighting_departures;
ALTER TABLE sightings DROP COLUMN version;
ALTER TABLE sightings DROP COLUMN changed_at;
