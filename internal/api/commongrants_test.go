package api

import (
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// cgPage is a CommonGrants list answer as a client decodes it.
type cgPage struct {
	Status         int
	Message        string
	Items          []CGOpportunity
	PaginationInfo cgInfo
}

// cgInfo is paginationInfo as a client decodes it, -1 for a total left out.
type cgInfo struct{ Page, PageSize, TotalItems, TotalPages int }

func (c *cgInfo) UnmarshalJSON(b []byte) error {
	var raw CGPaginationInfo
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = cgInfo{raw.Page, raw.PageSize, -1, -1}
	if raw.TotalItems != nil {
		c.TotalItems = *raw.TotalItems
	}
	if raw.TotalPages != nil {
		c.TotalPages = *raw.TotalPages
	}
	return nil
}

func TestCommonGrantsServesWhatTheViewerMaySee(t *testing.T) { onBothEngines(t, testCommonGrants) }

func testCommonGrants(t *testing.T, e *env) {
	ada, bob := e.mustUser("ada@example.org", false), e.mustUser("bob@example.org", false)
	public := e.mustSource(0, "https://arts.example/feed", scout.VisibilityPublic)
	private := e.mustSource(ada.ID, "https://ada.example/feed", scout.VisibilityPrivate)
	pub := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	e.mustItems(public, extractedItem("glen", "Glen fellowship", fellowshipText, pub))
	e.mustItems(public, repost("call", "Neighborhood Arts Grants", pub))
	e.mustItems(private, grantItem("mine", "Ada's private commission", pub))
	secret := repost("ada-call", "Neighborhood Arts Grants", pub)
	secret.Opportunity.AmountMax, secret.Opportunity.Funder = 9000, "Secret Funder Trust"
	e.mustItems(private, secret)

	list := func(u user, query string) cgPage {
		t.Helper()
		r := e.do(http.MethodGet, "/common-grants/opportunities"+query, u.token, nil)
		wantStatus(t, r, http.StatusOK, "list "+query)
		var p cgPage
		r.json(t, &p)
		return p
	}
	all := list(ada, "")
	if all.Status != 200 || all.Message == "" || all.PaginationInfo != (cgInfo{Page: 1, PageSize: 100, TotalItems: 3, TotalPages: 1}) {
		t.Fatalf("ada's list = %d %q %+v, want 200 and her three opportunities on one page of 100", all.Status, all.Message, all.PaginationInfo)
	}
	for i := 1; i < len(all.Items); i++ {
		if all.Items[i-1].LastModifiedAt.Before(all.Items[i].LastModifiedAt) {
			t.Errorf("item %d modified %v before item %d modified %v: want newest first", i-1, all.Items[i-1].LastModifiedAt, i, all.Items[i].LastModifiedAt)
		}
	}
	var paged []string
	for page := 1; page <= 4; page++ {
		// The totals come when asked for, or once the list ends on the page.
		p := list(ada, "?pageSize=1&page="+itoa(int64(page)))
		want := cgInfo{Page: page, PageSize: 1, TotalItems: 3, TotalPages: 3}
		if page < 3 {
			want.TotalItems, want.TotalPages = -1, -1
		}
		if p.PaginationInfo != want {
			t.Errorf("page %d info = %+v, want %+v", page, p.PaginationInfo, want)
		}
		counted := list(ada, "?total=true&pageSize=1&page="+itoa(int64(page)))
		if want.TotalItems, want.TotalPages = 3, 3; counted.PaginationInfo != want {
			t.Errorf("page %d counted: info = %+v, want %+v", page, counted.PaginationInfo, want)
		}
		for _, o := range p.Items {
			paged = append(paged, o.ID)
		}
	}
	var whole []string
	for _, o := range all.Items {
		whole = append(whole, o.ID)
	}
	if strings.Join(paged, ",") != strings.Join(whole, ",") {
		t.Errorf("pages of one give %v, one page gives %v: want the same order, each once, and page 4 empty", paged, whole)
	}

	// Bob sees the public calls only, merged from the public sightings.
	theirs := list(bob, "")
	if theirs.PaginationInfo.TotalItems != 2 || len(theirs.Items) != 2 {
		t.Fatalf("bob's list = %+v, want the two public calls", theirs)
	}
	for _, o := range theirs.Items {
		if o.CustomFields["funder"].Value == "Secret Funder Trust" || o.Funding.MaxAwardAmount != nil && o.Funding.MaxAwardAmount.Amount == "9000" {
			t.Errorf("bob's record shows ada's private sighting: %+v", o)
		}
	}
	for _, o := range all.Items {
		if o.Title != "Ada's private commission" {
			continue
		}
		wantStatus(t, e.do(http.MethodGet, "/common-grants/opportunities/"+o.ID, bob.token, nil), http.StatusNotFound, "bob reads ada's")
		r := e.do(http.MethodGet, "/common-grants/opportunities/"+strings.ToUpper(o.ID), ada.token, nil)
		wantStatus(t, r, http.StatusOK, "ada reads hers by an upper-case id")
	}

	// The fellowship, read by its id, in the funder's own terms.
	var glen CGOpportunity
	for _, o := range theirs.Items {
		if o.Title == "Glen fellowship" {
			glen = o
		}
	}
	r := e.do(http.MethodGet, "/common-grants/opportunities/"+glen.ID, bob.token, nil)
	wantStatus(t, r, http.StatusOK, "get the fellowship")
	var one struct {
		Status int
		Data   CGOpportunity
	}
	r.json(t, &one)
	g := one.Data
	if g.ID != glen.ID || g.Status.Value == "" || g.Source == "" || g.CustomFields["kind"].Value != "fellowship" {
		t.Errorf("fellowship = %+v, want the listed record with a status, its source and kind", g)
	}
	if d := g.KeyDates.AppDeadline; d == nil || d.Date != "2027-03-03" || d.Time != "23:59:00" || d.EventType != "singleDate" {
		t.Errorf("deadline = %+v, want 2027-03-03 23:59:00 local", d)
	}
	if f := g.Funding; f.MaxAwardAmount == nil || *f.MaxAwardAmount != (CGMoney{"7200", "GBP"}) || f.TotalAmountAvailable == nil ||
		*f.TotalAmountAvailable != (CGMoney{"72000", "GBP"}) || f.MaxAwardCount == nil || *f.MaxAwardCount != 10 {
		t.Errorf("funding = %+v, want 7200 GBP per fellow, 72000 GBP in all, 10 awards", f)
	}
	raw := string(r.raw)
	for _, want := range []string{`"entryFee":{"name":"entryFee","fieldType":"object","value":{"amount":"0"}`,
		`"appDeadline":{"at":"2027-03-04T07:59:00Z","zone":"America/Los_Angeles"}`, `"countries":["GB-SCT"]`, `"period":"month"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("the fellowship's record lacks %s:\n%s", want, raw)
		}
	}

	unknown := opportunityUUID(999999)
	for _, bad := range []struct {
		path, cred string
		want       int
	}{
		{"/common-grants/opportunities", "", http.StatusUnauthorized},
		{"/common-grants/opportunities/" + glen.ID, "", http.StatusUnauthorized},
		{"/common-grants/opportunities?page=0", bob.token, http.StatusUnprocessableEntity},
		{"/common-grants/opportunities?pageSize=101", bob.token, http.StatusUnprocessableEntity},
		{"/common-grants/opportunities?pageSize=x", bob.token, http.StatusUnprocessableEntity},
		{"/common-grants/opportunities/42", bob.token, http.StatusUnprocessableEntity},
		{"/common-grants/opportunities/" + unknown, bob.token, http.StatusNotFound},
		{"/common-grants/opportunities/0b8f2e4c-1d3a-5b6c-9d8e-7f6a5b4c3d2e", bob.token, http.StatusNotFound},
	} {
		r := e.do(http.MethodGet, bad.path, bad.cred, nil)
		wantStatus(t, r, bad.want, bad.path)
		if p := r.problem(t); p.Status != bad.want || p.Type == "" {
			t.Errorf("%s: problem %+v", bad.path, p)
		}
	}
}

func TestCommonGrantsIDsRoundTripAndRefuseOthers(t *testing.T) {
	for _, id := range []int64{1, 2, 42, 1 << 31, cgMaxID} {
		u := opportunityUUID(id)
		if got, ok := opportunityOfUUID(u); !ok || got != id || len(u) != 36 || u[14] != '8' || !strings.ContainsAny(u[19:20], "89ab") {
			t.Errorf("id %d → %s → %d, %v; want it back from a version 8, variant 10 UUID", id, u, got, ok)
		}
	}
	if opportunityUUID(1) == opportunityUUID(2) {
		t.Error("two ids share a UUID")
	}
	good := opportunityUUID(7)
	for _, s := range []string{"", "7", good[:35], good + "0", strings.Replace(good, "-", "", 1) + "-",
		good[:35] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", good[35])+1)%16]),
		"zzzzzzzz-zzzz-8zzz-8zzz-zzzzzzzzzzzz", "00000000-0000-0000-0000-000000000000"} {
		if id, ok := opportunityOfUUID(s); ok {
			t.Errorf("%q names opportunity %d, want refused", s, id)
		}
	}
}

// FuzzOpportunityUUID checks that any string is refused or names an id
// whose UUID is that string, and never panics.
func FuzzOpportunityUUID(f *testing.F) {
	f.Add(opportunityUUID(1))
	f.Add("0b8f2e4c-1d3a-5b6c-9d8e-7f6a5b4c3d2e")
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := opportunityOfUUID(s)
		if ok && (id < 1 || id > cgMaxID || opportunityUUID(id) != strings.ToLower(s)) {
			t.Fatalf("%q → %d, whose UUID is %s", s, id, opportunityUUID(id))
		}
	})
}

// merged is an opportunity of one sighting with facet o.
func merged(o scout.Opportunity) scout.MergedOpportunity {
	return scout.MergedOpportunity{ID: 5, Title: "Call", URL: "https://example.org/call", Opportunity: o,
		Sightings: []scout.Sighting{{ID: 9, ItemID: 11, Item: scout.Item{Summary: "A call for artists."}}},
		Fields:    map[string]scout.FieldSource{"funding.entry_fee": {SightingID: 9, ItemID: 11, Extractor: "rules/1"}}}
}

func TestCommonGrantsMappingKeepsZeroApartFromAbsence(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	deadline := time.Date(2026, 6, 1, 23, 59, 59, 0, time.UTC)
	free, paid := &scout.Money{Amount: 0}, &scout.Money{Amount: 25, Currency: "EUR"}
	tests := []struct {
		name string
		in   scout.Opportunity
		want []string // fragments of the record's JSON
		not  []string // fragments it must not have
	}{
		{"a stated free entry is amount 0", scout.Opportunity{Funding: scout.Funding{EntryFee: free}},
			[]string{`"entryFee":{"name":"entryFee","fieldType":"object","value":{"amount":"0"}`}, []string{`"currency":""`}},
		{"a fee has its amount and currency", scout.Opportunity{Funding: scout.Funding{EntryFee: paid}},
			[]string{`"value":{"amount":"25","currency":"EUR"}`}, nil},
		{"no fee stated is no entryFee", scout.Opportunity{}, nil, []string{`entryFee`, `inKind`, `awardPeriod`, `eligibility`, `funder`, `rolling`}},
		{"a pool of zero is stated", scout.Opportunity{Currency: "USD", Funding: scout.Funding{TotalAvailable: &scout.Money{Amount: 0}}},
			[]string{`"totalAmountAvailable":{"amount":"0","currency":"USD"}`}, nil},
		{"no pool stated is no totalAmountAvailable", scout.Opportunity{AmountMax: 100, Currency: "USD"}, nil, []string{`totalAmountAvailable`}},
		{"an up-to award has no minimum", scout.Opportunity{AmountMax: 5000, Currency: "USD"},
			[]string{`"maxAwardAmount":{"amount":"5000","currency":"USD"}`}, []string{`minAwardAmount`}},
		{"an award range has both ends", scout.Opportunity{AmountMin: 1000, AmountMax: 5000, Currency: "USD"},
			[]string{`"minAwardAmount":{"amount":"1000","currency":"USD"}`, `"maxAwardAmount":{"amount":"5000"`}, nil},
		{"an award without a currency is not a Money", scout.Opportunity{AmountMax: 5000}, nil, []string{`AwardAmount`}},
		{"a monthly stipend of stated length totals its months", scout.Opportunity{AmountMax: 1200, Currency: "GBP",
			Funding: scout.Funding{Period: scout.PeriodMonth, Duration: &scout.Duration{Count: 6, Unit: scout.PeriodMonth}}},
			[]string{`"maxAwardAmount":{"amount":"7200","currency":"GBP"}`, `"perPeriod":{"max":"1200","currency":"GBP"}`, `"duration":{"count":6,"unit":"month"}`}, nil},
		{"a monthly stipend of unstated length has no total", scout.Opportunity{AmountMax: 1200, Currency: "GBP", Funding: scout.Funding{Period: scout.PeriodMonth}},
			[]string{`"awardPeriod"`, `"perPeriod":{"max":"1200","currency":"GBP"}`}, []string{`maxAwardAmount`}},
		{"about ten awards is an estimate", scout.Opportunity{Funding: scout.Funding{Awards: &scout.AwardCount{Min: 10, Max: 10, Estimated: true}}},
			[]string{`"estimatedAwardCount":10`}, []string{`minAwardCount`, `maxAwardCount`}},
		{"up to ten awards is a maximum", scout.Opportunity{Funding: scout.Funding{Awards: &scout.AwardCount{Max: 10, Estimated: true}}},
			[]string{`"maxAwardCount":10`}, []string{`minAwardCount`, `estimatedAwardCount`}},
		{"at least five awards is a minimum", scout.Opportunity{Funding: scout.Funding{Awards: &scout.AwardCount{Min: 5}}},
			[]string{`"minAwardCount":5`}, []string{`maxAwardCount`}},
		{"in-kind support of zero is stated", scout.Opportunity{Funding: scout.Funding{InKind: &scout.Money{Amount: 0}}},
			[]string{`"inKind":{"name":"inKind","fieldType":"object","value":{"amount":"0"}`}, nil},
		{"a deadline known only as an instant is its UTC date and time", scout.Opportunity{Deadline: deadline},
			[]string{`"appDeadline":{"name":"Application deadline","eventType":"singleDate","date":"2026-06-01","time":"23:59:59"`, `"zone":"Z"`}, nil},
		{"a local date without a time says the day is read in UTC", scout.Opportunity{Deadline: deadline,
			KeyDates: scout.KeyDates{Deadline: &scout.KeyDate{Label: scout.DateDeadline, Date: "2026-06-01", At: deadline}}},
			[]string{`"date":"2026-06-01","description":"no time or zone stated`}, []string{`"time"`, `"zone"`}},
		{"other dates of one label are numbered", scout.Opportunity{KeyDates: scout.KeyDates{Other: []scout.KeyDate{
			{Label: scout.DateIntent, Date: "2026-04-01", At: deadline}, {Label: scout.DateEvent, Date: "2026-09-01", Time: "18:30", Zone: "+02:00", At: deadline},
			{Label: scout.DateEvent, Date: "2026-09-08", At: deadline}}}},
			[]string{`"letterOfIntent":{"name":"Letter of intent"`, `"event":{"name":"Event","eventType":"singleDate","date":"2026-09-01","time":"18:30:00"`, `"event2":{`, `"zone":"+02:00"`}, nil},
		{"rolling is a custom status", scout.Opportunity{Rolling: true},
			[]string{`"status":{"value":"custom","customValue":"rolling"`, `"rolling":{"name":"rolling","fieldType":"boolean","value":true`}, nil},
		{"nothing dated is an unknown status", scout.Opportunity{}, []string{`"customValue":"unknown"`}, []string{`keyDateZones`}},
		{"a past deadline is closed", scout.Opportunity{Deadline: now.Add(-time.Hour)}, []string{`"status":{"value":"closed"`}, nil},
		{"a future opening is forecasted", scout.Opportunity{OpensAt: now.Add(48 * time.Hour), Deadline: deadline},
			[]string{`"status":{"value":"forecasted"`, `"appOpens":{"name":"Applications open"`}, nil},
		{"not yet classified is not none", scout.Opportunity{}, []string{`"kind":{"name":"kind","fieldType":"string","value":"unclassified"`}, nil},
		{"eligibility is served as predicates", scout.Opportunity{Criteria: scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantIndividual},
			AgeMin: 18, AgeMax: 30, Countries: []string{"GB-SCT"}}},
			[]string{`"value":{"applicantTypes":["individual"],"ageMin":18,"ageMax":30,"countries":["GB-SCT"]}`}, nil},
		{"provenance names the sighting and the extractor", scout.Opportunity{Funding: scout.Funding{EntryFee: free},
			Provenance: map[string]scout.Provenance{"funding.entry_fee": {Source: "rules/1", Span: "Free to enter", Confidence: 0.9}}},
			[]string{`"funding.entry_fee":{"source":"rules/1","span":"Free to enter","confidence":0.9,"sightingId":9,"itemId":11}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := cgOpportunity(merged(tt.in), now)
			b, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("record lacks %s:\n%s", w, s)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(s, n) {
					t.Errorf("record has %s:\n%s", n, s)
				}
			}
			if rec.Description != "A call for artists." || rec.CustomFields["scoutId"].Value != int64(5) {
				t.Errorf("description %q, scoutId %v", rec.Description, rec.CustomFields["scoutId"].Value)
			}
		})
	}
}

// FuzzCommonGrantsMapping maps records with arbitrary sums and counts and
// checks that every sum served is a decimal string that reads back as the
// stored value, and that a sum is served exactly when it was stated.
func FuzzCommonGrantsMapping(f *testing.F) {
	f.Add(0.0, 25.0, int64(0), int64(5000), 0, 10, true, "USD", "month", 6)
	f.Add(-1.0, 1e21, int64(-3), int64(1<<40), 10, 10, false, "", "year", 0)
	f.Add(0.001, 12.5, int64(1200), int64(1200), 0, 0, true, "GBP", "once", 1)
	f.Fuzz(func(t *testing.T, pool, fee float64, lo, hi int64, minN, maxN int, stated bool, cur, period string, months int) {
		o := scout.Opportunity{AmountMin: lo, AmountMax: hi, Currency: cur,
			Funding: scout.Funding{Period: scout.Period(period), Awards: &scout.AwardCount{Min: minN, Max: maxN, Estimated: stated}}}
		if months > 0 {
			o.Funding.Duration = &scout.Duration{Count: months, Unit: scout.PeriodMonth}
		}
		if stated {
			o.Funding.TotalAvailable, o.Funding.EntryFee = &scout.Money{Amount: pool, Currency: cur}, &scout.Money{Amount: fee}
		}
		rec := cgOpportunity(merged(o), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		if _, err := json.Marshal(rec); err != nil {
			t.Fatalf("record does not encode: %v", err)
		}
		fu := rec.Funding
		for name, m := range map[string]*CGMoney{"total": fu.TotalAmountAvailable, "min": fu.MinAwardAmount, "max": fu.MaxAwardAmount} {
			if m != nil && (!cgAmount.MatchString(m.Amount) || m.Currency == "") {
				t.Errorf("%s = %+v, not a CommonGrants Money", name, m)
			}
		}
		if p := fu.TotalAmountAvailable; p != nil && p.Amount != decimal(pool) {
			t.Errorf("pool %v is served as %s", pool, p.Amount)
		}
		sane := fee >= 0 && !math.IsInf(fee, 0) // NaN fails the first
		if c, ok := rec.CustomFields["entryFee"]; ok != (stated && sane) || ok && !cgAmount.MatchString(c.Value.(cgFee).Amount) {
			t.Errorf("entryFee %+v served %v for fee %v stated %v", c.Value, ok, fee, stated)
		}
		for _, n := range []*int{fu.MinAwardCount, fu.MaxAwardCount, fu.EstimatedAwardCount} {
			if n != nil && *n <= 0 {
				t.Errorf("an award count of %d is served: a count not stated must be absent", *n)
			}
		}
	})
}

var cgAmount = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func TestCommonGrantsPageIgnoresPrivateSightings(t *testing.T) {
	onBothEngines(t, testCommonGrantsPrivateSighting)
}

// testCommonGrantsPrivateSighting checks that a private post of a public
// call changes nothing of bob's CommonGrants page or record (fields,
// lastModifiedAt, order, totals), while ada, whose post it is, sees the
// call move to the top.
func testCommonGrantsPrivateSighting(t *testing.T, e *env) {
	ada, bob := e.mustUser("ada@example.org", false), e.mustUser("bob@example.org", false)
	public := e.mustSource(0, "https://arts.example/feed", scout.VisibilityPublic)
	private := e.mustSource(ada.ID, "https://ada.example/feed", scout.VisibilityPrivate)
	pub := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	e.mustItems(public, repost("call", "Neighborhood Arts Grants", pub))
	e.mustItems(public, extractedItem("glen", "Glen fellowship", fellowshipText, pub))
	list := func(u user) (cgPage, string) {
		t.Helper()
		r := e.do(http.MethodGet, "/common-grants/opportunities?total=true", u.token, nil)
		wantStatus(t, r, http.StatusOK, "list")
		var p cgPage
		r.json(t, &p)
		if len(p.Items) != 2 {
			t.Fatalf("list = %s, want the two public calls", r.raw)
		}
		return p, string(r.raw)
	}
	record := func(u user, id string) string {
		t.Helper()
		r := e.do(http.MethodGet, "/common-grants/opportunities/"+id, u.token, nil)
		wantStatus(t, r, http.StatusOK, "get "+id)
		return string(r.raw)
	}
	first, before := list(bob)
	shared := first.Items[1] // the call, posted first, modified first
	if shared.Title != "Neighborhood Arts Grants" {
		t.Fatalf("bob's list = %s, want the arts call second", before)
	}
	was := record(bob, shared.ID)

	secret := repost("ada-call", "Neighborhood Arts Grants", pub)
	secret.Opportunity.AmountMax, secret.Opportunity.Funder = 9000, "Secret Funder Trust"
	e.mustItems(private, secret)
	if _, after := list(bob); after != before {
		t.Errorf("ada's private post changed bob's page:\nbefore %s\nafter  %s", before, after)
	}
	if now := record(bob, shared.ID); now != was {
		t.Errorf("ada's private post changed bob's record:\nbefore %s\nafter  %s", was, now)
	}
	mine, _ := list(ada)
	if mine.Items[0].ID != shared.ID || !mine.Items[0].LastModifiedAt.After(shared.LastModifiedAt) {
		t.Errorf("ada's list starts with %s modified %v, want the call she posted (%s), modified after %v",
			mine.Items[0].ID, mine.Items[0].LastModifiedAt, shared.ID, shared.LastModifiedAt)
	}
}
