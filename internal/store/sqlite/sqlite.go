package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/scoutdev/scout/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure Open.
type Options struct {
	Path        string           // the database file; its directory must exist
	Readers     int              // size of the read pool; 0 means max(4, GOMAXPROCS)
	BusyTimeout time.Duration    // how long a statement waits for a lock; 0 means 5s
	Now         func() time.Time // nil means time.Now
}

// Store is the SQLite store.
type Store struct {
	*sqlstore.Store
	sqlstore.Migrations
	path string
}

// Open opens (creating if needed) the database file and checks that it is a
// readable SQLite database. It does not migrate: call Migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Path == "" {
		return nil, errors.New("open sqlite: no path")
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.Readers <= 0 {
		opts.Readers = max(4, runtime.GOMAXPROCS(0))
	}
	// The database holds password and key hashes: create it private.
	if f, err := os.OpenFile(opts.Path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	w, err := sql.Open("sqlite", dsn(opts, false))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", opts.Path, err)
	}
	// One writer: SQLite serializes writers anyway, and one connection with
	// immediate transactions turns lock contention into a queue in Go
	// instead of "database is locked" errors.
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn(opts, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", opts.Path, err)
	}
	r.SetMaxOpenConns(opts.Readers)
	r.SetMaxIdleConns(opts.Readers)
	s := &Store{Store: sqlstore.New(w, r, dialect{}, opts.Now), path: opts.Path}
	s.CacheStatements = true
	s.GroupCommit = true
	s.Migrations = sqlstore.Migrations{Provider: s.provider, Describe: describe, After: s.AfterMigrate, BeforeDown: s.BeforeMigrateDown}
	if err := s.check(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func dsn(opts Options, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: opts.Path}).EscapedPath() + "?" + q.Encode()
}

// check opens a connection on each pool and reads the schema, so that a file
// that is not a database fails here with one clear error.
func (s *Store) check(ctx context.Context) error {
	var n int
	if err := s.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema`).Scan(&n); err != nil {
		return fmt.Errorf("open sqlite %s: %w", s.path, describe(err))
	}
	if err := s.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema`).Scan(&n); err != nil {
		return fmt.Errorf("open sqlite %s: %w", s.path, describe(err))
	}
	return nil
}

// describe turns SQLite's result codes into sentences an operator can act on.
func describe(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("the file is not a valid SQLite database (corrupt or another kind of file): %w", err)
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
		return fmt.Errorf("the file cannot be opened for writing (check permissions of the file and its directory): %w", err)
	}
	return err
}

// provider builds the goose migration provider for this database.
func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	// Migrations are numbered when work starts, so one written earlier can
	// land after a later number was applied; each is independent of the
	// others' numbers, so apply the missing ones instead of refusing to start.
	return goose.NewProvider(goose.DialectSQLite3, s.W, sub, goose.WithAllowOutofOrder(true))
}

// Path returns the database file.
func (s *Store) Path() string { return s.path }

// EnsureDir creates the directory of a database file and checks that it is
// writable, so that the failure is one clear line instead of a driver error.
func EnsureDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create data directory %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".scout-write-check-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
