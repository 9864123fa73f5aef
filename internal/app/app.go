package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/scoutdev/scout/internal/api"
	"github.com/scoutdev/scout/internal/config"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/ingest"
	"github.com/scoutdev/scout/internal/metrics"
	"github.com/scoutdev/scout/internal/schedule"
	"github.com/scoutdev/scout/internal/source"
)

// App is one running Scout process.
type App struct {
	cfg   config.Config
	log   *slog.Logger
	Store Engine

	metrics   *metrics.Registry
	fetcher   *fetch.Client
	ingester  *ingest.Ingester
	sources   *source.Registry
	scheduler *schedule.Scheduler
	ev        events

	handler http.Handler
	ready   chan struct{}
	addr    net.Addr
	bg      sync.WaitGroup // background loops started by Run
	unlock  func()         // releases the data directory's lock; nil when none is held

	progressEvery time.Duration // how often the backfills log their progress; 0: 5 s, < 0: every batch
}

// Open opens the store and migrates it when configured to. It is enough
// for the CLI's one-shot commands; New builds the whole service on top.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.AutoMigrate {
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, err
		}
	}
	return &App{cfg: cfg, log: log, Store: st, ready: make(chan struct{})}, nil
}

// New opens and migrates the store, seeds the default sources once, and
// builds every part of the service. It starts nothing: Run does.
//
// On an embedded data directory it first takes the directory's lock, before
// touching the database: a second server there is refused with one line.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	unlock, err := lockDataDir(cfg)
	if err != nil {
		return nil, err
	}
	a, err := Open(ctx, cfg, log)
	if err != nil {
		unlock()
		return nil, err
	}
	a.unlock = unlock
	if err := a.build(ctx); err != nil {
		a.closeStore()
		return nil, err
	}
	return a, nil
}

// closeStore closes the store and then releases the data directory's lock.
func (a *App) closeStore() error {
	err := a.Store.Close()
	if a.unlock != nil {
		a.unlock()
		a.unlock = nil
	}
	return err
}

func (a *App) build(ctx context.Context) error {
	if a.cfg.SeedSources {
		n, err := a.Store.SeedSources(ctx, DefaultSources())
		if err != nil {
			return err
		}
		if n > 0 {
			a.log.LogAttrs(ctx, slog.LevelInfo, "seeded default sources", slog.Int("count", n))
		}
	}
	a.metrics = metrics.New()
	if err := a.buildEvents(ctx); err != nil {
		return err
	}
	if err := a.buildPipeline(); err != nil {
		return err
	}
	h, err := a.routes()
	if err != nil {
		return err
	}
	a.handler = h
	return nil
}

// Close releases what Open acquired; Run closes on its own.
func (a *App) Close() error { return a.closeStore() }

// Handler returns the HTTP handler of the whole service.
func (a *App) Handler() http.Handler { return a.handler }

// Addr returns the address the server listens on, once Run has bound it.
func (a *App) Addr() net.Addr {
	<-a.ready
	return a.addr
}

// Run serves HTTP and runs the background loops until ctx ends, then shuts
// down in reverse order: the HTTP server drains its requests, the loops
// finish their current work, and the store closes.
func (a *App) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		a.closeStore()
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	a.addr = ln.Addr()
	close(a.ready)
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		ReadTimeout:       a.cfg.ReadTimeout,
		WriteTimeout:      a.cfg.WriteTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20, // above the API's own limit, so that its 431 is a problem document
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	loops, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLoops()
	a.startLoops(loops)
	a.log.LogAttrs(ctx, slog.LevelInfo, "scout listening", slog.String("addr", a.addr.String()))

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(api.ProblemListener(ln)) }()
	select {
	case err := <-serveErr:
		stopLoops()
		a.bg.Wait()
		return errors.Join(fmt.Errorf("serve: %w", err), a.closeStore())
	case <-ctx.Done():
	}
	return a.shutdown(srv, stopLoops)
}

func (a *App) shutdown(srv *http.Server, stopLoops context.CancelFunc) error {
	a.log.Info("shutting down: finishing the HTTP requests in flight, then the fetches, then the outbox relay",
		slog.Duration("timeout", a.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	stopLoops()
	done := make(chan struct{})
	go func() {
		a.bg.Wait()
		if w, ok := a.handler.(interface{ Wait() }); ok {
			w.Wait() // background requests' work, e.g. a stats refresh
		}
		close(done)
	}()
	select {
	case <-done:
	case <-sctx.Done():
		errs = append(errs, errors.New("background work did not finish before the shutdown timeout; unfinished leases will expire"))
	}
	if err := a.closeStore(); err != nil {
		errs = append(errs, fmt.Errorf("close store: %w", err))
	}
	a.log.Info("stopped")
	return errors.Join(errs...)
}

// Config returns the configuration the App was opened with.
func (a *App) Config() config.Config { return a.cfg }
