package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// CompleteFetch commits one fetch in one transaction, or, with
// GroupCommit, in a transaction shared with the fetches waiting beside it;
// if any of those fails, each is committed alone (see group.go).
func (s *Store) CompleteFetch(ctx context.Context, r store.FetchResult) (scout.FetchLog, error) {
	w := s.prepareFetch(r)
	if s.GroupCommit {
		return s.completeGrouped(ctx, w)
	}
	return s.completeAlone(ctx, w)
}

// fetchWrite is a fetch result made ready for its write transaction by
// the caller, before it: the items deduplicated by key and the sightings
// each would make (sightParts: the matcher's features and keys) worked
// out, so that the writer (SQLite has one, which every fetch waits for)
// only looks up, judges and inserts, and the features are read in the
// fetch workers, side by side.
type fetchWrite struct {
	store.FetchResult
	items []scout.Item // Items, deduplicated by key (never written to: each attempt copies them)
	parts [][]part     // per one of items; nil with NoMatching
}

func (s *Store) prepareFetch(r store.FetchResult) fetchWrite {
	w := fetchWrite{FetchResult: r, items: dedupeByKey(r.Items)}
	if s.NoMatching {
		return w
	}
	w.parts = make([][]part, len(w.items))
	for i := range w.items {
		w.parts[i] = sightParts(&w.items[i])
	}
	return w
}

// Retrier is implemented by dialects whose server may abort a transaction
// that would succeed when run again (PostgreSQL breaks deadlocks).
type Retrier interface {
	IsRetryable(err error) bool
}

// FetchBeginner is implemented by dialects that set a fetch's write
// transaction up before its first statement (PostgreSQL lets its
// statements reuse their plans there).
type FetchBeginner interface {
	BeginFetch(ctx context.Context, tx Execer) error
}

// writeAttempts bounds how often a write the server aborted is run again.
const writeAttempts = 3

// writeRetried is writeEvents, run again (from the start, in a new
// transaction) when the server aborted it for a reason that may not recur:
// a deadlock it broke, a serialization failure, a row it referenced that
// a concurrent writer deleted. Writers that lock the same rows lock them
// in one order where they can (see dropUnsighted); this covers the
// orders no writer controls, such as the foreign-key locks a fetch takes
// on the opportunities its items join, in the feed's order.
func (s *Store) writeRetried(ctx context.Context, fn func(tx *tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.writeEvents(ctx, fn)
		rt, ok := s.Dialect.(Retrier)
		if err == nil || !ok || !rt.IsRetryable(err) || attempt == writeAttempts || ctx.Err() != nil {
			return err
		}
	}
}

// completeAlone commits one fetch in a transaction of its own. Concurrent
// fetches take their shared locks (new entities) in one order, so the
// server should never have to break a deadlock between them; if it does,
// or another writer's locks are taken in another order, the fetch is run
// again rather than lost.
func (s *Store) completeAlone(ctx context.Context, r fetchWrite) (scout.FetchLog, error) {
	var log scout.FetchLog
	err := s.writeRetried(ctx, func(tx *tx) error {
		if fb, ok := tx.d.(FetchBeginner); ok {
			if err := fb.BeginFetch(ctx, tx); err != nil {
				return err
			}
		}
		var err error
		log, err = completeFetch(ctx, tx, r)
		return err
	})
	if err != nil {
		return log, fmt.Errorf("complete fetch of source %d: %w", r.SourceID, err)
	}
	return log, nil
}

// completeFetch writes one fetch's items, the source's fetch state and the
// fetch log in tx.
func completeFetch(ctx context.Context, tx *tx, r fetchWrite) (scout.FetchLog, error) {
	log := r.Log
	log.SourceID = r.SourceID
	if err := lockForFetch(ctx, tx, r.SourceID); err != nil {
		return log, err
	}
	src, err := getSource(ctx, tx, r.SourceID)
	if err != nil {
		return log, err
	}
	log.ItemsSeen = len(r.Items) + r.Unchanged
	if log.ItemsNew, log.ItemsUpdated, err = upsertItems(ctx, tx, src, r.items, r.parts); err != nil {
		return log, err
	}
	if err := updateFetchState(ctx, tx, src, r.FetchResult); err != nil {
		return log, err
	}
	log.ID, err = insertFetchLog(ctx, tx, log)
	return log, err
}

// RowLocker is implemented by dialects whose writers run concurrently
// (PostgreSQL); one writer needs no row locks (SQLite).
type RowLocker interface {
	// ForUpdate is the clause that locks the rows a SELECT reads until the
	// transaction ends.
	ForUpdate() string
}

// lockForFetch locks the source's row first, so that two fetches of one
// source (a manual refresh racing the scheduler) commit one after the
// other, the second seeing the first's items, instead of both inserting
// them. Fetches of different sources do not wait for each other.
func lockForFetch(ctx context.Context, tx *tx, sourceID int64) error {
	rl, ok := tx.d.(RowLocker)
	if !ok {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM sources WHERE id = $1`+rl.ForUpdate(), sourceID).Scan(&one)
	if err != nil && err != sql.ErrNoRows { // a missing source is reported by getSource
		return fmt.Errorf("lock source %d: %w", sourceID, err)
	}
	return nil
}

// updateFetchState writes the source's new fetch state and clears its lease.
// The version (and a change event) moves only when something a client sees
// changes: status, URL or title — not on every quiet poll.
func updateFetchState(ctx context.Context, tx *tx, src scout.Source, r store.FetchResult) error {
	next := src
	ok := r.Log.ErrorClass == scout.ErrorNone
	// A source moved to another URL while this fetch read the old one keeps
	// what the move set: no validators or redirect of the old URL, and its
	// next fetch (of the new URL) at once.
	moved := r.From != "" && r.From != src.URL
	if moved {
		r.URL, r.ETag, r.LastModified, r.PageHash, r.NextFetchAt = "", src.ETag, src.LastModified, "", src.NextFetchAt
	}
	if r.URL != "" && r.URL != src.URL && !urlTaken(ctx, tx, src, r.URL) {
		next.URL = r.URL
	}
	if src.Title == "" && r.Title != "" {
		next.Title = truncate(r.Title, scout.MaxTitleLength)
	}
	if src.SiteURL == "" && r.SiteURL != "" {
		next.SiteURL = truncate(r.SiteURL, scout.MaxURLLength)
	}
	next.Status = r.Status
	if next.Status == "" {
		next.Status = scout.SourceOK
	}
	next.ErrorCount, next.LastErrorClass, next.LastError = 0, "", ""
	if ok {
		next.ETag, next.LastModified, next.LastSuccessAt = r.ETag, r.LastModified, tx.now
		if r.PageHash != "" {
			next.PageHash = r.PageHash
		}
	} else {
		next.ErrorCount, next.LastErrorClass, next.LastError = src.ErrorCount+1, r.Log.ErrorClass, truncate(r.Log.Error, 1000)
	}
	if moved { // how the old URL answered says nothing of the new one
		next.Status, next.ErrorCount, next.LastErrorClass, next.LastError = src.Status, src.ErrorCount, src.LastErrorClass, src.LastError
		next.LastSuccessAt = src.LastSuccessAt
	}
	visible := next.Status != src.Status || next.URL != src.URL || next.Title != src.Title || next.SiteURL != src.SiteURL
	bump := 0
	if visible {
		bump = 1
	}
	_, err := tx.ExecContext(ctx, `UPDATE sources SET url = $1, host = $18, url_key = $19, title = $2, site_url = $3, status = $4, etag = $5, last_modified = $6,
			interval_s = $7, next_fetch_at = $8, lease_until = NULL, last_fetched_at = $9, last_success_at = $10,
			error_count = $11, last_error_class = $12, last_error = $13, updated_at = $14, version = version + $15,
			page_hash = $17
		WHERE id = $16`,
		next.URL, next.Title, next.SiteURL, next.Status, next.ETag, next.LastModified,
		int64(r.Interval/time.Second), r.NextFetchAt.UnixMicro(), tx.now.UnixMicro(), micros(next.LastSuccessAt),
		next.ErrorCount, next.LastErrorClass, next.LastError, tx.now.UnixMicro(), bump, src.ID, next.PageHash, scout.HostKey(next.URL), scout.URLKey(next.URL))
	if err != nil {
		return fmt.Errorf("update fetch state: %w", err)
	}
	if !visible {
		return nil
	}
	next.Version++
	typ := scout.EventSourceUpdated
	if next.Status == scout.SourceFailing && src.Status != scout.SourceFailing {
		typ = scout.EventSourceFailed
	}
	return insertEvent(ctx, tx, sourceEvent(typ, next))
}

// urlTaken reports whether the owner already has another live source that
// would be the same source as src at u; then a permanent redirect is not
// followed into a duplicate.
func urlTaken(ctx context.Context, tx *tx, src scout.Source, u string) bool {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM sources WHERE COALESCE(owner_id, 0) = $1 AND url_key = $2 AND kind = $3
		AND config_key = $4 AND id <> $5 AND deleted_at IS NULL`,
		src.OwnerID, scout.URLKey(u), src.Kind, scout.ConfigKey(src.Config), src.ID).Scan(&one)
	return err == nil
}

func insertFetchLog(ctx context.Context, tx *tx, l scout.FetchLog) (int64, error) {
	started := l.StartedAt
	if started.IsZero() {
		started = tx.now
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO fetches (source_id, started_at, duration_ms, status_code, bytes, not_modified,
			items_seen, items_new, items_updated, error_class, error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		l.SourceID, started.UnixMicro(), l.Duration.Milliseconds(), l.StatusCode, l.Bytes, l.NotModified,
		l.ItemsSeen, l.ItemsNew, l.ItemsUpdated, string(l.ErrorClass), truncate(l.Error, 1000)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert fetch log: %w", err)
	}
	return id, nil
}

// ListFetches returns the newest fetch logs of a source.
func (s *Store) ListFetches(ctx context.Context, sourceID int64, limit int) ([]scout.FetchLog, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT id, source_id, started_at, duration_ms, status_code, bytes, not_modified,
			items_seen, items_new, items_updated, error_class, error
		FROM fetches WHERE source_id = $1 ORDER BY id DESC LIMIT $2`, sourceID, limitOf(limit, 50, 500))
	if err != nil {
		return nil, fmt.Errorf("list fetches of source %d: %w", sourceID, err)
	}
	logs, err := collect(rows, func(sc interface{ Scan(...any) error }) (scout.FetchLog, error) {
		var l scout.FetchLog
		var started sql.NullInt64
		var ms int64
		var class string
		err := sc.Scan(&l.ID, &l.SourceID, &started, &ms, &l.StatusCode, &l.Bytes, &l.NotModified,
			&l.ItemsSeen, &l.ItemsNew, &l.ItemsUpdated, &class, &l.Error)
		l.StartedAt, l.Duration, l.ErrorClass = fromMicros(started), time.Duration(ms)*time.Millisecond, scout.ErrorClass(class)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list fetches of source %d: %w", sourceID, err)
	}
	return logs, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// GetItemHashes returns the content hash and extractor of the source's
// items with the given keys, in chunks under every engine's parameter limit.
func (s *Store) GetItemHashes(ctx context.Context, sourceID int64, keys []string) (map[string]store.ItemHash, error) {
	out := make(map[string]store.ItemHash, len(keys))
	const chunk = 400
	for start := 0; start < len(keys); start += chunk {
		a := args{sourceID}
		ph := make([]string, 0, chunk)
		for _, k := range keys[start:min(start+chunk, len(keys))] {
			ph = append(ph, a.add(k))
		}
		rows, err := s.R.QueryContext(ctx, `SELECT key, content_hash, extractor FROM items
			WHERE source_id = $1 AND deleted_at IS NULL AND key IN (`+strings.Join(ph, ", ")+`)`, a...)
		if err != nil {
			return nil, fmt.Errorf("get item hashes of source %d: %w", sourceID, err)
		}
		err = scanEach(rows, func(sc interface{ Scan(...any) error }) error {
			var k string
			var h store.ItemHash
			if err := sc.Scan(&k, &h.ContentHash, &h.Extractor); err != nil {
				return err
			}
			out[k] = h
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("get item hashes of source %d: %w", sourceID, err)
		}
	}
	return out, nil
}

// scanEach calls fn for every row and closes rows.
func scanEach(rows *sql.Rows, fn func(interface{ Scan(...any) error }) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
