// Package discover finds the feeds a web page points to, for the "add a
// source from a page URL" flow.
//
// It is pure: it reads page bytes the caller fetched and returns candidate
// URLs, never fetching anything itself. FromHTML reads <link rel="alternate">
// declarations and, failing those, links that look like feeds; CommonPaths
// lists the usual feed locations to probe when a page declares none; and
// LooksLikeFeed tells a feed from an HTML page by its first bytes.
//
// Every URL it returns is absolute http or https and carries no credentials;
// whether its address may be fetched is for the fetch package to decide. The
// package imports only scout and golang.org/x/net and x/text; it must not
// import fetch, store or api.
package discover
