package api

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Bounds of the stats cache.
const (
	// statsMaxAgeFactor times the TTL is the oldest answer served while a
	// refresh runs; an older one is recomputed before answering.
	statsMaxAgeFactor = 2
	// statsCacheViews bounds the views kept (one public, one for admins,
	// one per user with private sources). An entry is about 20 KB (the
	// soonest deadlines carry no content), so the cache stays under 10 MB.
	statsCacheViews = 256
	// statsComputeTimeout bounds one computation, which runs detached from
	// the request that started it so that other callers may share it.
	statsComputeTimeout = time.Minute
)

// statsCache keeps the dashboard numbers of recent views. A view's numbers
// are computed at most once per TTL, by one computation however many
// callers ask at once (single flight). Once older than the TTL they are
// still served at once while one background refresh runs
// (stale-while-revalidate); once older than statsMaxAgeFactor × TTL, callers
// wait for a fresh computation. It is safe for concurrent use.
type statsCache struct {
	ttl, maxAge time.Duration
	compute     func(ctx context.Context, v store.Viewer, now time.Time) (*StatsOutput, error)
	now         func() time.Time
	log         *slog.Logger

	mu      sync.Mutex
	entries map[string]*statsEntry
	flights sync.WaitGroup // computations running
}

// statsEntry is one view's numbers.
type statsEntry struct {
	out    *StatsOutput // nil until a computation succeeds; shared, never modified
	at     time.Time    // when out was computed
	used   time.Time    // last asked for, to evict the least recently used
	flight *statsFlight // the computation running, if any
}

// statsFlight is one computation that callers wait for.
type statsFlight struct {
	done chan struct{} // closed when out, at and err are set
	out  *StatsOutput
	at   time.Time
	err  error
}

// newStatsCache returns a cache whose entries live ttl, or nil when ttl is
// not positive (no caching).
func newStatsCache(ttl time.Duration, compute func(context.Context, store.Viewer, time.Time) (*StatsOutput, error),
	now func() time.Time, log *slog.Logger) *statsCache {
	if ttl <= 0 {
		return nil
	}
	return &statsCache{ttl: ttl, maxAge: statsMaxAgeFactor * ttl, compute: compute, now: now, log: log,
		entries: map[string]*statsEntry{}}
}

// get returns the numbers of the view named key, computed as seen by v, and
// when they were computed. Only callers that see exactly the same rows may
// share a key. Returns the computation's error, or ctx's if it ends first.
func (c *statsCache) get(ctx context.Context, key string, v store.Viewer) (*StatsOutput, time.Time, error) {
	now := c.now()
	c.mu.Lock()
	e := c.entry(key, now)
	if age := now.Sub(e.at); e.out != nil && age < c.maxAge {
		if age >= c.ttl && e.flight == nil {
			c.start(ctx, key, e, v, true)
		}
		out, at := e.out, e.at
		c.mu.Unlock()
		return out, at, nil
	}
	f := e.flight
	if f == nil {
		f = c.start(ctx, key, e, v, false)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.out, f.at, f.err
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
}

// entry returns key's entry, adding it (and evicting the least recently
// used idle entry when full). The caller holds c.mu.
func (c *statsCache) entry(key string, now time.Time) *statsEntry {
	e := c.entries[key]
	if e == nil {
		if len(c.entries) >= statsCacheViews {
			c.evict()
		}
		e = &statsEntry{}
		c.entries[key] = e
	}
	e.used = now
	return e
}

// evict drops the least recently used entry with no computation running,
// so that a running one never completes into a replaced entry. The caller
// holds c.mu.
func (c *statsCache) evict() {
	var oldest string
	var used time.Time
	for k, e := range c.entries {
		if e.flight == nil && (oldest == "" || e.used.Before(used)) {
			oldest, used = k, e.used
		}
	}
	if oldest != "" {
		delete(c.entries, oldest)
	}
}

// start runs one computation of e in the background; the caller holds c.mu.
// It uses ctx's values but not its cancellation: callers that share the
// result must not lose it because the first one went away. A failed
// background refresh keeps the older numbers and is logged, since no caller
// waits for its error.
func (c *statsCache) start(ctx context.Context, key string, e *statsEntry, v store.Viewer, background bool) *statsFlight {
	f := &statsFlight{done: make(chan struct{})}
	e.flight = f
	c.flights.Add(1)
	go func() {
		defer c.flights.Done()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statsComputeTimeout)
		defer cancel()
		f.at = c.now()
		f.out, f.err = c.compute(cctx, v, f.at)
		c.mu.Lock()
		if f.err == nil {
			e.out, e.at = f.out, f.at
		}
		e.flight = nil
		c.mu.Unlock()
		close(f.done)
		if f.err != nil && background {
			c.log.LogAttrs(cctx, slog.LevelWarn, "refresh stats", slog.String("view", key), slog.Any("err", f.err))
		}
	}()
	return f
}

// forget drops every view's numbers, so that the next caller of each view
// waits for new ones. Called when a source stops being visible to some
// (made private or deleted): the shared public numbers must not keep
// showing its title and items. A computation already running completes
// into the dropped entry and is not served again.
func (c *statsCache) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}

// observe forgets every view's numbers when a change in evs may hide a
// source from some of them: a source deleted, or changed while not public
// (made private, perhaps). Every replica's outbox tail publishes every
// replica's changes, so a source made private through one replica leaves
// the cached numbers of all of them within a tail poll, not after 2×TTL.
// Changes of private sources that hide nothing (a fetch changing its
// status) forget too; they are rare beside item changes, which never do.
func (c *statsCache) observe(evs []scout.Event) {
	if c == nil {
		return
	}
	for _, e := range evs {
		hides := e.Type == scout.EventSourceDeleted ||
			(e.Type == scout.EventSourceUpdated || e.Type == scout.EventSourceFailed) && e.Visibility != scout.VisibilityPublic
		if hides {
			c.forget()
			return
		}
	}
}

// wait blocks until no computation runs.
func (c *statsCache) wait() { c.flights.Wait() }
