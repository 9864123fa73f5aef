// Package feed turns the bytes of a fetched feed into normalized scout.Items.
//
// It owns decoding (byte order marks, declared and HTTP charsets, a
// windows-1252 fallback), the guards that run before the third-party parser
// (nesting depth, "this is an HTML page"), parsing RSS 0.9x to 2.0, Atom 0.3
// and 1.0 and JSON Feed 1.0 and 1.1, and normalization: plain-text titles and
// summaries, absolute canonical URLs, sanitized HTML, UTC dates in a sane
// range, field and item caps, and the content hash that detects edits.
//
// It does no I/O: fetching belongs to package fetch, deduplication to
// package ingest. It imports no internal package but scout. OPML and feed
// discovery live in the subpackages opml and discover.
package feed
