package feed

import (
	"errors"

	"github.com/scoutdev/scout/internal/scout"
)

var (
	// ErrNotAFeed means the document is not RSS, Atom or JSON Feed: an HTML
	// page, an empty body or some other format served where a feed was
	// expected.
	ErrNotAFeed = errors.New("not a feed")
	// ErrParse means the document looks like a feed but cannot be read: bad
	// XML or JSON, an unsupported encoding, or nesting too deep.
	ErrParse = errors.New("parse feed")
)

// Classify returns the error class of an error returned by Parse or Decode:
// scout.ErrorNotAFeed, scout.ErrorParse, scout.ErrorNone for nil, and
// scout.ErrorOther for anything else.
func Classify(err error) scout.ErrorClass {
	switch {
	case err == nil:
		return scout.ErrorNone
	case errors.Is(err, ErrNotAFeed):
		return scout.ErrorNotAFeed
	case errors.Is(err, ErrParse):
		return scout.ErrorParse
	}
	return scout.ErrorOther
}
