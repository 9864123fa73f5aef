-- +goose Up
-- Host-aware claims. Each source carries the host it is fetched from (its
-- URL's scout.HostKey, written by the store on create and on every URL
-- change; rows older than this migration are filled in by the store right
-- after migrating), so that a claim can hand out only sources whose host has
-- a free slot. A host's fetches in flight are its sources with an unexpired
-- lease: a replica that dies gives its host slots back when its leases
-- expire, with nothing to clean up. hosts keeps the spacing between the
-- starts of two fetches to one host.
ALTER TABLE sources ADD COLUMN host TEXT NOT NULL DEFAULT '';
-- priority > 0 puts a source at the head of its host's queue ("fetch now").
ALTER TABLE sources ADD COLUMN priority BIGINT NOT NULL DEFAULT 0;
CREATE TABLE hosts (
    host            TEXT    PRIMARY KEY,
    next_allowed_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX sources_leased ON sources(lease_until, host) WHERE lease_until IS NOT NULL;
CREATE INDEX sources_host_due ON sources(host, next_fetch_at) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';

-- +goose Down
DROP INDEX sources_host_due;
DROP INDEX sources_leased;
DROP TABLE hosts;
ALTER TABLE sources DROP COLUMN priority;
ALTER TABLE sources DROP COLUMN host;
