package app

import (
	"context"
	"errors"
	"fmt"
	"os"

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
		s, err := sqlite.Open(ctx, sqlite.Options{Path: target})
		if err != nil {
			return nil, err
		}
		s.Precedence, s.GroupPrecedence = cfg.EnricherPrecedence, cfg.EnricherPrecedenceGroups
		return s, nil
	case config.EnginePostgres:
		s, err := postgres.Open(ctx, postgres.Options{URL: target, MaxConns: postgres.PoolSize(cfg.Workers)})
		if err != nil {
			return nil, err
		}
		s.Precedence, s.GroupPrecedence = cfg.EnricherPrecedence, cfg.EnricherPrecedenceGroups
		return s, nil
	default:
		return nil, fmt.Errorf("SCOUT_DATABASE_URL: the %s engine is not built into this version of Scout", engine)
	}
}

// MoveData copies an embedded installation (a sqlite: URL) into an empty
// PostgreSQL database (a postgres:// URL), migrating the target first, and
// returns the row counts of every table. The source is only read; it must be
// migrated to the version this binary knows ('scout migrate up').
func MoveData(ctx context.Context, from, to string, progress func(table string, copied, total int64)) ([]postgres.TableCount, error) {
	engine, path, err := config.ParseDatabaseURL(from)
	if err != nil || engine != config.EngineSQLite {
		return nil, fmt.Errorf("--from must be a sqlite:PATH URL (got %q)", from)
	}
	if engine, _, err := config.ParseDatabaseURL(to); err != nil || engine != config.EnginePostgres {
		return nil, errors.New("--to must be a postgres:// URL")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("source database: %w", err)
	}
	src, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, postgres.Options{URL: to})
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	if err := dst.Migrate(ctx); err != nil {
		return nil, err
	}
	return dst.Import(ctx, src.R, progress)
}
