package postgres

import (
	"context"
	"database/sql"

	"github.com/scoutdev/scout/internal/store/sqlstore"
)

// claimLockID is the advisory lock key of source claims, apart from the
// migration and outbox keys.
const claimLockID = migrateLockID + 16

var _ sqlstore.ClaimLocker = dialect{}

// LockClaims makes host-aware claims from every replica run one at a time.
// A claim reads how many fetches each host has in flight and leases within
// that limit; two claims interleaving could each see one free slot and
// together exceed it, which row locks with SKIP LOCKED cannot prevent (the
// slot is a count, not a row). A claim is one short transaction, and
// claims come at most once per free worker, so serializing them costs
// little. Fetches commit without this lock; a claim that meets a row being
// committed waits for it and sees its result (see leaseSources).
func (dialect) LockClaims(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(claimLockID))
	return err
}
