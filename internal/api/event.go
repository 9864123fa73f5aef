package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Stream timing.
const (
	defaultHeartbeat = 15 * time.Second // a comment line keeps proxies from closing an idle stream
	sseWriteTimeout  = 30 * time.Second // one write may take this long before the client counts as gone
	sseCatchUpPage   = 500
)

// EventsInput is where a stream starts.
type EventsInput struct {
	LastEventID string `header:"Last-Event-ID" maxLength:"19" doc:"sent by EventSource on reconnect: resume after this change"`
	Cursor      string `query:"cursor" maxLength:"19" pattern:"^[0-9]*$" doc:"resume after this change id when no Last-Event-ID is sent; empty: only changes from now on"`
}

func (h *Handler) registerEvents(api huma.API) {
	o := op("streamEvents", http.MethodGet, "/v1/events", "Live changes as server-sent events", scout.ScopeRead, "changes")
	o.Description = "A text/event-stream of the same changes as /v1/changes, filtered the same way. Each event has " +
		"id (the change id), event (the change type) and data (a Change as JSON). Reconnect with Last-Event-ID (EventSource " +
		"does it for you) to receive everything missed, in order and once. A comment line is sent every 15 seconds. " +
		"When the cursor is older than the retention window the stream sends one 'reset' event and ends."
	o.Responses = map[string]*huma.Response{"200": {Description: "server-sent events", Content: map[string]*huma.MediaType{
		"text/event-stream": {Schema: &huma.Schema{Type: "string"}}}}}
	huma.Register(api, o, h.streamEvents)
}

func (h *Handler) streamEvents(ctx context.Context, in *EventsInput) (*huma.StreamResponse, error) {
	raw, where := in.LastEventID, "header.Last-Event-ID"
	if raw == "" {
		raw, where = in.Cursor, "query.cursor"
	}
	cursor, err := parseCursor(raw, where)
	if err != nil {
		return nil, err
	}
	if raw == "" {
		if cursor, err = h.st.LatestEventID(ctx); err != nil {
			return nil, h.problem(ctx, err)
		}
	}
	v := viewer(ctx)
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		_, w := humago.Unwrap(hctx)
		s := &sseStream{h: h, w: w, rc: http.NewResponseController(w), v: v, cursor: cursor}
		s.run(hctx.Context())
	}}, nil
}

// sseStream is one client's stream.
type sseStream struct {
	h      *Handler
	w      http.ResponseWriter
	rc     *http.ResponseController
	v      store.Viewer
	cursor int64 // the last change sent or skipped
}

// run streams until the client goes away or the server shuts down. It
// subscribes to the bus before reading the store, so nothing written in
// between is missed; events at or below the cursor are skipped.
func (s *sseStream) run(ctx context.Context) {
	// The server's WriteTimeout would cut every stream; each write sets
	// its own deadline instead.
	_ = s.rc.SetWriteDeadline(time.Time{})
	hdr := s.w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	s.w.WriteHeader(http.StatusOK)
	if !s.write(ctx, "retry: 3000\n\n") {
		return
	}
	sub := s.h.events.Subscribe(0)
	defer func() { sub.Close() }()
	if !s.catchUp(ctx) {
		return
	}
	beat := s.h.heartbeat
	if beat <= 0 {
		beat = defaultHeartbeat
	}
	tick := time.NewTicker(beat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, open := <-sub.C():
			if !open { // dropped for lagging: resume from the store
				sub = s.h.events.Subscribe(0)
				if !s.catchUp(ctx) {
					return
				}
				continue
			}
			if !s.live(ctx, e) {
				return
			}
		case <-tick.C:
			// Catching up here also serves replicas whose bus missed a row.
			if !s.catchUp(ctx) || !s.write(ctx, ": ping\n\n") {
				return
			}
		}
	}
}

// live sends one event from the bus if it is new and visible.
func (s *sseStream) live(ctx context.Context, e scout.Event) bool {
	if e.ID <= s.cursor {
		return true
	}
	s.cursor = e.ID
	if !s.v.CanSee(e) {
		return true
	}
	return s.send(ctx, e)
}

// catchUp sends what the store holds after the cursor.
func (s *sseStream) catchUp(ctx context.Context) bool {
	for {
		page, err := s.h.st.ListChanges(ctx, s.v, s.cursor, sseCatchUpPage)
		if store.IsCursorExpired(err) {
			s.write(ctx, "event: reset\ndata: {\"reason\":\"cursor-expired\"}\n\n")
			return false
		}
		if err != nil {
			if ctx.Err() == nil {
				s.h.log.LogAttrs(ctx, slog.LevelError, "event stream catch-up failed", slog.Int64("after", s.cursor), slog.Any("err", err))
			}
			return false
		}
		for _, e := range page.Events {
			if !s.send(ctx, e) {
				return false
			}
		}
		s.cursor = max(s.cursor, page.Next)
		if !page.More {
			return true
		}
	}
}

func (s *sseStream) send(ctx context.Context, e scout.Event) bool {
	data, err := json.Marshal(changeDTO(e))
	if err != nil {
		return false
	}
	return s.write(ctx, fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Type, data))
}

// write sends a chunk and flushes it; false means the client is gone.
func (s *sseStream) write(ctx context.Context, chunk string) bool {
	if ctx.Err() != nil {
		return false
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout))
	if _, err := io.WriteString(s.w, chunk); err != nil {
		return false
	}
	return s.rc.Flush() == nil
}
