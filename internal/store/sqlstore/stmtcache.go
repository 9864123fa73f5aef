package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxReadStmts bounds the read statement cache. The hot lists build their
// SQL from a few filter combinations, so the texts in use are far fewer;
// past the bound a statement simply runs unprepared.
const maxReadStmts = 128

// stmtCache holds statements prepared on the read pool, keyed by SQL text.
// database/sql prepares a cached statement once on each connection that
// runs it and reuses it after; SQLite would otherwise parse the text on
// every call (a tenth of a list request's CPU). The zero value is ready.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// get returns q prepared on db, or nil when the cache is full or q could not
// be prepared (the plain call then reports why).
func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.m[q]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m) >= maxReadStmts {
		return nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st
}

// query runs q on the read pool, through the statement cache when the
// engine parses every statement anew (see Store.CacheStatements).
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s.CacheStatements {
		if st := s.reads.get(ctx, s.R, q); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return s.R.QueryContext(ctx, q, args...)
}

// queryRow is query for a single row.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if s.CacheStatements {
		if st := s.reads.get(ctx, s.R, q); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return s.R.QueryRowContext(ctx, q, args...)
}
