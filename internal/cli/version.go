package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/scoutdev/scout/internal/app"
)

// FullVersion returns the version with the VCS revision when the build has one.
func FullVersion() string {
	v := app.Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

func version(_ context.Context, args []string, env Env) error {
	fs := newFlagSet("version", env)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "scout %s\n", FullVersion())
	return nil
}

func printConfig(_ context.Context, args []string, env Env) error {
	fs := newFlagSet("config", env)
	load := commonFlags(fs, env)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, cfg.Dump())
	return nil
}
