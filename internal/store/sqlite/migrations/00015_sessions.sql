-- +goose Up
-- One row per login. token_id is the jti of the one refresh token that may
-- be used next; a refresh replaces it, and presenting an older one revokes
-- the row (reuse of a stolen token).
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_id      TEXT NOT NULL,
    user_agent    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id, id);

-- +goose Down
DROP INDEX sessions_user;
DROP TABLE sessions;
