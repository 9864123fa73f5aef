package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// insertEvent writes an outbox row in the caller's transaction, so that the
// event exists exactly when the change it describes was committed.
func insertEvent(ctx context.Context, tx *tx, e scout.Event) error {
	if len(e.Payload) == 0 {
		e.Payload = json.RawMessage("{}")
	}
	if _, ok := tx.d.(OutboxSequencer); ok {
		tx.events = append(tx.events, e) // appended at commit (see appendEvents)
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (type, source_id, item_id, owner_id, visibility, payload, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.Type, e.SourceID, e.ItemID, e.OwnerID, e.Visibility, string(e.Payload), tx.now.UnixMicro())
	if err != nil {
		return fmt.Errorf("insert %s event: %w", e.Type, err)
	}
	return nil
}

type sourcePayload struct {
	ID         int64            `json:"id"`
	URL        string           `json:"url"`
	Title      string           `json:"title"`
	Status     string           `json:"status"`
	ErrorClass string           `json:"error_class,omitempty"`
	Error      string           `json:"error,omitempty"`
	Version    int64            `json:"version"`
	Deleted    bool             `json:"deleted,omitempty"`
	Visibility scout.Visibility `json:"visibility"`
}

func sourceEvent(typ string, s scout.Source) scout.Event {
	p := sourcePayload{ID: s.ID, URL: s.URL, Title: s.Title, Status: string(s.Health()), ErrorClass: string(s.LastErrorClass),
		Error: s.LastError, Version: s.Version, Deleted: !s.DeletedAt.IsZero(), Visibility: s.Visibility}
	return scout.Event{Type: typ, SourceID: s.ID, OwnerID: s.OwnerID, Visibility: s.Visibility, Payload: json.RawMessage(mustJSON(p))}
}

type itemPayload struct {
	ID       int64      `json:"id"`
	SourceID int64      `json:"source_id"`
	Title    string     `json:"title"`
	URL      string     `json:"url,omitempty"`
	Kind     scout.Kind `json:"kind,omitempty"`
	Deadline *time.Time `json:"deadline,omitempty"`
	Version  int64      `json:"version"`
}

func itemEvent(typ string, src scout.Source, it scout.Item) scout.Event {
	p := itemPayload{ID: it.ID, SourceID: it.SourceID, Title: it.Title, URL: it.URL, Kind: it.Opportunity.Kind, Version: it.Version}
	if !it.Opportunity.Deadline.IsZero() {
		d := it.Opportunity.Deadline
		p.Deadline = &d
	}
	return scout.Event{Type: typ, SourceID: src.ID, ItemID: it.ID, OwnerID: src.OwnerID, Visibility: src.Visibility,
		Payload: json.RawMessage(mustJSON(p))}
}

// appendEvents writes the events the transaction collected for an engine
// that numbers them after commit, in one statement, after every row lock
// the transaction takes: a transaction that waited for another's lock
// appends after that one committed.
func (t *tx) appendEvents(ctx context.Context) error {
	sq, ok := t.d.(OutboxSequencer)
	if !ok || len(t.events) == 0 {
		return nil
	}
	if err := sq.AppendEvents(ctx, t.Tx, t.events, t.now.UnixMicro()); err != nil {
		return err
	}
	t.events = t.events[:0]
	return nil
}

// ListEvents returns outbox events with ID > after, in commit order.
func (s *Store) ListEvents(ctx context.Context, after int64, limit int) ([]scout.Event, error) {
	return s.listEvents(ctx, after, limit, true)
}

// FollowEvents is ListEvents without waiting for another replica's
// sequencer (see store.Store).
func (s *Store) FollowEvents(ctx context.Context, after int64, limit int) ([]scout.Event, error) {
	return s.listEvents(ctx, after, limit, false)
}

func (s *Store) listEvents(ctx context.Context, after int64, limit int, wait bool) ([]scout.Event, error) {
	if err := s.sequenceWaiting(ctx, wait); err != nil {
		return nil, fmt.Errorf("list events after %d: %w", after, err)
	}
	rows, err := s.R.QueryContext(ctx, `SELECT id, type, source_id, item_id, owner_id, visibility, payload, created_at
		FROM outbox WHERE id > $1 ORDER BY id LIMIT $2`, after, limitOf(limit, 100, 1000))
	if err != nil {
		return nil, fmt.Errorf("list events after %d: %w", after, err)
	}
	evs, err := collect(rows, func(sc interface{ Scan(...any) error }) (scout.Event, error) {
		var e scout.Event
		var payload string
		var created sql.NullInt64
		err := sc.Scan(&e.ID, &e.Type, &e.SourceID, &e.ItemID, &e.OwnerID, &e.Visibility, &payload, &created)
		e.Payload, e.CreatedAt = json.RawMessage(payload), fromMicros(created)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list events after %d: %w", after, err)
	}
	return evs, nil
}

// announceEntity writes entity.created for an entity the transaction
// just inserted.
func announceEntity(ctx context.Context, tx *tx, src scout.Source, itemID, id int64, e scout.Entity) error {
	p := mustJSON(map[string]any{"id": id, "type": e.Type, "name": truncate(e.Name, 500), "item_id": itemID})
	return insertEvent(ctx, tx, scout.Event{Type: store.EventEntityCreated, SourceID: src.ID, ItemID: itemID, OwnerID: src.OwnerID,
		Visibility: src.Visibility, Payload: json.RawMessage(p)})
}
