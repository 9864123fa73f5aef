-- +goose Up
-- Most items' summary is the start of their plain text, white space
-- collapsed and cut (scout.TextSummary): stored, it was a second copy of
-- that text in the row and in the search vector. summary_from_text marks a
-- row whose summary column is left empty because the summary is derived
-- from content_text on read. Rows stored before this version still hold
-- their summary; Scout clears those that are derived after migrating
-- (BackfillSummaries), walking down from the bound kept in meta, and then
-- removes the bound.
ALTER TABLE items ADD COLUMN summary_from_text BOOLEAN NOT NULL DEFAULT FALSE;
INSERT INTO meta (key, value) SELECT 'summary_backfill_below', (MAX(id) + 1)::text FROM items HAVING COUNT(*) > 0;

-- +goose Down
-- Scout writes the derived summaries back into their rows before it rolls
-- this back (BeforeMigrateDown). Rows still marked, when another tool rolls
-- it back, get theirs collapsed and cut in SQL: the same text but for the
-- word boundary the cut looks for.
UPDATE items SET summary = CASE WHEN length(t) > 500 THEN rtrim(left(t, 500), ' ,;:.-') || '…' ELSE t END
    FROM (SELECT id AS tid, btrim(regexp_replace(content_text, '\s+', ' ', 'g')) AS t FROM items WHERE summary_from_text) x
    WHERE items.id = x.tid;
DELETE FROM meta WHERE key = 'summary_backfill_below';
ALTER TABLE items DROP COLUMN summary_from_text;
