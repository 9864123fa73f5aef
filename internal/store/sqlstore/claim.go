package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
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

// A claim walks hosts, not due sources, so that a host at its limit costs
// it one row of hosts whatever its backlog (issue 12). Each host keeps a
// lower bound of the head of its queue, (next_due_at, next_due_id), and of
// the part of it scheduled "now", (urgent_at, urgent_id): writes that can
// lower a head lower the bound in a trigger, writes that only raise it
// (completed fetches) leave it, and claims raise a bound they find below
// its host's head (see the migration host_due_bounds).
//
// The policy orders due sources by (urgent first, rank within the host,
// due time, id), the rank counting from 1 in the host's queue (urgent
// first, then by due time and id). A host's bound is a lower bound of
// every key of its sources with rank 1, so the claim visits hosts in bound
// order, first those with urgent work, and stops once it holds n sources
// that come before the next host's bound: a later host can only add
// sources after them. Priority is a flag: 0, or 1 for "fetch now".

// hostsWalk lists, from after the key ($2, $3, $4), the hosts whose bound
// is due at $1 in bound order, with their next allowed start, at most $5.
const hostsWalk = `SELECT host, %[1]s_at, %[1]s_id, next_allowed_at FROM hosts
	WHERE %[1]s_at <= $1 AND (%[1]s_at, %[1]s_id, host) > ($2, $3, $4)
	ORDER BY %[1]s_at, %[1]s_id, host LIMIT $5`

var (
	urgentWalk = fmt.Sprintf(hostsWalk, "urgent")
	dueWalk    = fmt.Sprintf(hostsWalk, "next_due")
)

// hostQueue lists the head of host $2's due queue at $1, of its urgent part
// or of the rest: at most $3 sources, whether leased (the third column) or
// not, so that the claim can tell a bound that points at a fetch in flight
// from one below every source.
const hostQueue = `SELECT s.id, s.next_fetch_at, COALESCE(s.lease_until >= $1, FALSE) FROM sources s
	WHERE s.host = $2 AND s.priority %s 0 AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired'
	  AND s.next_fetch_at <= $1
	ORDER BY s.next_fetch_at, s.id LIMIT $3`

var (
	urgentQueue = fmt.Sprintf(hostQueue, ">")
	normalQueue = fmt.Sprintf(hostQueue, "<=")
)

// busyHosts counts each host's fetches in flight at $1: its sources with
// an unexpired lease. It reads as many rows as there are fetches in flight.
const busyHosts = `SELECT host, COUNT(*) FROM sources WHERE lease_until >= $1 AND deleted_at IS NULL GROUP BY host`

// raiseBound sets host $1's bounds to the heads of its queue. On
// PostgreSQL the host row is locked by the statement before (see
// lockHostRow), so this statement's snapshot sees every write that lowered
// the bound before it, and every later one lowers it after.
const raiseBound = `UPDATE hosts SET
	(next_due_at, next_due_id) = (SELECT s.next_fetch_at, s.id FROM sources s WHERE s.host = $1
		AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired' ORDER BY s.next_fetch_at, s.id LIMIT 1),
	(urgent_at, urgent_id) = (SELECT s.next_fetch_at, s.id FROM sources s WHERE s.host = $1
		AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired' AND s.priority > 0 ORDER BY s.next_fetch_at, s.id LIMIT 1)
	WHERE host = $1`

const lockHostRow = `UPDATE hosts SET next_due_at = next_due_at WHERE host = $1`

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
		l, locked := s.Dialect.(ClaimLocker)
		if locked {
			if err := l.LockClaims(ctx, tx.Tx); err != nil {
				return fmt.Errorf("lock claims: %w", err)
			}
		}
		p, err := pickDue(ctx, tx, now, n, hp)
		if err != nil {
			return err
		}
		if len(p.ids) > 0 {
			if out, err = leaseSources(ctx, tx, p.ids, now, lease, hp); err != nil {
				return err
			}
		}
		return raiseBounds(ctx, tx, p.raise, locked)
	})
	if err != nil {
		return nil, fmt.Errorf("claim due sources (limit %d): %w", n, err)
	}
	return out, nil
}

// claimKey is a due source's place in the claim order.
type claimKey struct {
	urgent bool
	rank   int
	at, id int64
}

func (a claimKey) before(b claimKey) bool {
	if a.urgent != b.urgent {
		return a.urgent
	}
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	if a.at != b.at {
		return a.at < b.at
	}
	return a.id < b.id
}

// picked is what a claim chose: the sources to lease in order, and the
// hosts whose bounds it found below their heads, to raise once the leases
// are taken (so that a claim locks host rows only after source rows, as
// every other writer does).
type picked struct {
	ids   []int64
	raise []string
}

// pickDue chooses the sources a claim of n leases, in order.
func pickDue(ctx context.Context, tx *tx, now time.Time, n int, hp store.HostPolicy) (picked, error) {
	conc := hp.Concurrency
	if conc <= 0 {
		conc = math.MaxInt32
	}
	perClaim := min(conc, n)
	if hp.Spacing > 0 {
		perClaim = 1 // the next start on that host is Spacing away
	}
	t := now.UnixMicro()
	rows, err := tx.QueryContext(ctx, busyHosts, t)
	if err != nil {
		return picked{}, err
	}
	busy := map[string]int{}
	if _, err := collect(rows, func(sc interface{ Scan(...any) error }) (struct{}, error) {
		var h string
		var k int
		err := sc.Scan(&h, &k)
		busy[h] = k
		return struct{}{}, err
	}); err != nil {
		return picked{}, err
	}
	w := walk{tx: tx, now: t, n: n, conc: conc, perClaim: perClaim, busy: busy, seen: map[string]bool{}, raised: map[string]bool{}}
	for _, urgent := range []bool{true, false} {
		done, err := w.hosts(ctx, urgent)
		if err != nil {
			return picked{}, err
		}
		if done {
			break
		}
	}
	slices.SortFunc(w.got, func(a, b dueSource) int {
		if a.key.before(b.key) {
			return -1
		}
		return 1
	})
	var p picked
	for _, c := range w.got[:min(n, len(w.got))] {
		p.ids = append(p.ids, c.id)
	}
	for h := range w.raised {
		p.raise = append(p.raise, h)
	}
	slices.Sort(p.raise)
	return p, nil
}

type dueSource struct {
	id  int64
	key claimKey
}

// walk is one claim's visit of the hosts.
type walk struct {
	tx             *tx
	now            int64
	n              int
	conc, perClaim int
	busy           map[string]int
	seen           map[string]bool // hosts whose queue was read
	raised         map[string]bool // hosts whose bound is below their head
	got            []dueSource
}

// hosts visits the hosts with a due bound, of urgent work or of any, in
// bound order, and reports whether the claim has all it needs.
func (w *walk) hosts(ctx context.Context, urgent bool) (bool, error) {
	q := dueWalk
	if urgent {
		q = urgentWalk
	}
	afterAt, afterID, afterHost := int64(math.MinInt64), int64(math.MinInt64), ""
	batch := w.n + len(w.busy) + 8
	for {
		rows, err := w.tx.QueryContext(ctx, q, w.now, afterAt, afterID, afterHost, batch)
		if err != nil {
			return true, err
		}
		type bound struct {
			host      string
			at, id    int64
			allowedAt int64
		}
		bs, err := collect(rows, func(sc interface{ Scan(...any) error }) (bound, error) {
			var b bound
			return b, sc.Scan(&b.host, &b.at, &b.id, &b.allowedAt)
		})
		if err != nil {
			return true, err
		}
		for _, b := range bs {
			if w.enough(claimKey{urgent: urgent, rank: 1, at: b.at, id: b.id}) {
				return true, nil
			}
			afterAt, afterID, afterHost = b.at, b.id, b.host
			if w.seen[b.host] || b.allowedAt > w.now || w.busy[b.host] >= w.conc {
				continue
			}
			w.seen[b.host] = true
			exact, err := w.queue(ctx, b.host, claimKey{urgent: urgent, rank: 1, at: b.at, id: b.id})
			if err != nil {
				return true, err
			}
			if !exact {
				w.raised[b.host] = true
			}
		}
		if len(bs) < batch {
			return false, nil
		}
		batch *= 2
	}
}

// enough reports whether the claim holds n sources that come before k.
func (w *walk) enough(k claimKey) bool {
	c := 0
	for _, g := range w.got {
		if g.key.before(k) {
			c++
		}
	}
	return c >= w.n
}

// queue reads the head of host's due queue: as many sources as the host
// may start in this claim, past those in flight. It reports whether the
// host's bound, key b, is its head's.
func (w *walk) queue(ctx context.Context, host string, b claimKey) (bool, error) {
	k := min(w.perClaim, w.conc-w.busy[host])
	parts := []string{normalQueue}
	if b.urgent {
		parts = []string{urgentQueue, normalQueue}
	}
	exact, first := false, true
	rank := 0
	for i, q := range parts {
		if rank >= k {
			break
		}
		rows, err := w.tx.QueryContext(ctx, q, w.now, host, k-rank+w.busy[host])
		if err != nil {
			return false, err
		}
		type row struct {
			id, at int64
			leased bool
		}
		rs, err := collect(rows, func(sc interface{ Scan(...any) error }) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.at, &r.leased)
		})
		if err != nil {
			return false, err
		}
		for _, r := range rs {
			if first {
				exact, first = i == 0 && r.at == b.at && r.id == b.id, false
			}
			if r.leased || rank >= k {
				continue
			}
			rank++
			w.got = append(w.got, dueSource{id: r.id, key: claimKey{urgent: b.urgent && i == 0, rank: rank, at: r.at, id: r.id}})
		}
		first = false // the bound is of the first part
	}
	return exact, nil
}

// raiseBounds sets the bounds of hosts, sorted, to the heads of their
// queues. locked says the engine has several writers: then each host row is
// locked before its sources are read.
func raiseBounds(ctx context.Context, tx *tx, hosts []string, locked bool) error {
	for _, h := range hosts {
		if locked {
			if _, err := tx.ExecContext(ctx, lockHostRow, h); err != nil {
				return fmt.Errorf("lock host %q: %w", h, err)
			}
		}
		if _, err := tx.ExecContext(ctx, raiseBound, h); err != nil {
			return fmt.Errorf("raise due bound of host %q: %w", h, err)
		}
	}
	return nil
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
