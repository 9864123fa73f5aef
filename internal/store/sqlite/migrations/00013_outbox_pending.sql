-- +goose Up
-- PostgreSQL only: SQLite's single writer hands out outbox ids in commit order.
SELECT 1;

-- +goose Down
SELECT 1;
