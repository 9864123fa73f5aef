package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/postgres"
)

// createPostgres creates an empty database on the server admin points at
// and returns its URL and a function that drops it.
func createPostgres(ctx context.Context, admin string) (string, func(), error) {
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("the PostgreSQL URL must be postgres://…")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "scout_bench_" + hex.EncodeToString(b)
	if err := pgExec(ctx, admin, "CREATE DATABASE "+name); err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		pgExec(dctx, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	return u.String(), drop, nil
}

func pgExec(ctx context.Context, admin, stmt string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// settlePostgres gives a freshly filled PostgreSQL store what autovacuum
// gives a deployment's: planner statistics (without them every table looks
// empty, and the list of the newest items joined every item to its source
// before sorting, 150 ms instead of under 1 ms) and a visibility map (so
// that the stats' index-only scans read no table rows). Other stores are
// left as they are.
func settlePostgres(ctx context.Context, st store.Store) error {
	pg, ok := st.(*postgres.Store)
	if !ok {
		return nil
	}
	if _, err := pg.Pool().Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum and analyze: %w", err)
	}
	return nil
}
