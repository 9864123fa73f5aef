package postgres

import (
	"context"
	"database/sql"

	"github.com/scoutdev/scout/internal/store/sqlstore"
)

// Advisory lock keys of the outbox, next to the migration lock's.
const (
	outboxLockID = migrateLockID + 1
	relayLockID  = migrateLockID + 2
)

var _ sqlstore.OutboxLocker = dialect{}

// LockOutbox makes outbox ids commit-ordered. An identity column hands out
// values at INSERT time, not at COMMIT: with two writers, id 11 can commit
// while id 10 is still in flight, and a change-stream reader that sees 11
// and moves its cursor past it would never see 10. Every transaction that
// writes outbox rows takes this transaction-scoped advisory lock first and
// keeps it until it commits or rolls back, so the next writer gets its ids
// only after the previous one is visible: every id below a visible id is
// final.
//
// The alternative, exposing only rows whose xid is older than the oldest
// running transaction (pg_snapshot_xmin), needs no lock but orders rows by
// (xid, id), which would make cursors two numbers and let one long
// transaction hold back every reader. Serializing the event-writing part
// of writes costs little here: writes are per feed fetch, and the lock is
// taken after the fetch's network work is over. Because it is taken before
// any row lock, two event-writing transactions cannot deadlock through it;
// lease claims, which write no events, never wait for it.
func (dialect) LockOutbox(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(outboxLockID))
	return err
}

// TryRelayLock lets one replica at a time relay a batch; the others skip
// the round instead of queueing.
func (dialect) TryRelayLock(ctx context.Context, tx *sql.Tx) (bool, error) {
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, int64(relayLockID)).Scan(&ok)
	return ok, err
}
