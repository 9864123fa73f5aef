package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
)

// The CommonGrants routes serve Scout's merged opportunities in the shape
// of HHS's open CommonGrants protocol (OpportunityBase, camelCase), so that
// any CommonGrants client can read them. Who sees what is exactly as on
// /v1/opportunities; what CommonGrants has no field for travels in
// customFields. The mapping is in commongrants_map.go.

// CGListInput pages the CommonGrants list by number.
type CGListInput struct {
	Page     int  `query:"page" minimum:"1" maximum:"2147483647" default:"1" doc:"the page to return, from 1; a page past the last is empty"`
	PageSize int  `query:"pageSize" minimum:"1" maximum:"100" default:"100" doc:"opportunities per page"`
	Total    bool `query:"total" doc:"count every opportunity you can see into totalItems and totalPages, at the cost of a pass over them all; without it they are given only when the list ends on or before this page (which costs nothing), and a client pages on until a page comes back short"`
}

// CGIDInput names an opportunity by its CommonGrants id.
type CGIDInput struct {
	ID string `path:"id" format:"uuid" maxLength:"36" doc:"the opportunity's CommonGrants id (the id of an item of the list)"`
}

// CGPaginationInfo says where a page sits in the whole list. CommonGrants
// requires only page and pageSize; the totals are given when known (see
// CGListInput.Total).
type CGPaginationInfo struct {
	Page       int  `json:"page" minimum:"1"`
	PageSize   int  `json:"pageSize" minimum:"1"`
	TotalItems *int `json:"totalItems,omitempty" minimum:"0" doc:"opportunities you can see, in all: given with total=true, or when the list ends on or before this page"`
	TotalPages *int `json:"totalPages,omitempty" minimum:"0" doc:"given with totalItems"`
}

// CGListOutput is a CommonGrants paginated response.
type CGListOutput struct {
	Body struct {
		Status         int              `json:"status" doc:"200"`
		Message        string           `json:"message"`
		Items          []CGOpportunity  `json:"items" doc:"most recently modified first"`
		PaginationInfo CGPaginationInfo `json:"paginationInfo"`
	}
}

// CGOutput is a CommonGrants response with one opportunity.
type CGOutput struct {
	Body struct {
		Status  int           `json:"status" doc:"200"`
		Message string        `json:"message"`
		Data    CGOpportunity `json:"data"`
	}
}

func (h *Handler) registerCommonGrants(api huma.API) {
	huma.Register(api, op("listCommonGrantsOpportunities", http.MethodGet, "/common-grants/opportunities",
		"List the opportunities you can see as CommonGrants records", scout.ScopeRead, "common-grants"), h.listCommonGrants)
	huma.Register(api, withNotFound(op("getCommonGrantsOpportunity", http.MethodGet, "/common-grants/opportunities/{id}",
		"Get one opportunity as a CommonGrants record", scout.ScopeRead, "common-grants")), h.getCommonGrants)
}

func (h *Handler) listCommonGrants(ctx context.Context, in *CGListInput) (*CGListOutput, error) {
	p, err := h.st.ListModifiedOpportunities(ctx, viewer(ctx), (in.Page-1)*in.PageSize, in.PageSize, in.Total)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	now := h.now()
	out := &CGListOutput{}
	out.Body.Status, out.Body.Message = http.StatusOK, "Success"
	out.Body.Items = nonNil(mapSlice(p.Items, func(o scout.MergedOpportunity) CGOpportunity { return cgOpportunity(o, now) }))
	out.Body.PaginationInfo = CGPaginationInfo{Page: in.Page, PageSize: in.PageSize}
	if p.Counted {
		pages := (p.Total + in.PageSize - 1) / in.PageSize
		out.Body.PaginationInfo.TotalItems, out.Body.PaginationInfo.TotalPages = &p.Total, &pages
	}
	return out, nil
}

func (h *Handler) getCommonGrants(ctx context.Context, in *CGIDInput) (*CGOutput, error) {
	id, ok := opportunityOfUUID(in.ID)
	if !ok {
		return nil, notFoundErr("opportunity")
	}
	o, err := h.st.GetOpportunity(ctx, id, viewer(ctx))
	if errors.Is(err, scout.ErrNotFound) {
		return nil, notFoundErr("opportunity")
	}
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &CGOutput{}
	out.Body.Status, out.Body.Message, out.Body.Data = http.StatusOK, "Success", cgOpportunity(o, h.now())
	return out, nil
}
