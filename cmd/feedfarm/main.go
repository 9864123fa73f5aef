// Command feedfarm serves synthetic funding-opportunity feeds on loopback
// for load tests, crash tests and demos without internet: see package
// internal/feedfarm. Endpoints: /feed/{i}, /fail/{i}, /opml, /stats, /truth, and
// POST /freeze to stop rotation.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/scoutdev/scout/internal/feedfarm"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := feedfarm.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
