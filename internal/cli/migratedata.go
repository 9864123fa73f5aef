package cli

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"github.com/scoutdev/scout/internal/app"
	"github.com/scoutdev/scout/internal/config"
)

func migrateData(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("migrate-data", env)
	from := fs.String("from", "", "the embedded database to copy, sqlite:PATH (only read)")
	to := fs.String("to", "", "an empty PostgreSQL database, postgres://user:password@host:port/db (migrated first)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usageErr("--from and --to are both required")
	}
	log := newLogger(config.Config{LogLevel: slog.LevelInfo, LogFormat: "text"}, env.Stderr)
	var bar *progress
	counts, err := app.MoveData(ctx, *from, *to, func(table string, copied, total int64) {
		if bar == nil || bar.what != "migrate-data "+table {
			if bar != nil {
				bar.Finish()
			}
			bar = newProgress(env, log, "migrate-data "+table, "rows", total)
		}
		bar.Set(ctx, copied, fmt.Sprintf("%d of %d rows", copied, total))
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tsource\tpostgres\trepaired\t")
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", c.Table, c.Source, c.Target, c.Repaired)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "every table's row count matches: point SCOUT_DATABASE_URL at the PostgreSQL database")
	return nil
}
