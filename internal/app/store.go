package app

import (
	"context"
	"fmt"

	"github.com/scoutdev/scout/internal/config"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/store/sqlite"
)

// Engine is a store that can also migrate its own schema.
type Engine interface {
	store.Store
	Migrate(ctx context.Context) error
	MigrateDown(ctx context.Context) error
	MigrationStatus(ctx context.Context) ([]string, error)
}

// OpenStore opens the store the database URL names, without migrating it.
func OpenStore(ctx context.Context, cfg config.Config) (Engine, error) {
	engine, target, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("SCOUT_DATABASE_URL: %w", err)
	}
	switch engine {
	case config.EngineSQLite:
		if err := sqlite.EnsureDir(target); err != nil {
			return nil, err
		}
		return sqlite.Open(ctx, sqlite.Options{Path: target})
	case config.EnginePostgres:
		return postgres.Open(ctx, postgres.Options{URL: target})
	default:
		return nil, fmt.Errorf("SCOUT_DATABASE_URL: the %s engine is not built into this version of Scout", engine)
	}
}
