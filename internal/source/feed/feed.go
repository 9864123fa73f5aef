// Package feed is the feed kind of source: RSS, Atom, RDF and JSON Feed,
// fetched with a conditional GET and parsed by package feed (internal/feed).
// Its configuration is empty.
package feed

import (
	"cmp"
	"context"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// Config is the feed kind's configuration: a feed needs nothing but its URL.
type Config struct{}

// Check accepts the empty configuration.
func (*Config) Check() error { return nil }

// Collector reads feeds.
type Collector struct {
	Options feeds.Options
}

// Kind returns the feed kind, parsing with opts.
func Kind(opts feeds.Options) source.Kind {
	return source.Kind{Name: scout.SourceFeed, NewConfig: func() source.Config { return &Config{} }, Collector: &Collector{Options: opts}}
}

// Collect fetches src.URL conditionally and parses it.
func (c *Collector) Collect(ctx context.Context, src scout.Source, get source.Getter) (source.Result, error) {
	res, err := source.Start(ctx, src, get, fetch.Request{})
	if err != nil || res.NotModified {
		return res, err
	}
	resp := res.First
	f, err := feeds.Parse(resp.Body, resp.ContentType, cmp.Or(resp.URL, src.URL), c.Options)
	if err != nil {
		return res, err
	}
	res.Items, res.Title, res.SiteURL, res.TTL = f.Items, f.Title, f.SiteURL, f.TTL
	return res, nil
}
