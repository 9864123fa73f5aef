package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

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
	return goose.NewProvider(goose.DialectPostgres, s.W, sub, goose.WithSessionLocker(locker))
}

// Migrate applies every pending migration. Safe to call from many replicas at once.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up %s: %w", s.name, err)
	}
	return nil
}

// MigrateDown rolls back the newest applied migration.
func (s *Store) MigrateDown(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Down(ctx); err != nil {
		return fmt.Errorf("migrate down %s: %w", s.name, err)
	}
	return nil
}

// MigrationStatus describes each migration and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]string, error) {
	p, err := s.provider()
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status %s: %w", s.name, err)
	}
	out := make([]string, 0, len(st))
	for _, m := range st {
		line := fmt.Sprintf("%05d %-40s %s", m.Source.Version, filepath.Base(m.Source.Path), m.State)
		if !m.AppliedAt.IsZero() {
			line += " at " + m.AppliedAt.UTC().Format(time.RFC3339)
		}
		out = append(out, line)
	}
	return out, nil
}
