package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Item is one piece of content with its opportunity facet.
type Item struct {
	ID            int64        `json:"id"`
	SourceID      int64        `json:"source_id"`
	GUID          string       `json:"guid,omitempty"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty" doc:"sanitized HTML; only when getting one item"`
	Author        string       `json:"author,omitempty"`
	ImageURL      string       `json:"image_url,omitempty"`
	PublishedAt   time.Time    `json:"published_at"`
	DateEstimated bool         `json:"date_estimated,omitempty" doc:"the feed gave no date; this is when Scout first saw the item"`
	Categories    []string     `json:"categories"`
	Enclosures    []Enclosure  `json:"enclosures"`
	Opportunity   Opportunity  `json:"opportunity"`
	OpportunityID int64        `json:"opportunity_id,omitempty" doc:"the opportunity this item is a sighting of (GET /v1/opportunities/{id}); only when getting one item, absent when it is not an opportunity"`
	Entities      []ItemEntity `json:"entities,omitempty" doc:"only when getting one item"`
	Enrichments   []Enrichment `json:"enrichments,omitempty" doc:"only when getting one item"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	Version       int64        `json:"version"`
}

// Enclosure is an attached file.
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"`
}

// Opportunity is what the item offers, as extracted or enriched.
type Opportunity struct {
	Kind           KindName              `json:"kind"`
	KindConfidence float64               `json:"kind_confidence,omitempty"`
	Status         string                `json:"status" enum:"unknown,open,closing_soon,closed,rolling,forecasted"`
	Deadline       *time.Time            `json:"deadline,omitempty"`
	OpensAt        *time.Time            `json:"opens_at,omitempty"`
	Rolling        bool                  `json:"rolling,omitempty"`
	AmountMin      int64                 `json:"amount_min,omitempty" doc:"whole currency units"`
	AmountMax      int64                 `json:"amount_max,omitempty"`
	Currency       string                `json:"currency,omitempty"`
	Funder         string                `json:"funder,omitempty"`
	Location       string                `json:"location,omitempty"`
	Eligibility    []string              `json:"eligibility,omitempty"`
	Disciplines    []string              `json:"disciplines,omitempty"`
	Extractor      string                `json:"extractor,omitempty" doc:"the built-in extractor that read these fields from the text, e.g. rules/1; a field an enricher supplied instead names that enricher in provenance"`
	Provenance     map[string]Provenance `json:"provenance,omitempty" doc:"per field (kind, deadline, amount, funder, location, funding.entry_fee, funding.total_available, funding.per_recipient, eligibility.countries, …): who supplied the value (rules/1, feed, or an enricher's name), the text it was read from, and with what confidence"`
	KeyDates       KeyDates              `json:"key_dates" doc:"dates in the funder's own calendar (local date, time and zone) with the derived UTC instant; the iCalendar export uses the local time and zone"`
	Funding        Funding               `json:"funding"`
	Criteria       Eligibility           `json:"eligibility_criteria" doc:"who may apply, as predicates (eligibility holds the older flat tags)"`
	// provenanceJSON, when set, is written for provenance instead of
	// Provenance: the store's bytes, which are what encoding/json writes
	// for it (scout.Opportunity.ProvenanceJSON).
	provenanceJSON string
}

// Provenance says where one field came from.
type Provenance struct {
	Source     string  `json:"source" doc:"rules/1 (the built-in extractor), feed, or the enricher that supplied the value"`
	Span       string  `json:"span,omitempty"`
	Confidence float64 `json:"confidence"`
}

func itemDTO(it scout.Item, now time.Time) Item {
	o := it.Opportunity
	var prov map[string]Provenance
	if o.ProvenanceJSON == "" {
		prov = make(map[string]Provenance, len(o.Provenance))
		for k, p := range o.Provenance {
			prov[k] = Provenance(p)
		}
	}
	return Item{ID: it.ID, SourceID: it.SourceID, GUID: it.GUID, URL: it.URL, Title: it.Title, Summary: it.Summary,
		ContentHTML: it.ContentHTML, Author: it.Author, ImageURL: it.ImageURL, PublishedAt: it.PublishedAt.UTC(),
		DateEstimated: it.DateEstimated, Categories: nonNil(it.Categories),
		Enclosures: nonNil(mapSlice(it.Enclosures, func(e scout.Enclosure) Enclosure { return Enclosure(e) })),
		Opportunity: Opportunity{Kind: KindName(kindDTO(o.Kind)), KeyDates: keyDatesDTO(o.KeyDates), Funding: fundingDTO(o.Funding),
			Criteria: eligibilityDTO(o.Criteria), KindConfidence: o.KindConfidence, Status: string(o.StatusAt(now)),
			Deadline: timePtr(o.Deadline), OpensAt: timePtr(o.OpensAt), Rolling: o.Rolling, AmountMin: o.AmountMin,
			AmountMax: o.AmountMax, Currency: o.Currency, Funder: o.Funder, Location: o.Location,
			Eligibility: o.Eligibility, Disciplines: o.Disciplines, Extractor: o.Extractor, Provenance: prov,
			provenanceJSON: o.ProvenanceJSON},
		CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(), Version: it.Version}
}

// ItemOutput is one item with its entities and enrichments.
type ItemOutput struct{ Body Item }

// ItemListOutput is a page of items.
type ItemListOutput struct {
	Body ItemListOutputBody
}

// ItemListOutputBody is the page itself; it writes its own JSON (see
// itemjson.go).
type ItemListOutputBody struct {
	Items []Item `json:"items"`
	Next  string `json:"next,omitempty" doc:"cursor of the next page; absent on the last"`
}

// ListItemsInput filters, searches and orders items.
type ListItemsInput struct {
	SourceID        int64    `query:"source_id" minimum:"0"`
	Kind            string   `query:"kind" enum:"grant,fellowship,residency,commission,contest,call,scholarship,accelerator,sponsorship,job,none"`
	Tag             string   `query:"tag" maxLength:"64" doc:"a tag of the item's source"`
	PublishedAfter  When     `query:"published_after" doc:"inclusive"`
	PublishedBefore When     `query:"published_before" doc:"exclusive"`
	DeadlineAfter   When     `query:"deadline_after" doc:"inclusive"`
	DeadlineBefore  When     `query:"deadline_before" doc:"exclusive"`
	AmountMin       int64    `query:"amount_min" minimum:"0" doc:"items whose maximum amount is at least this"`
	AmountMax       int64    `query:"amount_max" minimum:"0" doc:"items whose minimum amount is at most this"`
	UpdatedSince    When     `query:"updated_since" doc:"items changed at or after this time"`
	Fee             string   `query:"fee" enum:"free,paid,any" doc:"free: stated free to enter; paid: an entry fee above zero; any (the default) does not filter. Items that state no fee match neither free nor paid"`
	FeeMax          string   `query:"fee_max" pattern:"^[0-9]{1,7}(\\.[0-9]{1,2})?$" doc:"a stated entry fee of at most this, in its own currency's units (0: free only)"`
	ClosingWithin   Within   `query:"closing_within" doc:"deadline instant from now to now plus this: days or hours from 1 to 999, as 7d or 48h"`
	AwardMin        int64    `query:"award_min" minimum:"0" doc:"what one recipient gets in all (funding.per_recipient.max) is at least this, in whole units of its currency"`
	Applicant       string   `query:"applicant" enum:"individual,collective,organization,nonprofit" doc:"items that name this applicant type among who may apply"`
	Country         string   `query:"country" pattern:"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$" doc:"ISO 3166 code applicants must live in or be citizens of: a country (GB) also matches its subdivisions (GB-SCT)"`
	Status          []string `query:"status" maxItems:"6" enum:"open,closing_soon,closed,rolling,unknown,forecasted" doc:"comma-separated deadline statuses, any of which matches, judged at request time as opportunity.status is: open means accepting applications (status open, closing_soon or rolling); the others match exactly (closing_soon: the deadline is within 14 days)"`
	Q               string   `query:"q" maxLength:"500" doc:"full-text search: words, \"phrases\", -excluded, a OR b"`
	Sort            string   `query:"sort" enum:"published,deadline,relevance" default:"published" doc:"relevance needs q; with SQLite, a q that matches more than 20,000 items is ranked among the 20,000 most recently stored of them"`
	PageInput
}

func (in *ListItemsInput) filter(v store.Viewer, now time.Time) store.ItemFilter {
	return store.ItemFilter{Viewer: v, SourceID: in.SourceID, Kind: scout.Kind(in.Kind), Tag: in.Tag,
		PublishedAfter: in.PublishedAfter.Time, PublishedBefore: in.PublishedBefore.Time, DeadlineAfter: in.DeadlineAfter.Time,
		DeadlineBefore: in.DeadlineBefore.Time, AmountAtLeast: in.AmountMin, AmountAtMost: in.AmountMax,
		UpdatedSince: in.UpdatedSince.Time, ClosingWithin: in.ClosingWithin.Duration, Fee: store.FeeFilter(in.Fee),
		FeeAtMost: feeMax(in.FeeMax), AwardAtLeast: in.AwardMin, Applicant: scout.ApplicantType(in.Applicant), Country: in.Country, Statuses: statusFilter(in.Status), Now: now, Query: in.Q,
		Sort: store.ItemSort(in.Sort), PageRequest: in.page()}
}

// feeMax reads fee_max (checked by the parameter's pattern); nil when absent.
func feeMax(s string) *float64 {
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

// statusFilter turns the status parameter into the store's exact statuses:
// open, as a client asks it, means accepting applications, so it takes in
// the statuses of an opportunity that can still be applied to.
func statusFilter(in []string) []scout.OpportunityStatus {
	var out []scout.OpportunityStatus
	for _, s := range in {
		if st := scout.OpportunityStatus(s); st == scout.StatusOpen {
			out = append(out, scout.StatusOpen, scout.StatusClosingSoon, scout.StatusRolling)
		} else {
			out = append(out, st)
		}
	}
	return out
}

func (h *Handler) registerItems(api huma.API) {
	huma.Register(api, op("listItems", http.MethodGet, "/v1/items", "List and search the items you can see", scout.ScopeRead, "items"), h.listItems)
	huma.Register(api, withNotFound(op("getItem", http.MethodGet, "/v1/items/{id}", "Get an item with its entities and enrichments", scout.ScopeRead, "items")), h.getItem)
	huma.Register(api, withNotFound(op("listItemEntities", http.MethodGet, "/v1/items/{id}/entities", "The entities linked to an item", scout.ScopeRead, "items")), h.listItemEntities)
}

func (h *Handler) listItems(ctx context.Context, in *ListItemsInput) (*ItemListOutput, error) {
	now := h.now()
	f := in.filter(viewer(ctx), now)
	f.ProvenanceJSON = true // the page writer serves it as stored
	p, err := h.st.ListItems(ctx, f)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &ItemListOutput{}
	out.Body.Items = mapSlice(p.Items, func(it scout.Item) Item { return itemDTO(it, now) })
	out.Body.Next = p.Next
	return out, nil
}

func (h *Handler) getItem(ctx context.Context, in *IDInput) (*ItemOutput, error) {
	it, err := h.visibleItem(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	enr, err := h.st.ListEnrichments(ctx, it.ID)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	dto := itemDTO(it, h.now())
	dto.Entities, dto.Enrichments = mapSlice(it.Entities, itemEntityDTO), mapSlice(enr, enrichmentDTO)
	if dto.OpportunityID, err = h.st.GetItemOpportunity(ctx, it.ID); err != nil && !errors.Is(err, scout.ErrNotFound) {
		return nil, h.problem(ctx, err)
	}
	return &ItemOutput{Body: dto}, nil
}

func (h *Handler) listItemEntities(ctx context.Context, in *IDInput) (*ItemEntityListOutput, error) {
	it, err := h.visibleItem(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &ItemEntityListOutput{}
	out.Body.Entities = nonNil(mapSlice(it.Entities, itemEntityDTO))
	return out, nil
}

// visibleItem returns item id if the caller may see its source; otherwise
// the same 404 as for an item that does not exist.
func (h *Handler) visibleItem(ctx context.Context, id int64) (scout.Item, error) {
	it, err := h.st.GetItem(ctx, id)
	if errors.Is(err, scout.ErrNotFound) {
		return scout.Item{}, notFoundErr("item")
	}
	if err != nil {
		return scout.Item{}, h.problem(ctx, err)
	}
	if _, err := h.visibleSource(ctx, it.SourceID); err != nil {
		return scout.Item{}, notFoundErr("item")
	}
	return it, nil
}
