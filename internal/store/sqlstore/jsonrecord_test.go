package sqlstore

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

// fullRecord sets every field of a record, so that a field added to the
// record's types without a reader fails TestDecodeRecordReadsEveryField.
func fullRecord() record {
	p := scout.Provenance{Source: "rules/1", Span: "March 11, 2027", Confidence: 0.75}
	at := time.Date(2027, 3, 11, 23, 59, 59, 0, time.UTC)
	kd := func(label string) *scout.KeyDate {
		return &scout.KeyDate{Label: label, Date: "2027-03-11", Time: "17:00", Zone: "Europe/London", At: at, Provenance: p}
	}
	return record{
		KeyDates: scout.KeyDates{Opens: kd("opens"), Deadline: kd("deadline"), Other: []scout.KeyDate{*kd("other round"), *kd("event")}},
		Funding: scout.Funding{Period: "month", Duration: &scout.Duration{Count: 6, Unit: "month"},
			PerRecipient:   &scout.MoneyRange{Min: 19000, Max: 38000.5, Currency: "GBP"},
			TotalAvailable: &scout.Money{Amount: 1e6, Currency: "GBP"}, Awards: &scout.AwardCount{Min: 2, Max: 8, Estimated: true},
			EntryFee: &scout.Money{Amount: 25, Currency: "USD"}, InKind: &scout.Money{Amount: 3000, Currency: "EUR"}},
		Criteria: scout.Eligibility{ApplicantTypes: []scout.ApplicantType{"individual", "collective"}, CareerStages: []string{"emerging"},
			AgeMin: 18, AgeMax: 29, Countries: []string{"ZA-WC", "ZA"}, Students: true, IdentityFocus: []string{"women"},
			Spans: []string{"artists", "over 40", "based in \"Cape Town\" \u00e9"}},
	}
}

var recordSeeds = []string{
	``, `{}`, `null`, `{"key_dates":{},"funding":{},"eligibility":{}}`,
	`{"key_dates":{"deadline":{"label":"deadline","date":"2027-03-11","at":"2027-03-11T23:59:59Z","provenance":{"source":"rules/1","span":"March 11, 2027","confidence":0.75}},` +
		`"other":[{"label":"other round","date":"2027-03-11","at":"2027-03-11T23:59:59Z","provenance":{"source":"rules/1","span":"11 Mar 2027","confidence":0.5}}]},` +
		`"funding":{"per_recipient":{"min":19000,"max":38000,"currency":"GBP"},"awards":{"max":8,"estimated":true}},` +
		`"eligibility":{"applicant_types":["individual"],"age_min":40,"countries":["ZA-WC"],"spans":["artists","over 40","travel grant in ceramics"]}}`,
	` { "funding" : { "entry_fee" : { "amount" : 0 } } , "eligibility" : { "students" : false } } `,
	`{"key_dates":{"other":[]}}`, `{"key_dates":{"other":null}}`, `{"key_dates":{"opens":null}}`, `{"funding":{"awards":{}}}`,
	`{"key_dates":{"deadline":{"at":"2027-03-11T23:59:59+02:00"}}}`, `{"key_dates":{"deadline":{"at":"2027-03-11"}}}`,
	`{"key_dates":{"deadline":{"at":"2027-03-11T23:59:59.123456789Z"}}}`, `{"key_dates":{"deadline":{"at":"2027-03-11T23:59:59\u005a"}}}`,
	`{"key_dates":{"deadline":{"at":1}}}`, `{"key_dates":{"deadline":{"label":"a\"b\u00e9"}}}`,
	`{"funding":{"awards":{"max":1.5}}}`, `{"funding":{"awards":{"max":1e2}}}`, `{"funding":{"awards":{"max":-3}}}`, `{"funding":{"awards":{"max":01}}}`,
	`{"funding":{"awards":{"max":99999999999999999999}}}`, `{"funding":{"per_recipient":{"min":1e400}}}`, `{"funding":{"per_recipient":{"min":.5}}}`,
	`{"funding":{"per_recipient":{"min":1.}}}`, `{"funding":{"per_recipient":{"min":-0.5e-3}}}`, `{"funding":{"per_recipient":{"min":1 .5}}}`,
	`{"funding":{"per_recipient":{"min":+1}}}`, `{"funding":{"per_recipient":{"min":"1"}}}`, `{"funding":{"awards":{"estimated":truex}}}`,
	`{"funding":{"awards":{"estimated":null}}}`, `{"funding":{"period":"year","period":"month"}}`,
	`{"funding":{"per_recipient":{"min":1},"per_recipient":{"max":2}}}`, `{"Funding":{"period":"year"}}`, `{"funding":{"x":1}}`,
	`{"eligibility":{"applicant_types":["a",1]}}`, `{"eligibility":{"age_min":40,"age_max":30}}`, `{"eligibility":{"countries":[]}}`,
	`{"key_dates":{}} x`, `{"key_dates":{}`, `{"key_dates":{"deadline":{"provenance":{"source":"a","source":"b"}}}}`,
	"{\"eligibility\":{\"spans\":[\"\xff\"]}}",
}

// TestDecodeRecordMatchesEncodingJSON checks decodeRecord and its fast
// reader against json.Unmarshal on stored shapes, odd spacing, escapes and
// damaged values: whenever the reader accepts a column, encoding/json
// accepts it too and reads the same record.
func TestDecodeRecordMatchesEncodingJSON(t *testing.T) {
	for _, s := range append(recordSeeds, mustJSON(fullRecord())) {
		checkRecord(t, s)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	for _, s := range append(recordSeeds, mustJSON(fullRecord())) {
		f.Add(s)
	}
	f.Fuzz(checkRecord)
}

func checkRecord(t *testing.T, s string) {
	d := jsonCol{s: s}
	got, ok := d.opportunityRecord()
	var want record
	err := json.Unmarshal([]byte(s), &want)
	if ok && d.end() {
		if err != nil {
			t.Fatalf("the record reader accepted %q, which json.Unmarshal refuses: %v", s, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("record reader on %q (-json.Unmarshal +got):\n%s", s, diff)
		}
	}
	if err != nil || len(s) <= 2 {
		return
	}
	var o scout.Opportunity
	decodeRecord(s, &o)
	if diff := cmp.Diff(want, record{o.KeyDates, o.Funding, o.Criteria}); diff != "" {
		t.Errorf("decodeRecord(%q) (-json.Unmarshal +got):\n%s", s, diff)
	}
}

// TestDecodeRecordReadsEveryField checks that a record with every field set
// is read by the record reader itself, not left to encoding/json: a field
// added to the record without a case would pass the differential test but
// quietly slow every list down.
func TestDecodeRecordReadsEveryField(t *testing.T) {
	r := fullRecord()
	assertNoZeroField(t, "record", reflect.ValueOf(r))
	s := mustJSON(r)
	d := jsonCol{s: s}
	got, ok := d.opportunityRecord()
	if !ok || !d.end() {
		t.Fatalf("the record reader left %s to encoding/json", s)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("record reader on %s (-want +got):\n%s", s, diff)
	}
}

// assertNoZeroField fails for every field reachable from v that is zero, so
// that fullRecord keeps setting them all.
func assertNoZeroField(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			t.Errorf("%s is nil: set it in fullRecord", path)
			return
		}
		assertNoZeroField(t, path, v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			if v.IsZero() {
				t.Errorf("%s is zero: set it in fullRecord", path)
			}
			return
		}
		for i := range v.NumField() {
			assertNoZeroField(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			t.Errorf("%s is empty: set it in fullRecord", path)
		}
		for i := range v.Len() {
			assertNoZeroField(t, path, v.Index(i))
		}
	default:
		if v.IsZero() {
			t.Errorf("%s is zero: set it in fullRecord", path)
		}
	}
}

// BenchmarkDecodeRecord compares decodeRecord with encoding/json on the
// record ingestion stores for a typical farm item.
// Run: go test ./internal/store/sqlstore -run '^$' -bench DecodeRecord -benchmem
func BenchmarkDecodeRecord(b *testing.B) {
	s := recordSeeds[4]
	b.Run("jsoncol", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var o scout.Opportunity
			decodeRecord(s, &o)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r record
			_ = json.Unmarshal([]byte(s), &r)
		}
	})
}

// exactDecimalSeeds are numbers as JSON spells them, and a few it does not.
var exactDecimalSeeds = []string{"0", "-0", "0.75", "1", "0.6", "-1.5", "123456789012345", "1234567890123456",
	"0.000000000000001", "0.1234567890123456", "99999.99", "1e5", "1.", ".5", "-", "", "1.2.3", "0.30000000000000004"}

// FuzzExactDecimal holds exactDecimal to strconv.ParseFloat wherever it
// reads a number.
func FuzzExactDecimal(f *testing.F) {
	for _, s := range exactDecimalSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := exactDecimal(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactDecimal(%q) = %v, strconv.ParseFloat: %v, %v", s, got, want, err)
		}
	})
}
