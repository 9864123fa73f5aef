package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

var jsonColSeeds = []string{
	``, `null`, `[]`, `{}`, `["a","b"]`, ` [ "a" , "b" ] `, `["a\"b","\u00e9\n"]`, `["\ud83d"]`, "[\"\xff\"]",
	`["a",]`, `["a"`, `[1]`, `"x"`, `["a"] x`,
	`{"kind":{"source":"rules/1","span":"Grant \u003c5k \u0026 more","confidence":0.9}}`,
	`{"kind": {"span": "x", "source": "feed", "confidence": 1e-7}, "deadline": {"source": "rules/1", "confidence": 0}}`,
	`{"kind":{"Source":"x","confidence":1}}`, `{"kind":{"source":null}}`, `{"kind":{"confidence":01}}`,
	`{"kind":{"confidence":-1.5E+3}}`, `{"kind":{}}`, `{"a":{"source":"x"},"a":{"span":"y"}}`, `{"kind":1}`,
}

// TestDecodeColumnsMatchesEncodingJSON checks the column decoders against
// json.Unmarshal on stored shapes, odd spacing, escapes and damaged values.
func TestDecodeColumnsMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonColSeeds {
		checkJSONCol(t, s)
	}
}

func FuzzDecodeColumns(f *testing.F) {
	for _, s := range jsonColSeeds {
		f.Add(s)
	}
	f.Fuzz(checkJSONCol)
}

func checkJSONCol(t *testing.T, s string) {
	var gotS, wantS []string
	decodeStrings(s, &gotS)
	// A damaged value may decode partly; only what json.Unmarshal accepts must agree.
	if err := json.Unmarshal([]byte(s), &wantS); err == nil {
		if diff := cmp.Diff(wantS, gotS); diff != "" {
			t.Errorf("decodeStrings(%q) (-json.Unmarshal +got):\n%s", s, diff)
		}
	}
	var gotE, wantE []scout.Enclosure
	decodeEnclosures(s, &gotE)
	if err := json.Unmarshal([]byte(s), &wantE); err == nil {
		if diff := cmp.Diff(wantE, gotE); diff != "" {
			t.Errorf("decodeEnclosures(%q) (-json.Unmarshal +got):\n%s", s, diff)
		}
	}
	var gotP, wantP map[string]scout.Provenance
	decodeProvenance(s, &gotP)
	if err := json.Unmarshal([]byte(s), &wantP); err != nil {
		return
	}
	if diff := cmp.Diff(wantP, gotP); diff != "" {
		t.Errorf("decodeProvenance(%q) (-json.Unmarshal +got):\n%s", s, diff)
	}
}
