package ingest

import (
	"slices"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Policy says how often sources are fetched.
type Policy struct {
	Interval    time.Duration // default interval (the product promise: hourly)
	MinInterval time.Duration // the adaptive interval never goes below this
	MaxInterval time.Duration // nor above this; also the backoff cap
	BackoffBase time.Duration // first retry after a failure
	Jitter      float64       // fraction of an interval added at random, 0..1
}

func (p Policy) withDefaults() Policy {
	if p.Interval <= 0 {
		p.Interval = time.Hour
	}
	if p.MinInterval <= 0 {
		p.MinInterval = 15 * time.Minute
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 24 * time.Hour
	}
	if p.BackoffBase <= 0 {
		p.BackoffBase = 5 * time.Minute
	}
	if p.Jitter <= 0 || p.Jitter > 1 {
		p.Jitter = 0.1
	}
	return p
}

// bounds returns the interval bounds for src: its own, else the policy's.
func (in *Ingester) bounds(src scout.Source) (lo, hi time.Duration) {
	lo, hi = in.policy.MinInterval, in.policy.MaxInterval
	if src.MinInterval > 0 {
		lo = src.MinInterval
	}
	if src.MaxInterval > 0 {
		hi = src.MaxInterval
	}
	return lo, max(lo, hi)
}

// adapt picks the next interval from the feed's observed posting rate and
// the publisher's hints. A feed posting every gap is polled about three
// times per gap; a quiet feed drifts towards the maximum; a ttl or
// Cache-Control hint is a floor, since polling earlier only yields 304s.
func (in *Ingester) adapt(src scout.Source, items []scout.Item, hint time.Duration) time.Duration {
	lo, hi := in.bounds(src)
	d := in.policy.Interval
	if gap, ok := postingGap(items); ok {
		d = gap / 3
	}
	d = max(d, hint)
	return min(max(d, lo), hi)
}

// keepInterval is the interval after a 304: the current one, within bounds
// and no shorter than the server's freshness hint.
func (in *Ingester) keepInterval(src scout.Source, hint time.Duration) time.Duration {
	lo, hi := in.bounds(src)
	d := src.Interval
	if d <= 0 {
		d = in.policy.Interval
	}
	return min(max(d, hint, lo), hi)
}

// postingGap is the mean time between the newest items with real dates.
func postingGap(items []scout.Item) (time.Duration, bool) {
	var dates []time.Time
	for _, it := range items {
		if !it.DateEstimated && !it.PublishedAt.IsZero() {
			dates = append(dates, it.PublishedAt)
		}
	}
	if len(dates) < 2 {
		return 0, false
	}
	slices.SortFunc(dates, func(a, b time.Time) int { return b.Compare(a) })
	dates = dates[:min(len(dates), 20)]
	span := dates[0].Sub(dates[len(dates)-1])
	if span <= 0 {
		return 0, false
	}
	return span / time.Duration(len(dates)-1), true
}

// next returns when a source with interval d is due, with jitter so that
// sources added together spread out.
func (in *Ingester) next(d time.Duration) time.Time {
	j := time.Duration(float64(d) * in.policy.Jitter * in.jitter())
	return in.opts.Now().Add(d + j)
}

// backoff is the wait after the n-th consecutive failure: exponential from
// BackoffBase, capped at MaxInterval, with "equal jitter" (half fixed, half
// random) so that failing sources do not retry in lockstep. A failing source
// is always retried: there is no permanent stop short of 410 Gone.
func (in *Ingester) backoff(n int) time.Duration {
	d := in.policy.BackoffBase
	for i := 1; i < n && d < in.policy.MaxInterval; i++ {
		d *= 2
	}
	d = min(d, in.policy.MaxInterval)
	return d/2 + time.Duration(float64(d/2)*in.jitter())
}
