package event

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Lister reads the outbox; store.Store implements it. The tail polls
// again, so it reads with FollowEvents, which never queues behind another
// replica's sequencer.
type Lister interface {
	FollowEvents(ctx context.Context, after int64, limit int) ([]scout.Event, error)
	LatestEventID(ctx context.Context) (int64, error)
}

// Tail follows the outbox and publishes new rows to a Bus. Every replica
// runs one, so SSE clients of any replica see every change whichever
// replica wrote it, with or without NATS.
type Tail struct {
	Store Lister
	Bus   *Bus
	Poll  time.Duration // 0: DefaultPoll
	Log   *slog.Logger  // nil discards
	// Lag, when set, is told after each read how old the oldest change it
	// published was (0 when there was none): how far live events are behind.
	Lag func(time.Duration)
}

// Run starts at the end of the outbox and publishes what is written after,
// until ctx ends. Read errors are logged and retried at the next poll.
func (t *Tail) Run(ctx context.Context) error {
	poll := t.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	log := t.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	after, err := t.end(ctx)
	for err != nil {
		log.LogAttrs(ctx, slog.LevelWarn, "outbox tail cannot start", slog.Any("err", err))
		if err := sleep(ctx, poll); err != nil {
			return err
		}
		after, err = t.end(ctx)
	}
	for {
		next, err := t.Step(ctx, after)
		if err != nil && ctx.Err() == nil {
			log.LogAttrs(ctx, slog.LevelWarn, "outbox tail failed", slog.Int64("after", after), slog.Any("err", err))
		}
		if next != after {
			after = next
			continue
		}
		if err := sleep(ctx, poll); err != nil {
			return err
		}
	}
}

// tailBatch is the rows read per poll.
const tailBatch = 500

// Step publishes the rows after the cursor and returns the new cursor.
func (t *Tail) Step(ctx context.Context, after int64) (int64, error) {
	evs, err := t.Store.FollowEvents(ctx, after, tailBatch)
	if t.Lag != nil && err == nil {
		var oldest time.Time
		if len(evs) > 0 {
			oldest = evs[0].CreatedAt
		}
		t.Lag(lagSince(oldest))
	}
	if err != nil || len(evs) == 0 {
		return after, err
	}
	_, err = t.Bus.Publish(ctx, evs)
	return evs[len(evs)-1].ID, err
}

// end returns the id of the newest row.
func (t *Tail) end(ctx context.Context) (int64, error) {
	id, err := t.Store.LatestEventID(ctx)
	if err != nil {
		return 0, fmt.Errorf("find the end of the outbox: %w", err)
	}
	return id, nil
}
