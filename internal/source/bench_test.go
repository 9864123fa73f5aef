package source_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	feedkind "github.com/scoutdev/scout/internal/source/feed"
	"github.com/scoutdev/scout/internal/source/grantsgov"
	htmlkind "github.com/scoutdev/scout/internal/source/html"
	"github.com/scoutdev/scout/internal/source/jsonapi"
)

// perPage is the items of one feed, listing page or API answer in the
// throughput fixtures; pages is how many a paged kind reads per fetch.
const perPage, pages = 50, 4

const blurb = "Open to artists at any stage of their career. Applications close on 30 June 2026; awards of up to $15,000 for new work, with mentoring and studio time."

// fixtures serves, on loopback, the documents each kind reads: an RSS feed,
// a paged HTML listing with a detail page per item, a paged JSON API and a
// Search2-shaped API (each page perPage items), and a zipped extract.
func fixtures(tb testing.TB) *httptest.Server {
	tb.Helper()
	gen := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Arts council</title><link>https://arts.example/</link>`)
			for i := range perPage * pages {
				fmt.Fprintf(w, `<item><title>Open call %d</title><link>https://arts.example/calls/%d</link><guid>c%d</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>%s</description></item>`, i, i, i, blurb)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case "/calls":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><body><main><section class="listing">`)
			for i := range perPage {
				n := page*perPage + i
				fmt.Fprintf(w, `<article><h3><a href="/calls/%d">Open call %d</a></h3><time datetime="2026-03-02">2 March</time><p>%s</p></article>`, n, n, blurb)
			}
			if page+1 < pages {
				fmt.Fprintf(w, `</section><a rel="next" href="/calls?page=%d">Next</a>`, page+1)
			}
			fmt.Fprint(w, `</main></body></html>`)
		case "/funds":
			w.Header().Set("Content-Type", "application/json")
			var res []map[string]any
			for i := range perPage {
				n := page*perPage + i
				res = append(res, map[string]any{"slug": "f" + strconv.Itoa(n), "name": "Fund " + strconv.Itoa(n), "href": "https://api.arts.example/funds/" + strconv.Itoa(n),
					"posted": "2026-03-02", "details": blurb, "closes": "2026-06-30", "max": 15000, "min": 1000, "org": map[string]any{"name": "City Arts Council"}})
			}
			body := map[string]any{"results": res}
			if page+1 < pages {
				body["next"] = strconv.Itoa(page + 1)
			}
			_ = json.NewEncoder(w).Encode(body)
		case "/search2":
			var req struct {
				Start int `json:"startRecordNum"`
			}
			_ = json.NewDecoder(r.Body).Decode(&req)
			var hits []map[string]any
			for i := range perPage {
				n := req.Start + i
				hits = append(hits, map[string]any{"id": strconv.Itoa(300000 + n), "number": "NEA-" + strconv.Itoa(n), "title": "Grants for Arts Projects " + strconv.Itoa(n),
					"agencyName": "National Endowment for the Arts", "openDate": "02/10/2026", "closeDate": "07/09/2026", "synopsis": blurb,
					"awardCeiling": 100000, "awardFloor": 10000, "estimatedFunding": 30000000, "expectedNumberOfAwards": 1100, "cfdaList": []string{"45.024"}})
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"hitCount": perPage * pages, "oppHits": hits}})
		case "/extract.zip":
			n, _ := strconv.Atoi(q.Get("n"))
			zw := zip.NewWriter(w)
			f, _ := zw.Create("extract.xml")
			fmt.Fprint(f, `<?xml version="1.0" encoding="UTF-8"?><Grants xmlns="http://apply.grants.gov/system/OpportunityDetail-V1.0">`)
			for i := range n {
				fmt.Fprintf(f, "<OpportunitySynopsisDetail_1_0><OpportunityID>%d</OpportunityID><OpportunityTitle>Arts Project Grants %d</OpportunityTitle>"+
					"<OpportunityNumber>NEA-%d</OpportunityNumber><CategoryOfFundingActivity>%s</CategoryOfFundingActivity><CFDANumbers>45.024</CFDANumbers>"+
					"<EligibleApplicants>25</EligibleApplicants><AgencyCode>NEA</AgencyCode><AgencyName>National Endowment for the Arts</AgencyName>"+
					"<PostDate>02102026</PostDate><CloseDate>07092026</CloseDate><LastUpdatedDate>02%02d2026</LastUpdatedDate><AwardCeiling>100000</AwardCeiling>"+
					"<AwardFloor>10000</AwardFloor><EstimatedTotalProgramFunding>30000000</EstimatedTotalProgramFunding><ExpectedNumberOfAwards>40</ExpectedNumberOfAwards>"+
					"<Description>%s</Description></OpportunitySynopsisDetail_1_0>\n", 400000+i, i, i, []string{"AR", "HU"}[i%2], 1+i%28, blurb)
			}
			fmt.Fprint(f, `</Grants>`)
			_ = zw.Close()
		default:
			if strings.HasPrefix(r.URL.Path, "/calls/") {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<!doctype html><html><body><nav>Home</nav><main><h1>%s</h1><p>%s</p><p>%s</p></main></body></html>`, r.URL.Path, blurb, blurb)
				return
			}
			http.NotFound(w, r)
		}
	})
	// Each document is made once and replayed, so that what is measured is
	// the reading, not the making.
	var mu sync.Mutex
	made := map[string]*httptest.ResponseRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.URL.String() + "\x00" + string(body)
		mu.Lock()
		rec, ok := made[key]
		if !ok {
			rec = httptest.NewRecorder()
			r.Body = io.NopCloser(bytes.NewReader(body))
			gen(rec, r)
			made[key] = rec
		}
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCollect reads one source of each kind from loopback fixtures,
// through the guarded client, and reports items per second and the
// allocation per item: the fetch-and-parse step of an ingest, which is
// where the kinds differ (dedup, extraction and the store write are the
// same for every kind, measured in BENCHMARKS.md's ingestion section).
//
//	go test -run '^$' -bench Collect -benchmem ./internal/source/
func BenchmarkCollect(b *testing.B) {
	srv := fixtures(b)
	c, err := fetch.New(fetch.Options{Allow: []string{"127.0.0.1/32"}, PerHostInterval: -1, Timeout: 10 * time.Second, StreamTimeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	o := feeds.Options{Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }}
	reg := source.NewRegistry(feedkind.Kind(o), htmlkind.Kind(o), jsonapi.Kind(o), grantsgov.Kind(o))
	cases := []struct {
		name, path string
		kind       scout.SourceKind
		config     string
		items      int
		read       int // entries read per fetch: items, or the extract's records
	}{
		{"feed", "/feed.xml", scout.SourceFeed, "", perPage * pages, perPage * pages},
		{"html", "/calls", scout.SourceHTML, `{"item":"article","title":"h3","link":"h3 a@href","date":"time@datetime","summary":"p","next":"a[rel=next]@href","max_pages":4}`, perPage * pages, perPage * pages},
		{"html-details", "/calls", scout.SourceHTML, `{"item":"article","next":"a[rel=next]@href","max_pages":4,"detail":{"content":"main","max_items":20}}`, perPage * pages, perPage * pages},
		{"json", "/funds", scout.SourceJSON, `{"items":"$.results[*]","fields":{"id":"slug","title":"name","link":"href","date":"posted","body":"details",
			"deadline":"closes","award_ceiling":"max","award_floor":"min","funder":"$.org.name"},"currency":"EUR","paging":{"mode":"cursor","param":"page","cursor":"$.next","max_pages":4}}`, perPage * pages, perPage * pages},
		{"grantsgov", "/search2", scout.SourceGrantsGov, fmt.Sprintf(`{"keyword":"arts","rows":%d,"max_pages":%d}`, perPage, pages), perPage * pages, perPage * pages},
		{"grantsgov-extract", "/extract.zip?n=10000", scout.SourceGrantsGov, `{"mode":"extract","categories":["AR"],"max_items":1000}`, 1000, 10000},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			src := scout.Source{Kind: tc.kind, URL: srv.URL + tc.path, Config: json.RawMessage(tc.config)}
			if err := reg.Check(tc.kind, src.Config); err != nil {
				b.Fatal(err)
			}
			if _, err := reg.Collect(context.Background(), src, c); err != nil { // makes the documents
				b.Fatal(err)
			}
			var wire int64
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := reg.Collect(context.Background(), src, c)
				if err != nil || len(res.Items) != tc.items {
					b.Fatalf("%d items (want %d), %v, warnings %q", len(res.Items), tc.items, err, res.Warnings)
				}
				wire = res.Bytes
			}
			// On two shared cores the wall clock says more about the
			// neighbours than about the reading; the process's CPU time
			// (the loopback server's replay included) says less of them.
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(tc.read*b.N)/b.Elapsed().Seconds(), "entries/s")
			b.ReportMetric(float64(tc.read*b.N)/cpu.Seconds(), "entries/cpu-s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*tc.read), "cpu-µs/entry")
			b.SetBytes(wire)
		})
	}
}
