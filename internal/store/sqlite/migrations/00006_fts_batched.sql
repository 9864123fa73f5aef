-- +goose Up
-- New items reach the full-text index in one statement per write
-- transaction (see IndexText in dialect.go) instead of through a trigger
-- per row. The trigger made every INSERT INTO items a multi-statement
-- write, which opens a statement savepoint, and FTS5 writes its pending
-- terms to disk as a new segment at every savepoint: one segment per item,
-- merged again and again, a quarter of the cost of storing an item. One
-- INSERT … SELECT per transaction leaves one segment per transaction.
-- Updates and deletes keep their triggers: they are rare, and FTS5 must see
-- the old values to remove them.
DROP TRIGGER items_fts_insert;

-- +goose Down
-- +goose StatementBegin
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, summary, content_text, funder)
    VALUES (new.id, new.title, new.summary, new.content_text, new.funder);
END;
-- +goose StatementEnd
