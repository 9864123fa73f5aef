// Package scout is Scout's domain vocabulary: sources, items, opportunities,
// entities, enrichments, users, API keys, fetch logs and events, plus the
// sentinel errors every other package uses to say what kind of failure
// happened.
//
// It imports nothing but the standard library, and every other internal
// package may import it. Storage details (SQL types, cursors) never appear here.
package scout
