-- +goose Up
-- Users who sign in through an external identity provider: the issuer and
-- subject the provider vouches for, linked to one Scout user.
CREATE TABLE user_identities (
    identity   TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX user_identities_user ON user_identities(user_id);

-- +goose Down
DROP INDEX user_identities_user;
DROP TABLE user_identities;
