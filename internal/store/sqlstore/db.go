package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Dialect is what an engine supplies for the statements that differ.
type Dialect interface {
	// Name is the engine's name, e.g. "sqlite".
	Name() string
	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation(err error) bool
	// SearchJoin returns a JOIN clause that keeps the items matching the
	// full-text query bound at param, exposing a column "f.rank" where lower
	// is better. q is the user's query; it returns scout.ErrInvalid when q
	// has nothing to search for.
	SearchJoin(q, param string) (join string, arg any, err error)
	// LockSkipLocked is appended to the claim's inner SELECT: row locks that
	// skip rows other transactions hold, or "" where one writer serializes claims.
	LockSkipLocked() string
	// Int64List returns a FROM item, named alias, whose column "value"
	// holds the numbers of the list bound at param, and the argument that
	// binds list: one statement text for any number of them, which the
	// engine parses (or plans) once.
	Int64List(param, alias string, list []int64) (from string, arg any)
}

// TextIndexer is implemented by dialects whose full-text index the store
// writes itself rather than the database (SQLite's FTS5 external-content
// table): the store collects the ids it inserts in a write transaction and
// indexes them with one call before the commit, or before the transaction
// next updates an item (the update trigger removes the old text from the
// index, which must then be there).
type TextIndexer interface {
	// IndexText adds the live rows of items with from <= id <= to to the
	// full-text index. Every row in the range is new to the transaction:
	// one writer at a time hands out increasing ids.
	IndexText(ctx context.Context, tx Execer, from, to int64) error
}

// Execer runs a statement; a write transaction is one.
type Execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// SearchChecker is implemented by dialects that must ask the database
// whether a query leaves anything to search for (PostgreSQL drops stop words
// only on the server). ListItems calls it before SearchJoin.
type SearchChecker interface {
	// CheckSearch returns scout.ErrInvalid when q has no word to search for
	// that is not excluded.
	CheckSearch(ctx context.Context, db *sql.DB, q string) error
}

// Store is store.Store over database/sql. Writes go to W; reads go to R,
// which may be the same pool.
type Store struct {
	W, R    *sql.DB
	Dialect Dialect
	Now     func() time.Time
	// Precedence ranks the suppliers of the opportunity facet, highest
	// first: the built-in extractor's name and the enrichers trusted to
	// override it (see mergeFacet). Nil means DefaultPrecedence. Set it
	// before the store is used.
	Precedence []string
	// GroupPrecedence ranks the suppliers of one field group (kind, dates,
	// funding, eligibility) differently from Precedence.
	GroupPrecedence map[string][]string
	// CacheStatements prepares each statement once per write transaction,
	// and the hot reads once per read connection, and reuses them. SQLite
	// parses a statement on every call, which showed as a tenth of ingest
	// CPU with one insert per item; pgx already caches prepared statements
	// per connection, so PostgreSQL leaves this off.
	CacheStatements bool
	// reads caches the hot read statements when CacheStatements is set.
	reads stmtCache
	// GroupCommit commits the fetch results that wait for the writer
	// together, in one transaction (see group.go). For engines with one
	// writer connection; set it before the store is used.
	GroupCommit bool
	group       groupCommitter
	// NoMatching stores items without sightings: no opportunity is formed
	// or joined. It exists to measure what matching costs (scout bench
	// -match off); set it before the store is used.
	NoMatching bool
}

var _ store.Store = (*Store)(nil)

// New returns a Store. now may be nil for time.Now.
func New(w, r *sql.DB, d Dialect, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{W: w, R: r, Dialect: d, Now: now}
}

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.W.PingContext(ctx); err != nil {
		return fmt.Errorf("ping writer: %w", err)
	}
	if err := s.R.PingContext(ctx); err != nil {
		return fmt.Errorf("ping reader: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.R.Close()
	if s.W != s.R {
		err = errors.Join(err, s.W.Close())
	}
	return err
}

// tx is a write transaction carrying the time it started, taken once.
type tx struct {
	*sql.Tx
	now time.Time
	d   Dialect
	// events are the outbox rows written so far, held until the commit on
	// engines that number them after it (see OutboxSequencer).
	events []scout.Event
	// precedence is the store's enricher precedence.
	precedence Precedence
	// stmts caches the statements prepared in this transaction when the
	// engine parses every statement anew (see Store.CacheStatements).
	stmts map[string]*sql.Stmt
	// entityIDs caches entity ids by type and key for this transaction:
	// a feed's items name the same funders, places and disciplines.
	entityIDs map[string]int64
	// sightings caches the sightings this transaction wrote or read as
	// match candidates, by id (see loadCandidates); a sighting it changes
	// is dropped.
	sightings map[int64]candidate
	// keyLists caches the newest sightings under the blocking keys this
	// transaction looked up (see lookUpKeys).
	keyLists map[int64][]int64
	// pendingKeys are the match keys inserted but not yet written, each a
	// key and a sighting id (see insertKeys).
	pendingKeys [][2]int64
	// unindexedFrom and unindexedTo bound the ids of the items inserted
	// since the full-text index was last written (see TextIndexer); 0 when
	// there are none.
	unindexedFrom, unindexedTo int64
	// noMatching is the store's NoMatching.
	noMatching bool
	// departed are the departures recorded in this transaction, written
	// at the commit (see flushDepartures).
	departed map[departKey]int64
}

// sighted caches c as a candidate for the rest of the transaction.
func (t *tx) sighted(c candidate) {
	if t.sightings == nil {
		t.sightings = map[int64]candidate{}
	}
	t.sightings[c.id] = c
}

// inserted records a new item for the full-text index.
func (t *tx) inserted(id int64) {
	if t.unindexedFrom == 0 || id < t.unindexedFrom {
		t.unindexedFrom = id
	}
	t.unindexedTo = max(t.unindexedTo, id)
}

// indexText writes the items inserted so far to the full-text index when
// the dialect leaves that to the store.
func (t *tx) indexText(ctx context.Context) error {
	ti, ok := t.d.(TextIndexer)
	if !ok || t.unindexedFrom == 0 {
		return nil
	}
	if err := ti.IndexText(ctx, t, t.unindexedFrom, t.unindexedTo); err != nil {
		return fmt.Errorf("index item text: %w", err)
	}
	t.unindexedFrom, t.unindexedTo = 0, 0
	return nil
}

// stmt returns q prepared in this transaction, or nil when statements are
// not cached (or q could not be prepared: the plain call then reports why).
func (t *tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if st, ok := t.stmts[q]; ok {
		return st
	}
	st, err := t.Tx.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	t.stmts[q] = st
	return st
}

// bindable returns q and args in the form the dialect binds without cost
// quadratic in their number (see Positional).
func (t *tx) bindable(q string, args []any) (string, []any) {
	if len(args) < positionalFrom {
		return q, args
	}
	if p, ok := t.d.(Positional); !ok || !p.PositionalParams() {
		return q, args
	}
	if pq, pargs, ok := positional(q, args); ok {
		return pq, pargs
	}
	return q, args
}

// ExecContext runs q through the transaction's statement cache.
func (t *tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q, args = t.bindable(q, args)
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

// QueryContext runs q through the transaction's statement cache.
func (t *tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, args = t.bindable(q, args)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q through the transaction's statement cache.
func (t *tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	q, args = t.bindable(q, args)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}

// write runs fn in one write transaction and commits it.
func (s *Store) write(ctx context.Context, fn func(tx *tx) error) error {
	t, err := s.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer t.Rollback()
	w := &tx{Tx: t, now: s.Now().UTC(), d: s.Dialect, precedence: s.precedence(), entityIDs: map[string]int64{}, noMatching: s.NoMatching}
	if s.CacheStatements {
		w.stmts = map[string]*sql.Stmt{}
	}
	if err := fn(w); err != nil {
		return err
	}
	if err := flushKeys(ctx, w); err != nil {
		return err
	}
	if err := flushDepartures(ctx, w); err != nil {
		return err
	}
	if err := w.indexText(ctx); err != nil {
		return err
	}
	if err := w.appendEvents(ctx); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", s.translate(err))
	}
	return nil
}

func (s *Store) precedence() Precedence {
	p := Precedence{Default: s.Precedence, Groups: s.GroupPrecedence}
	if p.Default == nil {
		p.Default = DefaultPrecedence
	}
	return p
}

// translate maps driver errors to scout error kinds.
func (s *Store) translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return scout.ErrNotFound
	case s.Dialect.IsUniqueViolation(err):
		return fmt.Errorf("%w: %v", scout.ErrConflict, err)
	}
	return err
}

// args collects positional parameters and hands out $N placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// where joins conditions with AND.
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// micros converts a time to the stored integer form; the zero time is NULL.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros converts a stored integer back to a UTC time.
func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// mustJSON marshals values the store builds itself (slices, maps of plain types).
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sqlstore: marshal: " + err.Error())
	}
	return string(b)
}

// unmarshalJSON reads a JSON column; a damaged value becomes the zero value
// rather than failing a whole list.
func unmarshalJSON(s string, v any) {
	if s == "" {
		return
	}
	_ = json.Unmarshal([]byte(s), v)
}

// limitOf bounds a plain (non-paginated) limit.
func limitOf(n, def, max int) int {
	if n <= 0 {
		return def
	}
	if n > max {
		return max
	}
	return n
}
