-- +goose Up
-- Most items' summary is the start of their plain text, white space
-- collapsed and cut (scout.TextSummary): stored, it was a second copy of
-- that text in the row (about 500 B an item) and in the full-text index
-- (about 200 B). summary_from_text marks a row whose summary column is
-- left empty because the summary is derived from content_text on read.
-- Rows stored before this version still hold their summary; Scout clears
-- those that are derived after migrating (BackfillSummaries), walking down
-- from the bound kept in meta, and then removes the bound.
ALTER TABLE items ADD COLUMN summary_from_text BOOLEAN NOT NULL DEFAULT FALSE;
INSERT INTO meta (key, value) SELECT 'summary_backfill_below', CAST(MAX(id) + 1 AS TEXT) FROM items HAVING COUNT(*) > 0;

-- +goose Down
-- Scout writes the derived summaries back into their rows before it rolls
-- this back (BeforeMigrateDown). Rows still marked, when another tool rolls
-- it back, get theirs collapsed and cut in SQL: the same text but where it
-- held white space other than spaces, tabs and line breaks, and but for the
-- word boundary the cut looks for.
UPDATE items SET summary = (SELECT CASE WHEN length(t) > 500 THEN rtrim(substr(t, 1, 500), ' ,;:.-') || '…' ELSE t END
    FROM (SELECT trim(replace(replace(replace(replace(replace(replace(replace(content_text, char(13), ' '), char(10), ' '), char(9), ' '),
        '    ', ' '), '   ', ' '), '  ', ' '), '  ', ' ')) AS t))
    WHERE summary_from_text;
DELETE FROM meta WHERE key = 'summary_backfill_below';
ALTER TABLE items DROP COLUMN summary_from_text;
