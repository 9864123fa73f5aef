package scout

import (
	"bytes"
	"encoding/json"
	"time"
)

// EventOpportunityAmended is emitted when a new version of an item changes
// its extracted facts; the payload lists the changes (old → new).
const EventOpportunityAmended = "opportunity.amended"

// Change is one extracted fact that differs between two versions of an
// item. Old is null when the earlier version did not state the fact, New is
// null when the later one no longer does.
type Change struct {
	Field string          `json:"field"`
	Old   json.RawMessage `json:"old"`
	New   json.RawMessage `json:"new"`
}

// Amendment is one version of an item and the facts it changed.
type Amendment struct {
	ItemID    int64
	Version   int64
	Changes   []Change
	CreatedAt time.Time
}

// FactFields lists, in order, the facts whose change amends an opportunity.
var FactFields = []string{"kind", "deadline", "opens", "other_dates", "rolling", "amount", "funding.period",
	"funding.duration", "funding.per_recipient", "funding.total_available", "funding.awards", "funding.entry_fee",
	"funding.in_kind", "eligibility", "funder"}

// localDate is a key date without its provenance: what a reader compares.
type localDate struct {
	Label string    `json:"label,omitempty"`
	Date  string    `json:"date,omitempty"`
	Time  string    `json:"time,omitempty"`
	Zone  string    `json:"zone,omitempty"`
	At    time.Time `json:"at"`
}

func dateFact(k *KeyDate, at time.Time) any {
	switch {
	case k != nil:
		return localDate{Date: k.Date, Time: k.Time, Zone: k.Zone, At: k.At.UTC()}
	case !at.IsZero():
		return localDate{At: at.UTC()}
	}
	return nil
}

// Facts returns o's facts by the names of FactFields; a fact not stated is
// absent from the map.
func (o *Opportunity) Facts() map[string]any {
	f := map[string]any{}
	put := func(name string, v any, stated bool) {
		if stated {
			f[name] = v
		}
	}
	put("kind", o.Kind, o.Kind != KindUnknown)
	if v := dateFact(o.KeyDates.Deadline, o.Deadline); v != nil {
		f["deadline"] = v
	}
	if v := dateFact(o.KeyDates.Opens, o.OpensAt); v != nil {
		f["opens"] = v
	}
	if len(o.KeyDates.Other) > 0 {
		ds := make([]localDate, len(o.KeyDates.Other))
		for i, k := range o.KeyDates.Other {
			ds[i] = localDate{Label: k.Label, Date: k.Date, Time: k.Time, Zone: k.Zone, At: k.At.UTC()}
		}
		f["other_dates"] = ds
	}
	put("rolling", o.Rolling, o.Rolling)
	put("amount", MoneyRange{Min: float64(o.AmountMin), Max: float64(o.AmountMax), Currency: o.Currency}, o.AmountMax > 0 || o.AmountMin > 0)
	fd := &o.Funding
	put("funding.period", fd.Period, fd.Period != PeriodUnstated)
	put("funding.duration", fd.Duration, fd.Duration != nil)
	put("funding.per_recipient", fd.PerRecipient, fd.PerRecipient != nil)
	put("funding.total_available", fd.TotalAvailable, fd.TotalAvailable != nil)
	put("funding.awards", fd.Awards, fd.Awards != nil)
	put("funding.entry_fee", fd.EntryFee, fd.EntryFee != nil)
	put("funding.in_kind", fd.InKind, fd.InKind != nil)
	c := o.Criteria
	c.Spans = nil
	put("eligibility", c, !c.IsZero())
	put("funder", o.Funder, o.Funder != "")
	return f
}

// DiffFacts returns the facts that differ from old to new, in the order of
// FactFields; none when the versions state the same facts.
func DiffFacts(old, new *Opportunity) []Change {
	a, b := old.Facts(), new.Facts()
	var out []Change
	for _, name := range FactFields {
		x, y := factJSON(a, name), factJSON(b, name)
		if !bytes.Equal(x, y) {
			out = append(out, Change{Field: name, Old: x, New: y})
		}
	}
	return out
}

func factJSON(m map[string]any, name string) json.RawMessage {
	v, ok := m[name]
	if !ok {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}
