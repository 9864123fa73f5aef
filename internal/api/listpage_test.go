package api

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// TestListPageMatchesEncodingJSON holds the list page, as served, to the
// bytes encoding/json writes for the same page built the way it was built
// before the store could pass stored JSON through: every item decoded in
// full, converted to its DTO and encoded by huma's default format. The items
// are the benchmark's (extracted dev posts, derived and stored summaries)
// and items whose provenance the store cannot pass through as stored.
func TestListPageMatchesEncodingJSON(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("lister@example.org", false)
	src := e.mustSource(u.ID, "https://funders.example.net/feed.xml", scout.VisibilityPrivate)
	posts := readDevPosts(t)
	start := e.now.Add(-time.Hour)
	done := map[int]scout.Item{}
	var items []scout.Item
	for j := range 70 {
		items = append(items, listPageItem(posts, done, j, start.Add(time.Duration(j)*time.Second)))
	}
	odd := []map[string]scout.Provenance{
		{"funder": {Source: "rules/1", Span: "R&D <Trust>", Confidence: 0.8}},                   // HTML-escaped when stored
		{"kind": {Source: "rules/1", Span: "grant\u2028award", Confidence: 0.9299999999999999}}, // escape; 16 digits
		{"amount": {Source: "feed", Confidence: 1e-7}, "kind": {Source: "enricher \"x\""}},
		{"kind": {Source: "rules/1", Span: "Grants", Confidence: 0.95}, "é": {Source: "日本", Span: "ü", Confidence: 0.5}},
		{},
		nil,
	}
	for j, p := range odd {
		it := listPageItem(posts, done, 100+j, start.Add(time.Duration(200+j)*time.Second))
		it.Opportunity.Provenance = p
		items = append(items, it)
	}
	e.mustItems(src, items...)

	f := store.ItemFilter{Viewer: store.Viewer{UserID: u.ID}, PageRequest: store.PageRequest{Limit: 50}}
	passed, decoded := 0, 0
	for path, pages := "/v1/items?limit=50", 0; path != ""; pages++ {
		r := e.do("GET", path, u.token, nil)
		wantStatus(t, r, 200, "list")
		f.Now = e.h.now()
		p, err := e.st.ListItems(bg, f)
		if err != nil {
			t.Fatal(err)
		}
		want := ItemListOutputBody{Items: mapSlice(p.Items, func(it scout.Item) Item { return itemDTO(it, f.Now) })}
		if p.Next != "" {
			want.Next = e.h.sealCursor(p.Next)
		}
		var buf bytes.Buffer
		if err := huma.DefaultJSONFormat.Marshal(&buf, want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.raw, buf.Bytes()) {
			i := firstDifference(r.raw, buf.Bytes())
			t.Fatalf("page %d differs from encoding/json of the decoded page at byte %d:\n want …%s…\n  got …%s…",
				pages, i, around(buf.Bytes(), i), around(r.raw, i))
		}
		raw := f
		raw.ProvenanceJSON = true
		rp, err := e.st.ListItems(bg, raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range rp.Items {
			if it.Opportunity.ProvenanceJSON != "" {
				passed++
			} else if len(it.Opportunity.Provenance) > 0 {
				decoded++
			}
		}
		var served struct{ Next string }
		r.json(t, &served)
		f.Cursor, path = p.Next, ""
		if served.Next != "" {
			path = "/v1/items?limit=50&cursor=" + url.QueryEscape(served.Next)
		}
	}
	// Both ways were served: stored bytes and decoded provenance.
	if passed < 60 || decoded < 3 {
		t.Errorf("provenance passed through on %d items and decoded on %d: want at least 60 and 3", passed, decoded)
	}
}

func firstDifference(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// around is b within 120 bytes of i.
func around(b []byte, i int) []byte { return b[max(0, i-120):min(len(b), i+120)] }
