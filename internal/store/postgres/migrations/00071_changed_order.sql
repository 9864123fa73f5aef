-- +goose Up
-- The most recently modified opportunities a viewer sees are read from the
-- newest sighting changes and departures down (ListModifiedOpportunities),
-- so that a page costs the rows above it, not a pass over the store.
CREATE INDEX sightings_changed ON sightings(changed_at, id);
CREATE INDEX sighting_departures_changed ON sighting_departures(changed_at);

-- +goose Down
DROP INDEX sighting_departures_changed;
DROP INDEX sightings_changed;
