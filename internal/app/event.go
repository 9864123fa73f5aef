package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/event/natsbus"
	"github.com/scoutdev/scout/internal/metrics"
)

// events are the parts that deliver the outbox.
type events struct {
	bus  *event.Bus         // feeds /v1/events in this process
	nats *natsbus.Publisher // nil unless SCOUT_NATS_URL is set
}

// buildEvents connects to NATS when configured, creating the stream if it
// is missing, so that a wrong URL fails the start with a clear error.
func (a *App) buildEvents(ctx context.Context) error {
	a.ev.bus = &event.Bus{}
	if a.cfg.NATSURL == "" {
		return nil
	}
	p, err := natsbus.Open(ctx, natsbus.Options{URL: a.cfg.NATSURL, Stream: a.cfg.NATSStream, Prefix: a.cfg.NATSSubjectPrefix})
	if err != nil {
		return err
	}
	a.ev.nats = p
	a.log.LogAttrs(ctx, slog.LevelInfo, "relaying changes to NATS JetStream", slog.String("stream", a.cfg.NATSStream),
		slog.String("subjects", a.cfg.NATSSubjectPrefix+".>"))
	return nil
}

// startEventLoops starts the outbox tail (every replica: live events for
// SSE), the keeper (closing notices, retention) and, with NATS, the relay.
// Each is owned by a.bg.
func (a *App) startEventLoops(ctx context.Context) {
	tail := &event.Tail{Store: a.Store, Bus: a.ev.bus, Log: a.log, Lag: a.metrics.OutboxLag(metrics.ReaderTail)}
	keeper := &event.Keeper{Store: a.Store, Retention: a.cfg.OutboxRetention, RelayedOnly: a.ev.nats != nil,
		ArchiveAfter: time.Duration(a.cfg.ArchiveClosedAfter) * 24 * time.Hour, Log: a.log}
	loops := []func(context.Context) error{tail.Run, keeper.Run}
	if a.ev.nats != nil {
		relay := event.NewRelay(event.RelayOptions{Store: a.Store, Publisher: a.ev.nats, Log: a.log,
			Lag: a.metrics.OutboxLag(metrics.ReaderRelay)})
		loops = append(loops, func(ctx context.Context) error {
			defer a.ev.nats.Close()
			return relay.Run(ctx)
		})
	}
	for _, run := range loops {
		a.bg.Add(1)
		go func() {
			defer a.bg.Done()
			_ = run(ctx) // each returns only when ctx ends
		}()
	}
}

// Events returns the in-process event bus.
func (a *App) Events() *event.Bus { return a.ev.bus }
