package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
)

// Fetch is one entry of a source's fetch history.
type Fetch struct {
	ID           int64     `json:"id"`
	StartedAt    time.Time `json:"started_at"`
	DurationMS   int64     `json:"duration_ms"`
	StatusCode   int       `json:"status_code,omitempty" doc:"HTTP status; absent when no response arrived"`
	Bytes        int64     `json:"bytes"`
	NotModified  bool      `json:"not_modified"`
	ItemsSeen    int       `json:"items_seen"`
	ItemsNew     int       `json:"items_new"`
	ItemsUpdated int       `json:"items_updated"`
	ErrorClass   string    `json:"error_class,omitempty"`
	Error        string    `json:"error,omitempty"`
}

func fetchDTO(f scout.FetchLog) Fetch {
	return Fetch{ID: f.ID, StartedAt: f.StartedAt.UTC(), DurationMS: f.Duration.Milliseconds(), StatusCode: f.StatusCode,
		Bytes: f.Bytes, NotModified: f.NotModified, ItemsSeen: f.ItemsSeen, ItemsNew: f.ItemsNew, ItemsUpdated: f.ItemsUpdated,
		ErrorClass: string(f.ErrorClass), Error: f.Error}
}

// ListFetchesInput selects a source's newest fetches.
type ListFetchesInput struct {
	ID    int64 `path:"id" minimum:"1"`
	Limit int   `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

// FetchListOutput is a source's fetch history, newest first.
type FetchListOutput struct {
	Body struct {
		Fetches []Fetch `json:"fetches"`
	}
}

func (h *Handler) registerFetches(api huma.API) {
	huma.Register(api, withNotFound(op("listFetches", http.MethodGet, "/v1/sources/{id}/fetches",
		"A source's newest fetches", scout.ScopeRead, "sources")), h.listFetches)
}

func (h *Handler) listFetches(ctx context.Context, in *ListFetchesInput) (*FetchListOutput, error) {
	if _, err := h.visibleSource(ctx, in.ID); err != nil {
		return nil, err
	}
	logs, err := h.st.ListFetches(ctx, in.ID, in.Limit)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &FetchListOutput{}
	out.Body.Fetches = nonNil(mapSlice(logs, fetchDTO))
	return out, nil
}
