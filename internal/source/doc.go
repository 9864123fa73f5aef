// Package source holds the contract every kind of source implements: a
// Collector turns one source, fetched through the shared guarded client,
// into normalized items (feed: RSS/Atom/JSON Feed; html: a listing page
// read with CSS selectors; jsonapi: a JSON API read with JSON paths;
// grantsgov: the Grants.gov Search2 API). A Registry names the kinds,
// decodes and checks each kind's configuration, and dispatches by kind.
//
// The kinds live in subpackages. They fetch only through the Getter they
// are handed (the SSRF guard, size and time caps, per-host politeness and
// error classes of package fetch apply to every hop, pagination and detail
// pages included), and they never write: the ingest pipeline dedupes,
// extracts and stores what they return, the same way for every kind.
//
// It imports scout, fetch and feed; never store, ingest or api.
package source
