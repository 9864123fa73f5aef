package grantsgov_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/grantsgov"
)

var march = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

// zipped packs xml as Grants.gov does: one deflated entry.
func zipped(w io.Writer, write func(io.Writer) error) error {
	zw := zip.NewWriter(w)
	f, err := zw.Create("GrantsDBExtract20260301v2.xml")
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		return err
	}
	return zw.Close()
}

// synthetic writes an extract of n opportunities in the shape of the
// recorded sample: arts and humanities grants, posted or forecast, some
// closed, each with a description of a few hundred bytes.
func synthetic(w io.Writer, n int) error {
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Grants xmlns="http://apply.grants.gov/system/OpportunityDetail-V1.0">`+"\n"); err != nil {
		return err
	}
	desc := strings.Repeat("Support for projects that bring the arts to the public, with outreach &amp; education. ", 6)
	for i := range n {
		kind, cat, closes := "Synopsis", []string{"AR", "HU", "AR", "ED"}[i%4], fmt.Sprintf("%02d%02d2026", 4+i%8, 1+i%28)
		if i%5 == 4 {
			kind = "Forecast"
		}
		if i%7 == 6 {
			closes = "01152026" // closed before March
		}
		_, err := fmt.Fprintf(w, `<Opportunity%[1]sDetail_1_0>
<OpportunityID>%[2]d</OpportunityID>
<OpportunityTitle>Arts Project Grants %[2]d</OpportunityTitle>
<OpportunityNumber>NEA-2026-%[2]d</OpportunityNumber>
<CategoryOfFundingActivity>%[3]s</CategoryOfFundingActivity>
<CFDANumbers>45.024</CFDANumbers>
<EligibleApplicants>25</EligibleApplicants>
<AgencyCode>NEA</AgencyCode>
<AgencyName>National Endowment for the Arts</AgencyName>
<PostDate>01%02[4]d2026</PostDate>
<CloseDate>%[5]s</CloseDate>
<LastUpdatedDate>02%02[4]d2026</LastUpdatedDate>
<AwardCeiling>%[6]d</AwardCeiling>
<AwardFloor>1000</AwardFloor>
<EstimatedTotalProgramFunding>5000000</EstimatedTotalProgramFunding>
<ExpectedNumberOfAwards>40</ExpectedNumberOfAwards>
<Description>%[7]s</Description>
</Opportunity%[1]sDetail_1_0>
`, kind, 400000+i, cat, 1+i%28, closes, 10000+i, desc)
		if err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "</Grants>\n")
	return err
}

func extractServer(t testing.TB) *httptest.Server {
	t.Helper()
	sample, err := os.ReadFile("testdata/extract-sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/extract.xml":
			w.Header().Set("Content-Type", "application/xml")
			_, _ = w.Write(sample)
		case r.URL.Path == "/GrantsDBExtract20260228v2.zip", r.URL.Path == "/extract.zip":
			w.Header().Set("ETag", `"x1"`)
			if r.Header.Get("If-None-Match") == `"x1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/zip")
			_ = zipped(w, func(w io.Writer) error { _, err := w.Write(sample); return err })
		case r.URL.Path == "/synthetic.zip":
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			w.Header().Set("Content-Type", "application/zip")
			_ = zipped(w, func(w io.Writer) error { return synthetic(w, n) })
		case r.URL.Path == "/bomb.zip":
			_ = zipped(w, func(w io.Writer) error {
				_, err := w.Write(append([]byte(`<Grants>`), bytes.Repeat([]byte("<a/>"), 1<<20)...))
				return err
			})
		case r.URL.Path == "/run.xml":
			_, _ = w.Write(append([]byte(`<Grants><OpportunitySynopsisDetail_1_0><Description>`), bytes.Repeat([]byte("a"), 5<<20)...))
		case r.URL.Path == "/truncated.zip":
			var b bytes.Buffer
			_ = zipped(&b, func(w io.Writer) error { _, err := w.Write(sample); return err })
			_, _ = w.Write(b.Bytes()[:b.Len()/2])
		case r.URL.Path == "/feed.xml":
			_, _ = w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func extractClient(t testing.TB) *fetch.Client {
	t.Helper()
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 2 * time.Second,
		MaxBody: 64 << 10, StreamTimeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collect(t testing.TB, k source.Kind, url, cfg string, c source.Getter) (source.Result, error) {
	t.Helper()
	raw := json.RawMessage(cfg)
	if err := source.NewRegistry(k).Check(scout.SourceGrantsGov, raw); err != nil {
		t.Fatalf("config %s: %v", cfg, err)
	}
	return k.Collector.Collect(context.Background(), scout.Source{Kind: scout.SourceGrantsGov, URL: url, Config: raw}, c)
}

func TestTheDailyExtractIsStreamedFilteredAndMapped(t *testing.T) {
	srv := extractServer(t)
	c := extractClient(t)
	k := grantsgov.Kind(feeds.Options{Now: march})
	for _, path := range []string{"/extract.xml", "/extract.zip"} {
		res, err := collect(t, k, srv.URL+path, `{"mode":"extract","categories":["AR"]}`, c)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// AR only, posted or forecast on 1 March: the closed Challenge
		// America, the humanities and the wetland grants are left out. The
		// most recently updated comes first. The body (over MaxBody when
		// zipped or not) was read as a stream.
		if len(res.Items) != 2 || res.Items[0].GUID != "359100" || res.Items[1].GUID != "358001" || len(res.Warnings) != 0 {
			t.Fatalf("%s: %d items %+v, warnings %q", path, len(res.Items), res.Items, res.Warnings)
		}
		gap, mfa := res.Items[1], res.Items[0]
		o := gap.Opportunity
		if gap.Title != "Grants for Arts Projects" || gap.URL != "https://www.grants.gov/search-results-detail/358001" ||
			gap.PublishedAt.Format(time.DateOnly) != "2026-02-10" || !strings.Contains(gap.ContentText, "arts & arts education") ||
			o.Kind != scout.KindGrant || o.Funder != "National Endowment for the Arts" || o.AmountMin != 10000 || o.AmountMax != 100000 ||
			o.Currency != "USD" || o.Deadline.Format(time.DateOnly) != "2026-07-09" || o.OpensAt.Format(time.DateOnly) != "2026-02-10" ||
			o.Funding.TotalAvailable == nil || o.Funding.TotalAvailable.Amount != 30e6 || o.Funding.Awards == nil || o.Funding.Awards.Max != 1100 ||
			o.Provenance["deadline"] != source.Stated || o.Provenance["total_available"] != source.Stated || gap.Categories[0] != "NEA-2026-GAP-01" {
			t.Fatalf("synopsis mapped to %+v\nopportunity %+v", gap, o)
		}
		// A forecast's dates are estimates; "none" and 0 state nothing.
		m := mfa.Opportunity
		if m.Deadline.Format(time.DateOnly) != "2026-11-15" || m.OpensAt.Format(time.DateOnly) != "2026-09-01" ||
			m.Provenance["deadline"] != source.Estimate || m.Funding.TotalAvailable != nil || m.Funding.Awards != nil || m.AmountMax != 250000 {
			t.Fatalf("forecast mapped to %+v", m)
		}
	}

	// Filters: agency prefixes, statuses, keywords.
	for cfg, want := range map[string]string{
		`{"mode":"extract","agencies":["DOI"]}`:                         "357777",
		`{"mode":"extract","statuses":["closed"]}`:                      "341990",
		`{"mode":"extract","keyword":"documentaries"}`:                  "358002",
		`{"mode":"extract","eligibilities":["12"],"categories":["HU"]}`: "358002",
		`{"mode":"extract","statuses":["posted"],"max_items":1}`:        "358001",
	} {
		res, err := collect(t, k, srv.URL+"/extract.xml", cfg, c)
		if err != nil || len(res.Items) != 1 || res.Items[0].GUID != want {
			t.Errorf("%s: %d items %v, want only %s", cfg, len(res.Items), err, want)
		}
	}
	res, _ := collect(t, k, srv.URL+"/extract.xml", `{"mode":"extract","statuses":["posted"],"max_items":1}`, c)
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "3 of 5 opportunities matched") {
		t.Errorf("capped read warnings %q", res.Warnings)
	}

	// {date} is the day's file; on 1 March it is not out yet (404), so the
	// one of 28 February is read, and then not read again while unchanged.
	src := scout.Source{Kind: scout.SourceGrantsGov, URL: srv.URL + "/GrantsDBExtract{date}v2.zip", Config: json.RawMessage(`{"mode":"extract"}`)}
	res, err := k.Collector.Collect(context.Background(), src, c)
	if err != nil || len(res.Items) != 4 || res.First.ETag != `"x1"` {
		t.Fatalf("dated URL: %d items, %v", len(res.Items), err)
	}
	src.ETag = res.First.ETag
	if res, err = k.Collector.Collect(context.Background(), src, c); err != nil || !res.NotModified || len(res.Items) != 0 {
		t.Fatalf("unchanged extract: not modified %v, %d items, %v", res.NotModified, len(res.Items), err)
	}
}

func TestABrokenOrHostileExtractFailsWithItsClass(t *testing.T) {
	srv := extractServer(t)
	c := extractClient(t)
	k := grantsgov.Kind(feeds.Options{Now: march})
	k.Collector.(*grantsgov.Collector).MaxXMLBytes = 64 << 10
	for path, want := range map[string]scout.ErrorClass{
		"/bomb.zip":      scout.ErrorTooLarge, // inflates past MaxXMLBytes
		"/run.xml":       scout.ErrorParse,    // one 5 MB text: refused before the decoder holds it
		"/truncated.zip": scout.ErrorParse,
		"/feed.xml":      scout.ErrorNotAFeed,
		"/missing.zip":   scout.ErrorHTTP,
	} {
		_, err := collect(t, k, srv.URL+path, `{"mode":"extract"}`, c)
		if got := source.Classify(err); got != want {
			t.Errorf("%s: %v (%s), want %s", path, err, got, want)
		}
	}
}

func TestExtractModeIsChecked(t *testing.T) {
	err := source.NewRegistry(grantsgov.Kind(feeds.Options{})).Check(scout.SourceGrantsGov, json.RawMessage(`{"mode":"ftp"}`))
	if fe, ok := err.(*scout.FieldError); !ok || fe.Field != "config.mode" {
		t.Fatalf("bad mode: %v", err)
	}
}

// TestReadingTheExtractTakesTheSameMemoryHoweverLongItIs reads synthetic
// extracts of 3,000 and 30,000 opportunities (3.6 and 36 MB of XML, zipped)
// in child processes and compares their peak resident memory: reading
// as a stream, keeping only the matching opportunities within max_items,
// the tenfold file may cost at most a quarter more.
func TestReadingTheExtractTakesTheSameMemoryHoweverLongItIs(t *testing.T) {
	if url := os.Getenv("GRANTSGOV_EXTRACT_URL"); url != "" {
		c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, StreamTimeout: 5 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		res, err := collect(t, grantsgov.Kind(feeds.Options{Now: march}), url, `{"mode":"extract","categories":["AR"],"max_items":500}`, c)
		if err != nil || len(res.Items) != 500 {
			t.Fatalf("%d items, %v", len(res.Items), err)
		}
		fmt.Printf("read %d bytes\n", res.Bytes)
		return
	}
	if testing.Short() || raceDetector {
		t.Skip("reads 40 MB of XML; memory is measured without the race detector")
	}
	srv := extractServer(t)
	rss := func(n int) int64 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReadingTheExtractTakesTheSameMemoryHoweverLongItIs$")
		cmd.Env = append(os.Environ(), "GRANTSGOV_EXTRACT_URL="+srv.URL+"/synthetic.zip?n="+strconv.Itoa(n))
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("read ")) {
			t.Fatalf("child for %d records: %v\n%s", n, err, out)
		}
		return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	}
	small, large := rss(3000), rss(30000)
	t.Logf("peak RSS: 3,000 records %d KiB, 30,000 records %d KiB (×%.2f)", small, large, float64(large)/float64(small))
	if large > small*5/4 {
		t.Fatalf("peak RSS grew from %d KiB to %d KiB with a tenfold extract", small, large)
	}
}
