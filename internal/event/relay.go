package event

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Publisher delivers events to a broker.
type Publisher interface {
	// Publish sends evs in order and waits for the broker to acknowledge
	// each one. It returns how many, from the first, were acknowledged; on
	// an error the rest are retried later, so the broker may see an event
	// twice and must de-duplicate by its ID.
	Publish(ctx context.Context, evs []scout.Event) (int, error)
}

// Relayer is the store method the relay needs; store.Store implements it.
type Relayer interface {
	RelayEvents(ctx context.Context, limit int, publish store.RelayFunc) (int, error)
}

// Defaults of RelayOptions.
const (
	DefaultBatch      = 100
	DefaultPoll       = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// RelayOptions configure a Relay; zero fields take the defaults.
type RelayOptions struct {
	Store      Relayer
	Publisher  Publisher
	Batch      int           // rows per publish call
	Poll       time.Duration // wait when the outbox is drained
	MaxBackoff time.Duration // longest wait after consecutive errors
	Log        *slog.Logger
	Rand       *rand.Rand // jitter; nil uses a random seed
	// Lag, when set, is told after each round how old the oldest change it
	// published was (0 when there was none): how far the broker is behind.
	Lag func(time.Duration)
}

// Relay moves outbox rows to a Publisher, at least once and in order.
type Relay struct {
	opts RelayOptions
}

// NewRelay returns a relay; Store and Publisher are required.
func NewRelay(opts RelayOptions) *Relay {
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return &Relay{opts: opts}
}

// Run relays until ctx ends: at once while full batches come back, every
// Poll when the outbox is drained, and with exponential backoff and jitter
// while publishing or marking fails. It returns ctx's error.
func (r *Relay) Run(ctx context.Context) error {
	failures := 0
	for {
		n, err := r.Step(ctx)
		wait := r.opts.Poll
		switch {
		case err != nil && ctx.Err() == nil:
			failures++
			wait = r.backoff(failures)
			r.opts.Log.LogAttrs(ctx, slog.LevelWarn, "outbox relay failed", slog.Int("relayed", n),
				slog.Int("failures", failures), slog.Duration("retry_in", wait), slog.Any("err", err))
		case err == nil:
			failures = 0
			if n == r.opts.Batch {
				wait = 0
			}
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// Step relays one batch and returns how many events were acknowledged.
func (r *Relay) Step(ctx context.Context) (int, error) {
	var oldest time.Time
	publish := func(ctx context.Context, evs []scout.Event) (int, error) {
		if len(evs) > 0 {
			oldest = evs[0].CreatedAt
		}
		return r.opts.Publisher.Publish(ctx, evs)
	}
	n, err := r.opts.Store.RelayEvents(ctx, r.opts.Batch, publish)
	if r.opts.Lag != nil {
		r.opts.Lag(lagSince(oldest))
	}
	return n, err
}

// lagSince is the age of a change written at t; 0 for no change.
func lagSince(t time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return max(time.Since(t), 0)
}

// backoff is Poll doubled per consecutive failure, capped, with up to 50 %
// jitter so that replicas do not retry in step.
func (r *Relay) backoff(failures int) time.Duration {
	d := r.opts.Poll << min(failures, 16)
	if d <= 0 || d > r.opts.MaxBackoff {
		d = r.opts.MaxBackoff
	}
	return d/2 + time.Duration(r.opts.Rand.Int64N(int64(d/2)+1))
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
