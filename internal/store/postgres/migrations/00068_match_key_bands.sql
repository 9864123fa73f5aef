-- +goose Up
-- The text bands of a sighting's signature became 12 bands of 5 hashes
-- instead of 20 of 3 (match.Bands, match.Rows): the same stored signature,
-- other band keys. A band key of the old cut would never be shared by a new
-- sighting's, and the store deletes a sighting's keys by recomputing them
-- from its features, so the old ones would stay behind. The keys are
-- emptied here and rebuilt from the stored features once the migrations are
-- applied (as after 00061: meta keeps the last sighting id done).
DELETE FROM match_keys;
INSERT INTO meta (key, value) VALUES ('match_keys_rebuilt_to', '0')
    ON CONFLICT (key) DO UPDATE SET value = '0';

-- +goose Down
-- The same: a binary of the cut before rebuilds its own keys from the same
-- stored features.
DELETE FROM match_keys;
INSERT INTO meta (key, value) VALUES ('match_keys_rebuilt_to', '0')
    ON CONFLICT (key) DO UPDATE SET value = '0';
