package sqlstore

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
)

var jsonColSeeds = []string{
	``, `null`, `[]`, `{}`, `["a","b"]`, ` [ "a" , "b" ] `, `["a\"b","\u00e9\n"]`, `["\ud83d"]`, "[\"\xff\"]",
	`["a",]`, `["a"`, `[1]`, `"x"`, `["a"] x`,
	`{"kind":{"source":"rules/1","span":"Grant \u003c5k \u0026 more","confidence":0.9}}`,
	`{"kind": {"span": "x", "source": "feed", "confidence": 1e-7}, "deadline": {"source": "rules/1", "confidence": 0}}`,
	`{"kind":{"Source":"x","confidence":1}}`, `{"kind":{"source":null}}`, `{"kind":{"confidence":01}}`,
	`{"kind":{"confidence":-1.5E+3}}`, `{"kind":{}}`, `{"a":{"source":"x"},"a":{"span":"y"}}`, `{"kind":1}`,
	`{"s":["u:funder.example/apply","n:NEA-2026-0042"],"f":"arts council","d":"2026-03-03","t":["fellowship","writers"],` +
		`"m":[0,1,4294967295,12345],"k":"grant","l":["funder.example/apply"],"h":"funder.example","a":"7500 USD"}`,
	`{"m":[4294967296]}`, `{"m":[01]}`, `{"m":[-1]}`, `{"m":[1.0]}`, `{"m":[1e2]}`, `{"m":[]}`, `{"m":[1,]}`, `{"m":null}`,
	`{"S":["a"]}`, `{"t":["b"],"t":["a","c"]}`, `{"f":"x","f":"y"}`, `{"h":1}`, `{"x":1}`, `{"d":"\u00e9"}`, `{ "k" : "call" }`,
	`{"m":[99999999999]}`, `{"m":[1 2]}`,
	`{"m":"AQAAAAIAAAD/////","w":"BwAAAA=="}`, `{"m":""}`, `{"m":"AQAA"}`, `{"m":"AQAAAA"}`, `{"m":"AQAA\nAAA="}`,
	`{"m":"AQAA\u0041AA="}`, `{"m":"!!!!"}`, `{"w":"AQAAAA==","w":[3]}`, `{"w":[3],"w":"AQAAAA=="}`, `{"m":"AQAAAA==" }`,
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
	var gotF, wantF match.Features
	decodeFeatures(s, &gotF)
	if err := json.Unmarshal([]byte(s), &wantF); err == nil {
		if diff := cmp.Diff(wantF, gotF); diff != "" {
			t.Errorf("decodeFeatures(%q) (-json.Unmarshal +got):\n%s", s, diff)
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

// TestDecodeFeaturesReadsEveryField checks that features with every field
// set are read by decodeFeatures itself, not left to encoding/json: a field
// added to match.Features without a case here would pass the differential
// test but quietly slow every candidate down.
func TestDecodeFeaturesReadsEveryField(t *testing.T) {
	var f match.Features
	v := reflect.ValueOf(&f).Elem()
	for i := range v.NumField() {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.String:
			fv.SetString("x" + strconv.Itoa(i))
		case reflect.Slice:
			fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
			if e := fv.Index(0); e.Kind() == reflect.String {
				e.SetString("y")
			} else {
				e.SetUint(7)
			}
		default:
			t.Fatalf("field %s of kind %s: teach decodeFeatures to read it", v.Type().Field(i).Name, fv.Kind())
		}
	}
	s := mustJSON(f)
	d := jsonCol{s: s}
	got, ok := d.features()
	if !ok || !d.end() {
		t.Fatalf("decodeFeatures left %s to encoding/json", s)
	}
	if diff := cmp.Diff(f, got); diff != "" {
		t.Errorf("decodeFeatures(%s) (-want +got):\n%s", s, diff)
	}
}

// BenchmarkDecodeFeatures compares decodeFeatures with encoding/json on the
// features of a synthetic item as ingestion stores them.
// Run: go test ./internal/store/sqlstore -run '^$' -bench DecodeFeatures -benchmem
func BenchmarkDecodeFeatures(b *testing.B) {
	it := scout.Item{URL: "https://funder.example/news/fellowship", Title: "Writers' fellowship 2027: applications open",
		ContentText: strings.Repeat("The arts council funds emerging writers with a stipend of 12,000 euros. ", 12) +
			"Apply at https://funder.example/apply by 3 March 2027.",
		Opportunity: scout.Opportunity{Kind: scout.KindGrant, Funder: "Arts Council"}}
	s := mustJSON(match.Extract(&it))
	b.Run("jsoncol", func(b *testing.B) {
		for b.Loop() {
			var f match.Features
			decodeFeatures(s, &f)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			var f match.Features
			_ = json.Unmarshal([]byte(s), &f)
		}
	})
}
