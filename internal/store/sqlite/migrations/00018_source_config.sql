-- +goose Up
-- A source of a kind other than feed carries its configuration (selectors,
-- JSON paths, search filters) as a JSON object, and the hash of the last
-- listing page it read: a page without validators that has not changed
-- since is not parsed, followed or written again.
ALTER TABLE sources ADD COLUMN config TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN page_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sources DROP COLUMN page_hash;
ALTER TABLE sources DROP COLUMN config;
