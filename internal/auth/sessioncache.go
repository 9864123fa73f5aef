package auth

import (
	"sync"
	"time"
)

// Bounds of the session cache.
const (
	// DefaultSessionCheckTTL is how long an access token's session is taken
	// to be live after the store last said so. It bounds how long another
	// replica keeps accepting the access tokens of a session revoked
	// through this one; the replica that revokes forgets at once.
	DefaultSessionCheckTTL = 5 * time.Second
	// MaxSessionCheckTTL keeps the bound short enough to mean "promptly".
	MaxSessionCheckTTL = time.Minute
	// sessionCacheEntries bounds the cache: one entry is a few dozen bytes,
	// so the cache stays under a megabyte however many sessions are busy.
	sessionCacheEntries = 10000
)

// sessionCache remembers, for a short while, which sessions the store
// reported live, so that checking an access token's session costs a store
// read per session per TTL rather than per request. It is safe for
// concurrent use.
type sessionCache struct {
	ttl time.Duration

	mu      sync.Mutex
	entries map[int64]sessionEntry
	// gen counts invalidations, so that a lookup that read the store before
	// a revocation cannot put its stale answer into the cache after it.
	gen uint64
}

// sessionEntry is what the store said about one session.
type sessionEntry struct {
	userID  int64
	checked time.Time
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, entries: map[int64]sessionEntry{}}
}

// live reports whether session sid was reported live for userID within
// the TTL before now, and the generation to pass to remember after a
// store lookup.
func (c *sessionCache) live(sid, userID int64, now time.Time) (bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sid]
	fresh := ok && e.userID == userID && now.Sub(e.checked) < c.ttl && !now.Before(e.checked)
	return fresh, c.gen
}

// remember records that the store reported session sid of userID live at
// now, unless something was invalidated since generation gen.
func (c *sessionCache) remember(sid, userID int64, now time.Time, gen uint64) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.entries[sid]; !ok && len(c.entries) >= sessionCacheEntries {
		c.evict(now)
	}
	c.entries[sid] = sessionEntry{userID: userID, checked: now}
}

// evict makes room: it drops the expired entries and, when that frees
// less than an eighth of the cache, arbitrary ones (map order) up to that,
// so that the sweep runs once per many insertions. A session dropped early
// costs one more store read.
func (c *sessionCache) evict(now time.Time) {
	for id, e := range c.entries {
		if now.Sub(e.checked) >= c.ttl {
			delete(c.entries, id)
		}
	}
	for id := range c.entries {
		if len(c.entries) <= sessionCacheEntries-sessionCacheEntries/8 {
			break
		}
		delete(c.entries, id)
	}
}

// forget drops session sid, or every session of userID when sid is 0.
func (c *sessionCache) forget(userID, sid int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if sid != 0 {
		delete(c.entries, sid)
		return
	}
	for id, e := range c.entries {
		if e.userID == userID {
			delete(c.entries, id)
		}
	}
}
