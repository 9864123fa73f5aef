package api

import (
	"bytes"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// fullItem sets every field an item can carry, so that a field added to
// Item or what it holds without a writer fails TestItemJSONWritesEveryField.
func fullItem() Item {
	at := time.Date(2027, 3, 11, 23, 59, 59, 500, time.UTC)
	p := Provenance{Source: "rules/1", Span: "March 11, 2027", Confidence: 0.9299999999999999}
	kd := func(label string) *KeyDate {
		return &KeyDate{Label: label, Date: "2027-03-11", Time: "17:00", Zone: "Europe/London", At: at, Provenance: p}
	}
	rel := 0.5
	return Item{ID: 7, SourceID: 3, GUID: "g-1", URL: "https://example.org/a?x=1&y=<2>", Title: `Grant "A" & <B>`,
		Summary: "A grant\u2028for artists — £19,000", ContentHTML: "<p>x</p>", Author: "Ann", ImageURL: "https://example.org/i.png",
		PublishedAt: at, DateEstimated: true, Categories: []string{"art", "film"},
		Enclosures:    []Enclosure{{URL: "https://example.org/e.mp3", Type: "audio/mpeg", Length: 42}},
		OpportunityID: 9,
		Entities: []ItemEntity{{Entity: Entity{ID: 1, Type: "organization", Name: "Trust", Key: "trust", CreatedAt: at, UpdatedAt: at},
			Role: "funder", Confidence: 0.8, Span: "Trust"}},
		Enrichments: []Enrichment{{Enricher: "ai", Data: EnrichmentData{Summary: "s", Relevance: &rel}, UpdatedAt: at, Version: 2}},
		Opportunity: Opportunity{Kind: "grant", KindConfidence: 0.93, Status: "open", Deadline: &at, OpensAt: &at, Rolling: true,
			AmountMin: 19000, AmountMax: 38000, Currency: "GBP", Funder: "Meridian Trust", Location: "Cape Town",
			Eligibility: []string{"artists"}, Disciplines: []string{"ceramics"}, Extractor: "rules/1",
			Provenance: map[string]Provenance{"kind": p, "amount": {Source: "feed", Confidence: 1}, "deadline": p},
			KeyDates:   KeyDates{Opens: kd("opens"), Deadline: kd("deadline"), Other: []KeyDate{*kd("event")}},
			Funding: Funding{Period: "month", Duration: &Duration{Count: 6, Unit: "month"},
				PerRecipient:   &MoneyRange{Min: 19000, Max: 38000.5, Currency: "GBP"},
				TotalAvailable: &Money{Amount: 1e6, Currency: "GBP"}, Awards: &AwardCount{Min: 2, Max: 8, Estimated: true},
				EntryFee: &Money{Amount: 25, Currency: "USD"}, InKind: &Money{Amount: 3000, Currency: "EUR"}},
			Criteria: Eligibility{ApplicantTypes: []string{"individual"}, CareerStages: []string{"emerging"}, AgeMin: 18, AgeMax: 29,
				Countries: []string{"ZA"}, Students: true, IdentityFocus: []string{"women"}, Spans: []string{"over 18"}}},
		CreatedAt: at, UpdatedAt: at, Version: 3}
}

// checkPageJSON compares the list format's bytes with huma's default JSON
// format on a page: the same bytes, or an error from both.
func checkPageJSON(t *testing.T, p ItemListOutputBody) {
	t.Helper()
	var want, got bytes.Buffer
	werr := huma.DefaultJSONFormat.Marshal(&want, p)
	gerr := jsonFormat.Marshal(&got, p)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("encoding/json error %v, page writer error %v", werr, gerr)
	}
	if werr == nil && !bytes.Equal(want.Bytes(), got.Bytes()) {
		t.Errorf("page writer differs from encoding/json:\n want %s\n  got %s", want.Bytes(), got.Bytes())
	}
}

func TestItemJSONMatchesEncodingJSON(t *testing.T) {
	full := fullItem()
	nonUTC := fullItem()
	nonUTC.PublishedAt = nonUTC.PublishedAt.In(time.FixedZone("x", 3600))
	bareDates := fullItem()
	bareDates.Opportunity.KeyDates = KeyDates{}
	onlyDeadline := fullItem()
	onlyDeadline.Opportunity.KeyDates.Opens = nil
	bareFunding := fullItem()
	bareFunding.Opportunity.Funding = Funding{Awards: &AwardCount{}, InKind: &Money{}}
	maxOnly := fullItem()
	maxOnly.Opportunity.Funding = Funding{Awards: &AwardCount{Max: 3}, EntryFee: &Money{}}
	var odd []Item
	for _, s := range []string{"", `"`, `\`, "\x00\x1f\t\n", "\xff", "a\xe2\x80", "\u2029", "<>&", "é ü 日本", "\u007f"} {
		it := fullItem()
		it.Title, it.Summary, it.Opportunity.Funder, it.GUID = s, s, s, s
		it.Opportunity.Provenance = map[string]Provenance{s: {Source: s, Span: s}}
		odd = append(odd, it)
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1e-7, 1e-6, 1e20, 1e21, 0.1, 123456789.123, 5e-324, math.MaxFloat64, -2.5e-9} {
		it := fullItem()
		it.Opportunity.KindConfidence, it.Opportunity.Funding.PerRecipient.Min = f, f
		odd = append(odd, it)
	}
	pages := []ItemListOutputBody{{}, {Items: []Item{}}, {Items: []Item{full}, Next: "c1"}, {Items: []Item{{}}},
		{Items: []Item{nonUTC, bareDates, onlyDeadline, bareFunding, maxOnly}}, {Items: odd}}
	for _, p := range pages {
		checkPageJSON(t, p)
	}
	for _, bad := range []func(*Item){
		func(it *Item) { it.Opportunity.KindConfidence = math.NaN() },
		func(it *Item) { it.Opportunity.Funding.EntryFee.Amount = math.Inf(1) },
		func(it *Item) { it.CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		func(it *Item) { it.Opportunity.KeyDates.Other[0].At = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) },
	} {
		it := fullItem()
		bad(&it)
		checkPageJSON(t, ItemListOutputBody{Items: []Item{it}})
	}
}

func FuzzItemJSON(f *testing.F) {
	f.Add("Grant", "span", 0.93, int64(1800000000), int64(0), "GBP")
	f.Add("\xff\u2028\"", "<&>", 1e-9, int64(-62135596800), int64(999999999), "")
	f.Add("", "", math.Inf(-1), int64(253402300800), int64(1), "x")
	f.Fuzz(func(t *testing.T, s, span string, x float64, sec, nsec int64, cur string) {
		it := fullItem()
		at := time.Unix(sec, nsec%1e9).UTC()
		it.Title, it.Summary, it.Opportunity.Currency = s, span, cur
		it.Opportunity.KindConfidence, it.Opportunity.Funding.PerRecipient.Max = x, -x
		it.Opportunity.Provenance = map[string]Provenance{s: {Source: cur, Span: span, Confidence: x}, span: {Source: s}}
		it.PublishedAt, it.Opportunity.KeyDates.Deadline.At = at, at
		it.Opportunity.Criteria.Spans = []string{s, span}
		checkPageJSON(t, ItemListOutputBody{Items: []Item{it, {Title: s}}, Next: cur})
	})
}

// TestItemJSONWritesEveryField checks that fullItem sets every field that
// Item and its members have: the page writer is compared with
// encoding/json on fullItem, so a new field without a writer fails there.
func TestItemJSONWritesEveryField(t *testing.T) {
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				t.Errorf("%s is nil: set it in fullItem", path)
				return
			}
			walk(path, v.Elem())
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() || strings.HasPrefix(path, "Item.Enrichments") {
				return // written by encoding/json
			}
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() { // provenanceJSON: TestListPageMatchesEncodingJSON
					walk(path+"."+f.Name, v.Field(i))
				}
			}
		case reflect.Slice, reflect.Map:
			if v.Len() == 0 {
				t.Errorf("%s is empty: set it in fullItem", path)
			}
			if v.Kind() == reflect.Slice {
				for i := range v.Len() {
					walk(path, v.Index(i))
				}
			}
		default:
			if v.IsZero() {
				t.Errorf("%s is zero: set it in fullItem", path)
			}
		}
	}
	walk("Item", reflect.ValueOf(fullItem()))
	checkPageJSON(t, ItemListOutputBody{Items: []Item{fullItem()}, Next: "n"})
}

// BenchmarkItemPageJSON writes a page of fifty fully set items with the
// page writer and with huma's default JSON format.
// Run: go test ./internal/api -run '^$' -bench ItemPageJSON -benchmem
func BenchmarkItemPageJSON(b *testing.B) {
	p := ItemListOutputBody{Next: "next"}
	for range 50 {
		it := fullItem()
		it.Entities, it.Enrichments, it.ContentHTML = nil, nil, ""
		it.Title, it.URL = "Travel grant in ceramics", "https://opportunities.example.org/f10/49"
		it.Summary = strings.Repeat("The Meridian Trust invites applications; awards range from £19,000 to £38,000 — apply by March. ", 5)
		p.Items = append(p.Items, it)
	}
	for _, f := range []struct {
		name   string
		format huma.Format
	}{{"writer", jsonFormat}, {"encoding-json", huma.DefaultJSONFormat}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.format.Marshal(io.Discard, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
