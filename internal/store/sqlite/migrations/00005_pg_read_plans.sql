-- +goose Up
-- Nothing to do: 00005 changes how PostgreSQL stores the full-text
-- document. Both engines carry every version, so that an import between
-- them finds the same schema version on both sides.
SELECT 1;

-- +goose Down
SELECT 1;
