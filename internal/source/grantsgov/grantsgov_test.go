package grantsgov_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/grantsgov"
)

// search2 serves the recorded Search2 answers by startRecordNum, and
// records the request bodies.
func search2(t *testing.T, bodies *[]map[string]any) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || json.Unmarshal(b, &req) != nil {
			http.Error(w, "want a JSON POST", http.StatusBadRequest)
			return
		}
		*bodies = append(*bodies, req)
		page := map[float64]string{0: "search2-page1.json", 2: "search2-page2.json", 4: "search2-page3-malformed.json"}[req["startRecordNum"].(float64)]
		data, err := os.ReadFile("testdata/" + page)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestASearch2SearchIsPagedAndMappedToTypedFields(t *testing.T) {
	var bodies []map[string]any
	srv := search2(t, &bodies)
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cfg := json.RawMessage(`{"keyword":"arts","agencies":["NEA","NEH","IMLS"],"categories":["AR"],"eligibilities":["21"],"rows":2}`)
	k := grantsgov.Kind(feeds.Options{Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }})
	if err := source.NewRegistry(k).Check(scout.SourceGrantsGov, cfg); err != nil {
		t.Fatal(err)
	}
	res, err := k.Collector.Collect(context.Background(), scout.Source{Kind: scout.SourceGrantsGov, URL: srv.URL + "/v1/api/search2", Config: cfg}, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 3 || bodies[0]["keyword"] != "arts" || bodies[0]["agencies"] != "NEA|NEH|IMLS" || bodies[0]["fundingCategories"] != "AR" ||
		bodies[0]["eligibilities"] != "21" || bodies[0]["oppStatuses"] != "forecasted|posted" || bodies[1]["startRecordNum"] != 2.0 {
		t.Fatalf("requests = %v", bodies)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "answer 3: the answer is not valid JSON") {
		t.Fatalf("warnings = %q (the malformed third answer must be a warning)", res.Warnings)
	}
	type row struct {
		Title, URL, Funder, Deadline, Opens string
		Min, Max                            int64
		Total                               float64
		Awards                              int
		Kind                                scout.Kind
		Prov                                string
	}
	var got []row
	for _, it := range res.Items {
		o := it.Opportunity
		r := row{Title: it.Title, URL: it.URL, Funder: o.Funder, Deadline: o.Deadline.Format(time.RFC3339), Min: o.AmountMin, Max: o.AmountMax,
			Kind: o.Kind, Prov: o.Provenance["amount"].Source + "/" + o.Provenance["deadline"].Source}
		if o.KeyDates.Opens != nil {
			r.Opens = o.KeyDates.Opens.Date
		}
		if o.Funding.TotalAvailable != nil {
			r.Total = o.Funding.TotalAvailable.Amount
		}
		if o.Funding.Awards != nil {
			r.Awards = o.Funding.Awards.Max
		}
		got = append(got, r)
	}
	want := []row{
		{"Grants for Arts Projects", "https://www.grants.gov/search-results-detail/358001", "National Endowment for the Arts", "2026-07-09T23:59:59Z", "2026-02-10", 10000, 100000, 30000000, 1100, scout.KindGrant, "feed/feed"},
		{"Public Humanities Projects", "https://www.grants.gov/search-results-detail/358002", "National Endowment for the Humanities", "2026-08-12T23:59:59Z", "2026-01-15", 50000, 400000, 12000000, 30, scout.KindGrant, "feed/feed"},
		{"Museums for America", "https://www.grants.gov/search-results-detail/358003", "Institute of Museum and Library Services", "2026-11-15T23:59:59Z", "2026-09-01", 0, 250000, 0, 0, scout.KindGrant, "feed/feed"},
		{"Challenge America", "https://www.grants.gov/search-results-detail/358004", "National Endowment for the Arts", "2026-04-23T23:59:59Z", "2026-02-10", 10000, 10000, 0, 200, scout.KindGrant, "feed/feed"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("items (-want +got):\n%s", diff)
	}
	if !strings.Contains(strings.Join(res.Items[0].Categories, " "), "NEA-2026-GAP-01") || res.Items[0].GUID != "358001" {
		t.Fatalf("opportunity number and id not kept: %q %q", res.Items[0].Categories, res.Items[0].GUID)
	}
}

func TestGrantsgovFiltersAreChecked(t *testing.T) {
	reg := source.NewRegistry(grantsgov.Kind(feeds.Options{}))
	for cfg, field := range map[string]string{`{"agencies":["NEA; DROP"]}`: "config.agencies", `{"keywords":"x"}`: "config.keywords", `{"rows":"many"}`: "config.rows"} {
		if fe, ok := reg.Check(scout.SourceGrantsGov, json.RawMessage(cfg)).(*scout.FieldError); !ok || fe.Field != field {
			t.Errorf("%s: want an error on %s, got %v", cfg, field, fe)
		}
	}
}
