package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// DefaultPrecedence trusts the built-in extractor only: no enrichment
// changes the opportunity facet until an operator ranks its enricher.
var DefaultPrecedence = []string{"rules/1"}

// facetField is one field of the opportunity facet that an enrichment may
// supply: its provenance key, whether an opportunity states it, and how to
// copy it between opportunities.
type facetField struct {
	name   string
	stated func(o *scout.Opportunity) bool
	copy   func(dst, src *scout.Opportunity)
}

// facetFields are the fields an enrichment overrides. Funder, location and
// the rest stay the extractor's: the enrichment schema has no such fields.
var facetFields = []facetField{
	{"kind", func(o *scout.Opportunity) bool { return o.Kind != scout.KindUnknown },
		func(d, s *scout.Opportunity) { d.Kind, d.KindConfidence = s.Kind, s.KindConfidence }},
	{"deadline", func(o *scout.Opportunity) bool { return !o.Deadline.IsZero() },
		func(d, s *scout.Opportunity) { d.Deadline = s.Deadline }},
	{"amount", func(o *scout.Opportunity) bool { return o.AmountMin > 0 || o.AmountMax > 0 },
		func(d, s *scout.Opportunity) {
			d.AmountMin, d.AmountMax, d.Currency = s.AmountMin, s.AmountMax, s.Currency
		}},
}

// enrichedFacet is the part of an enrichment's data that can override the
// facet. Its JSON names are those of the documented enrichment schema (the
// API's EnrichmentData); other fields of the data are ignored here.
type enrichedFacet struct {
	Kind     scout.Kind `json:"kind"`
	Deadline *time.Time `json:"deadline"`
	Amounts  []struct {
		Min      int64  `json:"min"`
		Max      int64  `json:"max"`
		Currency string `json:"currency"`
		Type     string `json:"type"`
	} `json:"amounts"`
	Confidence float64 `json:"confidence"`
}

// opportunityOf reads an enrichment as an opportunity stating the fields it
// supplies, each with provenance naming the enricher. The award is the
// first amount whose type is award or not given; entry fees and pools are
// not what the facet's amount means. Data that does not parse states nothing.
func opportunityOf(e scout.Enrichment) scout.Opportunity {
	var f enrichedFacet
	o := scout.Opportunity{Provenance: map[string]scout.Provenance{}}
	if json.Unmarshal(e.Data, &f) != nil {
		return o
	}
	if slices.Contains(scout.Kinds, f.Kind) {
		o.Kind, o.KindConfidence = f.Kind, f.Confidence
	}
	if f.Deadline != nil {
		o.Deadline = f.Deadline.UTC()
	}
	for _, a := range f.Amounts {
		if (a.Type == "" || a.Type == "award") && (a.Min > 0 || a.Max > 0) {
			o.AmountMin, o.AmountMax, o.Currency = a.Min, max(a.Max, a.Min), strings.ToUpper(a.Currency)
			break
		}
	}
	for _, fld := range facetFields {
		if fld.stated(&o) {
			o.Provenance[fld.name] = scout.Provenance{Source: e.Enricher, Confidence: f.Confidence}
		}
	}
	return o
}

// rankOf returns where name stands in precedence (0 is highest) and whether
// it is listed.
func rankOf(precedence []string, name string) (int, bool) {
	i := slices.Index(precedence, name)
	return i, i >= 0
}

// mergeFacet is the one rule by which an item's effective facet is made:
// for each overridable field, the value comes from the highest-ranked
// supplier that states it, among the base facet (the extractor's) and the
// enrichments of listed enrichers. An unlisted extractor ranks below every
// listed name; unlisted enrichers are not suppliers at all. The result
// keeps base's other fields, and overridden reports whether any field came
// from an enrichment.
func mergeFacet(base scout.Opportunity, enrichments []scout.Enrichment, precedence []string) (eff scout.Opportunity, overridden bool) {
	eff = base
	eff.Provenance = maps.Clone(base.Provenance)
	if eff.Provenance == nil {
		eff.Provenance = map[string]scout.Provenance{}
	}
	baseRank, ok := rankOf(precedence, base.Extractor)
	if !ok {
		baseRank = len(precedence)
	}
	type supplier struct {
		rank int
		o    scout.Opportunity
	}
	var sups []supplier
	for _, e := range enrichments {
		if r, ok := rankOf(precedence, e.Enricher); ok && e.Enricher != base.Extractor {
			sups = append(sups, supplier{r, opportunityOf(e)})
		}
	}
	slices.SortStableFunc(sups, func(a, b supplier) int { return a.rank - b.rank })
	for _, fld := range facetFields {
		for _, s := range sups {
			if s.rank < baseRank || !fld.stated(&base) {
				if fld.stated(&s.o) {
					fld.copy(&eff, &s.o)
					eff.Provenance[fld.name] = s.o.Provenance[fld.name]
					overridden = true
					break
				}
			}
		}
	}
	return eff, overridden
}

// baseFacet is what items.facet_base holds: the extractor's values of the
// overridable fields and their provenance.
type baseFacet struct {
	Kind           scout.Kind                  `json:"kind,omitempty"`
	KindConfidence float64                     `json:"kind_confidence,omitempty"`
	Deadline       time.Time                   `json:"deadline"`
	AmountMin      int64                       `json:"amount_min,omitempty"`
	AmountMax      int64                       `json:"amount_max,omitempty"`
	Currency       string                      `json:"currency,omitempty"`
	Provenance     map[string]scout.Provenance `json:"provenance,omitempty"`
}

// stashBase returns the facet_base value for an item whose columns hold
// eff: base's overridable fields when an enrichment overrode any, else "".
func stashBase(base scout.Opportunity, overridden bool) string {
	if !overridden {
		return ""
	}
	b := baseFacet{Kind: base.Kind, KindConfidence: base.KindConfidence, Deadline: base.Deadline,
		AmountMin: base.AmountMin, AmountMax: base.AmountMax, Currency: base.Currency, Provenance: map[string]scout.Provenance{}}
	for _, f := range facetFields {
		if p, ok := base.Provenance[f.name]; ok {
			b.Provenance[f.name] = p
		}
	}
	return mustJSON(b)
}

// unstashBase returns the base facet of an item whose columns hold cur and
// whose facet_base is stash: cur itself when nothing is stashed, else cur
// with the overridable fields and their provenance taken from the stash.
func unstashBase(cur scout.Opportunity, stash string) scout.Opportunity {
	base := cur
	base.Provenance = maps.Clone(cur.Provenance)
	if stash == "" {
		return base
	}
	var b baseFacet
	unmarshalJSON(stash, &b)
	saved := scout.Opportunity{Kind: b.Kind, KindConfidence: b.KindConfidence, Deadline: b.Deadline.UTC(),
		AmountMin: b.AmountMin, AmountMax: b.AmountMax, Currency: b.Currency}
	if base.Provenance == nil {
		base.Provenance = map[string]scout.Provenance{}
	}
	for _, f := range facetFields {
		f.copy(&base, &saved)
		delete(base.Provenance, f.name)
		if p, ok := b.Provenance[f.name]; ok {
			base.Provenance[f.name] = p
		}
	}
	return base
}

// rankedEnrichments returns the finished enrichments of an item whose
// enrichers are listed in precedence, other than the extractor itself; nil
// without a query when no other name is listed (the default).
func rankedEnrichments(ctx context.Context, tx *tx, itemID int64, precedence []string, extractor string) ([]scout.Enrichment, error) {
	var a args
	ph := []string{}
	for _, name := range precedence {
		if name != extractor {
			ph = append(ph, a.add(name))
		}
	}
	if len(ph) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+enrichmentCols+` FROM enrichments WHERE item_id = `+a.add(itemID)+
		` AND done = TRUE AND enricher IN (`+strings.Join(ph, ", ")+`)`, a...)
	if err != nil {
		return nil, fmt.Errorf("read ranked enrichments of item %d: %w", itemID, err)
	}
	list, err := collect(rows, scanEnrichment)
	if err != nil {
		return nil, fmt.Errorf("read ranked enrichments of item %d: %w", itemID, err)
	}
	return list, nil
}

// effectiveFacet applies the ranked enrichments of item itemID to base (its
// extractor's facet) and returns the facet its columns must hold with the
// matching facet_base value. Both the fetch path (an edited item was just
// re-extracted) and PutEnrichment go through it, so an enrichment survives
// re-extraction and a changed enrichment falls back to the extractor.
func effectiveFacet(ctx context.Context, tx *tx, itemID int64, base scout.Opportunity) (scout.Opportunity, string, error) {
	enr, err := rankedEnrichments(ctx, tx, itemID, tx.precedence, base.Extractor)
	if err != nil || len(enr) == 0 {
		return base, "", err
	}
	eff, overridden := mergeFacet(base, enr, tx.precedence)
	return eff, stashBase(base, overridden), nil
}

// refacetItem recomputes the effective facet of item itemID after one of its
// enrichments changed. When the facet changes, the item's version is bumped
// and an item.updated event written, so that lists, search, stats and the
// change stream see the new values.
func refacetItem(ctx context.Context, tx *tx, src scout.Source, itemID int64) error {
	var stash string
	cur, err := scanItem(tx.QueryRowContext(ctx, `SELECT `+itemCols+`, i.facet_base FROM items i WHERE i.id = $1`, itemID), &stash)
	if err != nil {
		return fmt.Errorf("read item %d: %w", itemID, err)
	}
	eff, newStash, err := effectiveFacet(ctx, tx, itemID, unstashBase(cur.Opportunity, stash))
	if err != nil {
		return err
	}
	if newStash == stash && sameFacet(&eff, &cur.Opportunity) {
		return nil
	}
	o := &eff
	_, err = tx.ExecContext(ctx, `UPDATE items SET kind = $1, kind_confidence = $2, deadline = $3, amount_min = $4, amount_max = $5,
		currency = $6, provenance = $7, facet_base = $8, updated_at = $9, version = version + 1 WHERE id = $10`,
		string(o.Kind), o.KindConfidence, micros(o.Deadline), o.AmountMin, o.AmountMax, o.Currency,
		mustJSON(orEmptyMap(o.Provenance)), newStash, tx.now.UnixMicro(), itemID)
	if err != nil {
		return fmt.Errorf("write facet of item %d: %w", itemID, err)
	}
	cur.Opportunity, cur.Version, cur.UpdatedAt = eff, cur.Version+1, tx.now
	return insertEvent(ctx, tx, itemEvent(scout.EventItemUpdated, src, cur))
}

// sameFacet reports whether a and b agree on the overridable fields and
// their provenance.
func sameFacet(a, b *scout.Opportunity) bool {
	for _, f := range facetFields {
		var x, y scout.Opportunity
		f.copy(&x, a)
		f.copy(&y, b)
		if !x.Deadline.Equal(y.Deadline) || x.Kind != y.Kind || x.KindConfidence != y.KindConfidence ||
			x.AmountMin != y.AmountMin || x.AmountMax != y.AmountMax || x.Currency != y.Currency ||
			a.Provenance[f.name] != b.Provenance[f.name] {
			return false
		}
	}
	return true
}
