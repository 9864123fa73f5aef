-- +goose Up
-- The built-in extractor's values of the fields an enrichment overrides
-- (kind, deadline, amount, with their provenance), kept while an enrichment
-- ranked above the extractor supplies any of them, so that the items
-- columns can hold the effective facet and still fall back when that
-- enrichment changes. Empty while the columns hold the extractor's values.
ALTER TABLE items ADD COLUMN facet_base TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE items DROP COLUMN facet_base;
