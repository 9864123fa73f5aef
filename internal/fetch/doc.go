// Package fetch is Scout's one outbound HTTP client, used to fetch feeds and to
// discover feeds from web pages.
//
// It owns everything about talking to other people's servers: the dial-time
// address policy that keeps user-supplied URLs away from loopback, private,
// link-local and cloud-metadata addresses (on every connection and every
// redirect hop), conditional GET, gzip, caps on time, header size, body size
// (after decompression) and redirects, per-host and global concurrency limits,
// spacing between requests to one host, and the classification of failures
// into scout.ErrorClass values.
//
// Retrying is not its job: a failed fetch returns a *Error carrying hints
// (status code, Retry-After) and the scheduler decides when to try again.
//
// It imports only the domain package scout (and, later, metrics). It must not
// import store, feed, ingest, schedule or api: those packages use it.
package fetch
