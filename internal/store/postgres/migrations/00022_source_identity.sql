-- +goose Up
-- A source is identified per owner by its kind, its URL in the form
-- scout.URLKey gives (scheme and host case, default port, fragment) and the
-- fingerprint of its configuration (scout.ConfigKey), so that two spellings
-- of one feed are one source while two Grants.gov searches with different
-- filters at one endpoint are two. The store writes both keys on every
-- create and URL change; rows older than this migration are keyed by the
-- store right after migrating (until then they are left out of the index).
ALTER TABLE sources ADD COLUMN url_key TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN config_key TEXT NOT NULL DEFAULT '';
DROP INDEX sources_owner_url;
CREATE UNIQUE INDEX sources_owner_identity ON sources((COALESCE(owner_id, 0)), kind, url_key, config_key)
    WHERE deleted_at IS NULL AND url_key <> '';
-- Adding a source looks for the owner's own or a public one by URL.
CREATE INDEX sources_url_key ON sources(url_key) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX sources_url_key;
DROP INDEX sources_owner_identity;
CREATE UNIQUE INDEX sources_owner_url ON sources((COALESCE(owner_id, 0)), url) WHERE deleted_at IS NULL;
ALTER TABLE sources DROP COLUMN config_key;
ALTER TABLE sources DROP COLUMN url_key;
