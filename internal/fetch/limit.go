package fetch

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// semaphore bounds concurrent holders.
type semaphore chan struct{}

func (s semaphore) acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s semaphore) release() { <-s }

// hostLimits holds, for each host, a concurrency slot pool and a limiter that
// spaces the starts of requests. Entries are dropped once idle.
type hostLimits struct {
	conc     int
	interval time.Duration

	mu        sync.Mutex
	hosts     map[string]*hostLimit
	pruneSize int
}

type hostLimit struct {
	slots semaphore
	space *rate.Limiter // nil when there is no spacing
	users int           // holders and waiters
}

const minPruneSize = 256

func newHostLimits(conc int, interval time.Duration) *hostLimits {
	return &hostLimits{conc: conc, interval: interval, hosts: map[string]*hostLimit{}, pruneSize: minPruneSize}
}

// acquire waits for a slot on host and for its spacing, then returns the
// function that gives the slot back. Waiting ends with ctx.
func (h *hostLimits) acquire(ctx context.Context, host string) (func(), error) {
	l := h.join(host)
	if err := l.slots.acquire(ctx); err != nil {
		h.leave(l)
		return nil, fmt.Errorf("wait for a slot on %s: %w", host, err)
	}
	if l.space != nil {
		if err := l.space.Wait(ctx); err != nil {
			l.slots.release()
			h.leave(l)
			return nil, fmt.Errorf("wait for spacing on %s: %w", host, spacingErr(ctx, err))
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			l.slots.release()
			h.leave(l)
		})
	}, nil
}

// spacingErr maps rate.Limiter's "would exceed context deadline", which it
// returns before the deadline passes, to context.DeadlineExceeded.
func spacingErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%v: %w", err, context.DeadlineExceeded)
}

func (h *hostLimits) join(host string) *hostLimit {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.hosts[host]
	if l == nil {
		if len(h.hosts) >= h.pruneSize {
			h.prune()
		}
		l = &hostLimit{slots: make(semaphore, h.conc)}
		if h.interval > 0 {
			l.space = rate.NewLimiter(rate.Every(h.interval), 1)
		}
		h.hosts[host] = l
	}
	l.users++
	return l
}

func (h *hostLimits) leave(l *hostLimit) {
	h.mu.Lock()
	l.users--
	h.mu.Unlock()
}

// prune drops hosts nobody uses whose spacing has elapsed, so that the map
// does not grow with every host ever fetched. Called with h.mu held.
func (h *hostLimits) prune() {
	now := time.Now()
	for k, l := range h.hosts {
		if l.users == 0 && (l.space == nil || l.space.TokensAt(now) >= 1) {
			delete(h.hosts, k)
		}
	}
	h.pruneSize = max(minPruneSize, 2*len(h.hosts))
}
