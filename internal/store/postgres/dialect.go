package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store/sqlstore"
)

// SQLSTATEs Scout acts on.
const (
	uniqueViolation      = "23505"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
	foreignKeyViolation  = "23503"
)

// maxQueryLength matches the SQLite engine's limit on a search query.
const maxQueryLength = 500

type dialect struct {
	// reusePlans lets a fetch's statements reuse generic plans (see
	// BeginFetch); false when the URL sets plan_cache_mode.
	reusePlans bool
}

var _ sqlstore.FetchBeginner = dialect{}

// BeginFetch lets the statements of a fetch's transaction reuse their
// plans, where every other statement is planned with its values (see
// sessionSettings). A fetch's statements look rows up by key (an item's
// key, a sighting's id, a blocking key), so a plan made without the values
// is the plan made with them, and making it for every run was most of a
// statement's cost: the 30-key candidate lookup took 0.6-1.0 ms to plan
// and 0.3-0.8 ms to run, and 3.1-6.5 ms a round trip planned each time
// against 0.8-1.2 ms reusing its plan (200 runs each on one connection,
// the store of 20 benchmark fetches). With "auto", PostgreSQL still plans
// the first five runs of each statement with their values and keeps a
// generic plan only when it costs no more than they did.
func (d dialect) BeginFetch(ctx context.Context, tx sqlstore.Execer) error {
	if !d.reusePlans {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = auto`); err != nil {
		return fmt.Errorf("begin fetch: %w", err)
	}
	return nil
}

func (dialect) Name() string { return "postgres" }

func (dialect) IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == uniqueViolation
}

// IsRetryable reports whether the server aborted a transaction that may
// succeed when run again: a deadlock it broke, a serialization failure, or
// a foreign key naming a row that a concurrent transaction deleted after
// this one read it (a fetch joining an opportunity an operator's merge or
// a prune removed meanwhile; run again, the fetch reads what is there now).
func (dialect) IsRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == deadlockDetected || pe.Code == serializationFailure || pe.Code == foreignKeyViolation)
}

// ForUpdate locks the rows a SELECT reads until the transaction ends.
func (dialect) ForUpdate() string { return " FOR UPDATE" }

// LockSkipLocked lets concurrent claimers, in this process or another
// replica, pass over the rows another claim has locked instead of waiting.
// InsertsInWith is true: an INSERT runs inside WITH (see
// sqlstore.WithInserter).
func (dialect) InsertsInWith() bool { return true }

// Int64List binds the list as a bigint[] and unnests it (see
// sqlstore.Dialect).
func (dialect) Int64List(param, alias string, list []int64) (string, any) {
	return "unnest(CAST(" + param + " AS BIGINT[])) AS " + alias + "(value)", list
}

func (dialect) LockSkipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// SearchJoin matches through the GIN-indexed tsvector column. The query is
// read by websearch_to_tsquery, which accepts the same syntax as the SQLite
// engine (words, "phrases", -exclusion, OR) and never fails on user input.
// ts_rank_cd is higher for better matches; it is negated so lower is better.
//
// The match is a condition on the items row itself (a lateral join, which
// the planner flattens), so that the planner chooses by the column's
// statistics: the GIN index and a sort for a rare term, a walk down
// items_published that stops after a page for a common term sorted by date.
// The rank is computed only for the rows the plan reads. A subquery fenced
// with OFFSET 0 forced the first plan for every term and ranked every hit:
// "grant" (a quarter of 100,000 items) sorted by date took 1.5 s instead of
// 1 ms, with planner statistics in place.
func (dialect) SearchJoin(q, param string) (string, any, error) {
	if len(q) > maxQueryLength {
		return "", nil, scout.Invalid("q", "must be at most %d characters", maxQueryLength)
	}
	join := `JOIN LATERAL (SELECT q, -ts_rank_cd(i.tsv, q)::float8 AS rank FROM websearch_to_tsquery('english', ` +
		param + `) AS q) f ON i.tsv @@ f.q`
	return join, q, nil
}

// CheckSearch rejects a query that leaves nothing to search for: only stop
// words or punctuation (an empty tsquery) or only exclusions (querytree has
// no indexable part, "T"), as the SQLite engine rejects them.
func (dialect) CheckSearch(ctx context.Context, db *sql.DB, q string) error {
	if len(q) > maxQueryLength {
		return scout.Invalid("q", "must be at most %d characters", maxQueryLength)
	}
	var tree string
	if err := db.QueryRowContext(ctx, `SELECT querytree(websearch_to_tsquery('english', $1))`, q).Scan(&tree); err != nil {
		return fmt.Errorf("check search query: %w", err)
	}
	if tree == "" || tree == "T" {
		return scout.Invalid("q", "must contain at least one word to search for that is not excluded")
	}
	return nil
}
