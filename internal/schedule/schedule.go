package schedule

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Claimer leases due sources; store.Store implements it.
type Claimer interface {
	ClaimDueSources(ctx context.Context, now time.Time, n int, lease time.Duration, hp store.HostPolicy) ([]scout.Source, error)
}

// Ingester runs the pipeline for one source and reports the outcome.
type Ingester interface {
	Ingest(ctx context.Context, src scout.Source) scout.FetchLog
}

// Options configure a Scheduler.
type Options struct {
	Store    Claimer
	Ingester Ingester
	Workers  int           // concurrent fetches; default 8
	Lease    time.Duration // how long a claim holds; must exceed the fetch timeout; default 5m
	// Hosts is the per-host politeness every claim keeps (see
	// store.Store.ClaimDueSources): a worker is only ever handed a source
	// whose host has a free slot, so no worker waits on a busy host while
	// another host has due work.
	Hosts store.HostPolicy
	Poll  time.Duration // how often to look for due sources when idle; default 1s
	// Drain is how long in-flight fetches may continue after Run's context
	// ends before their own contexts are cancelled; default 10s.
	Drain time.Duration
	Log   *slog.Logger
	Now   func() time.Time
	// Lag, when set, is told after every claim how overdue the most
	// overdue claimed source was (0 when none was claimed): the queue lag
	// an operator watches to see whether the workers keep up.
	Lag func(time.Duration)
	// Wait, when set, is told for every source handed to a worker how long
	// it waited past its due time: the queue wait, apart from the fetch's
	// own network time.
	Wait func(time.Duration)
}

// Scheduler dispatches due sources to a worker pool.
type Scheduler struct {
	opts Options
	busy atomic.Int64 // workers fetching now, for the shutdown log
}

// New returns a Scheduler.
func New(opts Options) *Scheduler {
	if opts.Workers <= 0 {
		opts.Workers = 8
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Drain <= 0 {
		opts.Drain = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{opts: opts}
}

// Run claims and fetches due sources until ctx ends, then stops claiming,
// lets the workers finish their current fetch (for at most Drain) and
// returns once every worker has stopped. A source claimed but not finished
// is simply picked up again when its lease expires.
func (s *Scheduler) Run(ctx context.Context) error {
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	jobs := make(chan scout.Source)
	free := make(chan struct{}, s.opts.Workers) // one token per idle worker
	ended := make(chan struct{}, 1)             // a fetch ended: its host may have a free slot
	var wg sync.WaitGroup
	for range s.opts.Workers {
		free <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range jobs {
				s.busy.Add(1)
				s.opts.Ingester.Ingest(work, src)
				s.busy.Add(-1)
				free <- struct{}{}
				select {
				case ended <- struct{}{}:
				default:
				}
			}
		}()
	}
	s.dispatch(ctx, jobs, free, ended)
	close(jobs)
	if n := s.busy.Load(); n > 0 {
		s.opts.Log.LogAttrs(ctx, slog.LevelInfo, "waiting for the fetches in flight", slog.Int64("fetches", n),
			slog.Duration("at_most", s.opts.Drain))
	}
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(s.opts.Drain):
		s.opts.Log.LogAttrs(ctx, slog.LevelWarn, "cancelling the fetches still in flight; their sources are fetched again when the lease expires",
			slog.Int64("fetches", s.busy.Load()))
		cancelWork() // in-flight fetches end now; their leases expire
		<-stopped
	}
	return nil
}

// dispatch claims as many sources as there are idle workers and hands them
// out, until ctx ends. When a claim leaves workers idle it looks again at
// the next poll, or as soon as a fetch ends: due sources whose host was at
// its limit may then have a slot, and waiting for the poll would hold a
// host to Concurrency fetches per Poll however fast it answers.
func (s *Scheduler) dispatch(ctx context.Context, jobs chan<- scout.Source, free, ended chan struct{}) {
	t := time.NewTimer(s.opts.Poll)
	defer t.Stop()
	var lastWork time.Time // when a claim last found work
	for {
		n := s.takeIdle(ctx, free)
		if n == 0 {
			return // ctx ended
		}
		now := s.opts.Now()
		srcs, err := s.opts.Store.ClaimDueSources(ctx, now, n, s.opts.Lease, s.opts.Hosts)
		if err != nil && ctx.Err() == nil {
			s.opts.Log.LogAttrs(ctx, slog.LevelError, "claim due sources", slog.Any("err", err))
		}
		s.reportLag(now, srcs)
		for _, src := range srcs {
			if s.opts.Wait != nil {
				s.opts.Wait(max(s.opts.Now().Sub(src.NextFetchAt), 0))
			}
			jobs <- src
		}
		for range n - len(srcs) {
			free <- struct{}{} // return the tokens not used
		}
		if len(srcs) > 0 {
			lastWork = now
		}
		if len(srcs) == n {
			continue // there may be more due right now
		}
		t.Reset(s.wait(now, lastWork))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-ended:
		}
	}
}

// wait is how long dispatch sleeps after a claim that left workers idle.
// While claims keep finding work, the hosts left out of the last claim may
// only be waiting for their spacing: looking again when it has elapsed,
// rather than a whole Poll later, keeps each host at the pace its spacing
// allows. Once claims find nothing for a Poll, dispatch polls at Poll.
func (s *Scheduler) wait(now, lastWork time.Time) time.Duration {
	if sp := s.opts.Hosts.Spacing; sp > 0 && sp < s.opts.Poll && now.Sub(lastWork) < s.opts.Poll {
		return sp
	}
	return s.opts.Poll
}

// takeIdle waits for at least one idle worker and takes every idle token.
func (s *Scheduler) takeIdle(ctx context.Context, free chan struct{}) int {
	select {
	case <-ctx.Done():
		return 0
	case <-free:
	}
	n := 1
	for {
		select {
		case <-free:
			n++
		default:
			return n
		}
	}
}

// reportLag tells Lag how overdue the most overdue claimed source was.
func (s *Scheduler) reportLag(now time.Time, srcs []scout.Source) {
	if s.opts.Lag == nil {
		return
	}
	var lag time.Duration
	for _, src := range srcs {
		lag = max(lag, now.Sub(src.NextFetchAt))
	}
	s.opts.Lag(lag)
}
