package storetest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// testProvenanceJSON lists items with and without ProvenanceJSON: each item
// either carries its provenance as bytes that are what encoding/json writes
// for the decoded map without HTML escaping, or carries the map; plain
// provenance comes as bytes, and the bytes never disagree with the map.
func testProvenanceJSON(t *testing.T, s store.Store, _ *Clock) {
	src := mustSource(t, s, 0, "https://example.org/feed", scout.VisibilityPublic)
	provs := map[string]map[string]scout.Provenance{
		"plain": {"kind": {Source: "rules/1", Span: "Grants", Confidence: 0.95}, "amount": {Source: "feed", Confidence: 1},
			"funder": {Source: "rules/1", Span: "Meridian Trust — £5,000", Confidence: 0.8}},
		"html":    {"funder": {Source: "rules/1", Span: "R&D <Trust>", Confidence: 0.8}},
		"digits":  {"kind": {Source: "rules/1", Span: "Fellowship", Confidence: 0.5700000000000001}},
		"escaped": {"kind": {Source: "enricher \"x\"", Span: "grant\u2028award", Confidence: 1e-7}},
		"empty":   {},
	}
	var items []scout.Item
	for guid, p := range provs {
		it := item(guid, "Grant "+guid, T0)
		it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Extractor: "rules/1", Provenance: p}
		items = append(items, it)
	}
	mustFetch(t, s, src, items...)
	decoded := map[string]scout.Item{}
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin()}) {
		if it.Opportunity.ProvenanceJSON != "" {
			t.Errorf("%s: provenance as bytes without asking", it.GUID)
		}
		decoded[it.GUID] = it
	}
	for _, it := range itemsOf(t, s, store.ItemFilter{Viewer: admin(), ProvenanceJSON: true}) {
		want := decoded[it.GUID].Opportunity.Provenance
		raw := it.Opportunity.ProvenanceJSON
		if raw == "" {
			if it.GUID == "plain" {
				t.Errorf("plain provenance was decoded, not passed through")
			}
			if len(want) > 0 || len(it.Opportunity.Provenance) > 0 {
				if diff := cmp.Diff(want, it.Opportunity.Provenance); diff != "" {
					t.Errorf("%s: decoded provenance differs (-without +with ProvenanceJSON):\n%s", it.GUID, diff)
				}
			}
			continue
		}
		if it.Opportunity.Provenance != nil {
			t.Errorf("%s: both the bytes and the map", it.GUID)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(want); err != nil {
			t.Fatal(err)
		}
		if got := bytes.TrimSuffix(buf.Bytes(), []byte("\n")); string(got) != raw {
			t.Errorf("%s: provenance bytes %s, want %s", it.GUID, raw, got)
		}
	}
}
