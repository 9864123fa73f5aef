package postgres

import (
	"embed"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLockID is the advisory lock key every Scout replica takes while it
// migrates ("scout" in ASCII), distinct from goose's default so that another
// application's goose migrations on the same server never wait for ours.
const migrateLockID = 0x73636f7574

// provider builds the goose provider. Migrations run under a session-level
// advisory lock: replicas that start together queue on it, and the ones that
// get it later find nothing left to apply.
func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	// Poll for the lock every second for up to ten minutes.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrateLockID), lock.WithLockTimeout(1, 600))
	if err != nil {
		return nil, err
	}
	// As on SQLite: a migration that lands after a higher number was applied
	// is applied, not refused.
	return goose.NewProvider(goose.DialectPostgres, s.W, sub, goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true))
}
