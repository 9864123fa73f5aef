package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Change is one entry of the change stream.
type Change struct {
	ID       int64          `json:"id" doc:"position in commit order; also the cursor to resume after this change"`
	Type     string         `json:"type" doc:"source.created, source.updated, source.deleted, source.failed, item.created, item.updated, item.deleted (archived, or pruned: data.pruned, with the opportunity_ids it was a sighting of), enrichment.updated, opportunity.closing, opportunity.amended (data: the version and its changes, each field with old and new), opportunity.deleted (its last sighting was pruned)"`
	SourceID int64          `json:"source_id,omitempty"`
	ItemID   int64          `json:"item_id,omitempty"`
	Deleted  bool           `json:"deleted,omitempty" doc:"a tombstone: the source, item or opportunity is gone (deleted, archived or pruned)"`
	At       time.Time      `json:"at"`
	Data     map[string]any `json:"data" doc:"the changed resource's identifying fields and version"`
}

func changeDTO(e scout.Event) Change {
	data := map[string]any{}
	_ = json.Unmarshal(e.Payload, &data) // the store writes JSON objects
	return Change{ID: e.ID, Type: e.Type, SourceID: e.SourceID, ItemID: e.ItemID, At: e.CreatedAt.UTC(), Data: data,
		Deleted: e.Type == scout.EventSourceDeleted || e.Type == store.EventItemDeleted || e.Type == store.EventOpportunityDeleted}
}

// ChangesInput is a position in the change stream.
type ChangesInput struct {
	Cursor string `query:"cursor" maxLength:"19" pattern:"^[0-9]*$" doc:"next_cursor of the previous page, or the id of the last change processed; empty: from the oldest change kept"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"100" doc:"changes scanned (not returned): a page may hold fewer when some are not yours to see"`
}

// ChangesOutput is a page of the change stream.
type ChangesOutput struct {
	Body struct {
		Changes    []Change `json:"changes"`
		NextCursor string   `json:"next_cursor" doc:"pass it as cursor to continue; it moves past changes you may not see"`
		HasMore    bool     `json:"has_more" doc:"true: ask again at once; false: you are caught up, poll later or use /v1/events"`
	}
}

func (h *Handler) registerChanges(api huma.API) {
	o := op("listChanges", http.MethodGet, "/v1/changes", "Every change you may see, in commit order, resumable", scout.ScopeRead, "changes")
	o.Description = "The change stream for sync: creates, updates and deletes (tombstones) of sources, items and enrichments, " +
		"and closing-soon notices, in the order they were committed. Store next_cursor and resume from it after a restart: " +
		"no change is skipped or repeated. Changes are kept for SCOUT_OUTBOX_RETENTION (a week by default); an older cursor " +
		"gets 410 with type " + problemBase + "cursor-expired, and the consumer must resynchronize from the lists."
	o.Errors = append(o.Errors, http.StatusGone)
	huma.Register(api, o, h.listChanges)
}

func (h *Handler) listChanges(ctx context.Context, in *ChangesInput) (*ChangesOutput, error) {
	after, err := parseCursor(in.Cursor, "query.cursor")
	if err != nil {
		return nil, err
	}
	page, err := h.st.ListChanges(ctx, viewer(ctx), after, in.Limit)
	if store.IsCursorExpired(err) {
		return nil, cursorExpired()
	}
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &ChangesOutput{}
	out.Body.Changes = nonNil(mapSlice(page.Events, changeDTO))
	out.Body.NextCursor, out.Body.HasMore = strconv.FormatInt(page.Next, 10), page.More
	return out, nil
}

// parseCursor reads a change cursor: an outbox id, empty for 0.
func parseCursor(s, location string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, huma.Error422UnprocessableEntity("validation failed", &huma.ErrorDetail{Location: location, Message: "is not a change cursor", Value: s})
	}
	return n, nil
}

// cursorExpired is the 410 for a cursor into pruned changes.
func cursorExpired() error {
	return &huma.ErrorModel{Type: problemBase + "cursor-expired", Title: http.StatusText(http.StatusGone), Status: http.StatusGone,
		Detail: "changes after this cursor were pruned; resynchronize from the lists and continue from a fresh cursor"}
}
