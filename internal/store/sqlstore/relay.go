package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// RelayLocker is implemented by dialects whose replicas share one outbox
// (PostgreSQL); without it one process relays (SQLite).
type RelayLocker interface {
	// TryRelayLock takes the relay lock for the rest of the transaction, or
	// reports false at once when another relayer holds it.
	TryRelayLock(ctx context.Context, tx *sql.Tx) (bool, error)
}

// OutboxSequencer is implemented by dialects whose id sequence is not
// commit order under concurrent writers (PostgreSQL). Their writers append
// changes where no reader looks, and a sequencer numbers the committed ones
// into outbox in commit order; readers sequence before they read. Without
// it the engine's writers must commit in id order themselves (SQLite's
// single writer does) and insert into outbox directly.
type OutboxSequencer interface {
	// AppendEvents writes a transaction's events, in order, for the
	// sequencer; now is the transaction's time in microseconds.
	AppendEvents(ctx context.Context, tx Execer, evs []scout.Event, now int64) error
	// SequenceEvents moves the committed appended events into outbox,
	// numbered in commit order, and returns how many. One sequencer runs
	// at a time; when another is running, SequenceEvents waits for it and
	// then runs, or, unless wait, returns (0, nil) at once.
	SequenceEvents(ctx context.Context, db *sql.DB, wait bool) (int, error)
}

// sequence brings outbox up to date with every committed change before a
// read, on engines that number changes after commit.
func (s *Store) sequence(ctx context.Context) error {
	return s.sequenceWaiting(ctx, true)
}

// sequenceWaiting is sequence; unless wait, it leaves the work to a
// sequencer that is already running (see SequenceEvents). A reader that
// polls again loses nothing by that: the running sequencer, or the next,
// numbers every change it would have.
func (s *Store) sequenceWaiting(ctx context.Context, wait bool) error {
	sq, ok := s.Dialect.(OutboxSequencer)
	if !ok {
		return nil
	}
	_, err := sq.SequenceEvents(ctx, s.W, wait)
	return err
}

// writeEvents is write for transactions that write outbox rows. It adds
// nothing today: no engine needs a lock to keep change ids in commit order
// (see OutboxSequencer).
func (s *Store) writeEvents(ctx context.Context, fn func(tx *tx) error) error {
	return s.write(ctx, fn)
}

// relayMu serializes relays within one process on engines without a relay
// lock; such engines (SQLite) have one process per database.
var relayMu sync.Mutex

// RelayEvents hands the oldest unrelayed rows to publish and marks the
// acknowledged prefix relayed.
func (s *Store) RelayEvents(ctx context.Context, limit int, publish store.RelayFunc) (int, error) {
	limit = limitOf(limit, 100, 1000)
	// The relay polls again, and only one replica relays at a time.
	if err := s.sequenceWaiting(ctx, false); err != nil {
		return 0, fmt.Errorf("relay events: %w", err)
	}
	if l, ok := s.Dialect.(RelayLocker); ok {
		return s.relayLocked(ctx, l, limit, publish)
	}
	relayMu.Lock()
	defer relayMu.Unlock()
	evs, err := s.unrelayed(ctx, s.R, limit)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	// Publishing happens outside any write transaction: SQLite has one
	// writer, and a slow broker must not stall ingestion.
	n, perr := publish(ctx, evs)
	if n > 0 {
		mctx, cancel := markContext(ctx)
		defer cancel()
		err = s.write(mctx, func(tx *tx) error { return markRelayed(mctx, tx, evs[0].ID, evs[n-1].ID) })
	}
	return n, joinRelayErr(perr, err)
}

// markTimeout bounds recording a batch the broker acknowledged.
const markTimeout = 10 * time.Second

// markContext outlives ctx's cancellation (shutdown) for a bounded time:
// once the broker has acknowledged events, recording that is worth
// finishing, or they are all published again after a restart.
func markContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
}

// relayLocked relays under a transaction-scoped lock that one replica holds
// at a time: a leader lease per batch. FOR UPDATE SKIP LOCKED would let two
// replicas publish neighbouring batches concurrently and so reorder the
// events of one subject; a single relayer keeps commit order. The rows are
// marked in the same transaction, after publish returns; if the commit
// fails they are published again, and the broker de-duplicates by id.
func (s *Store) relayLocked(ctx context.Context, l RelayLocker, limit int, publish store.RelayFunc) (int, error) {
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	// The transaction must survive shutdown until the acknowledged rows are
	// marked; only publish sees ctx's cancellation.
	tctx := context.WithoutCancel(ctx)
	t, err := s.W.BeginTx(tctx, nil)
	if err != nil {
		return 0, fmt.Errorf("relay events: begin: %w", err)
	}
	defer t.Rollback()
	ok, err := l.TryRelayLock(tctx, t)
	if err != nil || !ok {
		return 0, err
	}
	evs, err := s.unrelayed(tctx, t, limit)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	n, perr := publish(ctx, evs)
	if n > 0 {
		mctx, cancel := markContext(ctx)
		defer cancel()
		err = markRelayed(mctx, &tx{Tx: t, now: s.Now().UTC(), d: s.Dialect}, evs[0].ID, evs[n-1].ID)
		if err == nil {
			if err = t.Commit(); err != nil {
				err = fmt.Errorf("relay events: commit: %w", err)
			}
		}
	}
	return n, joinRelayErr(perr, err)
}

func joinRelayErr(publishErr, markErr error) error {
	switch {
	case publishErr != nil:
		return fmt.Errorf("relay events: publish: %w", publishErr)
	case markErr != nil:
		return fmt.Errorf("relay events: mark relayed: %w", markErr)
	}
	return nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const eventCols = `id, type, source_id, item_id, owner_id, visibility, payload, created_at`

func scanEvent(sc interface{ Scan(...any) error }) (scout.Event, error) {
	var e scout.Event
	var payload string
	var created sql.NullInt64
	err := sc.Scan(&e.ID, &e.Type, &e.SourceID, &e.ItemID, &e.OwnerID, &e.Visibility, &payload, &created)
	e.Payload, e.CreatedAt = []byte(payload), fromMicros(created)
	return e, err
}

func (s *Store) unrelayed(ctx context.Context, q queryer, limit int) ([]scout.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventCols+` FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list unrelayed events: %w", err)
	}
	evs, err := collect(rows, scanEvent)
	if err != nil {
		return nil, fmt.Errorf("list unrelayed events: %w", err)
	}
	return evs, nil
}

// markRelayed marks the unrelayed rows from first to last. Rows are
// relayed in id order by one relayer at a time, so the acknowledged prefix
// is exactly the unrelayed rows in that range.
func markRelayed(ctx context.Context, tx *tx, first, last int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET relayed_at = $1 WHERE id >= $2 AND id <= $3 AND relayed_at IS NULL`,
		tx.now.UnixMicro(), first, last)
	if err != nil {
		return fmt.Errorf("mark events %d..%d relayed: %w", first, last, err)
	}
	return nil
}

// PrunedKey is the meta row holding the highest outbox id ever pruned.
const PrunedKey = "outbox_pruned_through"

// prunedThrough returns the highest pruned outbox id, 0 when none was.
func prunedThrough(ctx context.Context, q querier) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, PrunedKey).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read outbox watermark: %w", err)
	}
	return strconv.ParseInt(v, 10, 64)
}
