// Package opml reads and writes OPML subscription lists, the format feed
// readers use to import and export their feeds.
//
// Read accepts OPML 1.0 and 2.0 as found in the wild: any declared charset,
// a byte-order mark, HTML entities, nested folders. It flattens folders into
// categories and bounds the document's size, its number of feeds and its
// nesting depth, so that an uploaded file cannot exhaust memory. Write
// produces OPML 2.0 with one folder per first category.
//
// The package does no I/O beyond the io.Reader and io.Writer it is given and
// does not validate feed URLs: callers check schemes and addresses before
// fetching. It imports only scout and the standard library (plus
// golang.org/x/net/html/charset and golang.org/x/text for charsets); it must not
// import the store, fetch or api packages.
package opml
