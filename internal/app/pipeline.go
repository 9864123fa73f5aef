package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/metrics"
	"github.com/scoutdev/scout/internal/progress"
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
		UserAgent: fetch.UserAgent(Version, c.ContactURL),
		Timeout:   c.FetchTimeout,
		// A bulk file read as a stream (the Grants.gov extract) may take
		// longer than a page, but never as long as the lease on its source.
		StreamTimeout:      max(c.FetchTimeout, c.Lease*4/5),
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
		// A source over its cap is pruned after the fetch that grew it.
		MaxItemsPerSource: a.cfg.MaxItemsPerSource,
		Policy:            ingest.Policy{Interval: a.cfg.Interval, MinInterval: a.cfg.MinInterval, MaxInterval: a.cfg.MaxInterval},
		Observer:          fetchObserver{a.metrics},
		Log:               a.log,
	})
	a.scheduler = schedule.New(schedule.Options{
		Store:    a.Store,
		Ingester: a.ingester,
		Workers:  a.cfg.Workers,
		Lease:    a.cfg.Lease,
		Hosts:    a.hostPolicy(),
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
		a.watchHostLag(ctx)
	}()
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		a.backfill(ctx)
	}()
	a.startEventLoops(ctx)
}

// hostLagEvery is how often the per-host lag metric is read from the store.
const hostLagEvery = 15 * time.Second

// watchHostLag exports the most overdue hosts (over every source: the
// metric is an operator's) until ctx ends. Every replica exports the same
// numbers, read from the one database.
func (a *App) watchHostLag(ctx context.Context) {
	t := time.NewTicker(hostLagEvery)
	defer t.Stop()
	for {
		lags, err := a.Store.HostLags(ctx, store.Viewer{Admin: true}, time.Now(), metrics.TopHosts)
		if err == nil {
			out := make([]metrics.HostLag, len(lags))
			for i, l := range lags {
				out[i] = metrics.HostLag{Host: l.Host, Lag: l.Lag}
			}
			a.metrics.SetHostLags(out)
		} else if ctx.Err() == nil {
			a.log.LogAttrs(ctx, slog.LevelWarn, "read host lag", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// backfill fills in what rows stored before a migration lack: first the
// opportunity record of items stored before it existed (matching reads
// records), then the matching of the sightings the opportunities migration
// made. Each batch is its own short transaction, so ingestion and the API
// carry on beside it, and an interrupted run resumes at the next start. It
// logs how far each has come, how fast and how long the rest will take,
// every few seconds.
func (a *App) backfill(ctx context.Context) {
	left, err := a.Store.CountBackfill(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.LogAttrs(ctx, slog.LevelWarn, "count the rows to backfill", slog.Any("err", err))
		}
		return
	}
	if left.Records > 0 {
		a.runBackfill(ctx, "recomputing opportunity records of items stored before them",
			"recomputed opportunity records of items stored before them", "items", left.Records, func() (int, error) {
				return a.Store.RecomputeRecords(ctx, 200, func(it *scout.Item) { it.Opportunity, _ = extract.FromItem(it) })
			})
	}
	if left.Sightings > 0 && ctx.Err() == nil {
		a.runBackfill(ctx, "matching sightings of items stored before opportunities",
			"matched sightings of items stored before opportunities", "sightings", left.Sightings, func() (int, error) {
				return a.Store.MatchPending(ctx, 200)
			})
	}
}

// runBackfill runs batch until it finds nothing left, with progress lines
// on total units.
func (a *App) runBackfill(ctx context.Context, doing, done, unit string, total int64, batch func() (int, error)) {
	p := progress.New(a.log, doing, unit, total, a.progressEvery)
	p.Begin(ctx)
	var n int64
	for ctx.Err() == nil {
		k, err := batch()
		if err != nil {
			if ctx.Err() == nil {
				a.log.LogAttrs(ctx, slog.LevelWarn, doing, slog.Int64("done_"+unit, n), slog.Any("err", err))
			}
			return
		}
		if k == 0 {
			p.Done(ctx, done, n)
			return
		}
		n += int64(k)
		p.Step(ctx, n)
	}
}

// Fetcher returns the process's guarded HTTP client.
func (a *App) Fetcher() *fetch.Client { return a.fetcher }

// sourceKinds is every kind of source Scout reads, each parsing items
// within the same bounds as feeds.
func sourceKinds(opts feed.Options) *source.Registry {
	return source.NewRegistry(feedkind.Kind(opts), htmlkind.Kind(opts), jsonkind.Kind(opts), grantsgov.Kind(opts))
}

// hostPolicy is the per-host politeness every claim keeps.
func (a *App) hostPolicy() store.HostPolicy {
	return store.HostPolicy{Concurrency: a.cfg.FetchPerHost, Spacing: a.cfg.FetchHostInterval}
}

// RefreshSource makes source id due now, at the head of its host's queue,
// and says where it stands there.
func (a *App) RefreshSource(ctx context.Context, id int64) (store.Placement, error) {
	src, err := a.Store.GetSource(ctx, id)
	if err != nil {
		return store.Placement{}, fmt.Errorf("refresh source %d: %w", id, err)
	}
	now := time.Now()
	if err := a.Store.ScheduleSource(ctx, id, now); err != nil {
		return store.Placement{}, err
	}
	q, err := a.Store.HostQueue(ctx, src.Host, now)
	if err != nil {
		return store.Placement{}, err
	}
	return q.Place(a.hostPolicy(), now), nil
}
