package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store/sqlstore"
)

// Advisory lock keys of the outbox, next to the migration lock's.
const (
	// sequenceLockID is held by the one transaction that numbers changes.
	// It is the key writers took before every outbox insert when they
	// numbered changes themselves, so that a replica of that kind, still
	// running while the others are upgraded, queues behind the sequencer
	// instead of handing out ids beside it.
	sequenceLockID = migrateLockID + 1
	relayLockID    = migrateLockID + 2
)

var (
	_ sqlstore.RelayLocker     = dialect{}
	_ sqlstore.OutboxSequencer = dialect{}
)

// Commit order without a write lock.
//
// An identity column hands out values at INSERT time, not at COMMIT: with
// two writers, id 11 can commit while id 10 is still in flight, and a
// change-stream reader that sees 11 and moves its cursor past it would
// never see 10. Writers therefore do not number their changes. They append
// them to outbox_pending, concurrently, in one multi-row statement per
// transaction just before it commits. SequenceEvents, which one
// transaction at a time runs under an advisory lock, moves every pending
// row it can see, that is every row of a committed transaction, into
// outbox and numbers them there, in one statement:
//
//   - A row is moved once: only the sequencer deletes pending rows, and it
//     reads them under a snapshot taken after the previous sequencer
//     committed (the lock is released only once that commit is visible).
//   - Numbers grow with commit order. A pass moves exactly the transactions
//     that committed since the previous pass's snapshot, and numbers them
//     after everything moved before. Within a pass, rows keep the order in
//     which they were appended; a transaction that waited for another's
//     row lock appends after that one committed, so a change made on top
//     of another is numbered after it.
//   - A reader that sees number N sees every number below it: each pass
//     commits its numbers at once, after every earlier pass's.
//
// So a cursor stays one number and is never skipped past a change. A long
// transaction holds back nothing but its own changes, which appear when it
// commits, numbered after the changes committed before it; no writer waits
// for another's outbox rows. The cost is that a change reaches outbox when
// a reader (the tail every replica runs, the relay, /v1/changes) next
// sequences, not at its commit; readers sequence before they read, so a
// writer reads its own changes.

// eventChunk bounds the rows of one multi-row insert (8 parameters each).
const eventChunk = 1000

// AppendEvents writes a transaction's changes to outbox_pending in order,
// with one statement per eventChunk rows.
func (dialect) AppendEvents(ctx context.Context, tx sqlstore.Execer, evs []scout.Event, now int64) error {
	for start := 0; start < len(evs); start += eventChunk {
		part := evs[start:min(start+eventChunk, len(evs))]
		types, vis, payloads := make([]string, len(part)), make([]string, len(part)), make([]string, len(part))
		srcs, items, owners := make([]int64, len(part)), make([]int64, len(part)), make([]int64, len(part))
		for i, e := range part {
			types[i], vis[i], payloads[i] = e.Type, string(e.Visibility), string(e.Payload)
			srcs[i], items[i], owners[i] = e.SourceID, e.ItemID, e.OwnerID
		}
		// unnest keeps one statement text for any number of rows; WITH
		// ORDINALITY and ORDER BY keep the rows' order in their pids.
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox_pending (type, source_id, item_id, owner_id, visibility, payload, created_at)
			SELECT t, s, i, o, v, p, $7 FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])
				WITH ORDINALITY AS e(t, s, i, o, v, p, n) ORDER BY n`,
			types, srcs, items, owners, vis, payloads, now)
		if err != nil {
			return fmt.Errorf("append %d events: %w", len(part), err)
		}
	}
	return nil
}

// SequenceEvents moves the committed pending changes into outbox, numbered
// after every change before them (see above), and returns how many it
// moved. Numbers are gap-free: they continue from the highest id in outbox
// or ever pruned from it. Unless wait, it returns (0, nil) when another
// sequencer holds the lock: that one, or the next, moves what this would.
func (dialect) SequenceEvents(ctx context.Context, db *sql.DB, wait bool) (int, error) {
	var pending bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox_pending)`).Scan(&pending); err != nil {
		return 0, fmt.Errorf("sequence events: %w", err)
	}
	if !pending {
		return 0, nil
	}
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sequence events: begin: %w", err)
	}
	defer t.Rollback()
	// The lock is taken in its own statement, so that the next one's
	// snapshot is taken after the previous sequencer committed.
	if wait {
		if _, err := t.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(sequenceLockID)); err != nil {
			return 0, fmt.Errorf("sequence events: lock: %w", err)
		}
	} else {
		var ok bool
		if err := t.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, int64(sequenceLockID)).Scan(&ok); err != nil {
			return 0, fmt.Errorf("sequence events: lock: %w", err)
		}
		if !ok {
			return 0, nil
		}
	}
	var n, top int64
	err = t.QueryRowContext(ctx, `WITH moved AS (
			DELETE FROM outbox_pending RETURNING *
		), base AS (
			SELECT GREATEST(COALESCE(MAX(id), 0),
				COALESCE((SELECT value::bigint FROM meta WHERE key = $1), 0)) AS b FROM outbox
		), ins AS (
			INSERT INTO outbox (id, type, source_id, item_id, owner_id, visibility, payload, created_at) OVERRIDING SYSTEM VALUE
			SELECT base.b + row_number() OVER (ORDER BY m.pid), m.type, m.source_id, m.item_id, m.owner_id, m.visibility,
				m.payload, m.created_at
			FROM moved m CROSS JOIN base
			RETURNING id
		)
		SELECT COUNT(*), COALESCE(MAX(id), 0) FROM ins`, sqlstore.PrunedKey).Scan(&n, &top)
	if err != nil {
		return 0, fmt.Errorf("sequence events: %w", err)
	}
	if n > 0 {
		// Keep the identity sequence ahead, for anything that still inserts
		// into outbox directly (a replica not yet upgraded, migrate-data).
		if _, err := t.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('outbox', 'id'), $1)`, top); err != nil {
			return 0, fmt.Errorf("sequence events: move the id sequence: %w", err)
		}
	}
	if err := t.Commit(); err != nil {
		return 0, fmt.Errorf("sequence events: commit: %w", err)
	}
	return int(n), nil
}

// TryRelayLock lets one replica at a time relay a batch; the others skip
// the round instead of queueing.
func (dialect) TryRelayLock(ctx context.Context, tx *sql.Tx) (bool, error) {
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, int64(relayLockID)).Scan(&ok)
	return ok, err
}
