-- +goose Up
-- This schema mirrors store/sqlite/migrations/00001_init.sql column for
-- column, so that the shared SQL in sqlstore reads and writes both alike.
-- Times are BIGINT microseconds since the Unix epoch (UTC), NULL when absent.
-- Text that is compared by range or sorted on the server uses COLLATE "C",
-- the byte order SQLite uses, whatever the database's default collation.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL DEFAULT '',
    admin         BOOLEAN NOT NULL DEFAULT FALSE,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    feed_token    TEXT    UNIQUE,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    version       BIGINT  NOT NULL DEFAULT 1
);

CREATE TABLE api_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT   NOT NULL DEFAULT '',
    prefix       TEXT   NOT NULL UNIQUE,
    hash         BYTEA  NOT NULL UNIQUE,
    scopes       TEXT   NOT NULL DEFAULT '',
    last_used_at BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX api_keys_user ON api_keys(user_id, id);

CREATE TABLE sources (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id         BIGINT  REFERENCES users(id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL DEFAULT 'feed',
    url              TEXT    NOT NULL,
    site_url         TEXT    NOT NULL DEFAULT '',
    title            TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    visibility       TEXT    NOT NULL DEFAULT 'private',
    paused           BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT    NOT NULL DEFAULT 'ok',
    min_interval_s   BIGINT  NOT NULL DEFAULT 0,
    max_interval_s   BIGINT  NOT NULL DEFAULT 0,
    etag             TEXT    NOT NULL DEFAULT '',
    last_modified    TEXT    NOT NULL DEFAULT '',
    interval_s       BIGINT  NOT NULL DEFAULT 0,
    next_fetch_at    BIGINT  NOT NULL,
    lease_until      BIGINT,
    last_fetched_at  BIGINT,
    last_success_at  BIGINT,
    error_count      BIGINT  NOT NULL DEFAULT 0,
    last_error_class TEXT    NOT NULL DEFAULT '',
    last_error       TEXT    NOT NULL DEFAULT '',
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    deleted_at       BIGINT,
    version          BIGINT  NOT NULL DEFAULT 1
);
-- One live source per owner and URL (owner 0 stands for the installation).
CREATE UNIQUE INDEX sources_owner_url ON sources((COALESCE(owner_id, 0)), url) WHERE deleted_at IS NULL;
-- The scheduler's claim: due, live, unpaused, not retired.
CREATE INDEX sources_due ON sources(next_fetch_at) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';
CREATE INDEX sources_owner ON sources(owner_id, id);
CREATE INDEX sources_updated ON sources(updated_at, id);

CREATE TABLE source_tags (
    source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    tag       TEXT   NOT NULL COLLATE "C",
    PRIMARY KEY (source_id, tag)
);
CREATE INDEX source_tags_tag ON source_tags(tag, source_id);

CREATE TABLE items (
    id              BIGINT           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id       BIGINT           NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    key             TEXT             NOT NULL,
    guid            TEXT             NOT NULL DEFAULT '',
    url             TEXT             NOT NULL DEFAULT '',
    title           TEXT             NOT NULL DEFAULT '',
    summary         TEXT             NOT NULL DEFAULT '',
    content_html    TEXT             NOT NULL DEFAULT '',
    content_text    TEXT             NOT NULL DEFAULT '',
    author          TEXT             NOT NULL DEFAULT '',
    image_url       TEXT             NOT NULL DEFAULT '',
    published_at    BIGINT           NOT NULL,
    date_estimated  BOOLEAN          NOT NULL DEFAULT FALSE,
    enclosures      TEXT             NOT NULL DEFAULT '[]',
    categories      TEXT             NOT NULL DEFAULT '[]',
    content_hash    TEXT             NOT NULL DEFAULT '',
    kind            TEXT             NOT NULL DEFAULT '',
    kind_confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    deadline        BIGINT,
    opens_at        BIGINT,
    rolling         BOOLEAN          NOT NULL DEFAULT FALSE,
    amount_min      BIGINT           NOT NULL DEFAULT 0,
    amount_max      BIGINT           NOT NULL DEFAULT 0,
    currency        TEXT             NOT NULL DEFAULT '',
    funder          TEXT             NOT NULL DEFAULT '',
    location        TEXT             NOT NULL DEFAULT '',
    eligibility     TEXT             NOT NULL DEFAULT '[]',
    disciplines     TEXT             NOT NULL DEFAULT '[]',
    extractor       TEXT             NOT NULL DEFAULT '',
    provenance      TEXT             NOT NULL DEFAULT '{}',
    created_at      BIGINT           NOT NULL,
    updated_at      BIGINT           NOT NULL,
    deleted_at      BIGINT,
    version         BIGINT           NOT NULL DEFAULT 1,
    -- The full-text document, weighted like SQLite's bm25 columns: title
    -- first, then funder, summary and body.
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', funder), 'B') ||
        setweight(to_tsvector('english', summary), 'C') ||
        setweight(to_tsvector('english', content_text), 'D')
    ) STORED
);
CREATE UNIQUE INDEX items_source_key ON items(source_id, key);
CREATE INDEX items_source_url ON items(source_id, url) WHERE url <> '';
CREATE INDEX items_published ON items(published_at DESC, id DESC);
CREATE INDEX items_source_published ON items(source_id, published_at DESC, id DESC);
CREATE INDEX items_deadline ON items(deadline, id) WHERE deadline IS NOT NULL;
CREATE INDEX items_kind_published ON items(kind, published_at DESC, id DESC);
CREATE INDEX items_updated ON items(updated_at, id);
CREATE INDEX items_tsv ON items USING GIN (tsv);

CREATE TABLE entities (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type       TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    key        TEXT   NOT NULL COLLATE "C",
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    UNIQUE (type, key)
);

CREATE TABLE item_entities (
    item_id    BIGINT           NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    entity_id  BIGINT           NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role       TEXT             NOT NULL COLLATE "C",
    confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    span       TEXT             NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, entity_id, role)
);
CREATE INDEX item_entities_entity ON item_entities(entity_id, item_id);

CREATE TABLE enrichments (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id     BIGINT  NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    enricher    TEXT    NOT NULL COLLATE "C",
    data        TEXT    NOT NULL DEFAULT '{}',
    lease_until BIGINT,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL DEFAULT 1,
    UNIQUE (item_id, enricher)
);
CREATE INDEX enrichments_enricher ON enrichments(enricher, done, lease_until);

CREATE TABLE fetches (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id     BIGINT  NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    started_at    BIGINT  NOT NULL,
    duration_ms   BIGINT  NOT NULL DEFAULT 0,
    status_code   BIGINT  NOT NULL DEFAULT 0,
    bytes         BIGINT  NOT NULL DEFAULT 0,
    not_modified  BOOLEAN NOT NULL DEFAULT FALSE,
    items_seen    BIGINT  NOT NULL DEFAULT 0,
    items_new     BIGINT  NOT NULL DEFAULT 0,
    items_updated BIGINT  NOT NULL DEFAULT 0,
    error_class   TEXT    NOT NULL DEFAULT '',
    error         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX fetches_source ON fetches(source_id, id DESC);
CREATE INDEX fetches_started ON fetches(started_at);

CREATE TABLE outbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type       TEXT   NOT NULL,
    source_id  BIGINT NOT NULL DEFAULT 0,
    item_id    BIGINT NOT NULL DEFAULT 0,
    owner_id   BIGINT NOT NULL DEFAULT 0,
    visibility TEXT   NOT NULL DEFAULT 'private',
    payload    TEXT   NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    relayed_at BIGINT
);
CREATE INDEX outbox_unrelayed ON outbox(id) WHERE relayed_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE fetches;
DROP TABLE enrichments;
DROP TABLE item_entities;
DROP TABLE entities;
DROP TABLE items;
DROP TABLE source_tags;
DROP TABLE sources;
DROP TABLE api_keys;
DROP TABLE users;
DROP TABLE meta;
