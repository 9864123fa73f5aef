// Package sqlstore implements store.Store once, in the SQL subset that SQLite
// and PostgreSQL share ($N placeholders, INSERT … ON CONFLICT … RETURNING,
// keyset pagination, times as integer microseconds). Each engine supplies a
// Dialect for the few statements that differ: full-text search, the lease
// claim's row locking and driver-error translation.
//
// sqlstore imports scout and store, never an engine package.
package sqlstore
