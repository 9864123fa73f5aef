package app

import (
	"context"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/schedule"
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
	a.ingester = ingest.New(ingest.Options{
		Fetcher:   f,
		Store:     a.Store,
		Enrichers: []ingest.Enricher{extract.Rules{}},
		Policy:    ingest.Policy{Interval: a.cfg.Interval, MinInterval: a.cfg.MinInterval, MaxInterval: a.cfg.MaxInterval},
		Feed:      feed.Options{MaxItems: a.cfg.MaxItemsPerFeed},
		Observer:  fetchObserver{a.metrics},
		Log:       a.log,
	})
	a.scheduler = schedule.New(schedule.Options{
		Store:    a.Store,
		Ingester: a.ingester,
		Workers:  a.cfg.Workers,
		Lease:    a.cfg.Lease,
		Drain:    a.cfg.ShutdownTimeout / 2,
		Log:      a.log,
		Lag:      a.metrics.SetQueueLag,
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
	a.startEventLoops(ctx)
}

// Fetcher returns the process's guarded HTTP client.
func (a *App) Fetcher() *fetch.Client { return a.fetcher }
