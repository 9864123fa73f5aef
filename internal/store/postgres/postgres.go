package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/scoutdev/scout/internal/store/sqlstore"
)

// Options configure Open.
type Options struct {
	URL      string           // postgres://user:password@host:port/db?sslmode=…
	MaxConns int32            // size of the pool unless the URL sets pool_max_conns; 0 means pgx's default, max(4, NumCPU)
	Now      func() time.Time // nil means time.Now
	// Tracer, when set, is told of every statement the pool's connections
	// run (benchmarks count round trips with it).
	Tracer pgx.QueryTracer
}

// Store is the PostgreSQL store.
type Store struct {
	*sqlstore.Store
	// Migrations run under a session-level advisory lock, so replicas
	// starting together migrate once.
	sqlstore.Migrations
	pool *pgxpool.Pool
	name string // where the store points, without the password
}

// connectTimeout bounds the first connection when the URL sets none, so that
// an unreachable server fails Open instead of hanging it.
const connectTimeout = 10 * time.Second

// sessionSettings are set on every connection unless the URL sets them.
//
// pgx prepares each statement once per connection, and after five runs
// PostgreSQL may switch a prepared statement to a generic plan, made
// without the parameters' values. Scout's reads depend on those values:
// a time window, a search term's frequency, a page size. The generic plan
// of the stats' items-per-day count guessed 500 rows for 24,000 and took
// 540 ms instead of 60 ms, so every statement is planned with its values.
//
// JIT compilation starts at a plan cost that a ranked search over many
// hits reaches; compiling took 4 s for a 0.5 s query. Scout's statements
// are short and many, so it is off.
//
// A fetch's transaction is the exception (see dialect.BeginFetch).
var sessionSettings = map[string]string{
	"plan_cache_mode": "force_custom_plan",
	"jit":             "off",
}

// Open connects to the database the URL names and checks that it answers.
// It does not migrate: call Migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.URL == "" {
		return nil, errors.New("open postgres: no URL")
	}
	cfg, err := pgxpool.ParseConfig(opts.URL)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("open postgres: the URL is not a valid PostgreSQL connection string")
	}
	if opts.MaxConns > 0 && !strings.Contains(opts.URL, "pool_max_conns") {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.Tracer != nil {
		cfg.ConnConfig.Tracer = opts.Tracer
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	d := dialect{reusePlans: true}
	for k, v := range sessionSettings {
		if _, set := cfg.ConnConfig.RuntimeParams[k]; !set {
			cfg.ConnConfig.RuntimeParams[k] = v
		} else if k == "plan_cache_mode" {
			d.reusePlans = false // the operator's choice holds everywhere
		}
	}
	name := fmt.Sprintf("%s@%s:%d/%s", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", name, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: the server cannot be reached or refused the login: %w", name, err)
	}
	db := stdlib.OpenDBFromPool(pool)
	s := &Store{Store: sqlstore.New(db, db, d, opts.Now), pool: pool, name: name}
	s.Migrations = sqlstore.Migrations{Provider: s.provider, Describe: func(err error) error { return fmt.Errorf("%s: %w", name, err) },
		After: s.AfterMigrate, BeforeDown: s.BeforeMigrateDown}
	return s, nil
}

// PoolSize is the pool a replica with this many fetch workers needs: one
// connection per worker, so that parallel fetches commit in parallel, and
// headroom for the API and the background loops, so that an interactive
// write never queues behind ingestion for a connection.
func PoolSize(workers int) int32 {
	return int32(max(workers, 1) + 10)
}

// Close closes the *sql.DB and the pool under it.
func (s *Store) Close() error {
	err := s.Store.Close()
	s.pool.Close()
	return err
}

// Pool returns the pgx pool, for PostgreSQL-only paths such as COPY.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Name returns user@host:port/database, without the password.
func (s *Store) Name() string { return s.name }
