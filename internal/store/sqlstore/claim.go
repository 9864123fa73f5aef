package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ClaimLocker is implemented by dialects whose claims from several
// connections must be serialized explicitly (PostgreSQL replicas). SQLite's
// one writer connection serializes them already.
type ClaimLocker interface {
	// LockClaims holds, until tx ends, the lock that makes host-aware claims
	// run one at a time.
	LockClaims(ctx context.Context, tx *sql.Tx) error
}

// dueCond is the condition that a source aliased s may be claimed at $1.
const dueCond = `s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired'
	AND s.next_fetch_at <= $1 AND (s.lease_until IS NULL OR s.lease_until < $1)`

// claimQuery picks the sources one claim leases, in the order of the
// scheduling policy (see ClaimDueSources). $1 now, $2 the host concurrency,
// $3 the most one host may get in this claim, $4 the claim size.
//
// busy counts each host's fetches in flight: its sources with an unexpired
// lease. Hosts already at their limit, or whose spacing has not elapsed, are
// left out before the window function numbers each host's due sources, so a
// host with thousands of due sources costs a filter, not a sort, while it
// is saturated.
const claimQuery = `WITH busy AS (
	SELECT host, COUNT(*) AS n FROM sources WHERE lease_until >= $1 AND deleted_at IS NULL GROUP BY host
), due AS (
	SELECT s.id, s.priority, s.next_fetch_at,
		ROW_NUMBER() OVER (PARTITION BY s.host ORDER BY s.priority DESC, s.next_fetch_at, s.id) AS rk,
		COALESCE(b.n, 0) AS inflight
	FROM sources s LEFT JOIN busy b ON b.host = s.host
	WHERE ` + dueCond + `
	  AND COALESCE(b.n, 0) < $2
	  AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.host = s.host AND h.next_allowed_at > $1)
)
SELECT id FROM due WHERE rk <= $3 AND rk + inflight <= $2
ORDER BY priority DESC, rk, next_fetch_at, id
LIMIT $4`

// ClaimDueSources leases up to n due sources until now+lease, at most as
// many per host as hp allows. Claims run one at a time (one writer on
// SQLite, an advisory lock on PostgreSQL), so the count of a host's
// fetches in flight that a claim reads cannot change under it.
//
// The policy: urgent sources ("fetch now") first; then round-robin across
// hosts: every host with due work and a free slot gets its most overdue
// source before any host gets a second; hosts in the same round go most
// overdue first. A host with 5,000 due sources therefore gets its
// politeness-limited share and no more, and every other host keeps its
// schedule.
func (s *Store) ClaimDueSources(ctx context.Context, now time.Time, n int, lease time.Duration, hp store.HostPolicy) ([]scout.Source, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []scout.Source
	err := s.write(ctx, func(tx *tx) error {
		if l, ok := s.Dialect.(ClaimLocker); ok {
			if err := l.LockClaims(ctx, tx.Tx); err != nil {
				return fmt.Errorf("lock claims: %w", err)
			}
		}
		ids, err := pickDue(ctx, tx, now, n, hp)
		if err != nil || len(ids) == 0 {
			return err
		}
		out, err = leaseSources(ctx, tx, ids, now, lease, hp)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim due sources (limit %d): %w", n, err)
	}
	return out, nil
}

// pickDue returns the ids of the sources a claim of n leases, in order.
func pickDue(ctx context.Context, tx *tx, now time.Time, n int, hp store.HostPolicy) ([]int64, error) {
	conc := hp.Concurrency
	if conc <= 0 {
		conc = math.MaxInt32
	}
	perClaim := conc
	if hp.Spacing > 0 {
		perClaim = 1 // the next start on that host is Spacing away
	}
	rows, err := tx.QueryContext(ctx, claimQuery, now.UnixMicro(), conc, perClaim, n)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
}

// leaseSources leases the picked sources, clears their urgency and moves
// their hosts' next allowed start by the spacing.
func leaseSources(ctx context.Context, tx *tx, ids []int64, now time.Time, lease time.Duration, hp store.HostPolicy) ([]scout.Source, error) {
	out := make([]scout.Source, 0, len(ids))
	hosts := map[string]bool{}
	for _, id := range ids {
		// The due condition is checked again: on PostgreSQL a fetch being
		// committed may hold this row, and the update then sees its result.
		res, err := tx.ExecContext(ctx, `UPDATE sources SET lease_until = $2, priority = 0 WHERE id = $3 AND `+
			strings.ReplaceAll(dueCond, "s.", ""), now.UnixMicro(), now.Add(lease).UnixMicro(), id)
		if err != nil {
			return nil, fmt.Errorf("lease source %d: %w", id, err)
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			continue
		}
		src, err := getSource(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		src.LeaseUntil = now.Add(lease).UTC()
		out = append(out, src)
		hosts[src.Host] = true
	}
	if hp.Spacing <= 0 {
		return out, nil
	}
	for h := range hosts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO hosts (host, next_allowed_at) VALUES ($1, $2)
			ON CONFLICT (host) DO UPDATE SET next_allowed_at = excluded.next_allowed_at`, h, now.Add(hp.Spacing).UnixMicro()); err != nil {
			return nil, fmt.Errorf("space host %q: %w", h, err)
		}
	}
	return out, nil
}

// HostQueue reports the state of one host's queue at now.
func (s *Store) HostQueue(ctx context.Context, host string, now time.Time) (store.HostQueue, error) {
	q := store.HostQueue{Host: host}
	var next sql.NullInt64
	err := s.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM sources WHERE host = $1 AND lease_until >= $2 AND deleted_at IS NULL),
			(SELECT COUNT(*) FROM sources s WHERE s.host = $1 AND `+strings.ReplaceAll(dueCond, "$1", "$2")+` AND s.priority > 0),
			(SELECT COUNT(*) FROM sources s WHERE s.host = $1 AND `+strings.ReplaceAll(dueCond, "$1", "$2")+`),
			(SELECT next_allowed_at FROM hosts WHERE host = $1)`, host, now.UnixMicro()).
		Scan(&q.InFlight, &q.Urgent, &q.Due, &next)
	if err != nil {
		return q, fmt.Errorf("read queue of host %q: %w", host, err)
	}
	if next.Valid && next.Int64 > now.UnixMicro() {
		q.NextAllowedAt = fromMicros(next)
	}
	return q, nil
}

// HostLags ranks the hosts by their most overdue waiting source visible
// to v. It groups the due sources only, so its cost follows the backlog.
func (s *Store) HostLags(ctx context.Context, v store.Viewer, now time.Time, n int) ([]store.HostLag, error) {
	a := args{now.UnixMicro()}
	rows, err := s.R.QueryContext(ctx, `SELECT s.host, MIN(s.next_fetch_at), COUNT(*) FROM sources s WHERE `+dueCond+
		` AND `+visibleSource(&a, v)+` GROUP BY s.host ORDER BY MIN(s.next_fetch_at), s.host LIMIT `+a.add(n), a...)
	if err != nil {
		return nil, fmt.Errorf("host lags: %w", err)
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (store.HostLag, error) {
		var l store.HostLag
		var oldest int64
		err := sc.Scan(&l.Host, &oldest, &l.Waiting)
		l.Lag = now.Sub(time.UnixMicro(oldest))
		return l, err
	})
}

// BackfillHosts fills in the host of sources stored before sources had one.
// Migrate calls it after the migrations; it is a no-op once every source has
// its host.
func (s *Store) BackfillHosts(ctx context.Context) error {
	for {
		rows, err := s.W.QueryContext(ctx, `SELECT id, url FROM sources WHERE host = '' LIMIT 500`)
		if err != nil {
			return fmt.Errorf("backfill hosts: %w", err)
		}
		type row struct {
			id  int64
			url string
		}
		todo, err := collect(rows, func(sc interface{ Scan(...any) error }) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.url)
		})
		if err != nil || len(todo) == 0 {
			return err
		}
		err = s.write(ctx, func(tx *tx) error {
			for _, r := range todo {
				h := scout.HostKey(r.url)
				if h == "" {
					h = "-" // unparseable: its own host, so the loop ends
				}
				if _, err := tx.ExecContext(ctx, `UPDATE sources SET host = $1 WHERE id = $2`, h, r.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("backfill hosts: %w", err)
		}
	}
}
