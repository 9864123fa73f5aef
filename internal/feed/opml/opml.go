package opml

import (
	"errors"

	"github.com/scoutdev/scout/internal/scout"
)

// Outline is one feed of a subscription list.
type Outline struct {
	Title   string // the outline's title, else its text; whitespace collapsed
	XMLURL  string // the feed URL as written (trimmed), not validated
	HTMLURL string // the site the feed belongs to, if given
	// Categories holds the titles of the folders the feed sits in, outermost
	// first, then the entries of its category attribute, without duplicates.
	Categories []string
}

// Limits applied by Read.
const (
	// MaxDepth is the deepest nesting of outlines Read accepts.
	MaxDepth = 32
	// DefaultMaxBytes is the document size Read allows when given maxBytes <= 0.
	DefaultMaxBytes = 10 << 20
	// DefaultMaxOutlines is the number of feeds Read allows when given maxOutlines <= 0.
	DefaultMaxOutlines = 5000
)

// The kinds of problem Read reports. Every error Read returns for a bad
// document is an *Error whose Kind is one of these; test with errors.Is.
var (
	// ErrNotOPML means the document is not XML with an <opml> root element.
	ErrNotOPML = errors.New("not an OPML document")
	// ErrMalformed means the document is not well-formed XML or uses an unknown charset.
	ErrMalformed = errors.New("malformed OPML document")
	// ErrTooLarge means the document is longer than the allowed number of bytes.
	ErrTooLarge = errors.New("OPML document too large")
	// ErrTooManyFeeds means the document lists more feeds than allowed.
	ErrTooManyFeeds = errors.New("too many feeds in OPML document")
	// ErrTooDeep means outlines or elements are nested deeper than allowed.
	ErrTooDeep = errors.New("OPML document nested too deeply")
)

// Error is a problem with an OPML document, worded for the person who supplied
// it. errors.Is matches both its Kind and scout.ErrInvalid, so the API can
// answer with a client error.
type Error struct {
	Kind   error  // one of ErrNotOPML, ErrMalformed, ErrTooLarge, ErrTooManyFeeds, ErrTooDeep
	Detail string // e.g. "more than 500 feeds"
}

// Error returns "opml: " followed by the detail.
func (e *Error) Error() string { return "opml: " + e.Detail }

// Unwrap exposes the kind and scout.ErrInvalid to errors.Is.
func (e *Error) Unwrap() []error { return []error{e.Kind, scout.ErrInvalid} }
