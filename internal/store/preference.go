package store

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// DigestFrequency is how often a user wants a digest.
type DigestFrequency string

// The digest frequencies.
const (
	DigestNever  DigestFrequency = "never"
	DigestDaily  DigestFrequency = "daily"
	DigestWeekly DigestFrequency = "weekly"
)

// Limits on preferences.
const (
	MaxPreferenceEntries = 50  // per list
	MaxPreferenceLength  = 200 // per entry
)

// Preferences are what a user wants in a digest. Empty lists do not filter.
type Preferences struct {
	Kinds       []scout.Kind
	Disciplines []string
	// Keywords are full-text queries in the search syntax; an item must
	// match at least one.
	Keywords []string
	// Excluded are words or phrases; an item containing any is left out.
	Excluded []string
	// MinAmount keeps items whose maximum amount is at least this (0: any).
	MinAmount int64
	// DeadlineHorizon keeps items whose deadline is within this of now
	// (0: any deadline, or none).
	DeadlineHorizon time.Duration
	// Locations keep items whose location contains one of them (case-insensitive).
	Locations []string
	Frequency DigestFrequency
	// DigestReadAt is the digest cursor: items changed after it are new.
	DigestReadAt time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Validate checks the invariants of preferences about to be stored.
func (p *Preferences) Validate() error {
	for _, k := range p.Kinds {
		if !validKind(k) {
			return scout.Invalid("kinds", "%q is not a kind", k)
		}
	}
	lists := []struct {
		name string
		v    []string
	}{{"disciplines", p.Disciplines}, {"keywords", p.Keywords}, {"excluded", p.Excluded}, {"locations", p.Locations}}
	for _, l := range lists {
		if len(l.v) > MaxPreferenceEntries {
			return scout.Invalid(l.name, "must have at most %d entries", MaxPreferenceEntries)
		}
		for i, s := range l.v {
			if s == "" || len(s) > MaxPreferenceLength {
				return scout.Invalid(l.name, "entry %d must be 1 to %d characters", i, MaxPreferenceLength)
			}
		}
	}
	if p.MinAmount < 0 || p.DeadlineHorizon < 0 {
		return scout.Invalid("min_amount", "must not be negative")
	}
	switch p.Frequency {
	case "", DigestNever, DigestDaily, DigestWeekly:
	default:
		return scout.Invalid("frequency", "must be never, daily or weekly")
	}
	return nil
}

func validKind(k scout.Kind) bool {
	for _, have := range scout.Kinds {
		if have == k {
			return true
		}
	}
	return false
}
