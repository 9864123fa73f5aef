package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ListModifiedOpportunities returns a numbered page of the opportunities v
// sees, most recently modified first as v is served them (see stamp): by
// the latest change to a sighting v sees or a departure v could see, so the
// order moves for v's changes alone.
//
// The order is read from the newest changes down (sightings_changed and
// sighting_departures_changed), the k newest rows v may see at a time,
// with k doubled until the rows hold more opportunities than the page
// needs: the first row of an opportunity is its latest change, and every
// opportunity whose latest change is newer than the oldest row read is
// among them. So a page costs the changes above its end (for a viewer who
// sees few of the stored opportunities, also the others' changes the walk
// passes over), not a pass over the store, and the total is counted only
// when asked (count) or when the rows run out within the page.
func (s *Store) ListModifiedOpportunities(ctx context.Context, v store.Viewer, offset, limit int, count bool) (store.NumberedPage[scout.MergedOpportunity], error) {
	var out store.NumberedPage[scout.MergedOpportunity]
	if offset < 0 || limit < 1 || limit > store.MaxLimit {
		return out, scout.Invalid("limit", "offset must be at least 0 and limit 1 to %d", store.MaxLimit)
	}
	want := offset + limit + 1 // one more says whether the list goes on
	var ids []int64
	for k := 2 * want; ; k *= 2 {
		got, done, err := s.newestChanged(ctx, v, want, k)
		if err != nil {
			return out, fmt.Errorf("list modified opportunities: %w", err)
		}
		if done || len(got) >= want {
			ids = got
			if len(got) < want {
				out.Total, out.Counted = len(got), true
			}
			break
		}
	}
	if count && !out.Counted {
		if err := s.countVisibleOpportunities(ctx, v, &out.Total); err != nil {
			return out, err
		}
		out.Counted = true
	}
	if offset >= len(ids) {
		return out, nil
	}
	ids = ids[offset:min(len(ids), offset+limit)]
	merged, err := s.mergedVisible(ctx, ids, v)
	if err != nil {
		return out, fmt.Errorf("list modified opportunities: %w", err)
	}
	out.Items = make([]scout.MergedOpportunity, 0, len(ids))
	for _, id := range ids { // an opportunity merged away meanwhile is left out
		if m, ok := merged[id]; ok {
			out.Items = append(out.Items, m)
		}
	}
	return out, nil
}

// changeRow is one change v may see: of a live sighting, or a departure.
type changeRow struct {
	opp, at int64
	live    bool
}

// newestChanged returns up to want opportunities v sees, most recently
// modified first, read from the k newest changes v may see; done says the
// changes ran out, so the list is whole.
func (s *Store) newestChanged(ctx context.Context, v store.Viewer, want, k int) ([]int64, bool, error) {
	var a args
	// CROSS JOIN keeps SQLite reading the sightings in changed_at order
	// first; PostgreSQL plans it as the inner join it is.
	q := `SELECT u.opp, u.at, u.live FROM (SELECT g.opportunity_id AS opp, g.changed_at AS at, 1 AS live
			FROM sightings g CROSS JOIN items i CROSS JOIN sources s
			WHERE i.id = g.item_id AND s.id = i.source_id AND i.deleted_at IS NULL AND ` + visibleSource(&a, v) + `
			ORDER BY g.changed_at DESC, g.id DESC LIMIT ` + a.add(k) + `) u
		UNION ALL SELECT w.opp, w.at, w.live FROM (SELECT d.opportunity_id AS opp, d.changed_at AS at, 0 AS live
			FROM sighting_departures d WHERE ` + visibleClass(&a, v) + ` ORDER BY d.changed_at DESC LIMIT ` + a.add(k) + `) w`
	rows, err := s.query(ctx, q, a...)
	if err != nil {
		return nil, false, err
	}
	list, err := collect(rows, func(sc interface{ Scan(...any) error }) (changeRow, error) {
		var r changeRow
		return r, sc.Scan(&r.opp, &r.at, &r.live)
	})
	if err != nil {
		return nil, false, err
	}
	var lives, gone int
	for _, r := range list {
		if r.live {
			lives++
		} else {
			gone++
		}
	}
	done := lives < k && gone < k
	// The rows are trusted down to the newer of the two branches' oldest
	// (all of a branch that ran out): below it a change may be missing.
	var floor int64 = -1 << 63
	if !done {
		floor = max(oldest(list, true, lives == k), oldest(list, false, gone == k))
	}
	latest := map[int64]changeRow{} // each opportunity's latest change read
	for _, r := range list {
		l, ok := latest[r.opp]
		if !ok || r.at > l.at {
			l.opp, l.at = r.opp, r.at
		}
		l.live = l.live || r.live
		latest[r.opp] = l
	}
	var order, unsure []changeRow
	for _, l := range latest {
		if l.at <= floor && !done {
			continue // an older change, or one at the floor beside others unread
		}
		order = append(order, l)
		if !l.live {
			unsure = append(unsure, l)
		}
	}
	if len(unsure) > 0 {
		// Seen through a departure alone: kept when v still sees a sighting.
		seen, err := s.seenOpportunities(ctx, v, unsure)
		if err != nil {
			return nil, false, err
		}
		kept := order[:0]
		for _, l := range order {
			if l.live || seen[l.opp] {
				kept = append(kept, l)
			}
		}
		order = kept
	}
	sortChanges(order)
	ids := make([]int64, 0, min(len(order), want))
	for _, l := range order[:min(len(order), want)] {
		ids = append(ids, l.opp)
	}
	return ids, done, nil
}

// oldest returns the oldest time among the rows of one branch (live or
// departures) when that branch was cut at its limit, else the smallest
// time there is: a branch read whole bounds nothing.
func oldest(list []changeRow, live, cut bool) int64 {
	if !cut {
		return -1 << 63
	}
	t := int64(1<<63 - 1)
	for _, r := range list {
		if r.live == live {
			t = min(t, r.at)
		}
	}
	return t
}

// sortChanges orders latest changes newest first, then by id descending.
func sortChanges(list []changeRow) {
	slices.SortFunc(list, func(a, b changeRow) int { return cmp.Or(cmp.Compare(b.at, a.at), cmp.Compare(b.opp, a.opp)) })
}

// seenOpportunities reports which opportunities of list v sees through a
// live sighting.
func (s *Store) seenOpportunities(ctx context.Context, v store.Viewer, list []changeRow) (map[int64]bool, error) {
	out := map[int64]bool{}
	for len(list) > 0 {
		n := min(len(list), opportunityBatch)
		var a args
		ph := make([]string, n)
		for i, l := range list[:n] {
			ph[i] = a.add(l.opp)
		}
		list = list[n:]
		seen, err := idSet(s.query(ctx, `SELECT DISTINCT g.opportunity_id FROM sightings g JOIN items i ON i.id = g.item_id
			JOIN sources s ON s.id = i.source_id WHERE g.opportunity_id IN (`+strings.Join(ph, ", ")+`)
			AND i.deleted_at IS NULL AND `+visibleSource(&a, v), a...))
		if err != nil {
			return nil, err
		}
		maps.Copy(out, seen)
	}
	return out, nil
}

// countVisibleOpportunities counts the opportunities v sees: a pass over
// the sightings v may see, which is why it runs only when asked.
func (s *Store) countVisibleOpportunities(ctx context.Context, v store.Viewer, n *int) error {
	var a args
	if err := s.queryRow(ctx, `SELECT COUNT(DISTINCT g.opportunity_id) FROM sightings g JOIN items i ON i.id = g.item_id
		JOIN sources s ON s.id = i.source_id WHERE i.deleted_at IS NULL AND `+visibleSource(&a, v), a...).Scan(n); err != nil {
		return fmt.Errorf("count opportunities: %w", err)
	}
	return nil
}
