package opml

import (
	"errors"

	"github.com/scoutdev/scout/internal/scout"
)

// Namespace is the XML namespace of Scout's own outline attributes, which
// carry a source that is not a feed (kind and config), so that an export
// imports back into Scout as it was while other readers see a link.
const Namespace = "https://github.com/scoutdev/scout/opml"

// Outline is one feed of a subscription list, or one source of another
// kind of Scout's.
type Outline struct {
	Title   string // the outline's title, else its text; whitespace collapsed
	XMLURL  string // the feed URL as written (trimmed), not validated; a non-feed source's URL
	HTMLURL string // the site the feed belongs to, if given
	// Kind is the source's kind when it is not a feed ("html", "json",
	// "grantsgov"; empty for a feed), and Config its configuration as JSON,
	// unchecked. Write puts them in Namespace's kind and config attributes
	// of an outline of type "link" whose url is XMLURL; Read takes any
	// outline with a kind attribute in that namespace.
	Kind   string
	Config string
	// Categories holds the titles of the folders the feed sits in, outermost
	// first, then the entries of its category attribute, without duplicates.
	Categories []string
}

// SourceOutline is a stored source as an outline: a feed, or a source of
// another kind with its kind and configuration, so that a list written
// from sources imports back as they were.
func SourceOutline(s scout.Source) Outline {
	o := Outline{Title: s.Title, XMLURL: s.URL, HTMLURL: s.SiteURL, Categories: s.Tags}
	if s.Kind != "" && s.Kind != scout.SourceFeed {
		o.Kind, o.Config = string(s.Kind), string(s.Config)
	}
	return o
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
