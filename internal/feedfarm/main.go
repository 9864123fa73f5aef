package feedfarm

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Main runs the feedfarm command with args and returns its exit code. It
// serves until ctx ends.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("feedfarm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	var o Options
	fs.IntVar(&o.Feeds, "feeds", 100, "number of feeds")
	fs.IntVar(&o.Items, "items", 20, "items per feed")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the text and GUIDs")
	fs.DurationVar(&o.RotateEvery, "rotate-every", 0, "rotate each feed this often (0: never)")
	fs.IntVar(&o.RotateCount, "rotate-count", 1, "new items per feed per rotation")
	fs.IntVar(&o.Keep, "keep", 0, "most items a rotating feed shows (default -items: one old item drops per new one)")
	fs.IntVar(&o.Failing, "failing", 0, "failing endpoints to add at /fail/{i} (500, hang, 404 in turn)")
	fs.DurationVar(&o.HangFor, "hang-for", 2*time.Minute, "how long a hanging endpoint holds the request")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	f := New(o)
	srv, err := Start(f, *addr)
	if err != nil {
		fmt.Fprintln(stderr, "feedfarm:", err)
		return 1
	}
	o = f.Options()
	fmt.Fprintf(stdout, "feedfarm: %d feeds x %d items (+%d failing) at %s (OPML at %s/opml; an example feed at %s%s)\n",
		o.Feeds, o.Items, o.Failing, srv.URL, srv.URL, srv.URL, ExampleFeed)
	<-ctx.Done()
	srv.Close()
	return 0
}
