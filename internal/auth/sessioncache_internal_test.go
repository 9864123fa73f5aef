package auth

import (
	"testing"
	"time"
)

func TestSessionCacheForgetsAndStaysBounded(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := newSessionCache(5 * time.Second)
	_, gen := c.live(1, 7, now)
	c.remember(1, 7, now, gen)
	if ok, _ := c.live(1, 7, now.Add(time.Second)); !ok {
		t.Fatal("a session checked a second ago is not live")
	}
	if ok, _ := c.live(1, 8, now); ok {
		t.Fatal("a session is live for another user")
	}
	if ok, _ := c.live(1, 7, now.Add(5*time.Second)); ok {
		t.Fatal("a check as old as the TTL still counts")
	}

	// A lookup that read the store before a revocation must not cache
	// its answer after it.
	_, before := c.live(2, 7, now)
	c.forget(7, 0)
	c.remember(2, 7, now, before)
	if ok, _ := c.live(2, 7, now); ok {
		t.Fatal("a lookup older than a revocation was cached")
	}
	if ok, _ := c.live(1, 7, now); ok {
		t.Fatal("forgetting a user's sessions kept one")
	}

	for i := range int64(sessionCacheEntries + 50) {
		_, gen := c.live(i+10, 9, now)
		c.remember(i+10, 9, now, gen)
	}
	if n := len(c.entries); n > sessionCacheEntries {
		t.Fatalf("%d entries, bound %d", n, sessionCacheEntries)
	}
}
