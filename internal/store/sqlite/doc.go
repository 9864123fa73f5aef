// Package sqlite is the embedded store: SQLite through modernc.org/sqlite
// (pure Go), in WAL mode with one writer connection running immediate
// transactions and a separate pool of read-only readers, FTS5 for search,
// and goose migrations embedded from migrations/.
//
// It imports scout, store and store/sqlstore; never another engine.
package sqlite
