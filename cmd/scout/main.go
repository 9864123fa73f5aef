// Command scout runs Scout; see 'scout --help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/scoutdev/scout/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code) // os.Exit skips defers: everything is closed by now
}
