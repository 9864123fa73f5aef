package app

import (
	"database/sql"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/scoutdev/scout/internal/api"
	"github.com/scoutdev/scout/internal/metrics"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/store/sqlite"
)

// routes builds the HTTP surface: the API with /healthz, /readyz,
// /metrics, /openapi.json and /docs.
func (a *App) routes() (http.Handler, error) {
	au, err := a.Authenticator()
	if err != nil {
		return nil, err
	}
	a.watchPools()
	return api.New(api.Options{
		Store:        a.Store,
		Auth:         au,
		Fetch:        a.fetcher,
		Sources:      a.sources,
		Preview:      a.ingester,
		Metrics:      a.metrics,
		Logger:       a.log,
		Version:      Version,
		MaxBodyBytes: a.cfg.MaxBodyBytes,
		Rate:         rate.Limit(a.cfg.RateLimit),
		Burst:        a.cfg.RateBurst,
		StatsTTL:     a.cfg.StatsTTL,

		LoginRate:         every(a.cfg.LoginInterval),
		LoginBurst:        a.cfg.LoginBurst,
		LoginAddressRate:  every(a.cfg.LoginAddressInterval),
		LoginAddressBurst: a.cfg.LoginAddressBurst,
		LoginAccountRate:  every(a.cfg.LoginAccountInterval),
		LoginAccountBurst: a.cfg.LoginAccountBurst,
		Events:            a.ev.bus,
		BaseURL:           a.cfg.BaseURL,
		Contact:           a.cfg.ContactURL,
		Hosts:             a.hostPolicy(),
	})
}

// every is one event per d as a rate, zero (the API's default) when d is
// not positive: rate.Every would make that unlimited.
func every(d time.Duration) rate.Limit {
	if d <= 0 {
		return 0
	}
	return rate.Every(d)
}

// watchPools exports the connection pool statistics of the store.
func (a *App) watchPools() {
	var w, r *sql.DB
	switch s := a.Store.(type) {
	case *sqlite.Store:
		w, r = s.W, s.R
	case *postgres.Store:
		w, r = s.W, s.R
	default:
		return
	}
	if err := a.metrics.WatchDB("writer", w); err != nil {
		a.log.Warn("cannot export db pool metrics", "err", err)
	}
	if r != w {
		if err := a.metrics.WatchDB("reader", r); err != nil {
			a.log.Warn("cannot export db pool metrics", "err", err)
		}
	}
}

// fetchObserver records finished fetches in the metrics.
type fetchObserver struct{ m *metrics.Registry }

func (o fetchObserver) ObserveFetch(l scout.FetchLog) {
	outcome := string(l.ErrorClass)
	switch {
	case l.OK() && l.NotModified:
		outcome = metrics.OutcomeNotModified
	case l.OK():
		outcome = metrics.OutcomeOK
	}
	o.m.ObserveFetch(outcome, l.Duration)
	o.m.AddItems(l.ItemsNew, l.ItemsUpdated)
}
