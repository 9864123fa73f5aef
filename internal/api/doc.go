// Package api is Scout's HTTP surface: REST v1 operations built with huma
// (one file per resource), their DTOs, the one mapping from errors to RFC 9457
// problem documents, authentication and rate-limit middleware, and the
// operational endpoints (/healthz, /readyz, /metrics, /openapi.json, /docs).
//
// It talks to storage only through store.Store and never imports a store
// engine, app, cli or config: the composition root passes plain values in
// Options.
package api
