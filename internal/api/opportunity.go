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

// MergedOpportunity is one real opportunity: its fields merged from the
// sightings you may see, which sighting supplied each, and those sightings.
type MergedOpportunity struct {
	ID          int64                  `json:"id"`
	Title       string                 `json:"title" doc:"the title of the preferred sighting (the funder's own page or a structured source, else the newest)"`
	URL         string                 `json:"url,omitempty"`
	Opportunity Opportunity            `json:"opportunity" doc:"merged field by field from the sightings you may see"`
	Fields      map[string]FieldSource `json:"fields" doc:"per merged field (kind, deadline, opens, rolling, amount, funder, location, eligibility, disciplines, funding.total_available, funding.awards, funding.entry_fee, funding.in_kind, key_dates.other, criteria): the sighting it came from; each field is whole from one sighting (the deadline with its local date and zone, the award with its period)"`
	Sightings   []Sighting             `json:"sightings" doc:"the places you may see it was posted, preferred first"`
	CreatedAt   time.Time              `json:"created_at" doc:"when the first of the sightings you may see was written"`
	UpdatedAt   time.Time              `json:"updated_at" doc:"the latest change you can see: a sighting you may see written, its item amended, moved in by a merge or out by a split, or one you could see leaving (split off, pruned, archived, its source deleted or its visibility changed); changes to sightings you may not see never move it"`
	Version     int64                  `json:"version" doc:"grows by at least one with each change that moves updated_at for you, and with no other; it counts your view's changes, so two viewers of one opportunity may be served different versions"`
}

// FieldSource names the sighting a merged field came from.
type FieldSource struct {
	SightingID int64  `json:"sighting_id"`
	ItemID     int64  `json:"item_id"`
	Extractor  string `json:"extractor,omitempty" doc:"the extractor or enricher that supplied it on that sighting"`
}

// Sighting is one place an opportunity was posted.
type Sighting struct {
	ID          int64     `json:"id"`
	ItemID      int64     `json:"item_id"`
	SourceID    int64     `json:"source_id"`
	Title       string    `json:"title"`
	URL         string    `json:"url,omitempty"`
	PublishedAt time.Time `json:"published_at"`
	Span        string    `json:"span,omitempty" doc:"the part of the item that describes this opportunity, when the item announces several"`
	Confidence  float64   `json:"confidence" doc:"how sure the matcher was that this sighting is this opportunity; 1 for the first and for an operator's decision"`
	Evidence    []string  `json:"evidence" doc:"why: shared keys (u: landing URL, n: opportunity number, d: DOI), deadline, funder, text and title similarity"`
	Pinned      string    `json:"pinned,omitempty" enum:"merged,split" doc:"an operator's decision, kept across re-fetches"`
}

func mergedDTO(o scout.MergedOpportunity, now time.Time) MergedOpportunity {
	facet := itemDTO(scout.Item{Opportunity: o.Opportunity}, now).Opportunity
	fields := make(map[string]FieldSource, len(o.Fields))
	for k, f := range o.Fields {
		fields[k] = FieldSource(f)
	}
	return MergedOpportunity{ID: o.ID, Title: o.Title, URL: o.URL, Opportunity: facet, Fields: fields,
		Sightings: mapSlice(o.Sightings, func(g scout.Sighting) Sighting {
			return Sighting{ID: g.ID, ItemID: g.ItemID, SourceID: g.SourceID, Title: g.Item.Title, URL: g.Item.URL,
				PublishedAt: g.Item.PublishedAt.UTC(), Span: g.Span, Confidence: g.Confidence, Evidence: nonNil(g.Evidence), Pinned: g.Pinned}
		}),
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(), Version: o.Version}
}

// OpportunityOutput is one opportunity.
type OpportunityOutput struct{ Body MergedOpportunity }

// OpportunityListOutput is a page of opportunities.
type OpportunityListOutput struct {
	Body struct {
		Opportunities []MergedOpportunity `json:"opportunities"`
		Next          string              `json:"next,omitempty" doc:"cursor of the next page; absent on the last"`
	}
}

// ListOpportunitiesInput filters opportunities by their sightings: the item
// filters select sightings, and an opportunity is listed once when any of
// its sightings you may see is selected.
type ListOpportunitiesInput struct {
	ListItemsInput
}

// MergeOpportunityInput names the opportunity merged into id.
type MergeOpportunityInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		From int64 `json:"from" minimum:"1" doc:"the opportunity whose sightings move into this one; it is deleted"`
	}
}

// SplitSightingInput names the sighting to split out.
type SplitSightingInput struct {
	ID int64 `path:"id" minimum:"1" doc:"a sighting id"`
}

// SplitOutput is the new opportunity of a split sighting.
type SplitOutput struct{ Body MergedOpportunity }

func (h *Handler) registerOpportunities(api huma.API) {
	huma.Register(api, op("listOpportunities", http.MethodGet, "/v1/opportunities",
		"List the opportunities you can see, each once with the places it was posted", scout.ScopeRead, "opportunities"), h.listOpportunities)
	huma.Register(api, withNotFound(op("getOpportunity", http.MethodGet, "/v1/opportunities/{id}",
		"Get an opportunity with its sightings", scout.ScopeRead, "opportunities")), h.getOpportunity)
	merge := withNotFound(op("mergeOpportunities", http.MethodPost, "/v1/opportunities/{id}/merge",
		"Merge another opportunity into this one, for good (admin)", scout.ScopeAdmin, "opportunities"))
	huma.Register(api, merge, h.mergeOpportunities)
	split := withNotFound(op("splitSighting", http.MethodPost, "/v1/sightings/{id}/split",
		"Move a sighting out to an opportunity of its own, for good (admin)", scout.ScopeAdmin, "opportunities"))
	split.DefaultStatus = http.StatusCreated
	huma.Register(api, split, h.splitSighting)
}

func (h *Handler) listOpportunities(ctx context.Context, in *ListOpportunitiesInput) (*OpportunityListOutput, error) {
	now := h.now()
	p, err := h.st.ListOpportunities(ctx, in.filter(viewer(ctx), now))
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &OpportunityListOutput{}
	out.Body.Opportunities = nonNil(mapSlice(p.Items, func(o scout.MergedOpportunity) MergedOpportunity { return mergedDTO(o, now) }))
	out.Body.Next = p.Next
	return out, nil
}

func (h *Handler) getOpportunity(ctx context.Context, in *IDInput) (*OpportunityOutput, error) {
	o, err := h.st.GetOpportunity(ctx, in.ID, viewer(ctx))
	if errors.Is(err, scout.ErrNotFound) {
		return nil, notFoundErr("opportunity")
	}
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &OpportunityOutput{Body: mergedDTO(o, h.now())}, nil
}

func (h *Handler) mergeOpportunities(ctx context.Context, in *MergeOpportunityInput) (*OpportunityOutput, error) {
	o, err := h.st.MergeOpportunities(ctx, in.ID, in.Body.From)
	if errors.Is(err, scout.ErrNotFound) {
		return nil, notFoundErr("opportunity")
	}
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &OpportunityOutput{Body: mergedDTO(o, h.now())}, nil
}

func (h *Handler) splitSighting(ctx context.Context, in *SplitSightingInput) (*SplitOutput, error) {
	id, err := h.st.SplitSighting(ctx, in.ID)
	if errors.Is(err, scout.ErrNotFound) {
		return nil, notFoundErr("sighting")
	}
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	o, err := h.st.GetOpportunity(ctx, id, store.Viewer{Admin: true})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &SplitOutput{Body: mergedDTO(o, h.now())}, nil
}
