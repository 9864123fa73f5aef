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

// The field groups SCOUT_ENRICHER_PRECEDENCE can rank separately.
const (
	GroupKind        = "kind"
	GroupDates       = "dates"
	GroupFunding     = "funding"
	GroupEligibility = "eligibility"
)

// Groups lists the field groups in order.
var Groups = []string{GroupKind, GroupDates, GroupFunding, GroupEligibility}

// facetField is one field of the opportunity facet that an enrichment may
// supply: its provenance key (keys under name + "." go with it), its group,
// whether an opportunity states it, and how to copy it between opportunities.
type facetField struct {
	name, group string
	stated      func(o *scout.Opportunity) bool
	copy        func(dst, src *scout.Opportunity)
}

// facetFields are the fields an enrichment overrides. Funder, location and
// the rest stay the extractor's: the enrichment schema has no such fields.
var facetFields = []facetField{
	{"kind", GroupKind, func(o *scout.Opportunity) bool { return o.Kind != scout.KindUnknown },
		func(d, s *scout.Opportunity) { d.Kind, d.KindConfidence = s.Kind, s.KindConfidence }},
	{"deadline", GroupDates, func(o *scout.Opportunity) bool { return !o.Deadline.IsZero() },
		func(d, s *scout.Opportunity) { d.Deadline, d.KeyDates.Deadline = s.Deadline, s.KeyDates.Deadline }},
	{"opens", GroupDates, func(o *scout.Opportunity) bool { return !o.OpensAt.IsZero() },
		func(d, s *scout.Opportunity) { d.OpensAt, d.KeyDates.Opens = s.OpensAt, s.KeyDates.Opens }},
	{"other_dates", GroupDates, func(o *scout.Opportunity) bool { return len(o.KeyDates.Other) > 0 },
		func(d, s *scout.Opportunity) { d.KeyDates.Other = s.KeyDates.Other }},
	{"amount", GroupFunding, func(o *scout.Opportunity) bool { return o.AmountMin > 0 || o.AmountMax > 0 },
		func(d, s *scout.Opportunity) {
			d.AmountMin, d.AmountMax, d.Currency = s.AmountMin, s.AmountMax, s.Currency
		}},
	fundingField("funding.period", func(f *scout.Funding) any { return f.Period }, func(d, s *scout.Funding) { d.Period = s.Period }),
	fundingField("funding.duration", func(f *scout.Funding) any { return f.Duration }, func(d, s *scout.Funding) { d.Duration = s.Duration }),
	fundingField("funding.per_recipient", func(f *scout.Funding) any { return f.PerRecipient },
		func(d, s *scout.Funding) { d.PerRecipient = s.PerRecipient }),
	fundingField("funding.total_available", func(f *scout.Funding) any { return f.TotalAvailable },
		func(d, s *scout.Funding) { d.TotalAvailable = s.TotalAvailable }),
	fundingField("funding.awards", func(f *scout.Funding) any { return f.Awards }, func(d, s *scout.Funding) { d.Awards = s.Awards }),
	fundingField("funding.entry_fee", func(f *scout.Funding) any { return f.EntryFee }, func(d, s *scout.Funding) { d.EntryFee = s.EntryFee }),
	fundingField("funding.in_kind", func(f *scout.Funding) any { return f.InKind }, func(d, s *scout.Funding) { d.InKind = s.InKind }),
	{"eligibility", GroupEligibility, func(o *scout.Opportunity) bool { return !o.Criteria.IsZero() },
		func(d, s *scout.Opportunity) { d.Criteria = s.Criteria }},
}

// fundingField is one field of Funding as a facet field; get returns the
// field, which is stated unless it is nil or empty.
func fundingField(name string, get func(*scout.Funding) any, set func(d, s *scout.Funding)) facetField {
	return facetField{name, GroupFunding, func(o *scout.Opportunity) bool {
		switch v := get(&o.Funding).(type) {
		case scout.Period:
			return v != scout.PeriodUnstated
		case *scout.Duration:
			return v != nil
		case *scout.MoneyRange:
			return v != nil
		case *scout.Money:
			return v != nil
		case *scout.AwardCount:
			return v != nil
		}
		return false
	}, func(d, s *scout.Opportunity) { set(&d.Funding, &s.Funding) }}
}

// copyProvenance replaces dst's provenance of field name (and its
// sub-fields, name + ".") with src's.
func copyProvenance(dst, src map[string]scout.Provenance, name string) {
	for k := range dst {
		if k == name || strings.HasPrefix(k, name+".") {
			delete(dst, k)
		}
	}
	for k, p := range src {
		if k == name || strings.HasPrefix(k, name+".") {
			dst[k] = p
		}
	}
}

// Precedence ranks the suppliers of each field group, highest first.
type Precedence struct {
	Default []string            // for groups not listed in Groups
	Groups  map[string][]string // by group name
}

// For returns the ranking of group g.
func (p Precedence) For(g string) []string {
	if l, ok := p.Groups[g]; ok {
		return l
	}
	return p.Default
}

// Ranks reports whether name is ranked in any group.
func (p Precedence) Ranks(name string) bool {
	for _, g := range Groups {
		if _, ok := rankOf(p.For(g), name); ok {
			return true
		}
	}
	return false
}

// names returns every name ranked in some group.
func (p Precedence) names() []string {
	var out []string
	for _, g := range Groups {
		for _, n := range p.For(g) {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
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
	KeyDates   *scout.KeyDates    `json:"key_dates"`
	Funding    *scout.Funding     `json:"funding"`
	Criteria   *scout.Eligibility `json:"eligibility_criteria"`
	Confidence float64            `json:"confidence"`
}

// opportunityOf reads an enrichment as an opportunity stating the fields it
// supplies, each with provenance naming the enricher. The award is the
// first amount whose type is award or not given; entry fees and pools are
// not what the facet's amount means. Key dates, funding and eligibility
// arrive in the shape the API serves them; a key deadline stands for the
// deadline. Data that does not parse states nothing.
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
	p := scout.Provenance{Source: e.Enricher, Confidence: f.Confidence}
	if k := f.KeyDates; k != nil {
		o.KeyDates = enrichedDates(*k, p)
		if d := o.KeyDates.Deadline; d != nil {
			o.Deadline = d.At
		}
		if d := o.KeyDates.Opens; d != nil {
			o.OpensAt = d.At
		}
	}
	if f.Funding != nil {
		o.Funding = *f.Funding
	}
	if f.Criteria != nil {
		o.Criteria = *f.Criteria
	}
	for _, fld := range facetFields {
		if fld.stated(&o) {
			o.Provenance[fld.name] = p
		}
	}
	return o
}

// enrichedDates gives an enricher's key dates its provenance and UTC instants.
func enrichedDates(k scout.KeyDates, p scout.Provenance) scout.KeyDates {
	fix := func(d *scout.KeyDate) *scout.KeyDate {
		if d == nil || d.At.IsZero() {
			return nil
		}
		c := *d
		c.At, c.Provenance = d.At.UTC(), p
		return &c
	}
	out := scout.KeyDates{Deadline: fix(k.Deadline), Opens: fix(k.Opens)}
	for i := range k.Other {
		if d := fix(&k.Other[i]); d != nil {
			out.Other = append(out.Other, *d)
		}
	}
	return out
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
// enrichments of enrichers listed for the field's group. An unlisted
// extractor ranks below every listed name; unlisted enrichers are not
// suppliers at all. The result keeps base's other fields, and overridden
// reports whether any field came from an enrichment.
func mergeFacet(base scout.Opportunity, enrichments []scout.Enrichment, prec Precedence) (eff scout.Opportunity, overridden bool) {
	eff = base
	eff.Provenance = maps.Clone(base.Provenance)
	if eff.Provenance == nil {
		eff.Provenance = map[string]scout.Provenance{}
	}
	from := map[string]bool{} // fields an enrichment supplied
	supplied := make([]scout.Opportunity, len(enrichments))
	for i, e := range enrichments {
		supplied[i] = opportunityOf(e)
	}
	for _, fld := range facetFields {
		order := prec.For(fld.group)
		baseRank, ok := rankOf(order, base.Extractor)
		if !ok {
			baseRank = len(order)
		}
		best, bestRank := -1, len(order)
		for i, e := range enrichments {
			r, ok := rankOf(order, e.Enricher)
			if !ok || e.Enricher == base.Extractor || r >= bestRank || !fld.stated(&supplied[i]) {
				continue
			}
			if r < baseRank || !fld.stated(&base) {
				best, bestRank = i, r
			}
		}
		if best >= 0 {
			fld.copy(&eff, &supplied[best])
			copyProvenance(eff.Provenance, supplied[best].Provenance, fld.name)
			overridden = true
			from[fld.name] = true
		}
	}
	if (from["amount"] || from["funding.period"] || from["funding.duration"]) && !from["funding.per_recipient"] {
		// The total per recipient follows the award it multiplies.
		eff.Funding.PerRecipient = scout.RecipientTotal(eff.AmountMin, eff.AmountMax, eff.Currency, eff.Funding.Period, eff.Funding.Duration)
	}
	return eff, overridden
}

// baseFacet is what items.facet_base holds: the extractor's values of the
// overridable fields and their provenance.
type baseFacet struct {
	Kind           scout.Kind                  `json:"kind,omitempty"`
	KindConfidence float64                     `json:"kind_confidence,omitempty"`
	Deadline       time.Time                   `json:"deadline"`
	OpensAt        time.Time                   `json:"opens_at"`
	AmountMin      int64                       `json:"amount_min,omitempty"`
	AmountMax      int64                       `json:"amount_max,omitempty"`
	Currency       string                      `json:"currency,omitempty"`
	Record         *record                     `json:"record,omitempty"`
	Provenance     map[string]scout.Provenance `json:"provenance,omitempty"`
}

// stashBase returns the facet_base value for an item whose columns hold
// eff: base's overridable fields when an enrichment overrode any, else "".
func stashBase(base scout.Opportunity, overridden bool) string {
	if !overridden {
		return ""
	}
	b := baseFacet{Kind: base.Kind, KindConfidence: base.KindConfidence, Deadline: base.Deadline, OpensAt: base.OpensAt,
		AmountMin: base.AmountMin, AmountMax: base.AmountMax, Currency: base.Currency,
		Record: &record{base.KeyDates, base.Funding, base.Criteria}, Provenance: map[string]scout.Provenance{}}
	for _, f := range facetFields {
		copyProvenance(b.Provenance, base.Provenance, f.name)
	}
	return mustJSON(b)
}

// unstashBase returns the base facet of an item whose columns hold cur and
// whose facet_base is stash: cur itself when nothing is stashed, else cur
// with the overridable fields and their provenance taken from the stash. A
// stash written before the record existed keeps cur's dates other than the
// deadline, funding and eligibility.
func unstashBase(cur scout.Opportunity, stash string) scout.Opportunity {
	base := cur
	base.Provenance = maps.Clone(cur.Provenance)
	if stash == "" {
		return base
	}
	var b baseFacet
	unmarshalJSON(stash, &b)
	saved := scout.Opportunity{Kind: b.Kind, KindConfidence: b.KindConfidence, Deadline: b.Deadline.UTC(), OpensAt: b.OpensAt.UTC(),
		AmountMin: b.AmountMin, AmountMax: b.AmountMax, Currency: b.Currency}
	if r := b.Record; r != nil {
		saved.KeyDates, saved.Funding, saved.Criteria = r.KeyDates, r.Funding, r.Criteria
	}
	if base.Provenance == nil {
		base.Provenance = map[string]scout.Provenance{}
	}
	for _, f := range facetFields {
		if b.Record == nil && f.name != "kind" && f.name != "deadline" && f.name != "amount" {
			continue
		}
		f.copy(&base, &saved)
		copyProvenance(base.Provenance, b.Provenance, f.name)
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
	enr, err := rankedEnrichments(ctx, tx, itemID, tx.precedence.names(), base.Extractor)
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
	a := args{string(o.Kind), o.KindConfidence, micros(o.Deadline), micros(o.OpensAt), o.AmountMin, o.AmountMax, o.Currency,
		mustJSON(orEmptyMap(o.Provenance)), newStash, tx.now.UnixMicro()}
	a = append(a, recordValues(o)...)
	_, err = tx.ExecContext(ctx, `UPDATE items SET kind = $1, kind_confidence = $2, deadline = $3, opens_at = $4, amount_min = $5,
		amount_max = $6, currency = $7, provenance = $8, facet_base = $9, updated_at = $10, version = version + 1,
		record = $11, fee_amount = $12, award_total = $13, applicants = $14, countries = $15 WHERE id = `+a.add(itemID), a...)
	if err != nil {
		return fmt.Errorf("write facet of item %d: %w", itemID, err)
	}
	// What its opportunities merge from it changed: a change to each of its
	// sightings, for those who see them (see stamp).
	if _, err := tx.ExecContext(ctx, `UPDATE sightings SET changed_at = $1, version = version + 1 WHERE item_id = $2`,
		tx.now.UnixMicro(), itemID); err != nil {
		return fmt.Errorf("touch sightings of item %d: %w", itemID, err)
	}
	changes := scout.DiffFacts(&cur.Opportunity, &eff)
	cur.Opportunity, cur.Version, cur.UpdatedAt = eff, cur.Version+1, tx.now
	if err := insertEvent(ctx, tx, itemEvent(scout.EventItemUpdated, src, cur)); err != nil {
		return err
	}
	return amend(ctx, tx, src, &cur, changes)
}

// sameFacet reports whether a and b agree on the overridable fields and
// their provenance.
func sameFacet(a, b *scout.Opportunity) bool {
	for _, f := range facetFields {
		x := scout.Opportunity{Provenance: map[string]scout.Provenance{}}
		y := scout.Opportunity{Provenance: map[string]scout.Provenance{}}
		f.copy(&x, a)
		f.copy(&y, b)
		copyProvenance(x.Provenance, a.Provenance, f.name)
		copyProvenance(y.Provenance, b.Provenance, f.name)
		if mustJSON(facetJSON(&x)) != mustJSON(facetJSON(&y)) {
			return false
		}
	}
	return true
}

// facetJSON is what sameFacet compares: the overridable fields and provenance.
func facetJSON(o *scout.Opportunity) any {
	return struct {
		B baseFacet
		R record
	}{baseFacet{Kind: o.Kind, KindConfidence: o.KindConfidence, Deadline: o.Deadline, OpensAt: o.OpensAt, AmountMin: o.AmountMin,
		AmountMax: o.AmountMax, Currency: o.Currency, Provenance: o.Provenance}, record{o.KeyDates, o.Funding, o.Criteria}}
}
