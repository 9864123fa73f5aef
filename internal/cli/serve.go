package cli

import (
	"context"

	"github.com/scoutdev/scout/internal/app"
)

func serve(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("serve", env)
	load := commonFlags(fs, env)
	if err := parseNoArgs(fs, args); err != nil {
		return err
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
