// Package schedule decides when sources are fetched and how many at once:
// a dispatcher leases due sources from the store (so any number of
// schedulers, on any number of replicas, never fetch a source twice at
// once) and hands them to a fixed pool of workers.
//
// It imports scout and declares the two interfaces it needs: Claimer (the
// store's lease) and Ingester (the pipeline for one source).
package schedule
