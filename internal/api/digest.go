package api

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Digest bounds.
const (
	digestDefaultWindow = 7 * 24 * time.Hour  // since, for a first digest
	digestScan          = 2000                // candidate items read per digest at most
	urgencyHalfLife     = 14 * 24 * time.Hour // a deadline this far away halves the urgency
)

// digestFormula documents the ranking; it is part of the contract.
const digestFormula = "Each opportunity appears once, with its fields merged from the sightings you may see and those sightings listed; " +
	"items are the open opportunities you may see that changed since the cursor and match your preferences: " +
	"not closed; kind in your kinds (or any kind but 'none'); maximum amount at least min_amount; deadline within " +
	"deadline_horizon_days when set; matching at least one keyword query; containing no excluded keyword in title, summary or funder; " +
	"an item that names disciplines or a location must share one with yours (items that name none are kept). " +
	"Each is ranked by score = 0.45·match + 0.35·urgency + 0.20·amount, each part in [0, 1]: " +
	"match is the mean of the parts you set — keywords: matched queries / your queries; disciplines and locations: 1 when shared, " +
	"0.5 when the item names none — or 1 when you set none of them; urgency is 1 / (1 + days to the deadline / 14), 0.25 for rolling " +
	"and 0.1 for unknown deadlines; amount is min(1, log10(1 + max amount) / 6), so 1,000,000 or more in any currency scores 1. " +
	"Ties go to the sooner deadline, then the newer item."

// DigestEntry is one ranked opportunity.
type DigestEntry struct {
	Item        Item               `json:"item" doc:"the preferred sighting's item, with the opportunity's merged fields (an item not yet matched: itself)"`
	Opportunity *MergedOpportunity `json:"opportunity,omitempty" doc:"the opportunity, once, with every place you may see it was posted"`
	Score       float64            `json:"score" doc:"0.45·match + 0.35·urgency + 0.20·amount"`
	Match       float64            `json:"match"`
	Urgency     float64            `json:"urgency"`
	Amount      float64            `json:"amount"`
}

// DigestOutput is a digest.
type DigestOutput struct {
	Body struct {
		Since  time.Time     `json:"since" doc:"items changed after this are included"`
		Items  []DigestEntry `json:"items"`
		Cursor string        `json:"cursor" doc:"POST it to /v1/digest/read to mark this digest read"`
	}
}

// DigestInput selects a digest.
type DigestInput struct {
	Since When `query:"since" doc:"default: your digest cursor, or 7 days ago for a first digest"`
	Limit int  `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

// MarkDigestReadInput carries a digest cursor.
type MarkDigestReadInput struct {
	Body struct {
		Cursor string `json:"cursor" minLength:"1" maxLength:"512"`
	}
}

func (h *Handler) registerDigest(api huma.API) {
	get := op("getDigest", http.MethodGet, "/v1/digest", "Open opportunities matching your preferences, ranked", scout.ScopeRead, "digest")
	get.Description = digestFormula
	huma.Register(api, get, h.getDigest)
	read := op("markDigestRead", http.MethodPost, "/v1/digest/read", "Mark a digest read: later digests start after it", scout.ScopeRead, "digest")
	read.DefaultStatus = http.StatusNoContent
	huma.Register(api, read, h.markDigestRead)
	h.registerFeeds()
}

// digestPos is the position a digest cursor holds.
type digestPos struct {
	At int64 `json:"t"` // microseconds
}

func (h *Handler) getDigest(ctx context.Context, in *DigestInput) (*DigestOutput, error) {
	uid := principal(ctx).UserID
	p, err := h.st.GetPreferences(ctx, uid)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	now := h.now().UTC()
	since := in.Since.Time
	if since.IsZero() {
		since = p.DigestReadAt
	}
	if since.IsZero() {
		since = now.Add(-digestDefaultWindow)
	}
	list, err := h.digest(ctx, viewer(ctx), p, since, now, in.Limit)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &DigestOutput{}
	out.Body.Since, out.Body.Cursor = since.UTC(), store.EncodeCursor(digestPos{At: now.UnixMicro()})
	out.Body.Items = mapSlice(list, func(r ranked) DigestEntry {
		e := DigestEntry{Item: itemDTO(r.it, now), Score: round4(r.score), Match: round4(r.match), Urgency: round4(r.urgency), Amount: round4(r.amount)}
		if r.opp != nil {
			m := mergedDTO(*r.opp, now)
			e.Opportunity = &m
		}
		return e
	})
	return out, nil
}

func (h *Handler) markDigestRead(ctx context.Context, in *MarkDigestReadInput) (*struct{}, error) {
	var pos digestPos
	if err := store.DecodeCursor(in.Body.Cursor, &pos); err != nil || pos.At <= 0 || time.UnixMicro(pos.At).After(h.now().Add(time.Minute)) {
		return nil, huma.Error422UnprocessableEntity("validation failed", &huma.ErrorDetail{Location: "body.cursor", Message: "is not a cursor from GET /v1/digest"})
	}
	if err := h.st.MarkDigestRead(ctx, principal(ctx).UserID, time.UnixMicro(pos.At).UTC()); err != nil {
		return nil, h.problem(ctx, err)
	}
	return nil, nil
}

// ranked is an opportunity (or an item not yet matched) with its digest
// score and the parts of it: it is the preferred sighting's item with the
// fields merged from the sightings the viewer may see.
type ranked struct {
	it                            scout.Item
	opp                           *scout.MergedOpportunity
	score, match, urgency, amount float64
}

// digest returns up to limit opportunities for p, best first (see
// digestFormula): each candidate item stands for the opportunities it is
// a sighting of, read with the fields merged from the sightings v may see,
// and an opportunity seen in several items is ranked once, by its best.
func (h *Handler) digest(ctx context.Context, v store.Viewer, p store.Preferences, since, now time.Time, limit int) ([]ranked, error) {
	items, hits, err := h.digestCandidates(ctx, v, p, since, now)
	if err != nil {
		return nil, err
	}
	opps, merged, err := h.opportunitiesOf(ctx, items, v)
	if err != nil {
		return nil, err
	}
	var out []ranked
	best := map[int64]int{} // opportunity → index in out
	for _, it := range items {
		if len(opps[it.ID]) == 0 {
			if keepInDigest(it, p, now) {
				out = append(out, scoreItem(it, p, hits[it.ID], now))
			}
			continue
		}
		for _, id := range opps[it.ID] {
			m, ok := merged[id]
			if !ok {
				continue
			}
			x := it
			x.Title, x.URL, x.Opportunity = m.Title, m.URL, m.Opportunity
			if !keepInDigest(x, p, now) {
				continue
			}
			r := scoreItem(x, p, hits[it.ID], now)
			r.opp = &m
			if i, seen := best[id]; !seen {
				best[id] = len(out)
				out = append(out, r)
			} else if r.score > out[i].score {
				out[i] = r
			}
		}
	}
	slices.SortFunc(out, func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := compareDeadlines(a.it.Opportunity.Deadline, b.it.Opportunity.Deadline); c != 0 {
			return c
		}
		return cmp.Compare(b.it.ID, a.it.ID)
	})
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	return out[:min(limit, len(out))], nil
}

// digestCandidates reads the items the store can select for p: one search
// per keyword query (or one unfiltered pass), counting the queries each
// item matched. The rest of the filtering needs Go (see keepInDigest).
func (h *Handler) digestCandidates(ctx context.Context, v store.Viewer, p store.Preferences, since, now time.Time) ([]scout.Item, map[int64]int, error) {
	queries := p.Keywords
	if len(queries) == 0 {
		queries = []string{""}
	}
	var items []scout.Item
	hits := map[int64]int{}
	for _, q := range queries {
		f := store.ItemFilter{Viewer: v, UpdatedSince: since, Query: q, AmountAtLeast: p.MinAmount, PageRequest: store.PageRequest{Limit: store.MaxLimit}}
		if len(p.Kinds) == 1 {
			f.Kind = p.Kinds[0]
		}
		// The deadline horizon is applied to merged fields (keepInDigest):
		// a newsletter's calls have deadlines its item does not.
		for scanned := 0; scanned < digestScan; {
			page, err := h.st.ListItems(ctx, f)
			if err != nil {
				return nil, nil, err
			}
			for _, it := range page.Items {
				if hits[it.ID]++; hits[it.ID] == 1 {
					items = append(items, it)
				}
			}
			scanned += len(page.Items)
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
	}
	return items, hits, nil
}

// opportunitiesOf returns the opportunities of the items' sightings and
// those opportunities as v sees them.
func (h *Handler) opportunitiesOf(ctx context.Context, items []scout.Item, v store.Viewer) (map[int64][]int64, map[int64]scout.MergedOpportunity, error) {
	ids := mapSlice(items, func(it scout.Item) int64 { return it.ID })
	opps, err := h.st.ItemOpportunities(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var all []int64
	seen := map[int64]bool{}
	for _, os := range opps {
		for _, id := range os {
			if !seen[id] {
				seen[id] = true
				all = append(all, id)
			}
		}
	}
	merged, err := h.st.GetOpportunities(ctx, all, v)
	return opps, merged, err
}

// keepInDigest applies the filters the store cannot.
func keepInDigest(it scout.Item, p store.Preferences, now time.Time) bool {
	o := it.Opportunity
	if o.StatusAt(now) == scout.StatusClosed {
		return false
	}
	if p.DeadlineHorizon > 0 && (o.Deadline.IsZero() || o.Deadline.Before(now) || o.Deadline.After(now.Add(p.DeadlineHorizon))) {
		return false
	}
	if len(p.Kinds) > 0 && !slices.Contains(p.Kinds, o.Kind) || len(p.Kinds) == 0 && o.Kind == scout.KindNone {
		return false
	}
	text := strings.ToLower(it.Title + "\n" + it.Summary + "\n" + o.Funder)
	for _, x := range p.Excluded {
		if strings.Contains(text, strings.ToLower(x)) {
			return false
		}
	}
	if len(p.Disciplines) > 0 && len(o.Disciplines) > 0 && !sharesFold(o.Disciplines, p.Disciplines) {
		return false
	}
	return len(p.Locations) == 0 || o.Location == "" || containsAnyFold(o.Location, p.Locations)
}

// scoreItem computes the digest score of an item that passed the filters.
func scoreItem(it scout.Item, p store.Preferences, hits int, now time.Time) ranked {
	o := it.Opportunity
	var parts []float64
	if len(p.Keywords) > 0 {
		parts = append(parts, float64(hits)/float64(len(p.Keywords)))
	}
	if len(p.Disciplines) > 0 {
		parts = append(parts, partial(len(o.Disciplines) == 0, sharesFold(o.Disciplines, p.Disciplines)))
	}
	if len(p.Locations) > 0 {
		parts = append(parts, partial(o.Location == "", containsAnyFold(o.Location, p.Locations)))
	}
	r := ranked{it: it, match: 1, urgency: 0.1}
	if len(parts) > 0 {
		sum := 0.0
		for _, x := range parts {
			sum += x
		}
		r.match = sum / float64(len(parts))
	}
	switch {
	case !o.Deadline.IsZero():
		days := max(0, o.Deadline.Sub(now).Hours()/24)
		r.urgency = 1 / (1 + days/(urgencyHalfLife.Hours()/24))
	case o.Rolling:
		r.urgency = 0.25
	}
	if amt := max(o.AmountMax, o.AmountMin); amt > 0 {
		r.amount = math.Min(1, math.Log10(1+float64(amt))/6)
	}
	r.score = 0.45*r.match + 0.35*r.urgency + 0.20*r.amount
	return r
}

// partial is 1 for a match, 0.5 when the item says nothing, else 0.
func partial(unknown, match bool) float64 {
	switch {
	case match:
		return 1
	case unknown:
		return 0.5
	}
	return 0
}

func sharesFold(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

func containsAnyFold(s string, subs []string) bool {
	s = strings.ToLower(s)
	for _, x := range subs {
		if strings.Contains(s, strings.ToLower(x)) {
			return true
		}
	}
	return false
}

// compareDeadlines orders sooner deadlines first and missing ones last.
func compareDeadlines(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
