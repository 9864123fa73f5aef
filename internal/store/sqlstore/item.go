package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// itemCols are read for lists; content_html and content_text are read only
// by GetItem, so that a page of fifty items stays small.
const itemCols = `i.id, i.source_id, i.guid, i.url, i.title, ` + summaryCol + `, i.author, i.image_url, i.published_at, i.date_estimated,
	i.enclosures, i.categories, i.content_hash, i.kind, i.kind_confidence, i.deadline, i.opens_at, i.rolling,
	i.amount_min, i.amount_max, i.currency, i.funder, i.location, i.eligibility, i.disciplines, i.extractor, i.provenance,
	i.record, i.created_at, i.updated_at, i.version`

// summaryCol reads an item's summary, or the text it is derived from when
// the row does not keep it (see storedSummary), and which of the two it is;
// scanItem derives it.
const summaryCol = `CASE WHEN i.summary_from_text THEN i.content_text ELSE i.summary END, i.summary_from_text`

func scanItem(sc interface{ Scan(...any) error }, extra ...any) (scout.Item, error) {
	return newItemRow(extra...).scan(sc)
}

// itemRow holds the scan destinations of itemCols (and of extra ones after
// them), so that a list scans each of its rows into the same variables: as
// locals of one call, every one of them (the item, a few kilobytes, among
// them) moved to the heap for every row, which was most of the bytes a
// page allocated.
type itemRow struct {
	it                                  scout.Item
	enc, cats, elig, disc, prov, rec    string
	fromText                            bool
	published, deadline, opens, created sql.NullInt64
	updated                             sql.NullInt64
	dest                                []any
	// provJSON passes a canonical provenance column through as
	// Opportunity.ProvenanceJSON (store.ItemFilter.ProvenanceJSON).
	provJSON bool
}

func newItemRow(extra ...any) *itemRow {
	r := &itemRow{}
	it, o := &r.it, &r.it.Opportunity
	r.dest = append([]any{&it.ID, &it.SourceID, &it.GUID, &it.URL, &it.Title, &it.Summary, &r.fromText, &it.Author, &it.ImageURL,
		&r.published, &it.DateEstimated, &r.enc, &r.cats, &it.ContentHash, &o.Kind, &o.KindConfidence, &r.deadline, &r.opens,
		&o.Rolling, &o.AmountMin, &o.AmountMax, &o.Currency, &o.Funder, &o.Location, &r.elig, &r.disc, &o.Extractor, &r.prov,
		&r.rec, &r.created, &r.updated, &it.Version}, extra...)
	return r
}

// scan reads the next row into a new item.
func (r *itemRow) scan(sc interface{ Scan(...any) error }) (scout.Item, error) {
	r.it = scout.Item{}
	err := sc.Scan(r.dest...)
	it, o := &r.it, &r.it.Opportunity
	if r.fromText {
		it.Summary = scout.TextSummary(it.Summary)
	}
	it.PublishedAt, o.Deadline, o.OpensAt = fromMicros(r.published), fromMicros(r.deadline), fromMicros(r.opens)
	it.CreatedAt, it.UpdatedAt = fromMicros(r.created), fromMicros(r.updated)
	decodeEnclosures(r.enc, &it.Enclosures)
	decodeStrings(r.cats, &it.Categories)
	decodeStrings(r.elig, &o.Eligibility)
	decodeStrings(r.disc, &o.Disciplines)
	if r.provJSON && canonicalProvenance(r.prov) {
		if r.prov != "{}" {
			o.ProvenanceJSON = htmlUnescape(r.prov)
		}
	} else {
		decodeProvenance(r.prov, &o.Provenance)
	}
	decodeRecord(r.rec, o)
	return r.it, err
}

// GetItem returns a live item with its content and entities.
func (s *Store) GetItem(ctx context.Context, id int64) (scout.Item, error) {
	var html, text string
	row := s.queryRow(ctx, `SELECT `+itemCols+`, i.content_html, i.content_text FROM items i
		JOIN sources s ON s.id = i.source_id WHERE i.id = $1 AND i.deleted_at IS NULL AND s.deleted_at IS NULL`, id)
	it, err := scanItem(row, &html, &text)
	if err != nil {
		return scout.Item{}, fmt.Errorf("get item %d: %w", id, s.translate(err))
	}
	it.ContentHTML, it.ContentText = html, text
	if it.Entities, err = s.itemEntities(ctx, id); err != nil {
		return scout.Item{}, fmt.Errorf("get item %d: %w", id, err)
	}
	return it, nil
}

func (s *Store) itemEntities(ctx context.Context, itemID int64) ([]scout.ItemEntity, error) {
	rows, err := s.query(ctx, `SELECT e.id, e.type, e.name, e.key, e.created_at, e.updated_at, e.version, ie.role, ie.confidence, ie.span
		FROM item_entities ie JOIN entities e ON e.id = ie.entity_id WHERE ie.item_id = $1 ORDER BY ie.role, e.id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("item entities: %w", err)
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (scout.ItemEntity, error) {
		var ie scout.ItemEntity
		var created, updated sql.NullInt64
		e := &ie.Entity
		err := sc.Scan(&e.ID, &e.Type, &e.Name, &e.Key, &created, &updated, &e.Version, &ie.Role, &ie.Confidence, &ie.Span)
		e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
		return ie, err
	})
}

// itemCursor is a keyset position: the sort key and the id. Item and
// opportunity lists share it, since both page by the same keys.
type itemCursor struct {
	P int64   `json:"p,omitempty"` // published_at or deadline, microseconds
	R float64 `json:"r,omitempty"` // relevance rank
	I int64   `json:"i"`
}

// ListItems returns the items f selects, visible to f.Viewer.
func (s *Store) ListItems(ctx context.Context, f store.ItemFilter) (store.Page[scout.Item], error) {
	var cur itemCursor
	if f.Cursor != "" {
		if err := store.DecodeCursor(f.Cursor, &cur); err != nil {
			return store.Page[scout.Item]{}, err
		}
	}
	if f.Query == "" && f.Sort == store.SortRelevance {
		return store.Page[scout.Item]{}, scout.Invalid("sort", "relevance needs a search query")
	}
	if f.Now.IsZero() {
		f.Now = s.Now()
	}
	plan, match, err := s.searchOf(ctx, f)
	if err != nil {
		return store.Page[scout.Item]{}, err
	}
	n := f.Size()
	list, ranks, pos, err := s.listItems(ctx, f, cur, plan, match)
	if err == nil && plan == planRankBest && len(list) <= n {
		// A short page: either the candidates were every hit, or filters
		// dropped too many of the best hits to fill it; then join them all,
		// so that the page is the same as if they had been.
		var more bool
		if more, err = s.moreHits(ctx, match, bestCandidates(n)); err == nil && more {
			list, ranks, pos, err = s.listItems(ctx, f, cur, planRankAll, match)
		}
	}
	if err != nil {
		return store.Page[scout.Item]{}, err
	}
	if len(list) <= n {
		return store.Page[scout.Item]{Items: list}, nil
	}
	return store.Page[scout.Item]{Items: list[:n], Next: store.EncodeCursor(pos(list[n-1], ranks[n-1]))}, nil
}

// searchOf checks f's query and chooses how to match it; match is the
// dialect's argument for it.
func (s *Store) searchOf(ctx context.Context, f store.ItemFilter) (plan searchPlan, match any, err error) {
	if f.Query == "" {
		return planNone, nil, nil
	}
	if c, ok := s.Dialect.(SearchChecker); ok {
		if err := c.CheckSearch(ctx, s.R, f.Query); err != nil {
			return 0, nil, err
		}
	}
	if _, match, err = s.Dialect.SearchJoin(f.Query, "$1"); err != nil {
		return 0, nil, err
	}
	plan, err = s.chooseSearch(ctx, f, match)
	return plan, match, err
}

// listItems reads up to a page and one more of the items f selects, after
// cur, matching f's query by plan, with each one's search rank (0 without
// a query); pos gives an item's keyset position.
func (s *Store) listItems(ctx context.Context, f store.ItemFilter, cur itemCursor, plan searchPlan, match any) (
	list []scout.Item, ranks []float64, pos func(scout.Item, float64) any, err error) {
	var a args
	from := `items i JOIN sources s ON s.id = i.source_id`
	rank := "f.rank"
	var conds []string
	switch plan {
	case planNone:
		rank = "0"
	case planJoinAll:
		join, _, err := s.Dialect.SearchJoin(f.Query, a.add(match))
		if err != nil {
			return nil, nil, nil, err
		}
		from += " " + join
	case planRankBest, planRankAll:
		param, after, limit := a.add(match), "", bestCandidates(f.Size())
		if f.Cursor != "" {
			after = "(" + a.add(cur.R) + ", " + a.add(cur.I) + ")"
		}
		if plan == planRankAll {
			limit = allHits
		}
		from += " " + s.Dialect.(SearchPlanner).SearchJoinBest(param, after, a.add(limit))
	case planWalk:
		rank = "0"
		conds = append(conds, s.Dialect.(SearchPlanner).SearchIn(a.add(match)))
	}
	conds = append(conds, itemConds(&a, f)...)
	conds = append(conds, visibleSource(&a, f.Viewer))
	if c, err := statusCond(&a, f.Statuses, f.Now); err != nil {
		return nil, nil, nil, err
	} else if c != "" {
		conds = append(conds, c)
	}
	after, order, pos, err := itemOrder(&a, f, cur)
	if err != nil {
		return nil, nil, nil, err
	}
	if after != "" {
		conds = append(conds, after)
	}
	limit := a.add(f.Size() + 1)
	q := `SELECT ` + itemCols + `, ` + rank + ` FROM ` + from + where(conds) + ` ORDER BY ` + order + ` LIMIT ` + limit
	if _, sqlite := s.Dialect.(SearchPlanner); sqlite && (plan == planJoinAll || plan == planRankBest || plan == planRankAll) {
		q = sortedThenRead(from, conds, rank, order, limit)
	}
	rows, err := s.query(ctx, q, a...)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list items: %w", err)
	}
	if list, ranks, err = scanRanked(rows, f.Size()+1, f.ProvenanceJSON); err != nil {
		return nil, nil, nil, fmt.Errorf("list items: %w", err)
	}
	return list, ranks, pos, nil
}

// sortedThenRead is a page of search hits ordered by order, in two steps:
// the hits are sorted by their keys alone (id, rank and the order's
// columns) and only the page's rows are read whole, after. Sorted whole, a
// hit's every list column (the JSON columns, the text a derived summary
// comes from) went into the sort: two terms in 75,000 items have 800 hits,
// and a page by date read and sorted all 800 rows to keep 51. The outer
// select names the sorted hits f, with rank, so that order reads the same
// in both steps. Only the dialects that plan their searches (SQLite) take
// it: PostgreSQL reads every hit's row for its tsv anyway and sorts in
// memory, and the two steps showed it no clear gain against more planning.
func sortedThenRead(from string, conds []string, rank, order, limit string) string {
	return `SELECT ` + itemCols + `, f.rank FROM (SELECT i.id AS fid, ` + rank + ` AS rank FROM ` + from + where(conds) +
		` ORDER BY ` + order + ` LIMIT ` + limit + `) f JOIN items i ON i.id = f.fid ORDER BY ` + order
}

// scanRanked reads rows of itemCols and a rank into items and their ranks,
// expecting up to n; provJSON passes canonical provenance through.
func scanRanked(rows *sql.Rows, n int, provJSON bool) ([]scout.Item, []float64, error) {
	defer rows.Close()
	var rank float64
	row := newItemRow(&rank)
	row.provJSON = provJSON
	list, ranks := make([]scout.Item, 0, n), make([]float64, 0, n)
	for rows.Next() {
		it, err := row.scan(rows)
		if err != nil {
			return nil, nil, err
		}
		list, ranks = append(list, it), append(ranks, rank)
	}
	return list, ranks, rows.Err()
}

// itemOrder returns f's order, the condition that starts the page after cur
// ("" on the first page), and how to read an item's keyset position.
func itemOrder(a *args, f store.ItemFilter, cur itemCursor) (after, order string, pos func(scout.Item, float64) any, err error) {
	switch f.Sort {
	case store.SortDeadline:
		after = "i.deadline IS NOT NULL"
		if f.Cursor != "" {
			after += " AND (i.deadline, i.id) > (" + a.add(cur.P) + ", " + a.add(cur.I) + ")"
		}
		return after, "i.deadline, i.id", func(it scout.Item, _ float64) any {
			return itemCursor{P: it.Opportunity.Deadline.UnixMicro(), I: it.ID}
		}, nil
	case store.SortRelevance:
		if f.Cursor != "" {
			after = "(f.rank, i.id) > (" + a.add(cur.R) + ", " + a.add(cur.I) + ")"
		}
		return after, "f.rank, i.id", func(it scout.Item, r float64) any { return itemCursor{R: r, I: it.ID} }, nil
	case store.SortPublished, "":
		if f.Cursor != "" {
			after = "(i.published_at, i.id) < (" + a.add(cur.P) + ", " + a.add(cur.I) + ")"
		}
		return after, "i.published_at DESC, i.id DESC", func(it scout.Item, _ float64) any {
			return itemCursor{P: it.PublishedAt.UnixMicro(), I: it.ID}
		}, nil
	}
	return "", "", nil, scout.Invalid("sort", "must be published, deadline or relevance")
}

// itemConds turns the plain filters of f into conditions.
func itemConds(a *args, f store.ItemFilter) []string {
	conds := []string{"i.deleted_at IS NULL"}
	add := func(cond string, v any) { conds = append(conds, strings.Replace(cond, "?", a.add(v), 1)) }
	if f.SourceID != 0 {
		add("i.source_id = ?", f.SourceID)
	}
	if f.Kind != "" {
		add("i.kind = ?", string(f.Kind))
	}
	if f.Tag != "" {
		add("EXISTS (SELECT 1 FROM source_tags t WHERE t.source_id = i.source_id AND t.tag = ?)", f.Tag)
	}
	if !f.PublishedAfter.IsZero() {
		add("i.published_at >= ?", f.PublishedAfter.UnixMicro())
	}
	if !f.PublishedBefore.IsZero() {
		add("i.published_at < ?", f.PublishedBefore.UnixMicro())
	}
	if !f.DeadlineAfter.IsZero() {
		add("i.deadline >= ?", f.DeadlineAfter.UnixMicro())
	}
	if !f.DeadlineBefore.IsZero() {
		add("i.deadline < ?", f.DeadlineBefore.UnixMicro())
	}
	if f.AmountAtLeast > 0 {
		add("i.amount_max >= ?", f.AmountAtLeast)
	}
	if f.AmountAtMost > 0 {
		add("i.amount_min > 0 AND i.amount_min <= ?", f.AmountAtMost)
	}
	if !f.UpdatedSince.IsZero() {
		add("i.updated_at >= ?", f.UpdatedSince.UnixMicro())
	}
	if f.ClosingWithin > 0 {
		add("i.deadline >= ?", f.Now.UnixMicro())
		add("i.deadline < ?", f.Now.Add(f.ClosingWithin).UnixMicro())
	}
	return append(conds, recordConds(a, f)...)
}
