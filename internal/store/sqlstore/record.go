package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// record is what items.record holds: the opportunity beyond the facet.
type record struct {
	KeyDates scout.KeyDates    `json:"key_dates"`
	Funding  scout.Funding     `json:"funding"`
	Criteria scout.Eligibility `json:"eligibility"`
}

// recordValues are the record columns of an opportunity, in the order of
// recordCols: the JSON, then what the filters read.
func recordValues(o *scout.Opportunity) []any {
	var fee, total any
	if f := o.Funding.EntryFee; f != nil {
		fee = f.Amount
	}
	if t := o.Funding.PerRecipient; t != nil {
		total = t.Max
	}
	return []any{mustJSON(record{o.KeyDates, o.Funding, o.Criteria}), fee, total,
		listCol(o.Criteria.ApplicantTypes, func(t scout.ApplicantType) []string { return []string{string(t)} }),
		listCol(o.Criteria.Countries, func(c string) []string {
			if i := strings.IndexByte(c, '-'); i > 0 {
				return []string{c, c[:i]} // a subdivision is in its country
			}
			return []string{c}
		})}
}

const recordCols = `record, fee_amount, award_total, applicants, countries`

// listCol writes values as ",a,b," (empty when none), each expanded by f.
func listCol[T any](xs []T, f func(T) []string) string {
	if len(xs) == 0 {
		return ""
	}
	var b strings.Builder
	seen := map[string]bool{}
	b.WriteByte(',')
	for _, x := range xs {
		for _, s := range f(x) {
			if s = strings.ReplaceAll(s, ",", ""); s != "" && !seen[s] {
				seen[s] = true
				b.WriteString(s)
				b.WriteByte(',')
			}
		}
	}
	return b.String()
}

// decodeRecord reads items.record into o; ” (a row not yet recomputed)
// and damaged JSON leave the record empty.
func decodeRecord(s string, o *scout.Opportunity) {
	if len(s) <= 2 {
		return
	}
	d := jsonCol{s: s}
	r, ok := d.opportunityRecord()
	if !ok || !d.end() {
		r = record{}
		unmarshalJSON(s, &r)
	}
	o.KeyDates, o.Funding, o.Criteria = r.KeyDates, r.Funding, r.Criteria
}

// recordConds turns the record filters of f into conditions.
func recordConds(a *args, f store.ItemFilter) []string {
	var conds []string
	switch f.Fee {
	case store.FeeFree:
		conds = append(conds, "i.fee_amount = 0")
	case store.FeePaid:
		conds = append(conds, "i.fee_amount > 0")
	}
	if f.FeeAtMost != nil {
		conds = append(conds, "i.fee_amount <= "+a.add(*f.FeeAtMost))
	}
	if f.AwardAtLeast > 0 {
		conds = append(conds, "i.award_total >= "+a.add(float64(f.AwardAtLeast)))
	}
	if f.Applicant != "" {
		conds = append(conds, "i.applicants LIKE "+a.add("%,"+string(f.Applicant)+",%"))
	}
	if f.Country != "" {
		conds = append(conds, "i.countries LIKE "+a.add("%,"+strings.ToUpper(f.Country)+",%"))
	}
	return conds
}

// amend stores the facts a new version changed and announces them; it does
// nothing when no fact changed.
func amend(ctx context.Context, tx *tx, src scout.Source, it *scout.Item, changes []scout.Change) error {
	if len(changes) == 0 {
		return nil
	}
	cs := mustJSON(changes)
	if _, err := tx.ExecContext(ctx, `INSERT INTO item_versions (item_id, version, changes, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (item_id, version) DO UPDATE SET changes = excluded.changes`, it.ID, it.Version, cs, tx.now.UnixMicro()); err != nil {
		return fmt.Errorf("store amendment of item %d: %w", it.ID, err)
	}
	p := mustJSON(struct {
		ID       int64          `json:"id"`
		SourceID int64          `json:"source_id"`
		Title    string         `json:"title"`
		URL      string         `json:"url,omitempty"`
		Version  int64          `json:"version"`
		Changes  []scout.Change `json:"changes"`
	}{it.ID, it.SourceID, it.Title, it.URL, it.Version, changes})
	return insertEvent(ctx, tx, scout.Event{Type: scout.EventOpportunityAmended, SourceID: src.ID, ItemID: it.ID,
		OwnerID: src.OwnerID, Visibility: src.Visibility, Payload: json.RawMessage(p)})
}

// ListAmendments returns the versions of a live item whose facts changed,
// newest first, at most limit.
func (s *Store) ListAmendments(ctx context.Context, itemID int64, limit int) ([]scout.Amendment, error) {
	rows, err := s.query(ctx, `SELECT v.version, v.changes, v.created_at FROM item_versions v
		JOIN items i ON i.id = v.item_id WHERE v.item_id = $1 AND i.deleted_at IS NULL ORDER BY v.version DESC LIMIT $2`,
		itemID, limitOf(limit, 50, 200))
	if err != nil {
		return nil, fmt.Errorf("list amendments of item %d: %w", itemID, err)
	}
	out, err := collect(rows, func(sc interface{ Scan(...any) error }) (scout.Amendment, error) {
		a := scout.Amendment{ItemID: itemID}
		var cs string
		var created sql.NullInt64
		err := sc.Scan(&a.Version, &cs, &created)
		a.CreatedAt = fromMicros(created)
		unmarshalJSON(cs, &a.Changes)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("list amendments of item %d: %w", itemID, err)
	}
	return out, nil
}

// RecomputeRecords fills the record of up to limit items stored before it
// existed (record = ”), oldest first: fill gets each item with its stored
// title, text, categories and publish date and sets its Opportunity; only
// the record columns are written, so neither the version nor the facet
// changes and no event is emitted. It returns how many items it filled;
// 0 means none is left.
func (s *Store) RecomputeRecords(ctx context.Context, limit int, fill func(*scout.Item)) (int, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT i.id, i.title, `+summaryCol+`, i.content_text, i.categories, i.published_at FROM items i
		WHERE i.record = '' ORDER BY id LIMIT $1`, limitOf(limit, 200, 2000))
	if err != nil {
		return 0, fmt.Errorf("recompute records: %w", err)
	}
	its, err := collect(rows, func(sc interface{ Scan(...any) error }) (scout.Item, error) {
		var it scout.Item
		var cats string
		var pub sql.NullInt64
		var fromText bool
		err := sc.Scan(&it.ID, &it.Title, &it.Summary, &fromText, &it.ContentText, &cats, &pub)
		if fromText {
			it.Summary = scout.TextSummary(it.ContentText)
		}
		decodeStrings(cats, &it.Categories)
		it.PublishedAt = fromMicros(pub)
		return it, err
	})
	if err != nil || len(its) == 0 {
		return 0, err
	}
	err = s.write(ctx, func(tx *tx) error {
		for i := range its {
			fill(&its[i])
			a := args(recordValues(&its[i].Opportunity))
			if _, err := tx.ExecContext(ctx, `UPDATE items SET record = $1, fee_amount = $2, award_total = $3, applicants = $4,
				countries = $5 WHERE id = `+a.add(its[i].ID), a...); err != nil {
				return fmt.Errorf("recompute record of item %d: %w", its[i].ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(its), nil
}
