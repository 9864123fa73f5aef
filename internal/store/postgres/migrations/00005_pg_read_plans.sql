-- +goose Up
-- Keep the full-text document in the items row. Under the default storage
-- the tsvector, the widest column, went to the TOAST table, so matching or
-- ranking a hit fetched it through the TOAST index: ranking "grant" over a
-- quarter of 100,000 items read 400,000 buffers and took 3.5 s, against
-- 25,000 buffers and 0.6 s with the document in the row. MAIN still lets
-- the bodies (content_html, content_text), which only a single item's view
-- reads, leave the row first. Rows written before keep their document where
-- it is until they are written again.
ALTER TABLE items ALTER COLUMN tsv SET STORAGE MAIN;

-- +goose Down
ALTER TABLE items ALTER COLUMN tsv SET STORAGE EXTENDED;
