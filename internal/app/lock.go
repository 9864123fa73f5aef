package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/scoutdev/scout/internal/config"
)

// lockDataDir takes the advisory lock that lets one `scout serve` at a time
// use an embedded (SQLite) data directory. Two servers on one file would
// both schedule every source, fetching each twice, and race their seeding
// and migrations; PostgreSQL replicas share a database by design and take
// no lock. The lock is flock(2) on scout.lock beside the database: the
// kernel drops it when the process ends, however it ends, so a crash never
// leaves a stale lock. It returns the function that releases it.
func lockDataDir(cfg config.Config) (func(), error) {
	engine, path, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil || engine != config.EngineSQLite {
		return func() {}, nil // OpenStore reports a bad URL
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	name := filepath.Join(dir, "scout.lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", name, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another scout serve is already using the data directory %s (it holds %s); stop it first or give this one another SCOUT_DATA_DIR", dir, name)
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return func() { f.Close() }, nil
}
