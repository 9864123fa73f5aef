// Package feed turns the bytes of a fetched feed into normalized scout.Items.
//
// It owns decoding (byte order marks, declared and HTTP charsets, a
// windows-1252 fallback), the guards that run before the third-party parser
// (nesting depth, "this is an HTML page"), parsing RSS 0.9x to 2.0, Atom 0.3
// and 1.0 and JSON Feed 1.0 and 1.1, and normalization: plain-text titles and
// summaries, absolute canonical URLs, sanitized HTML, UTC dates in a sane
// range, field and item caps, and the content hash that detects edits.
//
// Item identity and edits: GUID is the feed's guid, atom:id, JSON Feed id
// or RSS 1.0 rdf:about, trimmed (never derived from the link); URL is the
// canonical link. ContentHash is the hex SHA-256 of the title, the canonical
// URL and the plain text of the content, separated by NUL bytes: a change
// to any of these is an edit, while changes to markup alone, dates, author,
// categories, enclosures or tracking parameters are not.
//
// It does no I/O: fetching belongs to package fetch, deduplication to
// package ingest. It imports no internal package but scout. OPML and feed
// discovery live in the subpackages opml and discover.
package feed
