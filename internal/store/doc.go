// Package store declares the storage contract of Scout: the Store interface,
// its filters, update types and cursor pagination. Implementations live in
// subpackages (sqlite, postgres) and share SQL through sqlstore; storetest
// is the conformance suite every implementation must pass.
//
// store imports only scout. It never imports an engine: app chooses one.
package store
