package match

import (
	"sort"

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
// and fields names that sighting. The first ranked sighting gives title and
// URL. in must not be empty.
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
			o.Fields[name] = scout.FieldSource{SightingID: x.S.ID, ItemID: x.S.ItemID, Extractor: f.Extractor}
			if p, ok := f.Provenance[name]; ok {
				m.Provenance[name] = p
			}
		}
		take("kind", f.Kind != scout.KindUnknown && f.Kind != scout.KindNone, func() { m.Kind, m.KindConfidence = f.Kind, f.KindConfidence })
		take("deadline", !f.Deadline.IsZero(), func() { m.Deadline = f.Deadline })
		take("opens", !f.OpensAt.IsZero(), func() { m.OpensAt = f.OpensAt })
		take("rolling", f.Rolling, func() { m.Rolling = true })
		take("amount", f.AmountMax > 0 || f.AmountMin > 0, func() { m.AmountMin, m.AmountMax, m.Currency = f.AmountMin, f.AmountMax, f.Currency })
		take("funder", f.Funder != "", func() { m.Funder = f.Funder })
		take("location", f.Location != "", func() { m.Location = f.Location })
		take("eligibility", len(f.Eligibility) > 0, func() { m.Eligibility = f.Eligibility })
		take("disciplines", len(f.Disciplines) > 0, func() { m.Disciplines = f.Disciplines })
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
