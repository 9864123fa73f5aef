package api

import (
	"errors"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// whenFormats is what a time parameter accepts, in the words of its errors
// and its OpenAPI description.
const whenFormats = "a date (2027-01-01, midnight UTC) or an RFC 3339 date-time (2027-01-01T09:00:00Z, 2027-01-01T09:00:00+02:00); a date-time without an offset is UTC"

// When is a time query parameter. It accepts a plain date as well as an
// RFC 3339 date-time, so that deadline_after=2027-01-01 works as a person
// would write it. The zero When means the parameter was absent.
type When struct{ time.Time }

// whenLayouts are tried in order; the ones without an offset read as UTC.
var whenLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"}

// UnmarshalText parses a time parameter; the error names every accepted form.
func (w *When) UnmarshalText(b []byte) error {
	t, err := parseWhen(string(b))
	if err != nil {
		return err
	}
	w.Time = t
	return nil
}

// parseWhen reads one of whenLayouts. A space where an offset's '+' stood is
// read as '+': an unencoded + in a query string arrives as a space.
func parseWhen(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return time.Time{}, errors.New("must be " + whenFormats)
	}
	if i := strings.LastIndexByte(s, ' '); i > len("2006-01-02T") {
		s = s[:i] + "+" + s[i+1:]
	}
	for _, layout := range whenLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("must be " + whenFormats)
}

// Schema describes a time parameter as a string with the accepted formats.
func (When) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: "string", Description: "Accepts " + whenFormats + ".", Examples: []any{"2027-01-01", "2027-01-01T09:00:00Z"}}
}

// withinForms is what closing_within accepts, in the words of its error
// and its OpenAPI description.
const withinForms = "days or hours from 1 to 999, as 7d or 48h"

// Within is a span from now, in days or hours (closing_within). Its
// schema keeps the pattern for clients; parsing it here first gives the
// error a person can read instead of the pattern.
type Within struct{ time.Duration }

// UnmarshalText reads 1d … 999d or 1h … 999h.
func (w *Within) UnmarshalText(b []byte) error {
	s := string(b)
	n, unit := 0, time.Hour
	if len(s) < 2 || len(s) > 4 || s[0] == '0' {
		return errors.New("must be " + withinForms)
	}
	switch s[len(s)-1] {
	case 'd':
		unit = 24 * time.Hour
	case 'h':
	default:
		return errors.New("must be " + withinForms)
	}
	for _, c := range s[:len(s)-1] {
		if c < '0' || c > '9' {
			return errors.New("must be " + withinForms)
		}
		n = n*10 + int(c-'0')
	}
	w.Duration = time.Duration(n) * unit
	return nil
}

// Schema describes the span as a pattern-checked string.
func (Within) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: "string", Pattern: "^[1-9][0-9]{0,2}[dh]$", Description: "Accepts " + withinForms + ".", Examples: []any{"7d", "48h"}}
}
