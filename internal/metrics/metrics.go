package metrics

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric names, exported so dashboards and tests can refer to them.
const (
	HTTPDurationName  = "scout_http_request_duration_seconds"
	FetchesName       = "scout_fetches_total"
	ItemsIngestedName = "scout_items_ingested_total"
	QueueLagName      = "scout_queue_lag_seconds"
	FetchDurationName = "scout_fetch_duration_seconds"
	OutboxLagName     = "scout_outbox_lag_seconds"
	QueueWaitName     = "scout_fetch_queue_wait_seconds"
	HostLagName       = "scout_host_lag_seconds"
)

// TopHosts is how many hosts HostLagName has a series for: the most
// overdue ones, so that the label set stays bounded however many hosts
// the sources name.
const TopHosts = 10

// Readers of the outbox whose lag is exported.
const (
	ReaderRelay = "relay" // the relay to NATS
	ReaderTail  = "tail"  // the tail feeding this replica's live events
)

// Fetch outcomes beyond the error classes of a failed fetch.
const (
	OutcomeOK          = "ok"
	OutcomeNotModified = "not_modified"
)

// Registry holds Scout's collectors. Its methods are safe for concurrent use;
// a nil *Registry records nothing, so parts built without metrics (tests,
// one-shot commands) need no checks.
type Registry struct {
	reg           *prometheus.Registry
	httpDuration  *prometheus.HistogramVec
	fetches       *prometheus.CounterVec
	fetchDuration prometheus.Histogram
	itemsIngested *prometheus.CounterVec
	queueLag      prometheus.Gauge
	outboxLag     *prometheus.GaugeVec
	queueWait     prometheus.Histogram
	hostLag       *prometheus.GaugeVec
}

// New returns a Registry with Scout's collectors and the Go runtime and
// process collectors registered.
func New() *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    HTTPDurationName,
			Help:    "HTTP request latency by method, route pattern and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: FetchesName,
			Help: "Feed fetches by outcome: ok, not_modified, or the error class of a failure.",
		}, []string{"outcome"}),
		fetchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    FetchDurationName,
			Help:    "Network time of feed fetches (requests sent to the last byte of the body), waits for slots excluded.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 10),
		}),
		itemsIngested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: ItemsIngestedName,
			Help: "Items written by the ingestion pipeline, by change: new or updated.",
		}, []string{"change"}),
		queueLag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: QueueLagName,
			Help: "How long the most overdue source has been waiting past its next fetch time.",
		}),
		outboxLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: OutboxLagName,
			Help: "Age of the oldest change an outbox reader (relay, tail) handed on in its last round; 0 when it found nothing new.",
		}, []string{"reader"}),
		queueWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    QueueWaitName,
			Help:    "How long each source waited past its due time before a worker started it.",
			Buckets: []float64{.1, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600},
		}),
		hostLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: HostLagName,
			Help: "How long the most overdue waiting source of each of the 10 most overdue hosts has been due; hosts that keep their schedule have no series.",
		}, []string{"host"}),
	}
	r.reg.MustRegister(r.httpDuration, r.fetches, r.fetchDuration, r.itemsIngested, r.queueLag, r.outboxLag, r.queueWait, r.hostLag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Handler serves the metrics in the Prometheus exposition format.
func (r *Registry) Handler() http.Handler {
	if r == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{Registry: r.reg})
}

// WatchDB exports the pool statistics of db (open, idle and in-use
// connections, waits) under the label db_name=name, e.g. "writer" or "reader".
func (r *Registry) WatchDB(name string, db *sql.DB) error {
	if r == nil {
		return nil
	}
	if err := r.reg.Register(collectors.NewDBStatsCollector(db, name)); err != nil {
		return fmt.Errorf("watch db pool %s: %w", name, err)
	}
	return nil
}

// ObserveHTTP records one request. route is the matched pattern (such as
// "GET /v1/sources/{id}"), never the raw path, so that the label set stays
// bounded.
func (r *Registry) ObserveHTTP(method, route string, status int, d time.Duration) {
	if r == nil {
		return
	}
	r.httpDuration.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}

// ObserveFetch records one fetch with its outcome (OutcomeOK,
// OutcomeNotModified or an error class) and duration.
func (r *Registry) ObserveFetch(outcome string, d time.Duration) {
	if r == nil {
		return
	}
	r.fetches.WithLabelValues(outcome).Inc()
	r.fetchDuration.Observe(d.Seconds())
}

// AddItems records items written by one fetch.
func (r *Registry) AddItems(created, updated int) {
	if r == nil {
		return
	}
	r.itemsIngested.WithLabelValues("new").Add(float64(created))
	r.itemsIngested.WithLabelValues("updated").Add(float64(updated))
}

// SetQueueLag records how far behind schedule the fetch queue is.
func (r *Registry) SetQueueLag(d time.Duration) {
	if r == nil {
		return
	}
	r.queueLag.Set(max(d, 0).Seconds())
}

// OutboxLag returns a function that records how far the named outbox
// reader (ReaderRelay, ReaderTail) is behind the writers.
func (r *Registry) OutboxLag(reader string) func(time.Duration) {
	if r == nil {
		return func(time.Duration) {}
	}
	g := r.outboxLag.WithLabelValues(reader)
	return func(d time.Duration) { g.Set(max(d, 0).Seconds()) }
}

// ObserveQueueWait records how long one source waited past its due time.
func (r *Registry) ObserveQueueWait(d time.Duration) {
	if r == nil {
		return
	}
	r.queueWait.Observe(max(d, 0).Seconds())
}

// HostLag is how far one host's queue is behind.
type HostLag struct {
	Host string
	Lag  time.Duration
}

// SetHostLags replaces the per-host lag series with lags, keeping the first
// TopHosts (callers pass the most overdue first). Hosts no longer listed
// lose their series.
func (r *Registry) SetHostLags(lags []HostLag) {
	if r == nil {
		return
	}
	r.hostLag.Reset()
	for _, l := range lags[:min(len(lags), TopHosts)] {
		r.hostLag.WithLabelValues(l.Host).Set(max(l.Lag, 0).Seconds())
	}
}
