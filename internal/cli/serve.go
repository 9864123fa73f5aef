package cli

import (
	"context"

	"github.com/scoutdev/scout/internal/app"
)

func serve(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("serve", "[flags]", env)
	load := commonFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}
