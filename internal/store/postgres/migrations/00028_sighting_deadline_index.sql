-- +goose Up
-- The calls of newsletters are counted among upcoming deadlines by their
-- own deadline: a range scan of this index, like items_deadline for items.
CREATE INDEX sightings_deadline ON sightings(deadline) WHERE deadline IS NOT NULL;

-- +goose Down
DROP INDEX sightings_deadline;
