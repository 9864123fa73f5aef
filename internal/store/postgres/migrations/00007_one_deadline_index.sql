-- +goose Up
-- Nothing to do: 00007 merges two of SQLite's deadline indexes. Both
-- engines carry every version (see 00006).
SELECT 1;

-- +goose Down
SELECT 1;
