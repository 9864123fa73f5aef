-- +goose Up
-- Times are INTEGER microseconds since the Unix epoch (UTC), NULL when absent,
-- so that one SQL text compares and buckets them the same way on every engine.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL DEFAULT '',
    admin         BOOLEAN NOT NULL DEFAULT FALSE,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    feed_token    TEXT    UNIQUE,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL DEFAULT '',
    prefix       TEXT    NOT NULL UNIQUE,
    hash         BLOB    NOT NULL UNIQUE,
    scopes       TEXT    NOT NULL DEFAULT '',
    last_used_at INTEGER,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX api_keys_user ON api_keys(user_id, id);

CREATE TABLE sources (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id         INTEGER REFERENCES users(id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL DEFAULT 'feed',
    url              TEXT    NOT NULL,
    site_url         TEXT    NOT NULL DEFAULT '',
    title            TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    visibility       TEXT    NOT NULL DEFAULT 'private',
    paused           BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT    NOT NULL DEFAULT 'ok',
    min_interval_s   INTEGER NOT NULL DEFAULT 0,
    max_interval_s   INTEGER NOT NULL DEFAULT 0,
    etag             TEXT    NOT NULL DEFAULT '',
    last_modified    TEXT    NOT NULL DEFAULT '',
    interval_s       INTEGER NOT NULL DEFAULT 0,
    next_fetch_at    INTEGER NOT NULL,
    lease_until      INTEGER,
    last_fetched_at  INTEGER,
    last_success_at  INTEGER,
    error_count      INTEGER NOT NULL DEFAULT 0,
    last_error_class TEXT    NOT NULL DEFAULT '',
    last_error       TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    deleted_at       INTEGER,
    version          INTEGER NOT NULL DEFAULT 1
);
-- One live source per owner and URL (owner 0 stands for the installation).
CREATE UNIQUE INDEX sources_owner_url ON sources(COALESCE(owner_id, 0), url) WHERE deleted_at IS NULL;
-- The scheduler's claim: due, live, unpaused, not retired.
CREATE INDEX sources_due ON sources(next_fetch_at) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';
CREATE INDEX sources_owner ON sources(owner_id, id);
CREATE INDEX sources_updated ON sources(updated_at, id);

CREATE TABLE source_tags (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    tag       TEXT    NOT NULL,
    PRIMARY KEY (source_id, tag)
);
CREATE INDEX source_tags_tag ON source_tags(tag, source_id);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id       INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    key             TEXT    NOT NULL,
    guid            TEXT    NOT NULL DEFAULT '',
    url             TEXT    NOT NULL DEFAULT '',
    title           TEXT    NOT NULL DEFAULT '',
    summary         TEXT    NOT NULL DEFAULT '',
    content_html    TEXT    NOT NULL DEFAULT '',
    content_text    TEXT    NOT NULL DEFAULT '',
    author          TEXT    NOT NULL DEFAULT '',
    image_url       TEXT    NOT NULL DEFAULT '',
    published_at    INTEGER NOT NULL,
    date_estimated  BOOLEAN NOT NULL DEFAULT FALSE,
    enclosures      TEXT    NOT NULL DEFAULT '[]',
    categories      TEXT    NOT NULL DEFAULT '[]',
    content_hash    TEXT    NOT NULL DEFAULT '',
    kind            TEXT    NOT NULL DEFAULT '',
    kind_confidence REAL    NOT NULL DEFAULT 0,
    deadline        INTEGER,
    opens_at        INTEGER,
    rolling         BOOLEAN NOT NULL DEFAULT FALSE,
    amount_min      INTEGER NOT NULL DEFAULT 0,
    amount_max      INTEGER NOT NULL DEFAULT 0,
    currency        TEXT    NOT NULL DEFAULT '',
    funder          TEXT    NOT NULL DEFAULT '',
    location        TEXT    NOT NULL DEFAULT '',
    eligibility     TEXT    NOT NULL DEFAULT '[]',
    disciplines     TEXT    NOT NULL DEFAULT '[]',
    extractor       TEXT    NOT NULL DEFAULT '',
    provenance      TEXT    NOT NULL DEFAULT '{}',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    deleted_at      INTEGER,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX items_source_key ON items(source_id, key);
CREATE INDEX items_source_url ON items(source_id, url) WHERE url <> '';
CREATE INDEX items_published ON items(published_at DESC, id DESC);
CREATE INDEX items_source_published ON items(source_id, published_at DESC, id DESC);
CREATE INDEX items_deadline ON items(deadline, id) WHERE deadline IS NOT NULL;
CREATE INDEX items_kind_published ON items(kind, published_at DESC, id DESC);
CREATE INDEX items_updated ON items(updated_at, id);

-- Full-text index over the item text, kept by triggers (external content).
CREATE VIRTUAL TABLE items_fts USING fts5(
    title, summary, content_text, funder,
    content='items', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
-- +goose StatementBegin
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, summary, content_text, funder)
    VALUES (new.id, new.title, new.summary, new.content_text, new.funder);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content_text, funder)
    VALUES ('delete', old.id, old.title, old.summary, old.content_text, old.funder);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, content_text, funder ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content_text, funder)
    VALUES ('delete', old.id, old.title, old.summary, old.content_text, old.funder);
    INSERT INTO items_fts(rowid, title, summary, content_text, funder)
    VALUES (new.id, new.title, new.summary, new.content_text, new.funder);
END;
-- +goose StatementEnd

CREATE TABLE entities (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    type       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (type, key)
);

CREATE TABLE item_entities (
    item_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,
    confidence REAL    NOT NULL DEFAULT 0,
    span       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, entity_id, role)
);
CREATE INDEX item_entities_entity ON item_entities(entity_id, item_id);

CREATE TABLE enrichments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    enricher    TEXT    NOT NULL,
    data        TEXT    NOT NULL DEFAULT '{}',
    lease_until INTEGER,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (item_id, enricher)
);
CREATE INDEX enrichments_enricher ON enrichments(enricher, done, lease_until);

CREATE TABLE fetches (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    started_at    INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL DEFAULT 0,
    status_code   INTEGER NOT NULL DEFAULT 0,
    bytes         INTEGER NOT NULL DEFAULT 0,
    not_modified  BOOLEAN NOT NULL DEFAULT FALSE,
    items_seen    INTEGER NOT NULL DEFAULT 0,
    items_new     INTEGER NOT NULL DEFAULT 0,
    items_updated INTEGER NOT NULL DEFAULT 0,
    error_class   TEXT    NOT NULL DEFAULT '',
    error         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX fetches_source ON fetches(source_id, id DESC);
CREATE INDEX fetches_started ON fetches(started_at);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    type       TEXT    NOT NULL,
    source_id  INTEGER NOT NULL DEFAULT 0,
    item_id    INTEGER NOT NULL DEFAULT 0,
    owner_id   INTEGER NOT NULL DEFAULT 0,
    visibility TEXT    NOT NULL DEFAULT 'private',
    payload    TEXT    NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    relayed_at INTEGER
);
CREATE INDEX outbox_unrelayed ON outbox(id) WHERE relayed_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE fetches;
DROP TABLE enrichments;
DROP TABLE item_entities;
DROP TABLE entities;
DROP TRIGGER items_fts_update;
DROP TRIGGER items_fts_delete;
DROP TRIGGER items_fts_insert;
DROP TABLE items_fts;
DROP TABLE items;
DROP TABLE source_tags;
DROP TABLE sources;
DROP TABLE api_keys;
DROP TABLE users;
DROP TABLE meta;
