package cli

import (
	"context"
	"fmt"
	"strconv"
)

// refresh makes sources due now; a running scout serve fetches them within
// a second or two, unless their host is saturated, which it says. It works against the database, so it needs no running server.
func refresh(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("refresh", env)
	load := commonFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("name at least one source id")
	}
	ids := make([]int64, 0, fs.NArg())
	for _, arg := range fs.Args() {
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || id <= 0 {
			return usageErr("%q is not a source id", arg)
		}
		ids = append(ids, id)
	}
	a, err := openApp(ctx, load, env)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, id := range ids {
		p, err := a.RefreshSource(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "source %d is %s\n", id, p)
	}
	return nil
}
