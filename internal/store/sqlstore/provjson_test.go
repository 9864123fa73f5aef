package sqlstore

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

// checkCanonicalProvenance holds canonicalProvenance to its promise: what
// it accepts decodes (with json.Unmarshal) to provenance whose encoding,
// without HTML escaping as the API writes it, is s with its HTML escapes
// put back (htmlUnescape).
func checkCanonicalProvenance(t *testing.T, s string) bool {
	t.Helper()
	if !canonicalProvenance(s) {
		return false
	}
	var m map[string]scout.Provenance
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("canonical %q does not decode: %v", s, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		t.Fatalf("canonical %q: re-encode: %v", s, err)
	}
	if got := bytes.TrimSuffix(buf.Bytes(), []byte("\n")); string(got) != htmlUnescape(s) {
		t.Fatalf("canonical %q re-encodes as %q, not %q", s, got, htmlUnescape(s))
	}
	return true
}

var provenanceSeeds = []struct {
	s         string
	canonical bool
}{
	{`{}`, true},
	{`{"amount":{"source":"rules/1","span":"£19,000 to £38,000","confidence":0.85},"kind":{"source":"rules/1","confidence":1}}`, true},
	{`{"deadline":{"source":"feed","span":"March 11, 2027","confidence":0.9299999999999999}}`, true},
	{`{"a":{"source":"x","confidence":0.30000000000000004}}`, true},
	{`{"a":{"source":"x","confidence":0.300000000000000040}}`, false},
	{`{"a":{"source":"x","confidence":0.30000000000000003}}`, false}, // not the shortest form of its float64
	{`{"a":{"source":"x","confidence":1234567890123456789012}}`, false},
	{`{"a":{"source":"x","confidence":0}}`, true},
	{`{"a":{"source":"x","confidence":0.000001}}`, true},
	{`{"a":{"source":"x","confidence":0.0000001}}`, false}, // encoding/json writes 1e-7
	{`{"a":{"source":"x","confidence":123456789012345}}`, true},
	{`{"a":{"source":"x","confidence":1234567890123456}}`, true},
	{`{"Z":{"source":"x","confidence":1},"\u0026":{"source":"y","confidence":1}}`, false},
	{`{"a":{"source":"x","confidence":0.50}}`, false},
	{`{"a":{"source":"x","confidence":01}}`, false},
	{`{"a":{"source":"x","confidence":-1}}`, false},
	{`{"a":{"source":"x","confidence":1e2}}`, false},
	{`{"a":{"source":"x","confidence":1.}}`, false},
	{`{"a":{"source":"R\u0026D \u003cb\u003e","confidence":1}}`, true}, // HTML-escaped by the store's encoder
	{`{"a":{"source":"R\u0027D","confidence":1}}`, false},
	{`{"a":{"source":"R\\u0026D","confidence":1}}`, false},
	{`{"a":{"source":"R\u002","confidence":1}}`, false},
	{`{"a":{"source":"\n","confidence":1}}`, false},
	{`{"a":{"source":"R&D <b>","confidence":1}}`, true},
	{`{"a":{"source":"x","span":"","confidence":1}}`, false},
	{`{"a":{"source":"x","confidence":1},"a":{"source":"y","confidence":1}}`, false},
	{`{"b":{"source":"x","confidence":1},"a":{"source":"y","confidence":1}}`, false},
	{`{"":{"source":"","confidence":1},"a":{"source":"y","confidence":1}}`, true},
	{`{"a": {"source":"x","confidence":1}}`, false},
	{`{"a":{"confidence":1,"source":"x"}}`, false},
	{`{"a":{"source":"x","confidence":1,"extra":2}}`, false},
	{`{"a":{"source":"x","confidence":1}}x`, false},
	{`{"a":{"source":"x","confidence":1}`, false},
	{"{\"a\":{\"source\":\"\xff\",\"confidence\":1}}", false},
	{"{\"a\":{\"source\":\"\u2028\",\"confidence\":1}}", false},
	{"{\"a\":{\"source\":\"\t\",\"confidence\":1}}", false},
	{`{"é":{"source":"日本","span":"ü","confidence":0.5}}`, true},
	{`null`, false},
	{``, false},
}

func TestCanonicalProvenance(t *testing.T) {
	for _, c := range provenanceSeeds {
		if got := checkCanonicalProvenance(t, c.s); got != c.canonical {
			t.Errorf("canonicalProvenance(%s) = %v, want %v", c.s, got, c.canonical)
		}
	}
	// What the store writes is canonical unless a string needs an escape
	// the API writes too.
	m := map[string]scout.Provenance{"kind": {Source: "rules/1", Confidence: 0.7}, "funder": {Source: "rules/1", Span: "R&D <Trust>", Confidence: 0.6},
		"amount": {Source: "feed", Span: "up to €5,000", Confidence: 1}}
	if s := mustJSON(m); !checkCanonicalProvenance(t, s) {
		t.Errorf("the store's own %s is not canonical", s)
	}
}

// FuzzCanonicalProvenance checks that every column canonicalProvenance
// passes through is what the API would write for its decoded value.
func FuzzCanonicalProvenance(f *testing.F) {
	for _, c := range provenanceSeeds {
		f.Add(c.s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkCanonicalProvenance(t, s) })
}
