package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// PreferencesBody are the digest preferences a user sets.
type PreferencesBody struct {
	Kinds               []string `json:"kinds" required:"false" maxItems:"11" enum:"grant,fellowship,residency,commission,contest,call,scholarship,accelerator,sponsorship,job,none" doc:"opportunity kinds to include; empty: all but 'none'"`
	Disciplines         []string `json:"disciplines" required:"false" maxItems:"50" doc:"e.g. film, music; an item that names disciplines must share one"`
	Keywords            []string `json:"keywords" required:"false" maxItems:"50" doc:"full-text queries in the search syntax (words, \"phrases\", -excluded, a OR b); an item must match at least one"`
	Excluded            []string `json:"excluded_keywords" required:"false" maxItems:"50" doc:"words or phrases; an item whose title, summary or funder contains one is left out"`
	MinAmount           int64    `json:"min_amount" required:"false" minimum:"0" doc:"keep items whose maximum amount is at least this (whole units of any currency); 0: any"`
	DeadlineHorizonDays int      `json:"deadline_horizon_days" required:"false" minimum:"0" maximum:"3650" doc:"keep items whose deadline is within this many days; 0: any deadline, or none"`
	Locations           []string `json:"locations" required:"false" maxItems:"50" doc:"an item that states a location must contain one of these (case-insensitive)"`
	DigestFrequency     string   `json:"digest_frequency" required:"false" enum:"never,daily,weekly" default:"weekly" doc:"how often the publishing module should send the digest"`
}

// Preferences are the stored preferences with their digest cursor.
type Preferences struct {
	PreferencesBody
	DigestReadAt *time.Time `json:"digest_read_at,omitempty" doc:"items changed after this are new in the digest"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
	Version      int64      `json:"version"`
}

// PreferencesOutput is a user's preferences.
type PreferencesOutput struct{ Body Preferences }

// PutPreferencesInput replaces the caller's preferences.
type PutPreferencesInput struct{ Body PreferencesBody }

// FeedTokenOutput is a new feed token, shown once.
type FeedTokenOutput struct {
	Body struct {
		Token        string `json:"token" doc:"shown only now; rotating it again revokes this one"`
		DigestAtom   string `json:"digest_atom_url" format:"uri" doc:"the Atom digest, for any feed reader: an absolute URL, on SCOUT_BASE_URL when it is set, else on the origin the request was sent to"`
		DeadlinesICS string `json:"deadlines_ics_url" format:"uri" doc:"upcoming deadlines, for any calendar: an absolute URL, like digest_atom_url"`
	}
}

func (h *Handler) registerPreferences(api huma.API) {
	huma.Register(api, op("getPreferences", http.MethodGet, "/v1/me/preferences", "Your digest preferences", scout.ScopeRead, "digest"), h.getPreferences)
	huma.Register(api, op("putPreferences", http.MethodPut, "/v1/me/preferences", "Replace your digest preferences", scout.ScopeWrite, "digest"), h.putPreferences)
	rot := op("rotateFeedToken", http.MethodPost, "/v1/me/feed-token", "Create or rotate the token of your Atom and iCalendar feeds", scout.ScopeWrite, "digest")
	rot.Description = "Returns a new secret token and the feed URLs that carry it; the previous token stops working at once. " +
		"Feed readers and calendars cannot send headers, so the token travels in the URL: treat the URL as a password."
	huma.Register(api, rot, h.rotateFeedToken)
}

func preferencesDTO(p store.Preferences) Preferences {
	kinds := mapSlice(p.Kinds, func(k scout.Kind) string { return string(k) })
	freq := string(p.Frequency)
	if freq == "" {
		freq = string(store.DigestWeekly)
	}
	return Preferences{PreferencesBody: PreferencesBody{Kinds: nonNil(kinds), Disciplines: nonNil(p.Disciplines),
		Keywords: nonNil(p.Keywords), Excluded: nonNil(p.Excluded), MinAmount: p.MinAmount,
		DeadlineHorizonDays: int(p.DeadlineHorizon / (24 * time.Hour)), Locations: nonNil(p.Locations), DigestFrequency: freq},
		DigestReadAt: timePtr(p.DigestReadAt), UpdatedAt: timePtr(p.UpdatedAt), Version: p.Version}
}

func (h *Handler) getPreferences(ctx context.Context, _ *struct{}) (*PreferencesOutput, error) {
	p, err := h.st.GetPreferences(ctx, principal(ctx).UserID)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &PreferencesOutput{Body: preferencesDTO(p)}, nil
}

func (h *Handler) putPreferences(ctx context.Context, in *PutPreferencesInput) (*PreferencesOutput, error) {
	b := in.Body
	p := store.Preferences{Kinds: mapSlice(b.Kinds, func(k string) scout.Kind { return scout.Kind(k) }), Disciplines: b.Disciplines,
		Keywords: b.Keywords, Excluded: b.Excluded, MinAmount: b.MinAmount, Locations: b.Locations,
		DeadlineHorizon: time.Duration(b.DeadlineHorizonDays) * 24 * time.Hour, Frequency: store.DigestFrequency(b.DigestFrequency)}
	if err := h.checkKeywords(ctx, b.Keywords); err != nil {
		return nil, err
	}
	out, err := h.st.PutPreferences(ctx, principal(ctx).UserID, p)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	return &PreferencesOutput{Body: preferencesDTO(out)}, nil
}

// checkKeywords runs each keyword as a one-row search, so that a query the
// search engine rejects is refused now rather than emptying every digest.
func (h *Handler) checkKeywords(ctx context.Context, kws []string) error {
	for i, kw := range kws {
		_, err := h.st.ListItems(ctx, store.ItemFilter{Viewer: viewer(ctx), Query: kw, PageRequest: store.PageRequest{Limit: 1}})
		if errors.Is(err, scout.ErrInvalid) {
			return huma.Error422UnprocessableEntity("validation failed", &huma.ErrorDetail{
				Location: "body.keywords[" + strconv.Itoa(i) + "]", Message: "is not a search query with a word to look for", Value: kw})
		}
		if err != nil {
			return h.problem(ctx, err)
		}
	}
	return nil
}

func (h *Handler) rotateFeedToken(ctx context.Context, _ *struct{}) (*FeedTokenOutput, error) {
	token, hash, err := newFeedToken()
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	if _, err := h.st.UpdateUser(ctx, principal(ctx).UserID, store.UserUpdate{FeedToken: &hash}); err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &FeedTokenOutput{}
	out.Body.Token = token
	out.Body.DigestAtom = h.absURL(ctx, "/v1/digest.atom?token="+token)
	out.Body.DeadlinesICS = h.absURL(ctx, "/v1/deadlines.ics?token="+token)
	return out, nil
}

// newFeedToken returns a random token and the SHA-256 the store keeps:
// a leaked database does not reveal working feed URLs.
func newFeedToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = "ft_" + base64.RawURLEncoding.EncodeToString(b)
	return token, feedTokenHash(token), nil
}

func feedTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
