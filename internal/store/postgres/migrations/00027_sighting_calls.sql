-- +goose Up
-- A sighting of one of several calls a newsletter item announces carries
-- what was read from its own span: its title, its facet (JSON, the shape
-- of the item's opportunity facet) and its deadline, by which lists sort.
-- A sighting of a whole item leaves them empty and reads its item's.
ALTER TABLE sightings ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE sightings ADD COLUMN facet TEXT NOT NULL DEFAULT '';
ALTER TABLE sightings ADD COLUMN deadline BIGINT;

-- +goose Down
ALTER TABLE sightings DROP COLUMN deadline;
ALTER TABLE sightings DROP COLUMN facet;
ALTER TABLE sightings DROP COLUMN title;
