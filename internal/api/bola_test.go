package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// TestAnotherUserCannotReachPrivateSources tries every route that touches a
// source, an item, an entity or their numbers with the credentials of a
// second user, against the first user's private source. Nothing of it may
// be read, changed, deleted or refreshed, and its existence must not show:
// answers are 404 (as for a missing id) or lists without it.
func TestAnotherUserCannotReachPrivateSources(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	bobKey := e.mustKey(bob, scout.ScopeRead, scout.ScopeWrite, scout.ScopeEnrich)
	priv := e.mustSource(alice.ID, "https://alice.example/zanzibar-feed", scout.VisibilityPrivate)
	now := time.Now().UTC()
	secret := grantItem("zanzibar", "Zanzibar secret grant", now.Add(-time.Hour))
	items := e.mustItems(priv, secret)
	item := itoa(items[0].ID)
	full, _ := e.st.GetItem(bg, items[0].ID)
	entity := itoa(full.Entities[0].Entity.ID)
	src := "/v1/sources/" + itoa(priv.ID)
	const marker = "zanzibar"

	tests := []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodGet, src, nil, http.StatusNotFound},
		{http.MethodPatch, src, map[string]any{"title": "mine now", "visibility": "public"}, http.StatusNotFound},
		{http.MethodDelete, src, nil, http.StatusNotFound},
		{http.MethodPost, src + "/refresh", nil, http.StatusNotFound},
		{http.MethodGet, src + "/fetches", nil, http.StatusNotFound},
		{http.MethodGet, "/v1/sources", nil, http.StatusOK},
		{http.MethodGet, "/v1/sources?owner=" + itoa(alice.ID), nil, http.StatusOK},
		{http.MethodGet, "/v1/sources?tag=arts&status=ok", nil, http.StatusOK},
		{http.MethodGet, "/v1/items", nil, http.StatusOK},
		{http.MethodGet, "/v1/items?source_id=" + itoa(priv.ID), nil, http.StatusOK},
		{http.MethodGet, "/v1/items?q=zanzibar", nil, http.StatusOK},
		{http.MethodGet, "/v1/items?q=zanzibar&sort=relevance", nil, http.StatusOK},
		{http.MethodGet, "/v1/items?kind=grant&sort=deadline", nil, http.StatusOK},
		{http.MethodGet, "/v1/items?tag=arts&amount_min=1", nil, http.StatusOK},
		{http.MethodGet, "/v1/items/" + item, nil, http.StatusNotFound},
		{http.MethodGet, "/v1/items/" + item + "/entities", nil, http.StatusNotFound},
		{http.MethodPut, "/v1/items/" + item + "/enrichments/ai", map[string]any{"summary": "x"}, http.StatusNotFound},
		{http.MethodPost, "/v1/enrichment/claim", map[string]any{"enricher": "ai", "limit": 100}, http.StatusOK},
		{http.MethodGet, "/v1/entities", nil, http.StatusOK},
		{http.MethodGet, "/v1/entities?prefix=arts", nil, http.StatusOK},
		{http.MethodGet, "/v1/entities/" + entity, nil, http.StatusNotFound},
		{http.MethodGet, "/v1/stats", nil, http.StatusOK},
		{http.MethodGet, "/v1/opml", nil, http.StatusOK},
	}
	for _, cred := range []struct{ name, token string }{{"session", bob.token}, {"api key", bobKey}} {
		for _, tt := range tests {
			t.Run(cred.name+" "+tt.method+" "+tt.path, func(t *testing.T) {
				r := e.do(tt.method, tt.path, cred.token, tt.body)
				wantStatus(t, r, tt.want, "bob")
				if strings.Contains(strings.ToLower(string(r.raw)), marker) {
					t.Fatalf("answer reveals alice's source: %s", r.raw)
				}
				if r.status == http.StatusNotFound && r.problem(t).Type != problemBase+"not-found" {
					t.Errorf("problem = %s", r.raw)
				}
			})
		}
	}
	after, err := e.st.GetSource(bg, priv.ID)
	if err != nil || after.Title != priv.Title || after.Visibility != scout.VisibilityPrivate || after.Version != priv.Version {
		t.Fatalf("alice's source changed: %+v %v", after, err)
	}
	if enr, _ := e.st.ListEnrichments(bg, items[0].ID); len(enr) != 0 {
		t.Fatalf("bob enriched alice's item: %+v", enr)
	}
	// The owner still sees everything, so the 404s above are about bob.
	wantStatus(t, e.do(http.MethodGet, src, alice.token, nil), http.StatusOK, "alice gets her source")
	wantStatus(t, e.do(http.MethodGet, "/v1/items/"+item, alice.token, nil), http.StatusOK, "alice gets her item")
	wantStatus(t, e.do(http.MethodGet, "/v1/entities/"+entity, alice.token, nil), http.StatusOK, "alice gets the entity")
}

// TestVisibleSourcesOfOthersAreReadOnly checks the 403 side: a public source
// of another user can be read but not changed.
func TestVisibleSourcesOfOthersAreReadOnly(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	admin := e.mustUser("root@example.org", true)
	pub := e.mustSource(alice.ID, "https://alice.example/public", scout.VisibilityPublic)
	items := e.mustItems(pub, grantItem("p1", "Public grant", time.Now().Add(-time.Hour)))
	src := "/v1/sources/" + itoa(pub.ID)
	wantStatus(t, e.do(http.MethodGet, src, bob.token, nil), http.StatusOK, "bob reads a public source")
	wantStatus(t, e.do(http.MethodGet, src+"/fetches", bob.token, nil), http.StatusOK, "bob reads its fetches")
	wantStatus(t, e.do(http.MethodGet, "/v1/items/"+itoa(items[0].ID), bob.token, nil), http.StatusOK, "bob reads its item")
	for _, tt := range []struct {
		method, path string
		body         any
	}{
		{http.MethodPatch, src, map[string]any{"title": "mine"}},
		{http.MethodDelete, src, nil},
		{http.MethodPost, src + "/refresh", nil},
	} {
		r := e.do(tt.method, tt.path, bob.token, tt.body)
		wantStatus(t, r, http.StatusForbidden, "bob "+tt.method+" "+tt.path)
		if r.problem(t).Type != problemBase+"forbidden" {
			t.Errorf("problem = %s", r.raw)
		}
	}
	wantStatus(t, e.do(http.MethodPatch, src, admin.token, map[string]any{"title": "moderated"}), http.StatusOK, "an admin may change it")
	seeded := e.mustSource(0, "https://installation.example/feed", scout.VisibilityPublic)
	wantStatus(t, e.do(http.MethodDelete, "/v1/sources/"+itoa(seeded.ID), alice.token, nil), http.StatusForbidden, "installation sources are admin-only")
}

func TestUnauthenticatedCallsAreRefusedOnEveryProtectedRoute(t *testing.T) {
	e := newEnv(t)
	for path, item := range e.h.OpenAPI().Paths {
		ops := map[string]bool{http.MethodGet: item.Get != nil && len(item.Get.Security) > 0,
			http.MethodPost: item.Post != nil && len(item.Post.Security) > 0, http.MethodPut: item.Put != nil && len(item.Put.Security) > 0,
			http.MethodPatch: item.Patch != nil && len(item.Patch.Security) > 0, http.MethodDelete: item.Delete != nil && len(item.Delete.Security) > 0}
		for method, secured := range ops {
			if !secured {
				continue
			}
			p := strings.NewReplacer("{id}", "1", "{enricher}", "ai").Replace(path)
			wantStatus(t, e.do(method, p, "", nil), http.StatusUnauthorized, method+" "+p)
		}
	}
}
