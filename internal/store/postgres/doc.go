// Package postgres is the PostgreSQL engine of the store: a pgx pool exposed
// as *sql.DB to the shared SQL in sqlstore, a generated tsvector column with a
// GIN index for search, FOR UPDATE SKIP LOCKED for lease claims, and goose
// migrations taken under an advisory lock so that replicas starting together
// migrate once. It also moves an embedded SQLite installation's rows in
// (Import).
//
// postgres imports store and sqlstore; it never imports another engine.
package postgres
