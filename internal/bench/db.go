package bench

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/app"
	"github.com/scoutdev/scout/internal/config"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/store/sqlite"
)

// db is the harness's own connection to the database of the Scout under
// test. Sources are created through the store contract; the bulk "make
// every source due" and the counts the harness polls are single SQL
// statements on the engine's pools, because the contract has no bulk forms
// and calling ScheduleSource 10,000 times would itself take seconds.
type db struct {
	Store  app.Engine
	r, w   *sql.DB
	engine string
	path   string // the SQLite file
}

// openDB opens (and migrates) the database at dbURL.
func openDB(ctx context.Context, dataDir, dbURL string) (*db, error) {
	cfg, err := loadConfig(map[string]string{"SCOUT_DATA_DIR": dataDir, "SCOUT_DATABASE_URL": dbURL, "SCOUT_SEED_SOURCES": "false"})
	if err != nil {
		return nil, err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	d := &db{Store: a.Store}
	switch s := a.Store.(type) {
	case *sqlite.Store:
		d.r, d.w, d.engine = s.R, s.W, "sqlite"
		_, d.path, _ = config.ParseDatabaseURL(cfg.DatabaseURL)
	case *postgres.Store:
		d.r, d.w, d.engine = s.R, s.W, "postgres"
	default:
		a.Close()
		return nil, fmt.Errorf("open bench database: unknown store %T", a.Store)
	}
	return d, nil
}

func (d *db) Close() error { return d.Store.Close() }

// createSources creates one public source per URL, first due at due.
func (d *db) createSources(ctx context.Context, urls []string, due time.Time) error {
	for _, u := range urls {
		_, err := d.Store.CreateSource(ctx, scout.Source{URL: u, Visibility: scout.VisibilityPublic, NextFetchAt: due})
		if err != nil {
			return fmt.Errorf("create source %s: %w", u, err)
		}
	}
	return nil
}

// makeDue makes every live source due at t, as ScheduleSource would one
// by one.
func (d *db) makeDue(ctx context.Context, t time.Time) error {
	_, err := d.w.ExecContext(ctx, `UPDATE sources SET next_fetch_at = $1 WHERE deleted_at IS NULL`, t.UnixMicro())
	if err != nil {
		return fmt.Errorf("make sources due: %w", err)
	}
	return nil
}

func (d *db) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	if err := d.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count (%s): %w", query, err)
	}
	return n, nil
}

// countItems counts live items.
func (d *db) countItems(ctx context.Context) (int, error) {
	return d.count(ctx, `SELECT COUNT(*) FROM items WHERE deleted_at IS NULL`)
}

// countFetchedSince counts live sources whose last fetch finished at or after t.
func (d *db) countFetchedSince(ctx context.Context, t time.Time) (int, error) {
	return d.count(ctx, `SELECT COUNT(*) FROM sources WHERE deleted_at IS NULL AND last_fetched_at >= $1`, t.UnixMicro())
}

// lastFetched returns when the newest fetch was committed.
func (d *db) lastFetched(ctx context.Context) (time.Time, error) {
	var us sql.NullInt64
	if err := d.r.QueryRowContext(ctx, `SELECT MAX(last_fetched_at) FROM sources WHERE deleted_at IS NULL`).Scan(&us); err != nil {
		return time.Time{}, fmt.Errorf("last fetch time: %w", err)
	}
	return time.UnixMicro(us.Int64), nil
}

// stored maps a source URL to the GUIDs of its live items (with repeats,
// so that duplicates show).
func (d *db) stored(ctx context.Context) (map[string][]string, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT s.url, i.guid FROM items i JOIN sources s ON s.id = i.source_id
		WHERE i.deleted_at IS NULL AND s.deleted_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("list stored guids: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var u, g string
		if err := rows.Scan(&u, &g); err != nil {
			return nil, fmt.Errorf("list stored guids: %w", err)
		}
		out[u] = append(out[u], g)
	}
	return out, rows.Err()
}

// created returns the GUID and creation time of the items with id > after,
// and the highest id seen.
func (d *db) created(ctx context.Context, after int64) (map[string]time.Time, int64, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT id, guid, created_at FROM items WHERE id > $1`, after)
	if err != nil {
		return nil, after, fmt.Errorf("list new items: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id, at int64
		var g string
		if err := rows.Scan(&id, &g, &at); err != nil {
			return nil, after, fmt.Errorf("list new items: %w", err)
		}
		out[g] = time.UnixMicro(at)
		after = max(after, id)
	}
	return out, after, rows.Err()
}

// integrity runs PRAGMA integrity_check on SQLite ("ok" when sound) on a
// new connection, as a restarted process would see the file; other engines
// answer "n/a".
func (d *db) integrity(ctx context.Context) (string, error) {
	if d.engine != "sqlite" {
		return "n/a", nil
	}
	fresh, err := sql.Open("sqlite", "file:"+d.path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	defer fresh.Close()
	return integrityOf(ctx, fresh)
}

func integrityOf(ctx context.Context, conn *sql.DB) (string, error) {
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return "", fmt.Errorf("integrity check: %w", err)
		}
		msgs = append(msgs, m)
	}
	return strings.Join(msgs, "; "), rows.Err()
}

// storage describes the database's size per stored item: on SQLite the
// file and its WAL after a checkpoint, with the largest tables and indexes
// by the pages dbstat counts (and the share of those pages left unused);
// on PostgreSQL the database's size.
func (d *db) storage(ctx context.Context, items int) (string, error) {
	if items <= 0 {
		return "", nil
	}
	if d.engine == "postgres" {
		var n int64
		if err := d.r.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
			return "", fmt.Errorf("database size: %w", err)
		}
		return fmt.Sprintf("database %s, %d B per item", mib(n), n/int64(items)), nil
	}
	// A checkpoint the child's readers keep from truncating the WAL still
	// copies it into the file; what is left is counted.
	_, _ = d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	var file, wal int64
	if fi, err := os.Stat(d.path); err == nil {
		file = fi.Size()
	}
	if fi, err := os.Stat(d.path + "-wal"); err == nil {
		wal = fi.Size()
	}
	rows, err := d.r.QueryContext(ctx, `SELECT name, SUM(pgsize), SUM(unused) FROM dbstat GROUP BY name ORDER BY 2 DESC`)
	if err != nil {
		return "", fmt.Errorf("dbstat: %w", err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var name string
		var size, unused int64
		if err := rows.Scan(&name, &size, &unused); err != nil {
			return "", fmt.Errorf("dbstat: %w", err)
		}
		if len(parts) < 8 && file > 0 {
			parts = append(parts, fmt.Sprintf("%s %d B/item (%.0f %% unused)", name, size/int64(items), 100*float64(unused)/float64(max(size, 1))))
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("dbstat: %w", err)
	}
	return fmt.Sprintf("file %s + WAL %d B after a checkpoint = %d B per item; largest: %s",
		mib(file), wal, (file+wal)/int64(items), strings.Join(parts, ", ")), nil
}
