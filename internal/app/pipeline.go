package app

import (
	"context"
	"log/slog"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/schedule"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/source/grantsgov"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	jsonkind "github.com/scoutdev/scout/internal/source/jsonapi"
	"github.com/scoutdev/scout/internal/store"
)

// Version is the version of this build, set with
// -ldflags "-X github.com/scoutdev/scout/internal/app.Version=v1.2.3".
var Version = "dev"

// newFetcher builds the one guarded HTTP client of the process.
func newFetcher(a *App) (*fetch.Client, error) {
	c := a.cfg
	return fetch.New(fetch.Options{
		UserAgent:          fetch.UserAgent(Version, c.ContactURL),
		Timeout:            c.FetchTimeout,
		MaxBody:            c.FetchMaxBytes,
		MaxRedirects:       zeroMeansNone(c.FetchMaxRedirects),
		PerHostConcurrency: c.FetchPerHost,
		PerHostInterval:    zeroMeansNone(c.FetchHostInterval),
		GlobalConcurrency:  c.FetchConcurrency,
		Allow:              c.FetchAllow,
	})
}

// zeroMeansNone maps a configured 0 ("none") to fetch's negative "none";
// fetch reads 0 as "use the default".
func zeroMeansNone[T ~int | ~int64](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// buildPipeline wires fetch → feed → extract → store and the scheduler.
func (a *App) buildPipeline() error {
	f, err := newFetcher(a)
	if err != nil {
		return err
	}
	a.fetcher = f
	a.sources = sourceKinds(feed.Options{MaxItems: a.cfg.MaxItemsPerFeed})
	a.ingester = ingest.New(ingest.Options{
		Sources: a.sources,
		Fetcher: f,
		// The scheduler's claims keep each host's limits (see Hosts below).
		HostsReserved: true,
		Store:         a.Store,
		Enrichers:     []ingest.Enricher{extract.Rules{}},
		Policy:        ingest.Policy{Interval: a.cfg.Interval, MinInterval: a.cfg.MinInterval, MaxInterval: a.cfg.MaxInterval},
		Observer:      fetchObserver{a.metrics},
		Log:           a.log,
	})
	a.scheduler = schedule.New(schedule.Options{
		Store:    a.Store,
		Ingester: a.ingester,
		Workers:  a.cfg.Workers,
		Lease:    a.cfg.Lease,
		Hosts:    store.HostPolicy{Concurrency: a.cfg.FetchPerHost, Spacing: a.cfg.FetchHostInterval},
		Drain:    a.cfg.ShutdownTimeout / 2,
		Log:      a.log,
		Lag:      a.metrics.SetQueueLag,
		Wait:     a.metrics.ObserveQueueWait,
	})
	return nil
}

// startLoops starts the background loops; each is owned by a.bg.
func (a *App) startLoops(ctx context.Context) {
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		a.scheduler.Run(ctx)
	}()
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		a.recomputeRecords(ctx)
		a.matchPending(ctx)
	}()
	a.startEventLoops(ctx)
}

// recomputeRecords fills, batch by batch, the opportunity record of items
// stored before it existed, from their stored text. Each batch is its own
// short transaction, so ingestion and the API carry on beside it; an
// interrupted run resumes at the next start.
func (a *App) recomputeRecords(ctx context.Context) {
	total := 0
	for ctx.Err() == nil {
		n, err := a.Store.RecomputeRecords(ctx, 200, func(it *scout.Item) {
			it.Opportunity, _ = extract.FromItem(it)
		})
		if err != nil {
			if ctx.Err() == nil {
				a.log.LogAttrs(ctx, slog.LevelWarn, "recompute opportunity records", slog.Any("err", err))
			}
			return
		}
		if n == 0 {
			break
		}
		total += n
	}
	if total > 0 {
		a.log.LogAttrs(ctx, slog.LevelInfo, "recomputed opportunity records of items stored before them", slog.Int("items", total))
	}
}

// matchPending matches, batch by batch, the sightings the migration made
// from items stored before opportunities existed, logging progress every
// ten batches; like recomputeRecords it runs after the records are filled
// (matching reads them) and resumes at the next start.
func (a *App) matchPending(ctx context.Context) {
	total := 0
	for batch := 1; ctx.Err() == nil; batch++ {
		n, err := a.Store.MatchPending(ctx, 200)
		if err != nil {
			if ctx.Err() == nil {
				a.log.LogAttrs(ctx, slog.LevelWarn, "match pending sightings", slog.Any("err", err))
			}
			return
		}
		if n == 0 {
			break
		}
		total += n
		if batch%10 == 0 {
			a.log.LogAttrs(ctx, slog.LevelInfo, "matching sightings of items stored before opportunities", slog.Int("sightings", total))
		}
	}
	if total > 0 {
		a.log.LogAttrs(ctx, slog.LevelInfo, "matched sightings of items stored before opportunities", slog.Int("sightings", total))
	}
}

// Fetcher returns the process's guarded HTTP client.
func (a *App) Fetcher() *fetch.Client { return a.fetcher }

// sourceKinds is every kind of source Scout reads, each parsing items
// within the same bounds as feeds.
func sourceKinds(opts feed.Options) *source.Registry {
	return source.NewRegistry(feedkind.Kind(opts), htmlkind.Kind(opts), jsonkind.Kind(opts), grantsgov.Kind(opts))
}
