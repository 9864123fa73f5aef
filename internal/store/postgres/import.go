package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// importTables are the tables Import copies, parents before children. A
// migration that adds a table must add it here: Import refuses to run while
// the schema has a table this list lacks, rather than leave its rows behind.
// hosts comes before sources: each source copied lowers its host's due
// bound in a trigger, which creates the host's row if it is not there yet.
var importTables = []string{"meta", "users", "user_identities", "api_keys", "sessions", "preferences", "hosts", "sources", "source_tags", "items",
	"entities", "item_entities", "item_versions", "opportunities", "sightings", "sighting_departures", "match_keys", "enrichments", "closing_notices", "fetches", "outbox"}

// keyOrder is the order Import reads a table in when it has no rowid (a
// WITHOUT ROWID table): its primary key's. Every other table is read in
// rowid order, the order its rows were inserted in.
var keyOrder = map[string]string{"match_keys": "key, sighting_id"}

// ownTables exist only on PostgreSQL and hold nothing to copy: an embedded
// installation numbers its changes in outbox itself.
var ownTables = []string{"outbox_pending"}

// TableCount is how many rows one table holds in the source and, after the
// import, in this store; Repaired counts text values PostgreSQL could not
// store as they were (NUL bytes, invalid UTF-8) and that were cleaned.
type TableCount struct {
	Table          string
	Source, Target int64
	Repaired       int64
}

// table is what Import knows about one target table.
type table struct {
	TableCount
	identity       string   // the identity column, if any
	columns, types []string // the columns that take values, and their types
}

// Import copies every row of another Scout database (an embedded SQLite
// installation's reader) into this store, keeping ids, then moves the
// identity sequences past the copied ids. It runs in one transaction on this
// store and one read transaction on src, so it copies one consistent state
// and leaves nothing behind when it fails. It refuses to run unless this
// store is migrated to the same schema version as src and is empty, and it
// fails unless every table's row count matches at the end. progress, when
// not nil, is told after every 1,000 rows (and at each table's end) how many
// rows of which table are copied, of how many.
func (s *Store) Import(ctx context.Context, src *sql.DB, progress func(table string, copied, total int64)) ([]TableCount, error) {
	if err := s.sameVersion(ctx, src); err != nil {
		return nil, err
	}
	rtx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("import: begin reading the source: %w", err)
	}
	defer rtx.Rollback()
	wtx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: begin: %w", err)
	}
	defer wtx.Rollback(ctx)
	if err := knowsEveryTable(ctx, wtx); err != nil {
		return nil, err
	}
	tables := make([]table, len(importTables))
	for i, name := range importTables {
		tables[i].Table = name
		if err := describeTable(ctx, wtx, &tables[i]); err != nil {
			return nil, err
		}
	}
	counts := make([]TableCount, len(tables))
	for i := range tables {
		if err := copyTable(ctx, rtx, wtx, &tables[i], progress); err != nil {
			return nil, err
		}
		counts[i] = tables[i].TableCount
	}
	if err := resetSequences(ctx, wtx, tables); err != nil {
		return nil, err
	}
	if err := wtx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("import: commit: %w", err)
	}
	// Give the planner statistics now rather than at autovacuum's leisure,
	// so that the first searches after a move use the indexes well.
	if _, err := s.pool.Exec(ctx, `ANALYZE`); err != nil {
		return counts, fmt.Errorf("import: analyze (the rows are copied): %w", err)
	}
	return counts, nil
}

// sameVersion checks that both databases carry the same newest migration,
// so that their tables have the same columns.
func (s *Store) sameVersion(ctx context.Context, src *sql.DB) error {
	const q = `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version`
	var from, to int64
	if err := src.QueryRowContext(ctx, q).Scan(&from); err != nil {
		return fmt.Errorf("import: read the source's schema version (is it a Scout database?): %w", err)
	}
	if err := s.R.QueryRowContext(ctx, q).Scan(&to); err != nil {
		return fmt.Errorf("import: read the target's schema version (migrate it first): %w", err)
	}
	if from != to || to == 0 {
		return fmt.Errorf("import: the source is at schema version %d and the target at %d: run 'scout migrate up' on both first", from, to)
	}
	return nil
}

// knowsEveryTable checks that importTables names every table of the schema
// but goose's own.
func knowsEveryTable(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'`)
	if err != nil {
		return fmt.Errorf("import: list tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("import: list tables: %w", err)
	}
	for _, n := range names {
		if !slices.Contains(importTables, n) && !slices.Contains(ownTables, n) {
			return fmt.Errorf("import: this version of Scout does not know how to copy table %s", n)
		}
	}
	return nil
}

// describeTable reads the columns of a target table that take values
// (generated ones such as the search vector are computed) and checks that
// the table is empty.
func describeTable(ctx context.Context, tx pgx.Tx, tc *table) error {
	rows, err := tx.Query(ctx, `SELECT column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, tc.Table)
	if err != nil {
		return fmt.Errorf("import: describe %s: %w", tc.Table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ, identity string
		if err := rows.Scan(&name, &typ, &identity); err != nil {
			return fmt.Errorf("import: describe %s: %w", tc.Table, err)
		}
		tc.columns, tc.types = append(tc.columns, name), append(tc.types, typ)
		if identity == "YES" {
			tc.identity = name
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import: describe %s: %w", tc.Table, err)
	}
	if len(tc.columns) == 0 {
		return fmt.Errorf("import: the target has no table %s: migrate it first", tc.Table)
	}
	var hasRows bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{tc.Table}.Sanitize()+`)`).Scan(&hasRows); err != nil {
		return fmt.Errorf("import: check that %s is empty: %w", tc.Table, err)
	}
	if hasRows {
		return fmt.Errorf("import: the target is not empty (table %s has rows): move data only into a fresh database", tc.Table)
	}
	return nil
}

// copyTable streams one table from the source into the target with COPY and
// checks the row counts on both sides.
func copyTable(ctx context.Context, rtx *sql.Tx, wtx pgx.Tx, tc *table, progress func(string, int64, int64)) error {
	// Counted first, in the same read transaction, so that progress knows
	// the total; the copy sees the same rows.
	if err := rtx.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+tc.Table+`"`).Scan(&tc.Source); err != nil {
		return fmt.Errorf("import: count %s in the source: %w", tc.Table, err)
	}
	quoted := make([]string, len(tc.columns))
	for i, c := range tc.columns {
		quoted[i] = `"` + c + `"`
	}
	order := cmp.Or(keyOrder[tc.Table], "rowid")
	rows, err := rtx.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+tc.Table+`" ORDER BY `+order)
	if err != nil {
		return fmt.Errorf("import: read %s: %w", tc.Table, err)
	}
	defer rows.Close()
	rs := &rowSource{rows: rows, tc: tc, progress: progress}
	n, err := wtx.CopyFrom(ctx, pgx.Identifier{tc.Table}, tc.columns, rs)
	if err != nil {
		return fmt.Errorf("import: copy %s: %w", tc.Table, err)
	}
	if progress != nil {
		progress(tc.Table, n, tc.Source)
	}
	if err := wtx.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{tc.Table}.Sanitize()).Scan(&tc.Target); err != nil {
		return fmt.Errorf("import: count %s in the target: %w", tc.Table, err)
	}
	if n != tc.Source || tc.Target != tc.Source {
		return fmt.Errorf("import: %s has %d rows in the source but %d were copied and %d are in the target", tc.Table, tc.Source, n, tc.Target)
	}
	return nil
}

// resetSequences moves each identity sequence past the largest copied id,
// so that the next insert does not collide with a copied row.
func resetSequences(ctx context.Context, tx pgx.Tx, tables []table) error {
	for _, tc := range tables {
		if tc.identity == "" {
			continue
		}
		t, c := pgx.Identifier{tc.Table}.Sanitize(), pgx.Identifier{tc.identity}.Sanitize()
		_, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(`+c+`) FROM `+t+`), 0) + 1, false)`,
			t, tc.identity)
		if err != nil {
			return fmt.Errorf("import: reset the id sequence of %s: %w", tc.Table, err)
		}
	}
	return nil
}

// rowSource feeds source rows to COPY, converting each value to the Go type
// of its target column.
type rowSource struct {
	rows     *sql.Rows
	tc       *table
	err      error
	progress func(table string, copied, total int64)
	n        int64
}

func (r *rowSource) Next() bool {
	if r.progress != nil && r.n > 0 && r.n%1000 == 0 {
		r.progress(r.tc.Table, r.n, r.tc.Source)
	}
	r.n++
	return r.err == nil && r.rows.Next()
}

func (r *rowSource) Values() ([]any, error) {
	vals := make([]any, len(r.tc.columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	for i, v := range vals {
		out, repaired, err := convert(r.tc.types[i], v)
		if err != nil {
			r.err = fmt.Errorf("column %s: %w", r.tc.columns[i], err)
			return nil, r.err
		}
		if repaired {
			r.tc.Repaired++
		}
		vals[i] = out
	}
	return vals, nil
}

func (r *rowSource) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// convert turns a value read from SQLite into one for a PostgreSQL column of
// type typ. Text that PostgreSQL rejects (NUL bytes, invalid UTF-8) is
// cleaned and reported as repaired.
func convert(typ string, v any) (out any, repaired bool, err error) {
	if v == nil {
		return nil, false, nil
	}
	switch typ {
	case "boolean":
		switch x := v.(type) {
		case bool:
			return x, false, nil
		case int64:
			return x != 0, false, nil
		}
	case "bigint":
		if x, ok := v.(int64); ok {
			return x, false, nil
		}
	case "double precision":
		switch x := v.(type) {
		case float64:
			return x, false, nil
		case int64:
			return float64(x), false, nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, false, nil
		case string:
			return []byte(x), false, nil
		}
	case "text":
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return nil, false, fmt.Errorf("cannot store %T as text", v)
		}
		clean := strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
		return clean, clean != s, nil
	}
	return nil, false, fmt.Errorf("cannot store %T as %s", v, typ)
}
