package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// repost is a grantItem that names the same funder opportunity number.
func repost(guid, title string, published time.Time) scout.Item {
	it := grantItem(guid, title, published)
	it.ContentText = title + ". Funding opportunity number NEA-2026-0042."
	return it
}

func TestOpportunitiesListEachCallOnceWithItsSightings(t *testing.T) {
	e := newEnv(t)
	adm, ada, bob := e.mustUser("root@example.org", true), e.mustUser("ada@example.org", false), e.mustUser("bob@example.org", false)
	base := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Second)
	funder := e.mustSource(0, "https://arts.example/feed", scout.VisibilityPublic)
	blog := e.mustSource(0, "https://blog.example/feed", scout.VisibilityPublic)
	private := e.mustSource(ada.ID, "https://ada.example/feed", scout.VisibilityPrivate)
	fi := e.mustItems(funder, repost("f1", "Neighborhood Arts Grants", base))
	bi := e.mustItems(blog, repost("b1", "Arts grants for neighborhoods", base.Add(time.Hour)),
		grantItem("b2", "Music residency in the hills", base.Add(2*time.Hour)))
	e.mustItems(private, grantItem("p1", "Ada's private commission", base))
	var b1 scout.Item
	for _, it := range bi {
		if it.GUID == "b1" {
			b1 = it
		}
	}

	var list struct {
		Opportunities []MergedOpportunity `json:"opportunities"`
		Next          string              `json:"next"`
	}
	r := e.do(http.MethodGet, "/v1/opportunities?sort=deadline", bob.token, nil)
	wantStatus(t, r, http.StatusOK, "list opportunities")
	r.json(t, &list)
	if len(list.Opportunities) != 2 {
		t.Fatalf("bob sees %d opportunities, want the shared call once and the residency: %+v", len(list.Opportunities), list.Opportunities)
	}
	var call MergedOpportunity
	for _, o := range list.Opportunities {
		if len(o.Sightings) == 2 {
			call = o
		}
	}
	if call.ID == 0 {
		t.Fatalf("no opportunity has both posts: %+v", list.Opportunities)
	}

	var item Item
	e.do(http.MethodGet, "/v1/items/"+itoa(fi[0].ID), bob.token, nil).json(t, &item)
	if item.OpportunityID != call.ID {
		t.Fatalf("item links to opportunity %d, want %d", item.OpportunityID, call.ID)
	}
	var one MergedOpportunity
	e.do(http.MethodGet, "/v1/opportunities/"+itoa(call.ID), bob.token, nil).json(t, &one)
	if len(one.Sightings) != 2 || one.Fields["deadline"].SightingID == 0 {
		t.Fatalf("get opportunity = %+v, want both sightings and the deadline's source", one)
	}

	// Ada's private opportunity is hers alone.
	var mine struct {
		Opportunities []MergedOpportunity `json:"opportunities"`
	}
	e.do(http.MethodGet, "/v1/opportunities", ada.token, nil).json(t, &mine)
	if len(mine.Opportunities) != 3 {
		t.Fatalf("ada sees %d opportunities, want 3", len(mine.Opportunities))
	}
	for _, o := range mine.Opportunities {
		if len(o.Sightings) == 1 && o.Sightings[0].SourceID == private.ID {
			wantStatus(t, e.do(http.MethodGet, "/v1/opportunities/"+itoa(o.ID), bob.token, nil), http.StatusNotFound, "bob reads ada's")
		}
	}

	// An operator splits the blog post out, and a re-fetch keeps it apart.
	sighting := one.Sightings[0].ID
	if one.Sightings[0].ItemID != b1.ID && one.Sightings[1].ItemID == b1.ID {
		sighting = one.Sightings[1].ID
	}
	wantStatus(t, e.do(http.MethodPost, "/v1/sightings/"+itoa(sighting)+"/split", bob.token, nil), http.StatusForbidden, "split by a user")
	r = e.do(http.MethodPost, "/v1/sightings/"+itoa(sighting)+"/split", adm.token, nil)
	wantStatus(t, r, http.StatusCreated, "split")
	var split MergedOpportunity
	r.json(t, &split)
	edited := repost("b1", "Arts grants for neighborhoods (updated)", base.Add(time.Hour))
	edited.ContentHash = "b1-v2"
	e.mustItems(blog, edited)
	e.do(http.MethodGet, "/v1/items/"+itoa(b1.ID), bob.token, nil).json(t, &item)
	if item.OpportunityID != split.ID || split.ID == call.ID {
		t.Fatalf("after split and re-fetch the blog post is in %d, want the split-off %d", item.OpportunityID, split.ID)
	}
	// Merging them back sticks too.
	r = e.do(http.MethodPost, "/v1/opportunities/"+itoa(call.ID)+"/merge", adm.token, map[string]any{"from": split.ID})
	wantStatus(t, r, http.StatusOK, "merge")
	wantStatus(t, e.do(http.MethodGet, "/v1/opportunities/"+itoa(split.ID), adm.token, nil), http.StatusNotFound, "the merged-away one")
	e.do(http.MethodGet, "/v1/items/"+itoa(b1.ID), bob.token, nil).json(t, &item)
	if item.OpportunityID != call.ID {
		t.Fatalf("after merge the blog post is in %d, want %d", item.OpportunityID, call.ID)
	}

	for _, bad := range []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodGet, "/v1/opportunities?sort=random", nil, http.StatusUnprocessableEntity},
		{http.MethodGet, "/v1/opportunities?sort=relevance", nil, http.StatusUnprocessableEntity},
		{http.MethodGet, "/v1/opportunities?cursor=garbage", nil, http.StatusBadRequest},
		{http.MethodGet, "/v1/opportunities/0", nil, http.StatusUnprocessableEntity},
		{http.MethodGet, "/v1/opportunities/999999", nil, http.StatusNotFound},
		{http.MethodPost, "/v1/opportunities/" + itoa(call.ID) + "/merge", map[string]any{"from": call.ID}, http.StatusUnprocessableEntity},
		{http.MethodPost, "/v1/opportunities/" + itoa(call.ID) + "/merge", map[string]any{"from": 999999}, http.StatusNotFound},
		{http.MethodPost, "/v1/sightings/999999/split", nil, http.StatusNotFound},
	} {
		wantStatus(t, e.do(bad.method, bad.path, adm.token, bad.body), bad.want, bad.method+" "+bad.path)
	}
}
