package natsbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/scout"
)

// Defaults of Options.
const (
	DefaultStream     = "SCOUT"
	DefaultPrefix     = "scout"
	DefaultDuplicates = 10 * time.Minute
	DefaultTimeout    = 10 * time.Second
)

// Options configure Open; zero fields take the defaults.
type Options struct {
	URL    string // nats://host:4222; required
	Stream string // JetStream stream name
	Prefix string // subject prefix; the stream captures Prefix + ".>"
	// Duplicates is the stream's de-duplication window, used only when
	// the stream is created here. Redeliveries of one outbox row within it
	// are stored once.
	Duplicates time.Duration
	Timeout    time.Duration // connect and per-publish acknowledgement wait
}

// Publisher publishes outbox events to JetStream. It is safe for
// concurrent use, but the relay calls it from one goroutine so that
// events of a subject keep their order.
type Publisher struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	opts    Options
	timeout time.Duration
}

var _ event.Publisher = (*Publisher)(nil)

// Open connects to NATS and makes sure the stream exists.
func Open(ctx context.Context, opts Options) (*Publisher, error) {
	if opts.URL == "" {
		return nil, errors.New("open nats: no URL")
	}
	opts = withDefaults(opts)
	nc, err := nats.Connect(opts.URL, nats.Name("scout"), nats.Timeout(opts.Timeout), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("open nats %s: %w", redact(opts.URL), err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("open jetstream %s: %w", redact(opts.URL), err)
	}
	p := &Publisher{nc: nc, js: js, opts: opts, timeout: opts.Timeout}
	if err := p.EnsureStream(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return p, nil
}

func withDefaults(o Options) Options {
	if o.Stream == "" {
		o.Stream = DefaultStream
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Duplicates <= 0 {
		o.Duplicates = DefaultDuplicates
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// EnsureStream creates the stream when it is missing. An existing stream
// is left as the operator configured it.
func (p *Publisher) EnsureStream(ctx context.Context) error {
	_, err := p.js.Stream(ctx, p.opts.Stream)
	if err == nil {
		return nil
	}
	if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("look up stream %s: %w", p.opts.Stream, err)
	}
	_, err = p.js.CreateStream(ctx, jetstream.StreamConfig{
		Name:        p.opts.Stream,
		Description: "Scout changes: sources, items, enrichments, closing opportunities",
		Subjects:    []string{p.opts.Prefix + ".>"},
		Storage:     jetstream.FileStorage,
		Duplicates:  p.opts.Duplicates,
	})
	if err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return fmt.Errorf("create stream %s: %w", p.opts.Stream, err)
	}
	return nil
}

// Subject returns the subject of an event: the prefix and the event type,
// with anything a subject token may not hold replaced by "_".
func (p *Publisher) Subject(e scout.Event) string {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == '*' || r == '>' || r > 0x7e {
			return '_'
		}
		return r
	}, e.Type)
	return p.opts.Prefix + "." + strings.Trim(clean, ".")
}

// Envelope is the JSON body of every message.
type Envelope struct {
	ID         int64            `json:"id"`
	Type       string           `json:"type"`
	SourceID   int64            `json:"source_id,omitempty"`
	ItemID     int64            `json:"item_id,omitempty"`
	OwnerID    int64            `json:"owner_id,omitempty"`
	Visibility scout.Visibility `json:"visibility"`
	CreatedAt  time.Time        `json:"created_at"`
	Payload    json.RawMessage  `json:"payload"`
}

// Publish sends evs one at a time, each waiting for its acknowledgement,
// and stops at the first failure.
func (p *Publisher) Publish(ctx context.Context, evs []scout.Event) (int, error) {
	for i, e := range evs {
		if err := p.publish(ctx, e); err != nil {
			return i, err
		}
	}
	return len(evs), nil
}

func (p *Publisher) publish(ctx context.Context, e scout.Event) error {
	body, err := json.Marshal(Envelope{ID: e.ID, Type: e.Type, SourceID: e.SourceID, ItemID: e.ItemID, OwnerID: e.OwnerID,
		Visibility: e.Visibility, CreatedAt: e.CreatedAt.UTC(), Payload: payloadOf(e)})
	if err != nil {
		return fmt.Errorf("encode event %d: %w", e.ID, err)
	}
	msg := &nats.Msg{Subject: p.Subject(e), Data: body, Header: nats.Header{}}
	msg.Header.Set("Scout-Event-Type", e.Type)
	msg.Header.Set("Scout-Visibility", string(e.Visibility))
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	if _, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(strconv.FormatInt(e.ID, 10)),
		jetstream.WithExpectStream(p.opts.Stream)); err != nil {
		return fmt.Errorf("publish event %d to %s: %w", e.ID, msg.Subject, err)
	}
	return nil
}

func payloadOf(e scout.Event) json.RawMessage {
	if len(e.Payload) == 0 || !json.Valid(e.Payload) {
		return json.RawMessage("{}")
	}
	return e.Payload
}

// Close drains the connection.
func (p *Publisher) Close() error { return p.nc.Drain() }

// Stream returns the name of the stream it publishes to.
func (p *Publisher) Stream() string { return p.opts.Stream }

// JetStream returns the JetStream handle, for consumers and tests.
func (p *Publisher) JetStream() jetstream.JetStream { return p.js }

// redact drops user information from a URL for messages.
func redact(u string) string {
	if i := strings.Index(u, "@"); i >= 0 {
		if j := strings.Index(u, "://"); j >= 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}
