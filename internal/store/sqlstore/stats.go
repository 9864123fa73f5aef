package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// dayMicros is one day in the stored time unit.
const dayMicros = int64(24 * time.Hour / time.Microsecond)

// Stats returns the dashboard numbers. It stays fast at millions of items
// because no query reads the whole items table:
//
//   - items per day and per source read only the items_source_published
//     index (source_id, published_at): for each visible source, the range of
//     the last StatsDays days (bounded above by now+1 day so that feeds dated
//     in the future do not widen it). The index covers these counts, so no
//     item row is read; the price is that items archived by retention still
//     count on the day they were published, which is what "published per
//     day" means anyway;
//   - items per kind and per status walk the same ranges but read each row
//     for its kind, deadline and tombstone, in one pass: the one count whose
//     cost follows the number of recent items (about 40 ms per 50,000
//     recent items on a small machine);
//   - upcoming deadlines are a range scan of items_deadline over the next
//     30 days, and the list of the soonest is the same scan with a LIMIT;
//   - source health groups the sources table, which holds feeds, not items;
//   - the fetch error rate is a range scan of fetches_started over the last
//     StatsFetchWindow;
//   - the per-host lag groups the due sources only.
//
// The cost therefore follows the number of recent items, not the total.
func (s *Store) Stats(ctx context.Context, v store.Viewer, now time.Time) (store.Stats, error) {
	now = now.UTC()
	st := store.Stats{Now: now}
	steps := []func(context.Context, store.Viewer, time.Time, *store.Stats) error{
		s.statsPerDay, s.statsPerSource, s.statsPerKind, s.statsDeadlines, s.statsHealth, s.statsFetches, s.statsHostLag,
		s.statsOpportunities,
	}
	for _, step := range steps {
		if err := step(ctx, v, now, &st); err != nil {
			return store.Stats{}, fmt.Errorf("stats: %w", err)
		}
	}
	return st, nil
}

// recentWindow returns the bounds of the stats window in stored units.
func recentWindow(now time.Time) (since, until int64) {
	today := now.UnixMicro() / dayMicros * dayMicros
	return today - (store.StatsDays-1)*dayMicros, today + dayMicros
}

// recentItems returns the FROM and WHERE of the items published in the
// stats window in sources visible to v. The sources are a subquery, so that
// the planner walks items_source_published once per visible source.
func recentItems(a *args, v store.Viewer, now time.Time) string {
	since, until := recentWindow(now)
	return ` FROM items i WHERE i.published_at >= ` + a.add(since) + ` AND i.published_at < ` + a.add(until) +
		` AND i.source_id IN (SELECT s.id FROM sources s WHERE ` + visibleSource(a, v) + `)`
}

func (s *Store) statsPerDay(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var a args
	rows, err := s.R.QueryContext(ctx, `SELECT i.published_at / `+fmt.Sprint(dayMicros)+` AS d, COUNT(*)`+
		recentItems(&a, v, now)+` GROUP BY d ORDER BY d`, a...)
	if err != nil {
		return fmt.Errorf("items per day: %w", err)
	}
	st.ItemsPerDay, err = collect(rows, func(sc interface{ Scan(...any) error }) (store.DayCount, error) {
		var d int64
		var c store.DayCount
		err := sc.Scan(&d, &c.Count)
		c.Day = time.UnixMicro(d * dayMicros).UTC()
		return c, err
	})
	return err
}

// statsPerSource ranks the visible sources by their recent items, each
// counted on items_source_published. Sources without recent items are
// dropped after the LIMIT rather than by "WHERE n > 0" around the counts:
// PostgreSQL merges such a filter into the subquery and counts every
// source twice.
func (s *Store) statsPerSource(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var a args
	since, until := recentWindow(now)
	q := `SELECT s.id, s.title, (SELECT COUNT(*) FROM items i WHERE i.source_id = s.id AND i.published_at >= ` + a.add(since) +
		` AND i.published_at < ` + a.add(until) + `) AS n FROM sources s WHERE ` + visibleSource(&a, v)
	rows, err := s.R.QueryContext(ctx, q+` ORDER BY n DESC, s.id LIMIT `+a.add(store.StatsTopSources), a...)
	if err != nil {
		return fmt.Errorf("items per source: %w", err)
	}
	counts, err := collect(rows, func(sc interface{ Scan(...any) error }) (store.SourceCount, error) {
		var c store.SourceCount
		return c, sc.Scan(&c.SourceID, &c.Title, &c.Count)
	})
	st.PerSource = slices.DeleteFunc(counts, func(c store.SourceCount) bool { return c.Count == 0 })
	return err
}

// statsPerKind counts the recent items by kind and, for opportunities (kind
// not none), by status at now, in one pass over the rows the window holds.
func (s *Store) statsPerKind(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var a args
	status := statusCase(&a, now)
	rows, err := s.R.QueryContext(ctx, `SELECT i.kind, `+status+` AS st, COUNT(*) AS n`+recentItems(&a, v, now)+
		` AND i.deleted_at IS NULL GROUP BY i.kind, st`, a...)
	if err != nil {
		return fmt.Errorf("items per kind and status: %w", err)
	}
	type group struct {
		kind   scout.Kind
		status scout.OpportunityStatus
		n      int
	}
	groups, err := collect(rows, func(sc interface{ Scan(...any) error }) (group, error) {
		var g group
		return g, sc.Scan(&g.kind, &g.status, &g.n)
	})
	if err != nil {
		return fmt.Errorf("items per kind and status: %w", err)
	}
	perKind, perStatus := map[scout.Kind]int{}, map[scout.OpportunityStatus]int{}
	for _, g := range groups {
		perKind[g.kind] += g.n
		if g.kind != scout.KindNone {
			perStatus[g.status] += g.n
		}
	}
	st.PerKind = st.PerKind[:0]
	for k, n := range perKind {
		st.PerKind = append(st.PerKind, store.KindCount{Kind: k, Count: n})
	}
	slices.SortFunc(st.PerKind, func(x, y store.KindCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Kind, y.Kind))
	})
	for _, sts := range statusOrder {
		if n := perStatus[sts]; n > 0 {
			st.PerStatus = append(st.PerStatus, store.StatusCount{Status: sts, Count: n})
		}
	}
	return nil
}

func (s *Store) statsDeadlines(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var a args
	from := ` FROM items i JOIN sources s ON s.id = i.source_id` + where([]string{
		"i.deadline >= " + a.add(now.UnixMicro()), "i.deadline < " + a.add(now.Add(store.StatsDeadlineSpan).UnixMicro()),
		"i.deleted_at IS NULL", visibleSource(&a, v)})
	week := a.add(now.Add(7 * 24 * time.Hour).UnixMicro())
	err := s.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.deadline < `+week+` THEN 1 ELSE 0 END), 0)`+from, a...).
		Scan(&st.DeadlinesNext30, &st.DeadlinesNext7)
	if err != nil {
		return fmt.Errorf("count deadlines: %w", err)
	}
	a = a[:len(a)-1]
	rows, err := s.R.QueryContext(ctx, `SELECT `+itemCols+from+` ORDER BY i.deadline, i.id LIMIT `+a.add(store.StatsDeadlineList), a...)
	if err != nil {
		return fmt.Errorf("upcoming deadlines: %w", err)
	}
	st.Upcoming, err = collect(rows, func(sc interface{ Scan(...any) error }) (scout.Item, error) { return scanItem(sc) })
	return err
}

// statsOpportunities counts distinct opportunities through visible
// sightings: those of the recent items (the same ranges as the per-kind
// count, each joined to its sightings by sightings_item), and those with a
// deadline in the next 30 days (a range of items_deadline for whole items,
// of sightings_deadline for the calls of newsletters).
func (s *Store) statsOpportunities(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var a args
	err := s.R.QueryRowContext(ctx, `SELECT COUNT(DISTINCT g.opportunity_id) FROM sightings g WHERE g.item_id IN (SELECT i.id`+
		recentItems(&a, v, now)+` AND i.deleted_at IS NULL)`, a...).Scan(&st.Opportunities)
	if err != nil {
		return fmt.Errorf("count opportunities: %w", err)
	}
	a = a[:0]
	from, until := a.add(now.UnixMicro()), a.add(now.Add(store.StatsDeadlineSpan).UnixMicro())
	week := a.add(now.Add(7 * 24 * time.Hour).UnixMicro())
	join := ` JOIN items i ON i.id = g.item_id JOIN sources s ON s.id = i.source_id WHERE i.deleted_at IS NULL AND `
	q := `SELECT COUNT(DISTINCT x.opp), COUNT(DISTINCT CASE WHEN x.dl < ` + week + ` THEN x.opp END) FROM (
		SELECT g.opportunity_id AS opp, i.deadline AS dl FROM sightings g` + join + visibleSource(&a, v) +
		` AND g.deadline IS NULL AND i.deadline >= ` + from + ` AND i.deadline < ` + until + `
		UNION ALL SELECT g.opportunity_id, g.deadline FROM sightings g` + join + visibleSource(&a, v) +
		` AND g.deadline >= ` + from + ` AND g.deadline < ` + until + `) x`
	if err := s.R.QueryRowContext(ctx, q, a...).Scan(&st.OpportunityDeadlinesNext30, &st.OpportunityDeadlinesNext7); err != nil {
		return fmt.Errorf("count opportunity deadlines: %w", err)
	}
	return nil
}

// pendingStatus is a source's health for the dashboard: its status, or
// pending while it has never been fetched.
const pendingStatus = `CASE WHEN s.status = 'ok' AND s.last_fetched_at IS NULL THEN 'pending' ELSE s.status END`

func (s *Store) statsHealth(ctx context.Context, v store.Viewer, _ time.Time, st *store.Stats) error {
	var a args
	// A source that was never fetched is "ok" in its row (nothing failed
	// yet) but pending on the dashboard, so a new installation does not
	// report health it has not seen.
	rows, err := s.R.QueryContext(ctx, `SELECT `+pendingStatus+` AS st, COUNT(*), MAX(s.last_success_at) FROM sources s`+
		where([]string{visibleSource(&a, v)})+` GROUP BY st ORDER BY st`, a...)
	if err != nil {
		return fmt.Errorf("source health: %w", err)
	}
	st.Health, err = collect(rows, func(sc interface{ Scan(...any) error }) (store.HealthCount, error) {
		var c store.HealthCount
		var last sql.NullInt64
		err := sc.Scan(&c.Status, &c.Count, &last)
		c.LastSuccessAt = fromMicros(last)
		return c, err
	})
	return err
}

func (s *Store) statsFetches(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var a args
	err := s.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.error_class <> '' THEN 1 ELSE 0 END), 0)
		FROM fetches f JOIN sources s ON s.id = f.source_id`+where([]string{
		"f.started_at >= " + a.add(now.Add(-store.StatsFetchWindow).UnixMicro()), visibleSource(&a, v)}), a...).
		Scan(&st.FetchesTotal, &st.FetchesFailed)
	if err != nil {
		return fmt.Errorf("fetch error rate: %w", err)
	}
	return nil
}

func (s *Store) statsHostLag(ctx context.Context, v store.Viewer, now time.Time, st *store.Stats) error {
	var err error
	st.HostLag, err = s.HostLags(ctx, v, now, store.StatsTopHosts)
	return err
}

// HasPrivateSources reports whether userID owns a live source that is not
// public. Its condition is the complement, within the user's sources, of
// visibleSource's public test: when it is false the user sees exactly what
// Viewer{} sees.
func (s *Store) HasPrivateSources(ctx context.Context, userID int64) (bool, error) {
	var a args
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM sources s WHERE s.owner_id = `+a.add(userID)+
		` AND s.deleted_at IS NULL AND s.visibility <> 'public' LIMIT 1) p`, a...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("has private sources (user %d): %w", userID, err)
	}
	return n > 0, nil
}
