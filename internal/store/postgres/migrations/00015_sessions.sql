-- +goose Up
-- One row per login. token_id is the jti of the one refresh token that may
-- be used next; a refresh replaces it, and presenting an older one revokes
-- the row (reuse of a stolen token).
CREATE TABLE sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_id      TEXT NOT NULL,
    user_agent    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id, id);

-- +goose Down
DROP INDEX sessions_user;
DROP TABLE sessions;
