package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/pressly/goose/v3"
)

// Migrations runs an engine's goose migrations. Engines embed it and give
// it their provider (dialect, embedded files, session locker) and a way to
// turn driver errors into sentences an operator can act on.
type Migrations struct {
	Provider func() (*goose.Provider, error)
	Describe func(error) error // nil leaves errors as they are
	// After runs once the migrations are applied: data fixes that need Go,
	// such as filling in columns computed from others. Nil for none.
	After func(ctx context.Context) error
	// BeforeDown runs before migrations are rolled back to version to: the
	// data fixes that need Go to put rows back in an older shape. Nil for
	// none.
	BeforeDown func(ctx context.Context, to int64) error
}

// beforeDown runs BeforeDown for a roll back to version to.
func (m Migrations) beforeDown(ctx context.Context, to int64) error {
	if m.BeforeDown == nil {
		return nil
	}
	return m.BeforeDown(ctx, to)
}

func (m Migrations) describe(err error) error {
	if m.Describe == nil {
		return err
	}
	return m.Describe(err)
}

// Migrate applies every pending migration.
func (m Migrations) Migrate(ctx context.Context) error {
	p, err := m.Provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", m.describe(err))
	}
	if m.After != nil {
		return m.After(ctx)
	}
	return nil
}

// MigrateDown rolls back the newest applied migration.
func (m Migrations) MigrateDown(ctx context.Context) error {
	p, err := m.Provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate down: %w", m.describe(err))
	}
	if err := m.beforeDown(ctx, cur-1); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	if _, err := p.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", m.describe(err))
	}
	return nil
}

// MigrateDownTo rolls back every applied migration above version.
func (m Migrations) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := m.Provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := m.beforeDown(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, m.describe(err))
	}
	return nil
}

// MigrationStatus describes each migration and whether it is applied.
func (m Migrations) MigrationStatus(ctx context.Context) ([]string, error) {
	p, err := m.Provider()
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", m.describe(err))
	}
	out := make([]string, 0, len(st))
	for _, s := range st {
		line := fmt.Sprintf("%05d %-40s %s", s.Source.Version, filepath.Base(s.Source.Path), s.State)
		if !s.AppliedAt.IsZero() {
			line += " at " + s.AppliedAt.UTC().Format(time.RFC3339)
		}
		out = append(out, line)
	}
	return out, nil
}
