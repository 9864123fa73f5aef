package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

// sighted is an opportunity item whose text names its opportunity number,
// so that the store's matcher joins its posts.
func sighted(guid, title, number, funder string, amount int64) scout.Item {
	it := opportunity(guid, title, scout.KindGrant, 10, amount, "")
	it.ContentText = title + ". Funding opportunity number " + number + "."
	it.Opportunity.Funder = funder
	return it
}

type opportunityDigest struct {
	Items []struct {
		Item struct {
			Title string `json:"title"`
		} `json:"item"`
		Opportunity *struct {
			ID          int64 `json:"id"`
			Opportunity struct {
				Funder    string `json:"funder"`
				AmountMax int64  `json:"amount_max"`
			} `json:"opportunity"`
			Sightings []struct {
				URL string `json:"url"`
			} `json:"sightings"`
		} `json:"opportunity"`
	} `json:"items"`
}

func TestDigestShowsEachOpportunityOnceThroughVisibleSightings(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	funder := e.mustSource(0, "https://arts.example/feed", scout.VisibilityPublic)
	blog := e.mustSource(0, "https://blog.example/feed", scout.VisibilityPublic)
	private := e.mustSource(alice.ID, "https://alice.example/feed", scout.VisibilityPrivate)
	e.mustItems(funder, sighted("f1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Bellmont Arts", 0))
	e.mustItems(blog, sighted("b1", "Bellmont grants for neighborhood art", "NEA-2026-0042", "Bellmont Arts", 7500))
	e.mustItems(private, sighted("a1", "Neighborhood Arts Grants 2026", "NEA-2026-0042", "Secret Funder Trust", 9000))
	letter := opportunity("n1", "The Ledger: two calls", scout.KindCall, 0, 0, "")
	for i, c := range []scout.Item{sighted("c1", "Harbor Residency Portland", "HRP-2026-0001", "Harbor Foundation", 2000),
		sighted("c2", "Saltmarsh Print Award", "SPA-2026-0009", "Saltmarsh Gallery", 1000)} {
		letter.Calls = append(letter.Calls, scout.Call{Part: i + 1, Title: c.Title, Span: c.ContentText, Opportunity: c.Opportunity})
	}
	e.mustItems(blog, letter)

	read := func(u user) opportunityDigest {
		var d opportunityDigest
		r := e.do(http.MethodGet, "/v1/digest", u.token, nil)
		wantStatus(t, r, http.StatusOK, "digest")
		r.json(t, &d)
		return d
	}
	b := read(bob)
	if len(b.Items) != 3 {
		t.Fatalf("bob's digest has %d entries, want the shared call once and the letter's two calls", len(b.Items))
	}
	ids := map[int64]bool{}
	for _, it := range b.Items {
		o := it.Opportunity
		if o == nil || ids[o.ID] {
			t.Fatalf("entry %q: opportunity %+v; want each entry an opportunity of its own", it.Item.Title, o)
		}
		ids[o.ID] = true
		for _, g := range o.Sightings {
			if strings.Contains(g.URL, "a1") || strings.Contains(o.Opportunity.Funder, "Secret") {
				t.Fatalf("bob's digest shows alice's private sighting: %+v", o)
			}
		}
		if strings.HasPrefix(it.Item.Title, "Neighborhood") || strings.HasPrefix(it.Item.Title, "Bellmont") {
			if len(o.Sightings) != 2 || o.Opportunity.AmountMax != 7500 {
				t.Fatalf("the shared call in bob's digest = %+v; want the funder's and the blog's sightings and the blog's amount", o)
			}
		}
	}
	for _, it := range read(alice).Items {
		if o := it.Opportunity; o != nil && len(o.Sightings) == 3 {
			goto aliceOK
		}
	}
	t.Fatalf("alice's digest has no entry with her own sighting among three")
aliceOK:

	token, _, _ := e.feedToken(bob)
	status, _, body := e.get("/v1/deadlines.ics?token="+url.QueryEscape(token), "")
	if status != http.StatusOK || strings.Count(body, "BEGIN:VEVENT") != 3 || strings.Count(body, "UID:opportunity-") != 3 {
		t.Fatalf("calendar: %d with %d events; want one event per opportunity:\n%s", status, strings.Count(body, "BEGIN:VEVENT"), body)
	}
}
