package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// EnrichmentData is the documented shape of an enricher's result. Every
// field is optional; attributes holds anything else, as a JSON object.
// Kind, deadline and the first award amount (type award or none) become the
// item's opportunity fields when the server's SCOUT_ENRICHER_PRECEDENCE
// ranks the enricher above the extractor that found them, or when the
// extractor found none and the enricher is listed at all; the store reads
// them by these JSON names.
type EnrichmentData struct {
	Summary    string         `json:"summary,omitempty" maxLength:"5000"`
	Kind       string         `json:"kind,omitempty" enum:"grant,fellowship,residency,commission,contest,call,scholarship,accelerator,sponsorship,job,none"`
	Deadline   *time.Time     `json:"deadline,omitempty"`
	Amounts    []Amount       `json:"amounts,omitempty" maxItems:"20"`
	Tags       []string       `json:"tags,omitempty" maxItems:"50"`
	Relevance  *float64       `json:"relevance,omitempty" minimum:"0" maximum:"1" doc:"0 (irrelevant) to 1 (certainly an opportunity)"`
	Confidence *float64       `json:"confidence,omitempty" minimum:"0" maximum:"1" doc:"how sure the enricher is of the kind, deadline and amounts it states; recorded in their provenance when they take effect"`
	Attributes map[string]any `json:"attributes,omitempty" doc:"free-form fields"`
	// The record, in the shape items serve it (without provenance, which
	// names the enricher): each stated field applies as SCOUT_ENRICHER_PRECEDENCE
	// ranks the enricher for its group (kind, dates, funding, eligibility).
	KeyDates *KeyDatesInput    `json:"key_dates,omitempty" doc:"opens, deadline and other dates; a stated deadline replaces deadline"`
	Funding  *Funding          `json:"funding,omitempty" doc:"each stated field (period, duration, per_recipient, total_available, awards, entry_fee, in_kind) replaces the extractor's"`
	Criteria *EligibilityInput `json:"eligibility_criteria,omitempty" doc:"who may apply; replaces the extractor's predicates as a whole"`
}

// KeyDatesInput are an enricher's key dates.
type KeyDatesInput struct {
	Opens    *KeyDateInput  `json:"opens,omitempty"`
	Deadline *KeyDateInput  `json:"deadline,omitempty"`
	Other    []KeyDateInput `json:"other,omitempty" maxItems:"20"`
}

// KeyDateInput is one date as the funder wrote it, with its instant.
type KeyDateInput struct {
	Label string    `json:"label" maxLength:"40"`
	Date  string    `json:"date" format:"date"`
	Time  string    `json:"time,omitempty" pattern:"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"`
	Zone  string    `json:"zone,omitempty" maxLength:"64" pattern:"^([A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}|[+-][0-9]{2}:[0-9]{2}|UTC)$"`
	At    time.Time `json:"at" doc:"the UTC instant of date, time and zone"`
}

// EligibilityInput is an enricher's eligibility predicates.
type EligibilityInput struct {
	ApplicantTypes []string `json:"applicant_types,omitempty" maxItems:"4" enum:"individual,collective,organization,nonprofit"`
	CareerStages   []string `json:"career_stages,omitempty" maxItems:"10"`
	AgeMin         int      `json:"age_min,omitempty" minimum:"0" maximum:"130"`
	AgeMax         int      `json:"age_max,omitempty" minimum:"0" maximum:"130"`
	Countries      []string `json:"countries,omitempty" maxItems:"100"`
	Students       bool     `json:"students,omitempty"`
	IdentityFocus  []string `json:"identity_focus,omitempty" maxItems:"20"`
	Spans          []string `json:"spans,omitempty" maxItems:"20"`
}

// Amount is a sum of money an item mentions.
type Amount struct {
	Min      int64  `json:"min,omitempty" minimum:"0" doc:"whole currency units"`
	Max      int64  `json:"max,omitempty" minimum:"0"`
	Currency string `json:"currency" pattern:"^[A-Z]{3}$" doc:"ISO 4217"`
	Type     string `json:"type,omitempty" enum:"award,fee,pool" doc:"what the sum is: an award, an entry fee or the total pool"`
}

// Enrichment is one enricher's result for one item.
type Enrichment struct {
	Enricher  string         `json:"enricher"`
	Data      EnrichmentData `json:"data"`
	UpdatedAt time.Time      `json:"updated_at"`
	Version   int64          `json:"version"`
}

func enrichmentDTO(e scout.Enrichment) Enrichment {
	var d EnrichmentData
	_ = json.Unmarshal(e.Data, &d) // written through the same type; an odd row shows as empty
	return Enrichment{Enricher: e.Enricher, Data: d, UpdatedAt: e.UpdatedAt.UTC(), Version: e.Version}
}

// PutEnrichmentInput stores an enricher's result. An enricher's name has no
// slash, so built-in names such as "rules/1" cannot be written through the API.
type PutEnrichmentInput struct {
	ID       int64          `path:"id" minimum:"1"`
	Enricher string         `path:"enricher" pattern:"^[a-z0-9][a-z0-9._-]{0,63}$" doc:"the enricher's name, e.g. ai-summary"`
	Body     EnrichmentData `required:"true"`
}

// EnrichmentOutput is a stored result.
type EnrichmentOutput struct{ Body Enrichment }

// ClaimInput asks for a batch of items an enricher has not processed.
type ClaimInput struct {
	Body struct {
		Enricher     string `json:"enricher" pattern:"^[a-z0-9][a-z0-9._-]{0,63}$"`
		Limit        int    `json:"limit,omitempty" minimum:"1" maximum:"100" default:"10"`
		LeaseSeconds int    `json:"lease_seconds,omitempty" minimum:"10" maximum:"3600" default:"300" doc:"how long the items stay yours"`
	}
}

// ClaimOutput is the leased batch.
type ClaimOutput struct {
	Body struct {
		Items      []Item    `json:"items"`
		LeaseUntil time.Time `json:"lease_until" doc:"write results before this, or the items go back to the queue"`
	}
}

func (h *Handler) registerEnrichment(api huma.API) {
	huma.Register(api, withNotFound(op("putEnrichment", http.MethodPut, "/v1/items/{id}/enrichments/{enricher}",
		"Store an enricher's result for an item", scout.ScopeEnrich, "enrichment")), h.putEnrichment)
	huma.Register(api, op("claimEnrichment", http.MethodPost, "/v1/enrichment/claim",
		"Lease a batch of items the enricher has not processed", scout.ScopeEnrich, "enrichment"), h.claimEnrichment)
}

func (h *Handler) putEnrichment(ctx context.Context, in *PutEnrichmentInput) (*EnrichmentOutput, error) {
	it, err := h.visibleItem(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := h.mayEnrich(ctx, it); err != nil {
		return nil, err
	}
	data, err := json.Marshal(in.Body)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	e, err := h.st.PutEnrichment(ctx, scout.Enrichment{ItemID: in.ID, Enricher: in.Enricher, Data: data})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &EnrichmentOutput{Body: enrichmentDTO(e)}, nil
}

func (h *Handler) claimEnrichment(ctx context.Context, in *ClaimInput) (*ClaimOutput, error) {
	lease := time.Duration(in.Body.LeaseSeconds) * time.Second
	now := h.now()
	items, err := h.st.ClaimEnrichment(ctx, in.Body.Enricher, in.Body.Limit, lease, enrichView(principal(ctx)))
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &ClaimOutput{}
	out.Body.Items = nonNil(mapSlice(items, func(it scout.Item) Item { return itemDTO(it, now) }))
	out.Body.LeaseUntil = now.Add(lease).UTC()
	return out, nil
}

// Enrichments can override what every reader of an item sees, so writing one
// is a write to the item: a caller enriches the items of sources it owns, and
// only admin users (the AI module's service account, even through a key
// scoped just read,enrich) enrich items of sources they do not own, such as
// public ones. Without this, any user could rewrite public items.
func enrichView(p auth.Principal) store.Viewer {
	if p.UserAdmin {
		return store.Viewer{UserID: p.UserID, Admin: true}
	}
	return store.Viewer{UserID: p.UserID, OwnedOnly: true}
}

func (h *Handler) mayEnrich(ctx context.Context, it scout.Item) error {
	p := principal(ctx)
	if p.UserAdmin {
		return nil
	}
	src, err := h.st.GetSource(ctx, it.SourceID)
	if err != nil {
		return h.problem(ctx, err)
	}
	if src.OwnerID == 0 || src.OwnerID != p.UserID {
		return huma.Error403Forbidden("only the source's owner or an admin account may enrich this item")
	}
	return nil
}
