package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// sightingRow is a sighting as read with its item, before merging, with
// when it last changed and its version (see stamp).
type sightingRow struct {
	in      match.Input
	changed stamp
}

// What a viewer is served of an opportunity, beyond its merged fields, is
// worked out from what that viewer may see, as the fields are: created_at
// is when the first sighting they see was written; updated_at is the
// latest change to a sighting they see or departure they could see; the
// version sums the versions of those sightings and departures. A sighting
// joins with version 1, and each change to it (its item amended, a merge
// or split moving it) adds one and sets its time. A sighting that leaves
// (split off, pruned, archived, dropped by its item, its source deleted)
// adds its version and one more to the departure of its source's
// visibility and owner. So every change a viewer can see moves both
// forward, and nothing of a sighting they cannot see reaches them: the
// opportunity's own row holds no time or version that is served.

// stamp is when something last changed and how many changes it counts.
type stamp struct{ at, version int64 }

// add folds o into st: the later time, the sum of the versions.
func (st *stamp) add(o stamp) {
	st.at, st.version = max(st.at, o.at), st.version+o.version
}

// visibleSightings reads the sightings of the opportunities ids that v may
// see (live items of live sources v may see), with their items.
func (s *Store) visibleSightings(ctx context.Context, ids []int64, v store.Viewer) ([]sightingRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	q := `SELECT ` + itemCols + `, g.id, g.opportunity_id, g.part, g.span, g.confidence, g.evidence, g.pinned, g.features, g.created_at,
		g.title, g.facet, s.kind, g.changed_at, g.version
		FROM sightings g JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id
		WHERE g.opportunity_id IN (` + strings.Join(ph, ", ") + `) AND i.deleted_at IS NULL AND ` + visibleSource(&a, v) + ` ORDER BY g.id`
	rows, err := s.query(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("read sightings: %w", err)
	}
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (sightingRow, error) {
		var r sightingRow
		var ev, feat, title, facet, kind string
		var created sql.NullInt64
		g := &r.in.S
		it, err := scanItem(sc, &g.ID, &g.OpportunityID, &g.Part, &g.Span, &g.Confidence, &ev, &g.Pinned, &feat, &created,
			&title, &facet, &kind, &r.changed.at, &r.changed.version)
		if err != nil {
			return r, err
		}
		if facet != "" {
			// One of several calls: what was read from its span, not the
			// newsletter's own facet; or an item's mention of a call
			// (part 0, its own facet none): what it says of the call.
			var o scout.Opportunity
			if json.Unmarshal([]byte(facet), &o) == nil {
				it.Opportunity = o
				if g.Part > 0 {
					it.Title = title
				}
			}
		}
		g.Item, g.ItemID, g.SourceID, g.CreatedAt = it, it.ID, it.SourceID, fromMicros(created)
		_ = json.Unmarshal([]byte(ev), &g.Evidence) // written by the store; a damaged row shows no evidence
		if feat != "" {
			_ = json.Unmarshal([]byte(feat), &r.in.F)
		}
		r.in.Structured = kind != string(scout.SourceFeed)
		return r, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read sightings: %w", err)
	}
	return list, nil
}

// mergeVisible merges the rows by opportunity, with the departures v
// could see (see departures); an opportunity without visible rows is
// absent from the map.
func mergeVisible(rows []sightingRow, gone map[int64]stamp) map[int64]scout.MergedOpportunity {
	by := map[int64][]sightingRow{}
	for _, r := range rows {
		by[r.in.S.OpportunityID] = append(by[r.in.S.OpportunityID], r)
	}
	out := make(map[int64]scout.MergedOpportunity, len(by))
	for id, rs := range by {
		in := make([]match.Input, len(rs))
		st := gone[id]
		first := rs[0].in.S.CreatedAt
		for i, r := range rs {
			in[i] = r.in
			st.add(r.changed)
			if c := r.in.S.CreatedAt; c.Before(first) {
				first = c
			}
		}
		m := match.Merge(in)
		m.ID, m.CreatedAt, m.UpdatedAt, m.Version = id, first, time.UnixMicro(st.at).UTC(), st.version
		out[id] = m
	}
	return out
}

// mergedVisible returns the opportunities ids (at most opportunityBatch)
// merged from what v may see of them.
func (s *Store) mergedVisible(ctx context.Context, ids []int64, v store.Viewer) (map[int64]scout.MergedOpportunity, error) {
	rows, err := s.visibleSightings(ctx, ids, v)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	gone, err := s.departures(ctx, ids, v)
	if err != nil {
		return nil, err
	}
	return mergeVisible(rows, gone), nil
}

// GetOpportunity returns an opportunity merged from the sightings v may see.
func (s *Store) GetOpportunity(ctx context.Context, id int64, v store.Viewer) (scout.MergedOpportunity, error) {
	merged, err := s.mergedVisible(ctx, []int64{id}, v)
	if err != nil {
		return scout.MergedOpportunity{}, fmt.Errorf("get opportunity %d: %w", id, err)
	}
	m, ok := merged[id]
	if !ok {
		return scout.MergedOpportunity{}, fmt.Errorf("get opportunity %d: %w", id, scout.ErrNotFound)
	}
	return m, nil
}

// GetItemOpportunity returns the opportunity of a live item's sighting.
func (s *Store) GetItemOpportunity(ctx context.Context, itemID int64) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT g.opportunity_id FROM sightings g JOIN items i ON i.id = g.item_id
		WHERE g.item_id = $1 AND i.deleted_at IS NULL ORDER BY g.part LIMIT 1`, itemID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("opportunity of item %d: %w", itemID, s.translate(err))
	}
	return id, nil
}

// opportunityBatch bounds the ids one query reads.
const opportunityBatch = 500

// ItemOpportunities returns the opportunities of the items' sightings.
func (s *Store) ItemOpportunities(ctx context.Context, itemIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	for len(itemIDs) > 0 {
		n := min(len(itemIDs), opportunityBatch)
		var a args
		ph := make([]string, n)
		for i, id := range itemIDs[:n] {
			ph[i] = a.add(id)
		}
		itemIDs = itemIDs[n:]
		rows, err := s.query(ctx, `SELECT g.item_id, g.opportunity_id FROM sightings g JOIN items i ON i.id = g.item_id
			WHERE g.item_id IN (`+strings.Join(ph, ", ")+`) AND i.deleted_at IS NULL ORDER BY g.item_id, g.part`, a...)
		if err != nil {
			return nil, fmt.Errorf("opportunities of items: %w", err)
		}
		pairs, err := collect(rows, func(sc interface{ Scan(...any) error }) ([2]int64, error) {
			var p [2]int64
			return p, sc.Scan(&p[0], &p[1])
		})
		if err != nil {
			return nil, fmt.Errorf("opportunities of items: %w", err)
		}
		for _, p := range pairs {
			out[p[0]] = append(out[p[0]], p[1])
		}
	}
	return out, nil
}

// GetOpportunities returns the opportunities ids merged from the sightings
// v may see.
func (s *Store) GetOpportunities(ctx context.Context, ids []int64, v store.Viewer) (map[int64]scout.MergedOpportunity, error) {
	out := map[int64]scout.MergedOpportunity{}
	for len(ids) > 0 {
		n := min(len(ids), opportunityBatch)
		merged, err := s.mergedVisible(ctx, ids[:n], v)
		if err != nil {
			return nil, fmt.Errorf("get opportunities: %w", err)
		}
		maps.Copy(out, merged)
		ids = ids[n:]
	}
	return out, nil
}

// ListOpportunities returns the opportunities f selects through the
// sightings f.Viewer may see.
func (s *Store) ListOpportunities(ctx context.Context, f store.ItemFilter) (store.Page[scout.MergedOpportunity], error) {
	var cur itemCursor
	if f.Cursor != "" {
		if err := store.DecodeCursor(f.Cursor, &cur); err != nil {
			return store.Page[scout.MergedOpportunity]{}, err
		}
	}
	if f.Now.IsZero() {
		f.Now = s.Now()
	}
	var a args
	from := `sightings g JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id`
	if f.Query == "" && f.Sort == store.SortRelevance {
		return store.Page[scout.MergedOpportunity]{}, scout.Invalid("sort", "relevance needs a search query")
	}
	if f.Query != "" {
		if c, ok := s.Dialect.(SearchChecker); ok {
			if err := c.CheckSearch(ctx, s.R, f.Query); err != nil {
				return store.Page[scout.MergedOpportunity]{}, err
			}
		}
		_, match, err := s.Dialect.SearchJoin(f.Query, "$1")
		if err != nil {
			return store.Page[scout.MergedOpportunity]{}, err
		}
		join, _, _ := s.Dialect.SearchJoin(f.Query, a.add(match))
		from += " " + join
	}
	conds := append(itemConds(&a, f), visibleSource(&a, f.Viewer))
	if c, err := statusCond(&a, f.Statuses, f.Now); err != nil {
		return store.Page[scout.MergedOpportunity]{}, err
	} else if c != "" {
		conds = append(conds, c)
	}
	var key, order, having string
	switch f.Sort {
	case store.SortDeadline, "":
		// A call of a newsletter sorts by its own deadline.
		dl := "MIN(COALESCE(g.deadline, i.deadline))"
		key, order, having = dl, "1, g.opportunity_id", dl+" IS NOT NULL"
		if f.Cursor != "" {
			having += " AND (" + dl + ", g.opportunity_id) > (" + a.add(cur.P) + ", " + a.add(cur.I) + ")"
		}
	case store.SortPublished:
		key, order = "MAX(i.published_at)", "1 DESC, g.opportunity_id DESC"
		if f.Cursor != "" {
			having = "(MAX(i.published_at), g.opportunity_id) < (" + a.add(cur.P) + ", " + a.add(cur.I) + ")"
		}
	case store.SortRelevance:
		key, order = "MIN(f.rank)", "1, g.opportunity_id"
		if f.Cursor != "" {
			having = "(MIN(f.rank), g.opportunity_id) > (" + a.add(cur.R) + ", " + a.add(cur.I) + ")"
		}
	default:
		return store.Page[scout.MergedOpportunity]{}, scout.Invalid("sort", "must be deadline, published or relevance")
	}
	if having != "" {
		having = " HAVING " + having
	}
	q := `SELECT ` + key + `, g.opportunity_id FROM ` + from + where(conds) + ` GROUP BY g.opportunity_id` + having +
		` ORDER BY ` + order + ` LIMIT ` + a.add(f.Size()+1)
	rows, err := s.query(ctx, q, a...)
	if err != nil {
		return store.Page[scout.MergedOpportunity]{}, fmt.Errorf("list opportunities: %w", err)
	}
	keys, err := collect(rows, func(sc interface{ Scan(...any) error }) (itemCursor, error) {
		var c itemCursor
		var p sql.NullFloat64
		err := sc.Scan(&p, &c.I)
		if f.Sort == store.SortRelevance {
			c.R = p.Float64
		} else {
			c.P = int64(p.Float64)
		}
		return c, err
	})
	if err != nil {
		return store.Page[scout.MergedOpportunity]{}, fmt.Errorf("list opportunities: %w", err)
	}
	page := pageOf(keys, f.Size(), func(c itemCursor) any { return c })
	ids := make([]int64, len(page.Items))
	for i, c := range page.Items {
		ids[i] = c.I
	}
	merged, err := s.mergedVisible(ctx, ids, f.Viewer)
	if err != nil {
		return store.Page[scout.MergedOpportunity]{}, fmt.Errorf("list opportunities: %w", err)
	}
	out := store.Page[scout.MergedOpportunity]{Next: page.Next, Items: make([]scout.MergedOpportunity, 0, len(ids))}
	for _, id := range ids {
		if m, ok := merged[id]; ok {
			out.Items = append(out.Items, m)
		}
	}
	return out, nil
}
