package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Entity is an organization, place, topic, deadline or amount that items
// mention.
type Entity struct {
	ID        int64     `json:"id"`
	Type      string    `json:"type" enum:"organization,place,topic,deadline,amount"`
	Name      string    `json:"name"`
	Key       string    `json:"key" doc:"the normalized name, unique per type"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func entityDTO(e scout.Entity) Entity {
	return Entity{ID: e.ID, Type: string(e.Type), Name: e.Name, Key: e.Key, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

// ItemEntity is an entity as one item mentions it.
type ItemEntity struct {
	Entity     Entity  `json:"entity"`
	Role       string  `json:"role" doc:"funder, location, discipline, deadline, …"`
	Confidence float64 `json:"confidence"`
	Span       string  `json:"span,omitempty" doc:"the text it was read from"`
}

func itemEntityDTO(ie scout.ItemEntity) ItemEntity {
	return ItemEntity{Entity: entityDTO(ie.Entity), Role: ie.Role, Confidence: ie.Confidence, Span: ie.Span}
}

// ItemEntityListOutput lists an item's entities.
type ItemEntityListOutput struct {
	Body struct {
		Entities []ItemEntity `json:"entities"`
	}
}

// ListEntitiesInput filters entities.
type ListEntitiesInput struct {
	Type   string `query:"type" enum:"organization,place,topic,deadline,amount"`
	Prefix string `query:"prefix" maxLength:"200" doc:"start of the normalized name"`
	PageInput
}

// EntityListOutput is a page of entities.
type EntityListOutput struct {
	Body struct {
		Entities []Entity `json:"entities"`
		Next     string   `json:"next,omitempty"`
	}
}

// GetEntityInput names an entity and a page of its items.
type GetEntityInput struct {
	ID int64 `path:"id" minimum:"1"`
	PageInput
}

// EntityOutput is an entity with a page of the items you can see that mention it.
type EntityOutput struct {
	Body struct {
		Entity
		Items []Item `json:"items"`
		Next  string `json:"next,omitempty" doc:"cursor of the next page of items"`
	}
}

func (h *Handler) registerEntities(api huma.API) {
	huma.Register(api, op("listEntities", http.MethodGet, "/v1/entities", "List entities by type and name prefix", scout.ScopeRead, "entities"), h.listEntities)
	huma.Register(api, withNotFound(op("getEntity", http.MethodGet, "/v1/entities/{id}", "Get an entity with its items", scout.ScopeRead, "entities")), h.getEntity)
}

func (h *Handler) listEntities(ctx context.Context, in *ListEntitiesInput) (*EntityListOutput, error) {
	v := viewer(ctx)
	p, err := h.st.ListEntities(ctx, store.EntityFilter{Type: scout.EntityType(in.Type), Prefix: in.Prefix, Viewer: &v, PageRequest: in.page()})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &EntityListOutput{}
	out.Body.Entities, out.Body.Next = mapSlice(p.Items, entityDTO), p.Next
	return out, nil
}

func (h *Handler) getEntity(ctx context.Context, in *GetEntityInput) (*EntityOutput, error) {
	e, err := h.st.GetEntity(ctx, in.ID)
	if errors.Is(err, scout.ErrNotFound) {
		return nil, notFoundErr("entity")
	}
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	p, err := h.st.ListEntityItems(ctx, in.ID, viewer(ctx), in.page())
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	// An entity only private items of others mention is, for this caller, not there.
	if len(p.Items) == 0 && in.Cursor == "" && !principal(ctx).Admin {
		return nil, notFoundErr("entity")
	}
	now := h.now()
	out := &EntityOutput{}
	out.Body.Entity, out.Body.Next = entityDTO(e), p.Next
	out.Body.Items = nonNil(mapSlice(p.Items, func(it scout.Item) Item { return itemDTO(it, now) }))
	return out, nil
}
