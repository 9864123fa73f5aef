package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/app"
	"github.com/scoutdev/scout/internal/scout"
)

// sourceCmd runs "source preview": read a source once, without saving it,
// and print what it would ingest, so that selectors and paths can be got
// right before the source is added.
func sourceCmd(ctx context.Context, args []string, env Env) error {
	switch {
	case len(args) > 0 && args[0] == "preview":
		args = args[1:]
	case len(args) == 0 || !strings.HasPrefix(args[0], "-"):
		return useErr("source")
	}
	fs := newFlagSet("source preview", env)
	kind := fs.String("kind", "feed", "feed, html, json or grantsgov")
	cfg := fs.String("config", "", "the kind's configuration, a JSON object")
	load := commonFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("name the URL to preview")
	}
	if !slices.Contains(scout.SourceKinds, scout.SourceKind(*kind)) {
		return usageErr("--kind %q: use feed, html, json or grantsgov", *kind)
	}
	if *cfg != "" && !json.Valid([]byte(*cfg)) {
		return usageErr("--config is not valid JSON")
	}
	c, err := load()
	if err != nil {
		return err
	}
	res, err := app.Preview(ctx, c, newLogger(c, env.Stderr), scout.Source{Kind: scout.SourceKind(*kind), Config: json.RawMessage(*cfg), URL: fs.Arg(0)})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d items from %d pages (%d bytes)\n", len(res.Items), res.Pages, res.Bytes)
	for _, it := range res.Items {
		o := it.Opportunity
		var facts []string
		if !o.Deadline.IsZero() {
			facts = append(facts, "deadline "+o.Deadline.Format(time.DateOnly))
		}
		if o.AmountMax > 0 {
			facts = append(facts, fmt.Sprintf("up to %d %s", o.AmountMax, o.Currency))
		}
		if o.Funder != "" {
			facts = append(facts, "funder "+o.Funder)
		}
		fmt.Fprintf(env.Stdout, "- %s\n  %s\n", it.Title, it.URL)
		if len(facts) > 0 {
			fmt.Fprintf(env.Stdout, "  %s\n", strings.Join(facts, "; "))
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.Stdout, "warning: %s\n", w)
	}
	return nil
}
