package event

import (
	"context"
	"sync"

	"github.com/scoutdev/scout/internal/scout"
)

// DefaultBuffer is the events a subscriber may fall behind before it is dropped.
const DefaultBuffer = 256

// Bus fans events out to in-process subscribers (the SSE streams). Publish
// never waits: a subscriber whose buffer is full is dropped, its channel
// closed with Lagged set, and it resumes from its cursor in the outbox.
// The zero Bus is ready to use and safe for concurrent use.
type Bus struct {
	mu       sync.Mutex
	subs     map[*Subscription]struct{}
	watchers []func([]scout.Event)
}

// Subscription is one subscriber's view of the bus.
type Subscription struct {
	c      chan scout.Event
	bus    *Bus
	lagged bool // set under bus.mu before c is closed
}

// C delivers events in order. It is closed when the subscriber is dropped
// for lagging or unsubscribed.
func (s *Subscription) C() <-chan scout.Event { return s.c }

// Lagged reports whether the bus dropped the subscriber because its buffer
// was full; valid once C is closed.
func (s *Subscription) Lagged() bool {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	return s.lagged
}

// Close unsubscribes; it is safe to call twice.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	if _, ok := s.bus.subs[s]; ok {
		delete(s.bus.subs, s)
		close(s.c)
	}
}

// Subscribe adds a subscriber with room for buffer events (0: DefaultBuffer).
func (b *Bus) Subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	s := &Subscription{c: make(chan scout.Event, buffer), bus: b}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[*Subscription]struct{}{}
	}
	b.subs[s] = struct{}{}
	return s
}

// Watch calls fn with every batch published from now on, in order, before
// Publish returns. Unlike a subscriber, a watcher is never dropped, so fn
// must be quick and must not block: it is for keeping in-process state
// (caches) in step with the changes every replica writes.
func (b *Bus) Watch(fn func([]scout.Event)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.watchers = append(b.watchers, fn)
}

// Subscribers returns how many subscribers are attached.
func (b *Bus) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// Publish hands evs to every subscriber without blocking, and so
// implements Publisher (it acknowledges everything).
func (b *Bus) Publish(_ context.Context, evs []scout.Event) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, fn := range b.watchers {
		fn(evs)
	}
	for s := range b.subs {
		for _, e := range evs {
			select {
			case s.c <- e:
				continue
			default:
			}
			s.lagged = true
			delete(b.subs, s)
			close(s.c)
			break
		}
	}
	return len(evs), nil
}
