-- +goose Up
-- A sighting's features now keep their signature and word hashes as base64
-- text (match.Hashes), not arrays of decimal numbers: about half the bytes.
-- Rows stored before are read in either shape; Scout rewrites them after
-- migrating (BackfillFeatures), walking down from the bound kept in meta,
-- and then removes the bound.
INSERT INTO meta (key, value) SELECT 'features_compact_below', (MAX(id) + 1)::text FROM sightings HAVING COUNT(*) > 0;

-- +goose Down
-- Scout writes the hashes back as arrays of numbers, the shape older
-- versions read, before it rolls this back (BeforeMigrateDown); rolled back
-- by another tool, rows keep the base64 text, which older versions cannot
-- match on.
DELETE FROM meta WHERE key = 'features_compact_below';
