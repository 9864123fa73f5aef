// Package ingest runs the pipeline for one source, once: fetch (conditional
// GET through the guarded client), parse and normalize, enrich (the built-in
// extractor), and commit the items with the source's new fetch state in one
// store transaction. It turns every failure into a classified scout.FetchLog
// and decides when the source is due next (adaptive interval, Retry-After,
// exponential backoff with jitter).
//
// It imports scout, fetch, feed and store; enrichers (such as package
// extract's rules) come in through the Enricher interface it declares. It never panics on
// hostile input: a bad feed marks its own source as failing.
package ingest
