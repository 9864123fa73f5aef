package event

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Maintainer is what the Keeper needs from the store; store.Store implements it.
type Maintainer interface {
	NoteClosing(ctx context.Context, now time.Time, horizon time.Duration, limit int) (int, error)
	PruneEvents(ctx context.Context, before time.Time, relayedOnly bool) (int, error)
	ArchiveClosed(ctx context.Context, before time.Time, limit int) (int, error)
}

// Keeper runs the periodic outbox chores: it announces deadlines entering
// the closing-soon window, prunes old outbox rows, and archives
// opportunities closed for a while. Retention is by age, never by count.
type Keeper struct {
	Store Maintainer
	// Retention is how long outbox rows are kept (0 keeps them forever).
	Retention time.Duration
	// RelayedOnly keeps unrelayed rows however old (set when a relay runs).
	RelayedOnly bool
	// ArchiveAfter archives items this long after their deadline (0: never).
	ArchiveAfter time.Duration
	Interval     time.Duration    // 0: one minute
	Now          func() time.Time // nil: time.Now
	Log          *slog.Logger     // nil discards
}

// keeperBatch bounds the rows one chore touches per round.
const keeperBatch = 500

// Run does the chores every Interval until ctx ends.
func (k *Keeper) Run(ctx context.Context) error {
	every := k.Interval
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := k.Step(ctx); err != nil && ctx.Err() == nil && k.Log != nil {
			k.Log.LogAttrs(ctx, slog.LevelWarn, "outbox chores failed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Step does each chore once and returns their errors joined.
func (k *Keeper) Step(ctx context.Context) error {
	now := time.Now
	if k.Now != nil {
		now = k.Now
	}
	n := now().UTC()
	_, err := k.Store.NoteClosing(ctx, n, scout.ClosingSoonHorizon, keeperBatch)
	errs := []error{err}
	if k.Retention > 0 {
		_, err := k.Store.PruneEvents(ctx, n.Add(-k.Retention), k.RelayedOnly)
		errs = append(errs, err)
	}
	if k.ArchiveAfter > 0 {
		_, err := k.Store.ArchiveClosed(ctx, n.Add(-k.ArchiveAfter), keeperBatch)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
