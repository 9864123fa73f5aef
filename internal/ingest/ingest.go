package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/store"
)

// Fetcher is the part of fetch.Client the pipeline uses.
type Fetcher interface {
	Get(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Committer is the part of the store the pipeline reads and writes.
type Committer interface {
	GetItemHashes(ctx context.Context, sourceID int64, keys []string) (map[string]store.ItemHash, error)
	CompleteFetch(ctx context.Context, r store.FetchResult) (scout.FetchLog, error)
	PruneItems(ctx context.Context, sourceID int64, keep int) (int, error)
}

// Enricher fills derived fields of an item (the built-in extractor is one).
// It must be safe for concurrent use on distinct items.
type Enricher interface {
	Name() string
	Enrich(it *scout.Item)
}

// Collector is the fetch-and-parse step of every kind of source
// (source.Registry dispatches by kind).
type Collector interface {
	Collect(ctx context.Context, src scout.Source, get source.Getter) (source.Result, error)
}

// Observer is told about every finished fetch (metrics); it may be nil.
type Observer interface {
	ObserveFetch(log scout.FetchLog)
}

// Options configure an Ingester. Zero durations take the defaults of Policy.
type Options struct {
	Fetcher Fetcher
	// HostsReserved says every source handed to Ingest was claimed within
	// its host's politeness limits (schedule's host-aware claims), so the
	// first request to the source's host does not wait for them again.
	HostsReserved bool
	Store         Committer
	Enrichers     []Enricher
	Policy        Policy
	// MaxItemsPerSource caps the items kept per source: a fetch that
	// stores new items is followed by pruning its source to it (0: no cap).
	MaxItemsPerSource int
	// Sources reads each kind of source; nil reads feeds only, with Feed.
	Sources  Collector
	Feed     feed.Options
	Observer Observer
	Log      *slog.Logger
	Now      func() time.Time
	Rand     *rand.Rand // jitter; seeded randomly when nil
}

// Ingester fetches and stores one source at a time; it is safe for
// concurrent use on different sources.
type Ingester struct {
	opts   Options
	mu     sync.Mutex // guards rand
	policy Policy
}

// New returns an Ingester.
func New(opts Options) *Ingester {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	opts.Feed.Now = opts.Now
	if opts.Sources == nil {
		opts.Sources = source.NewRegistry(feedkind.Kind(opts.Feed))
	}
	return &Ingester{opts: opts, policy: opts.Policy.withDefaults()}
}

// Ingest fetches src once and commits the outcome. It always returns the
// fetch log, with ErrorClass set when anything failed; a panic in a parser
// or enricher is recovered and recorded as that source's failure.
func (in *Ingester) Ingest(ctx context.Context, src scout.Source) (log scout.FetchLog) {
	start := in.opts.Now()
	res := store.FetchResult{SourceID: src.ID, From: src.URL, Log: scout.FetchLog{SourceID: src.ID, StartedAt: start}}
	defer func() {
		if p := recover(); p != nil {
			in.opts.Log.Error("ingest panicked", slog.Int64("source_id", src.ID), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			res.Items = nil
			in.fail(&res, src, scout.ErrorOther, fmt.Sprintf("internal error while processing the feed: %v", p), 0)
			log = in.commit(ctx, src, res, start)
		}
	}()
	in.run(ctx, src, &res)
	log = in.commit(ctx, src, res, start)
	in.prune(ctx, src, log)
	return log
}

// prune keeps src within its item cap after a fetch that stored new items
// (a source that gains nothing cannot have grown past it). A failure is
// logged: the items stay until the next fetch prunes them.
func (in *Ingester) prune(ctx context.Context, src scout.Source, log scout.FetchLog) {
	if in.opts.MaxItemsPerSource <= 0 || log.ItemsNew == 0 || log.ErrorClass != scout.ErrorNone {
		return
	}
	n, err := in.opts.Store.PruneItems(ctx, src.ID, in.opts.MaxItemsPerSource)
	if err != nil && ctx.Err() == nil {
		in.opts.Log.LogAttrs(ctx, slog.LevelWarn, "prune items", slog.Int64("source_id", src.ID), slog.Any("err", err))
	}
	if n > 0 {
		in.opts.Log.LogAttrs(ctx, slog.LevelInfo, "pruned items over the source's cap", slog.Int64("source_id", src.ID),
			slog.Int("items", n), slog.Int("cap", in.opts.MaxItemsPerSource))
	}
}

// run fills res from one fetch of src.
func (in *Ingester) run(ctx context.Context, src scout.Source, res *store.FetchResult) {
	get := &meteredFetcher{f: in.opts.Fetcher}
	if in.opts.HostsReserved {
		get.reserved = src.Host
	}
	got, err := in.opts.Sources.Collect(ctx, src, get)
	res.Log.Duration = get.network()
	if got.First != nil {
		res.Log.StatusCode = got.First.StatusCode
	}
	res.Log.Bytes = got.Bytes
	if err != nil {
		in.collectFailed(res, src, got, err)
		return
	}
	resp := got.First
	res.URL = resp.PermanentURL
	res.ETag, res.LastModified = resp.ETag, resp.LastModified
	res.PageHash = got.PageHash
	if got.NotModified {
		res.Log.NotModified = true
		res.Status = scout.SourceOK
		res.Interval = in.keepInterval(src, resp.MaxAge)
		res.NextFetchAt = in.next(res.Interval)
		return
	}
	res.Items, res.Unchanged = in.changed(ctx, src, got.Items)
	for i := range res.Items {
		in.enrich(&res.Items[i])
	}
	res.Title, res.SiteURL = got.Title, got.SiteURL
	res.Status = scout.SourceOK
	res.Interval = in.adapt(src, got.Items, max(got.TTL, resp.MaxAge))
	res.NextFetchAt = in.next(res.Interval)
}

// enrich runs the enrichers on it, keeping the fields its source stated.
func (in *Ingester) enrich(it *scout.Item) {
	stated := it.Opportunity
	for _, e := range in.opts.Enrichers {
		e.Enrich(it)
	}
	source.KeepStated(&it.Opportunity, stated)
}

// collectFailed records a failed fetch-and-parse. A failed first request
// is a failed GET; anything later (a page that cannot be read) is classed
// by what went wrong.
func (in *Ingester) collectFailed(res *store.FetchResult, src scout.Source, got source.Result, err error) {
	if _, ok := errors.AsType[*fetch.Error](err); ok && got.First == nil {
		in.fetchFailed(res, src, err)
		return
	}
	in.fail(res, src, source.Classify(err), err.Error(), 0)
}

// Preview reads src once as Ingest would, enriches what it read, and
// returns it without storing anything. The stored validators and page hash
// are ignored, so the source is always read in full.
func (in *Ingester) Preview(ctx context.Context, src scout.Source) (source.Result, error) {
	src.ETag, src.LastModified, src.PageHash = "", "", ""
	got, err := in.opts.Sources.Collect(ctx, src, in.opts.Fetcher)
	if err != nil {
		return got, err
	}
	for i := range got.Items {
		in.enrich(&got.Items[i])
	}
	return got, nil
}

// fetchFailed records a failed GET: 410 retires the source; anything else
// is retried later (Retry-After when the server gave one, else backoff).
func (in *Ingester) fetchFailed(res *store.FetchResult, src scout.Source, err error) {
	var fe *fetch.Error
	var retryAfter time.Duration
	if errors.As(err, &fe) {
		res.Log.StatusCode, retryAfter = fe.StatusCode, fe.RetryAfter
	}
	in.fail(res, src, fetch.Classify(err), err.Error(), retryAfter)
	if res.Log.StatusCode == 410 {
		res.Status = scout.SourceRetired
	}
}

// fail marks res as a failure of class with a message and schedules a retry.
func (in *Ingester) fail(res *store.FetchResult, src scout.Source, class scout.ErrorClass, msg string, retryAfter time.Duration) {
	if class == scout.ErrorNone {
		class = scout.ErrorOther
	}
	res.Log.ErrorClass, res.Log.Error = class, msg
	res.Status = scout.SourceFailing
	res.ETag, res.LastModified, res.URL = src.ETag, src.LastModified, ""
	res.Interval = src.Interval
	wait := in.backoff(src.ErrorCount + 1)
	if retryAfter > 0 {
		wait = max(retryAfter, time.Minute)
	}
	res.NextFetchAt = in.opts.Now().Add(wait)
}

// commit writes the outcome; if the write fails, it records the failure
// without items or new validators so the error is visible and nothing is lost.
func (in *Ingester) commit(ctx context.Context, src scout.Source, res store.FetchResult, start time.Time) scout.FetchLog {
	log, err := in.opts.Store.CompleteFetch(ctx, res)
	if err != nil && ctx.Err() == nil {
		in.opts.Log.LogAttrs(ctx, slog.LevelError, "store fetch result", slog.Int64("source_id", src.ID), slog.Any("err", err))
		failed := store.FetchResult{SourceID: src.ID, From: src.URL, Log: res.Log}
		failed.Log.ItemsSeen, failed.Log.ItemsNew, failed.Log.ItemsUpdated = 0, 0, 0
		in.fail(&failed, src, scout.ErrorStore, "the items could not be saved: "+err.Error(), 0)
		if log, err = in.opts.Store.CompleteFetch(ctx, failed); err != nil {
			log = failed.Log // the lease expires and the source is retried
		}
	} else if err != nil {
		log = res.Log
		log.ErrorClass, log.Error = scout.ErrorStore, "interrupted before the result was saved: "+err.Error()
	}
	if in.opts.Observer != nil {
		in.opts.Observer.ObserveFetch(log)
	}
	in.logFetch(ctx, src, log)
	return log
}

func (in *Ingester) logFetch(ctx context.Context, src scout.Source, log scout.FetchLog) {
	attrs := []slog.Attr{slog.Int64("source_id", src.ID), slog.String("url", src.URL), slog.Int("status", log.StatusCode),
		slog.Int64("duration_ms", log.Duration.Milliseconds()), slog.Int("new", log.ItemsNew), slog.Int("updated", log.ItemsUpdated)}
	if log.ErrorClass != scout.ErrorNone {
		attrs = append(attrs, slog.String("error_class", string(log.ErrorClass)), slog.String("err", log.Error))
		in.opts.Log.LogAttrs(ctx, slog.LevelWarn, "fetch failed", attrs...)
		return
	}
	in.opts.Log.LogAttrs(ctx, slog.LevelInfo, "fetched", attrs...)
}

func (in *Ingester) jitter() float64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.opts.Rand.Float64()
}

// changed drops the items stored with the same content by the same
// extractor: a feed that gains one item re-serves the others, and
// extracting those again was most of the CPU of a steady-state refresh.
// When the stored hashes cannot be read, every item is kept (the store
// then sorts out what changed, at the cost of extracting again).
func (in *Ingester) changed(ctx context.Context, src scout.Source, items []scout.Item) ([]scout.Item, int) {
	if len(items) == 0 || len(in.opts.Enrichers) == 0 {
		return items, 0
	}
	keys := make([]string, len(items))
	for i := range items {
		keys[i] = items[i].Key()
	}
	known, err := in.opts.Store.GetItemHashes(ctx, src.ID, keys)
	if err != nil {
		in.opts.Log.LogAttrs(ctx, slog.LevelWarn, "read stored item hashes", slog.Int64("source_id", src.ID), slog.Any("err", err))
		return items, 0
	}
	extractor := in.opts.Enrichers[0].Name()
	kept := items[:0]
	for _, it := range items {
		if h, ok := known[it.Key()]; ok && h.ContentHash == it.ContentHash && h.Extractor == extractor {
			continue
		}
		kept = append(kept, it)
	}
	return kept, len(items) - len(kept)
}

// meteredFetcher sums the network time of one source's requests (the
// fetch log's duration; waits for slots are not part of it) and marks the
// first request to the host the scheduler reserved as already granted.
type meteredFetcher struct {
	f        Fetcher
	reserved string // the host whose slot the claim holds; "" for none
	mu       sync.Mutex
	used     bool
	net      time.Duration
}

func (m *meteredFetcher) Get(ctx context.Context, r fetch.Request) (*fetch.Response, error) {
	m.mu.Lock()
	if !m.used && m.reserved != "" && scout.HostKey(r.URL) == m.reserved {
		r.HostReserved, m.used = true, true
	}
	m.mu.Unlock()
	resp, err := m.f.Get(ctx, r)
	var d time.Duration
	if resp != nil {
		d = resp.Duration
	} else if fe, ok := errors.AsType[*fetch.Error](err); ok {
		d = fe.Duration
	}
	m.mu.Lock()
	m.net += d
	m.mu.Unlock()
	return resp, err
}

func (m *meteredFetcher) network() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.net
}
