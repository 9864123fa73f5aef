package scout

import (
	"encoding/json"
	"time"
)

// EntityType is what an entity stands for.
type EntityType string

// The entity types.
const (
	EntityOrganization EntityType = "organization"
	EntityPlace        EntityType = "place"
	EntityTopic        EntityType = "topic"
	EntityDeadline     EntityType = "deadline"
	EntityAmount       EntityType = "amount"
)

// Entity is a node of the graph in relational form: an organization, place,
// topic, date or amount that items link to.
type Entity struct {
	ID        int64
	Type      EntityType
	Name      string // as first seen
	Key       string // normalized name, unique per type
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// ItemEntity links an item to an entity with a role, e.g. a funder.
type ItemEntity struct {
	Entity     Entity
	Role       string // "funder", "location", "discipline", "deadline", …
	Confidence float64
	Span       string // the text it was read from
}

// Enrichment is a result written back for an item by an enricher (the
// built-in extractor or an external module such as the AI module).
type Enrichment struct {
	ID        int64
	ItemID    int64
	Enricher  string          // e.g. "rules/1", "ai-summary"
	Data      json.RawMessage // validated by the API against its schema
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Event is a change, written to the outbox in the same transaction as the
// change itself and relayed afterwards (SSE, NATS).
type Event struct {
	ID         int64  // outbox sequence: commit order
	Type       string // e.g. "item.created", "source.failed"
	SourceID   int64
	ItemID     int64
	OwnerID    int64 // owner of the source, for access filtering; 0 = installation
	Visibility Visibility
	Payload    json.RawMessage
	CreatedAt  time.Time
}

// The event types.
const (
	EventSourceCreated = "source.created"
	EventSourceUpdated = "source.updated"
	EventSourceDeleted = "source.deleted"
	EventSourceFailed  = "source.failed"
	EventItemCreated   = "item.created"
	EventItemUpdated   = "item.updated"
	EventEnrichment    = "enrichment.updated"
)
