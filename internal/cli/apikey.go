package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

func apikey(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("apikey", env)
	load := commonFlags(fs, env)
	email := fs.String("email", "", "owner's e-mail address (required)")
	name := fs.String("name", "", "what the key is for, e.g. ai-module")
	scopes := fs.String("scopes", "read", "comma-separated: read, write, enrich, admin")
	ttl := new(time.Duration)
	durationVar(fs, ttl, "ttl", 0, "how long the key lives (a `duration`, e.g. 720h); 0 means it does not expire")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "create" {
		return useErr("apikey")
	}
	if *email == "" {
		return usageErr("--email is required")
	}
	var list []scout.Scope
	for _, s := range strings.Split(*scopes, ",") {
		sc := scout.Scope(strings.TrimSpace(s))
		if !scout.ValidScope(sc) {
			return usageErr("unknown scope %q: use read, write, enrich or admin", sc)
		}
		list = append(list, sc)
	}
	a, err := openApp(ctx, load, env)
	if err != nil {
		return err
	}
	defer a.Close()
	plain, k, err := a.CreateAPIKey(ctx, *email, *name, list, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created API key %s (id %d) for %s\n%s\n(shown once: store it now)\n", k.Prefix, k.ID, *email, plain)
	return nil
}
