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
ALTER TABLE sightings ADD COLUMN changed_at BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE sightings g SET changed_at = GREATEST(g.created_at, i.updated_at), version = i.version
    FROM items i WHERE i.id = g.item_id;
CREATE TABLE sighting_departures (
    opportunity_id BIGINT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    visibility     TEXT   NOT NULL,
    owner_id       BIGINT NOT NULL DEFAULT 0,
    changed_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    PRIMARY KEY (opportunity_id, visibility, owner_id)
);

-- The opportunity's own time and version are gone: nothing may serve them.
ALTER TABLE opportunities DROP COLUMN updated_at, DROP COLUMN version;

-- +goose Down
ALTER TABLE opportunities ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0, ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE opportunities o SET updated_at = COALESCE((SELECT MAX(g.changed_at) FROM sightings g WHERE g.opportunity_id = o.id), o.created_at);
DROP TABLE sighting_departures;
ALTER TABLE sightings DROP COLUMN version, DROP COLUMN changed_at;
