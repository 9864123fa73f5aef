-- +goose Up
-- Nothing to do: 00006 changes how SQLite writes its full-text index;
-- PostgreSQL's document is a generated column. Both engines carry every
-- version, so that an import between them finds the same schema version on
-- both sides.
SELECT 1;

-- +goose Down
SELECT 1;
