package api

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// feedTokenScheme is the OpenAPI security scheme of the feed routes.
const feedTokenScheme = "feedToken"

// atomWindow is how far back the Atom digest reaches: feed readers keep
// their own read state, so the feed ignores the digest cursor.
const atomWindow = 30 * 24 * time.Hour

// registerFeeds mounts the Atom and iCalendar routes. They are plain
// handlers rather than huma operations because feed readers and calendars
// authenticate with a token in the URL, not a header; they are added to
// the OpenAPI document by hand so the contract still lists them.
func (h *Handler) registerFeeds() {
	oa := h.api.OpenAPI()
	if oa.Components.SecuritySchemes == nil {
		oa.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	oa.Components.SecuritySchemes[feedTokenScheme] = &huma.SecurityScheme{Type: "apiKey", In: "query", Name: "token",
		Description: "A feed token from POST /v1/me/feed-token."}
	h.documentFeed("getDigestAtom", "/v1/digest.atom", "Your digest as an Atom feed", "application/atom+xml",
		"The digest of the last 30 days (ranked as in GET /v1/digest, ignoring the digest cursor) as Atom 1.0. "+digestFormula)
	h.documentFeed("getDeadlinesICS", "/v1/deadlines.ics", "Upcoming deadlines matching your preferences as iCalendar", "text/calendar",
		"An RFC 5545 calendar with one event per upcoming deadline of the opportunities your preferences select, "+
			"within your deadline horizon (90 days when unset).")
	h.mux.HandleFunc("GET /v1/digest.atom", h.serveFeed(h.writeAtom))
	h.mux.HandleFunc("GET /v1/deadlines.ics", h.serveFeed(h.writeICS))
}

func (h *Handler) documentFeed(id, path, summary, contentType, desc string) {
	problem := func(d string) *huma.Response {
		return &huma.Response{Description: d, Content: map[string]*huma.MediaType{
			"application/problem+json": {Schema: &huma.Schema{Ref: "#/components/schemas/ErrorModel"}}}}
	}
	h.api.OpenAPI().AddOperation(&huma.Operation{OperationID: id, Method: http.MethodGet, Path: path, Summary: summary,
		Description: desc, Tags: []string{"digest"},
		Security: []map[string][]string{{feedTokenScheme: {}}, {securityName: {}}},
		Parameters: []*huma.Param{{Name: "token", In: "query", Description: "feed token (or send a bearer credential instead)",
			Schema: &huma.Schema{Type: "string", MaxLength: intPtr(200)}}},
		Responses: map[string]*huma.Response{
			"200": {Description: summary, Content: map[string]*huma.MediaType{contentType: {Schema: &huma.Schema{Type: "string"}}}},
			"401": problem("missing, unknown or rotated token"),
			"429": problem("too many requests"),
			"500": problem("internal error"),
		}})
}

func intPtr(n int) *int { return &n }

// serveFeed authenticates a feed request, rate-limits it per principal,
// and runs write with the caller's viewer.
func (h *Handler) serveFeed(write func(ctx context.Context, w http.ResponseWriter, p auth.Principal) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := h.limits.allow("ip:" + clientIPFrom(r.Context())); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
			writeProblem(w, http.StatusTooManyRequests, "too many requests")
			return
		}
		p, err := h.feedPrincipal(r)
		if err != nil {
			if !errors.Is(err, scout.ErrUnauthenticated) {
				h.log.ErrorContext(r.Context(), "feed authentication failed", "err", err)
				writeProblem(w, http.StatusInternalServerError, genericDetail)
				return
			}
			writeProblem(w, http.StatusUnauthorized, "a valid feed token or bearer credential is required")
			return
		}
		ctx := auth.WithPrincipal(r.Context(), p)
		if err := write(ctx, w, p); err != nil {
			h.log.ErrorContext(ctx, "feed failed", "err", err)
			writeProblem(w, http.StatusInternalServerError, genericDetail)
		}
	}
}

// feedPrincipal resolves ?token= (a feed token, read-only) or else the
// bearer credential. A rotated token or a disabled user is refused.
func (h *Handler) feedPrincipal(r *http.Request) (auth.Principal, error) {
	token := r.URL.Query().Get("token")
	if token == "" {
		p, err := h.auth.Authenticate(r.Context(), bearerToken(r.Header.Get("Authorization")))
		if err == nil && !p.Can(scout.ScopeRead) {
			err = scout.ErrUnauthenticated
		}
		return p, err
	}
	if len(token) > 200 {
		return auth.Principal{}, scout.ErrUnauthenticated
	}
	u, err := h.st.GetUserByFeedToken(r.Context(), feedTokenHash(token))
	switch {
	case errors.Is(err, scout.ErrNotFound) || err == nil && u.Disabled:
		return auth.Principal{}, scout.ErrUnauthenticated
	case err != nil:
		return auth.Principal{}, err
	}
	return auth.Principal{UserID: u.ID, Admin: u.Admin, Scopes: []scout.Scope{scout.ScopeRead}}, nil
}

// Atom 1.0 (RFC 4287) documents.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func (h *Handler) writeAtom(ctx context.Context, w http.ResponseWriter, p auth.Principal) error {
	prefs, err := h.st.GetPreferences(ctx, p.UserID)
	if err != nil {
		return err
	}
	now := h.now().UTC()
	items, err := h.digest(ctx, store.Viewer{UserID: p.UserID, Admin: p.Admin}, prefs, now.Add(-atomWindow), now, store.DefaultLimit)
	if err != nil {
		return err
	}
	feed := atomFeed{ID: h.iri("/v1/digest", fmt.Sprintf("urn:scout:digest:%d", p.UserID)), Title: "Scout digest",
		Updated: now.Format(time.RFC3339), Author: atomPerson{Name: "Scout"}}
	feed.Links = []atomLink{{Rel: "self", Href: h.absURL(ctx, "/v1/digest.atom"), Type: "application/atom+xml"}}
	for _, r := range items {
		feed.Entries = append(feed.Entries, h.atomEntry(r.it, now))
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return nil // the client went away
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(feed) // a write error means the client went away
	return nil
}

func (h *Handler) atomEntry(it scout.Item, now time.Time) atomEntry {
	e := atomEntry{ID: h.iri(fmt.Sprintf("/v1/items/%d", it.ID), fmt.Sprintf("urn:scout:item:%d", it.ID)), Title: it.Title,
		Updated: it.UpdatedAt.UTC().Format(time.RFC3339), Summary: atomText{Type: "text", Text: describeItem(it, now)}}
	if !it.PublishedAt.IsZero() {
		e.Published = it.PublishedAt.UTC().Format(time.RFC3339)
	}
	if it.URL != "" {
		e.Links = []atomLink{{Rel: "alternate", Href: it.URL}}
	}
	if it.Opportunity.Kind != scout.KindUnknown {
		e.Categories = []atomCategory{{Term: string(it.Opportunity.Kind)}}
	}
	return e
}

// iri returns the base URL plus path when one is configured, else fallback.
func (h *Handler) iri(path, fallback string) string {
	if h.baseURL == "" {
		return fallback
	}
	return h.baseURL + path
}

// describeItem is the plain-text summary of an opportunity in feeds.
func describeItem(it scout.Item, now time.Time) string {
	o := it.Opportunity
	var parts []string
	if !o.Deadline.IsZero() {
		parts = append(parts, "Deadline: "+o.Deadline.UTC().Format("2 January 2006 15:04 MST"))
	} else if o.Rolling {
		parts = append(parts, "Deadline: rolling")
	}
	if amt := amountText(o); amt != "" {
		parts = append(parts, "Amount: "+amt)
	}
	if o.Funder != "" {
		parts = append(parts, "Funder: "+o.Funder)
	}
	parts = append(parts, "Status: "+strings.ReplaceAll(string(o.StatusAt(now)), "_", " "))
	if it.Summary != "" {
		parts = append(parts, it.Summary)
	}
	return strings.Join(parts, "\n")
}

func amountText(o scout.Opportunity) string {
	cur := ""
	if o.Currency != "" {
		cur = o.Currency + " "
	}
	switch {
	case o.AmountMin > 0 && o.AmountMax > o.AmountMin:
		return fmt.Sprintf("%s%d–%d", cur, o.AmountMin, o.AmountMax)
	case o.AmountMax > 0:
		return fmt.Sprintf("%s%d", cur, o.AmountMax)
	case o.AmountMin > 0:
		return fmt.Sprintf("%s%d", cur, o.AmountMin)
	}
	return ""
}
