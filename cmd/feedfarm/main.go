// Command feedfarm serves synthetic funding-opportunity feeds on loopback
// for load tests, crash tests and demos without internet: see package
// internal/feedfarm. Endpoints: /feed/{i}, /fail/{i}, /opml, /stats, /truth, and
// POST /freeze to stop rotation.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/feedfarm"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("feedfarm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	var o feedfarm.Options
	fs.IntVar(&o.Feeds, "feeds", 100, "number of feeds")
	fs.IntVar(&o.Items, "items", 20, "items per feed")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the text and GUIDs")
	fs.DurationVar(&o.RotateEvery, "rotate-every", 0, "rotate each feed this often (0: never)")
	fs.IntVar(&o.RotateCount, "rotate-count", 1, "new items per feed per rotation")
	fs.IntVar(&o.Keep, "keep", 0, "most items a rotating feed shows (default -items: one old item drops per new one)")
	fs.IntVar(&o.Failing, "failing", 0, "failing endpoints to add at /fail/{i} (500, hang, 404 in turn)")
	fs.DurationVar(&o.HangFor, "hang-for", 2*time.Minute, "how long a hanging endpoint holds the request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	f := feedfarm.New(o)
	srv, err := feedfarm.Start(f, *addr)
	if err != nil {
		fmt.Fprintln(stderr, "feedfarm:", err)
		return 1
	}
	o = f.Options()
	fmt.Fprintf(stdout, "feedfarm: %d feeds x %d items (+%d failing) at %s (OPML at %s/opml)\n",
		o.Feeds, o.Items, o.Failing, srv.URL, srv.URL)
	<-ctx.Done()
	srv.Close()
	return 0
}
