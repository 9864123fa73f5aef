package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/feed/discover"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
)

// maxProbes bounds how many common feed paths one discover request tries.
const maxProbes = 4

// DiscoverInput is a web page whose feeds to find.
type DiscoverInput struct {
	Body struct {
		URL string `json:"url" minLength:"1" maxLength:"2048" doc:"a web page (or a feed) URL"`
	}
}

// Candidate is a feed found on the page.
type Candidate struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	Type  string `json:"type,omitempty" enum:"rss,atom,json"`
}

// DiscoverOutput lists the feeds found, best first.
type DiscoverOutput struct {
	Body struct {
		Candidates []Candidate `json:"candidates"`
	}
}

func (h *Handler) registerDiscover(api huma.API) {
	huma.Register(api, op("discoverFeeds", http.MethodPost, "/v1/discover",
		"Find the feeds a web page points to (fetched through the guarded client)", scout.ScopeWrite, "sources"), h.discoverFeeds)
}

func (h *Handler) discoverFeeds(ctx context.Context, in *DiscoverInput) (*DiscoverOutput, error) {
	page := in.Body.URL
	resp, err := h.fetch.Get(ctx, fetch.Request{URL: page, Accept: "text/html, application/xhtml+xml, */*;q=0.8"})
	if err != nil {
		return nil, h.fetchProblem(ctx, err)
	}
	out := &DiscoverOutput{}
	out.Body.Candidates = []Candidate{}
	if discover.LooksLikeFeed(resp.Body) {
		out.Body.Candidates = append(out.Body.Candidates, Candidate{URL: resp.URL})
		return out, nil
	}
	found, err := discover.FromHTML(resp.Body, resp.URL, 0)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	for _, c := range found {
		if h.fetchable(ctx, c.URL) {
			out.Body.Candidates = append(out.Body.Candidates, Candidate{URL: c.URL, Title: c.Title, Type: c.Type})
		}
	}
	if len(found) == 0 {
		out.Body.Candidates = append(out.Body.Candidates, h.probe(ctx, resp.URL)...)
	}
	return out, nil
}

// fetchable reports whether a candidate URL passes the address policy,
// its host name resolved (within a short wait): a page may point at
// loopback, private or metadata addresses, which Scout must not suggest
// subscribing to.
func (h *Handler) fetchable(ctx context.Context, u string) bool {
	ctx, cancel := context.WithTimeout(ctx, candidateLookupTimeout)
	defer cancel()
	return h.fetch.CheckResolved(ctx, u) == nil
}

// candidateLookupTimeout bounds the lookup of one candidate's host.
const candidateLookupTimeout = 2 * time.Second

// probe tries the usual feed paths of the page's site, a few at most.
func (h *Handler) probe(ctx context.Context, pageURL string) []Candidate {
	var out []Candidate
	for i, u := range discover.CommonPaths(pageURL) {
		if i >= maxProbes || ctx.Err() != nil {
			break
		}
		if resp, err := h.fetch.Get(ctx, fetch.Request{URL: u}); err == nil && discover.LooksLikeFeed(resp.Body) {
			out = append(out, Candidate{URL: resp.URL})
		}
	}
	return out
}

// fetchProblem explains why the page could not be fetched, by class only:
// the cause may name internal addresses.
func (h *Handler) fetchProblem(ctx context.Context, err error) error {
	var fe *fetch.Error
	if !errors.As(err, &fe) {
		return h.problem(ctx, err)
	}
	if errors.Is(err, scout.ErrInvalid) || errors.Is(err, fetch.ErrBlockedAddress) {
		return h.problem(ctx, fe.Err)
	}
	msg := "could not be fetched (" + string(fe.Class) + ")"
	if fe.StatusCode != 0 {
		msg = "could not be fetched (HTTP " + itoa(int64(fe.StatusCode)) + ")"
	}
	return huma.Error422UnprocessableEntity("validation failed", &huma.ErrorDetail{Location: "body.url", Message: msg})
}
