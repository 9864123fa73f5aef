package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Group commit. On an engine with one writer (SQLite) every fetch result
// waits for the connection anyway; committing the waiting ones together in
// one transaction writes the pages they share (index roots and inner
// nodes, the sources table, the full-text segment) once per group instead
// of once per fetch, and pays the transaction's fixed cost once.
//
// There is no goroutine of its own: the first caller to find the group idle
// becomes the leader and commits what has queued up, then hands the
// leadership to the oldest caller still waiting, so that no worker serves
// others for longer than one group. Groups form only from callers that are
// already waiting, so a lone fetch is committed at once.

// maxGroup bounds the fetches committed in one transaction, so that a
// transaction (and the readers' view of the WAL) stays short.
const maxGroup = 64

// groupTimeout bounds one group's transaction. It does not derive from a
// caller's context: one caller's cancellation must not fail the others.
const groupTimeout = 2 * time.Minute

type fetchReq struct {
	ctx  context.Context
	r    fetchWrite
	log  scout.FetchLog
	err  error
	lead bool          // set before wake is closed: run the next group
	wake chan struct{} // closed when the result is in or the caller leads
	done bool
}

type groupCommitter struct {
	mu    sync.Mutex
	busy  bool // a leader is committing
	queue []*fetchReq
}

// completeGrouped commits r in a group with the fetches waiting beside it.
func (s *Store) completeGrouped(ctx context.Context, r fetchWrite) (scout.FetchLog, error) {
	g := &s.group
	req := &fetchReq{ctx: ctx, r: r, wake: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, req)
	if g.busy {
		g.mu.Unlock()
		<-req.wake // bounded: a leader commits within groupTimeout
		if req.done {
			return req.log, req.err
		}
		g.mu.Lock() // req.lead: the previous leader handed over
	}
	g.busy = true
	g.mu.Unlock()
	for !req.done { // our request is first in the queue: one round
		s.commitGroup(ctx)
	}
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.busy = false
	} else {
		next := g.queue[0]
		next.lead = true
		close(next.wake)
	}
	g.mu.Unlock()
	return req.log, req.err
}

// take removes up to maxGroup requests from the head of the queue.
func (g *groupCommitter) take() []*fetchReq {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := min(len(g.queue), maxGroup)
	batch := append([]*fetchReq(nil), g.queue[:n]...)
	g.queue = g.queue[n:]
	return batch
}

// commitGroup commits the queued fetches in one transaction and wakes every
// caller but a leader (which reads its own result). The group is taken from
// the queue once the transaction has the writer, so that everything that
// queued while the writer was busy joins it. If any fetch fails, the group
// is rolled back and each fetch is committed alone, so that one bad fetch
// costs the others a retry, never their data. Savepoints would isolate a
// failure without the retry, but SQLite copies every page a savepoint
// changes into a statement journal: a tenth of the write path's CPU.
func (s *Store) commitGroup(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
	defer cancel()
	var batch, live []*fetchReq
	err := s.writeEvents(ctx, func(tx *tx) error {
		batch = s.group.take()
		for _, req := range batch {
			if err := req.ctx.Err(); err != nil {
				req.err = fmt.Errorf("complete fetch of source %d: %w", req.r.SourceID, err)
			} else {
				live = append(live, req)
			}
		}
		for _, req := range live {
			var err error
			if req.log, err = completeFetch(ctx, tx, req.r); err != nil {
				return err
			}
		}
		return nil
	})
	if batch == nil { // the transaction did not start
		batch = s.group.take()
		live = batch
	}
	if err != nil {
		for _, req := range live {
			req.log, req.err = s.completeAlone(req.ctx, req.r)
		}
	}
	for _, req := range batch {
		req.done = true
		if !req.lead {
			close(req.wake)
		}
	}
}
