package bench

import (
	"context"
	"database/sql"

	"github.com/scoutdev/scout/internal/store"
)

// Section is an extra part of a bench run that measures a running Scout
// holding a stored workload: the API under load is one. Run calls each
// section after the warm refresh of every workload and engine, with Scout
// still serving; the rows it returns go into the report in order (Engine and
// Workload are filled in when left empty). A section must not change the
// stored items, since the correctness check follows it.
type Section interface {
	// Name labels the section in progress lines and errors.
	Name() string
	// Run measures and returns rows; an error ends the bench run.
	Run(ctx context.Context, t Target) ([]Row, error)
}

// Target is what a Section measures.
type Target struct {
	Engine   string   // "sqlite" or "postgres"
	Workload Workload // what the farm served and Scout stored
	Items    int      // live items stored
	BaseURL  string   // the running Scout's HTTP address, e.g. http://127.0.0.1:41234
	PID      int      // its process, for memory and CPU readings (this process when in-process)
	Store    store.Store
	// Store is the harness's own connection to the same database (seed more
	// items with CompleteFetch); DB is its read pool, for counts.
	DB *sql.DB
}
