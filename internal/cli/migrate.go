package cli

import (
	"context"
	"fmt"

	"github.com/scoutdev/scout/internal/app"
)

func migrate(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("migrate", env)
	load := commonFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	verb := fs.Arg(0)
	switch {
	case fs.NArg() == 0:
		return usageErr("missing up, down or status (run 'scout migrate --help')")
	case verb != "up" && verb != "down" && verb != "status":
		return usageErr("unknown migrate action %q: use up, down or status", verb)
	case fs.NArg() > 1:
		return usageErr("unexpected argument %q after %s (run 'scout migrate --help')", fs.Arg(1), verb)
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "up":
		if err := st.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "database is up to date")
	case "down":
		if err := st.MigrateDown(ctx); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "rolled back one migration")
	case "status":
		lines, err := st.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintln(env.Stdout, l)
		}
	}
	return nil
}
