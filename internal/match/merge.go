package match

import (
	"sort"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// Input is one sighting to merge, with what ranks it: Structured is true
// for sightings from structured sources (a portal's API rather than a
// feed), F is the sighting's features.
type Input struct {
	S          scout.Sighting
	Structured bool
	F          Features
}

// Rank orders sightings for merging: structured sources first, then the
// funder's own page (a sighting whose own URL another sighting links to as
// the apply or landing page), then newer over older.
func Rank(in []Input) []Input {
	// How many sightings link to each page; a sighting's own URL is among
	// its keys, so a page is the funder's when another sighting links to it.
	linked := map[string]int{}
	for _, x := range in {
		for _, k := range x.F.Strong {
			linked[k]++
		}
	}
	tier := func(x Input) int {
		own := "u:" + canonURL(x.S.Item.URL)
		n := linked[own]
		if contains(x.F.Strong, own) {
			n--
		}
		switch {
		case x.Structured:
			return 2
		case n > 0:
			return 1
		}
		return 0
	}
	out := append([]Input(nil), in...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ta, tb := tier(a), tier(b); ta != tb {
			return ta > tb
		}
		if !a.S.Item.PublishedAt.Equal(b.S.Item.PublishedAt) {
			return a.S.Item.PublishedAt.After(b.S.Item.PublishedAt)
		}
		return a.S.ID > b.S.ID
	})
	return out
}

// Merge combines the facets of an opportunity's sightings field by field:
// each field comes from the best-ranked sighting that states it (see Rank),
// and fields names that sighting. A field is the whole of what one
// sighting says about it, never a mix: the deadline with its local date,
// time and zone; the per-recipient award with its period and duration;
// the pool, the award count, the entry fee, the in-kind value, the other
// key dates, who may apply. The first ranked sighting gives title and URL.
// in must not be empty.
func Merge(in []Input) (o scout.MergedOpportunity) {
	ranked := Rank(in)
	o.Title, o.URL = ranked[0].S.Item.Title, ranked[0].S.Item.URL
	o.Fields = map[string]scout.FieldSource{}
	m := &o.Opportunity
	m.Provenance = map[string]scout.Provenance{}
	for _, x := range ranked {
		f := &x.S.Item.Opportunity
		take := func(name string, stated bool, set func()) {
			if _, done := o.Fields[name]; done || !stated {
				return
			}
			set()
			o.Fields[name] = scout.FieldSource{SightingID: x.S.ID, ItemID: x.S.ItemID, Extractor: source(f, name)}
			for k, p := range f.Provenance {
				if k == name || name != "eligibility" && strings.HasPrefix(k, provenancePrefix(name)) {
					m.Provenance[k] = p
				}
			}
		}
		takeFacet(take, m, f)
		takeRecord(take, m, f)
	}
	o.Sightings = make([]scout.Sighting, len(ranked))
	for i, x := range ranked {
		o.Sightings[i] = x.S
	}
	return o
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// takeFacet merges the facet's first fields.
func takeFacet(take func(string, bool, func()), m, f *scout.Opportunity) {
	take("kind", f.Kind != scout.KindUnknown && f.Kind != scout.KindNone, func() { m.Kind, m.KindConfidence = f.Kind, f.KindConfidence })
	take("deadline", !f.Deadline.IsZero(), func() { m.Deadline, m.KeyDates.Deadline = f.Deadline, f.KeyDates.Deadline })
	take("opens", !f.OpensAt.IsZero(), func() { m.OpensAt, m.KeyDates.Opens = f.OpensAt, f.KeyDates.Opens })
	take("rolling", f.Rolling, func() { m.Rolling = true })
	take("amount", f.AmountMax > 0 || f.AmountMin > 0, func() {
		m.AmountMin, m.AmountMax, m.Currency = f.AmountMin, f.AmountMax, f.Currency
		m.Funding.PerRecipient, m.Funding.Period, m.Funding.Duration = f.Funding.PerRecipient, f.Funding.Period, f.Funding.Duration
	})
	take("funder", f.Funder != "", func() { m.Funder = f.Funder })
	take("location", f.Location != "", func() { m.Location = f.Location })
	take("eligibility", len(f.Eligibility) > 0, func() { m.Eligibility = f.Eligibility })
	take("disciplines", len(f.Disciplines) > 0, func() { m.Disciplines = f.Disciplines })
}

// takeRecord merges the rest of the record.
func takeRecord(take func(string, bool, func()), m, f *scout.Opportunity) {
	fd := &f.Funding
	take("funding.total_available", fd.TotalAvailable != nil, func() { m.Funding.TotalAvailable = fd.TotalAvailable })
	take("funding.awards", fd.Awards != nil, func() { m.Funding.Awards = fd.Awards })
	take("funding.entry_fee", fd.EntryFee != nil, func() { m.Funding.EntryFee = fd.EntryFee })
	take("funding.in_kind", fd.InKind != nil, func() { m.Funding.InKind = fd.InKind })
	take("key_dates.other", len(f.KeyDates.Other) > 0, func() { m.KeyDates.Other = f.KeyDates.Other })
	take("criteria", !f.Criteria.IsZero(), func() { m.Criteria = f.Criteria })
}

// provenancePrefix is the prefix of the provenance keys a merged field
// carries: the criteria's are eligibility.countries and the like.
func provenancePrefix(name string) string {
	if name == "criteria" {
		return "eligibility."
	}
	return name + "."
}

// source names what supplied a field on a sighting: its provenance's
// source (an enricher that overrode the rules), else the facet's extractor.
func source(f *scout.Opportunity, name string) string {
	if p, ok := f.Provenance[name]; ok && p.Source != "" {
		return p.Source
	}
	return f.Extractor
}
