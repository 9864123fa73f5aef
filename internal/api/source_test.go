package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func TestSourceLifecycle(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	r := e.do(http.MethodPost, "/v1/sources", u.token, map[string]any{"url": "https://example.org/feed.xml", "title": "Grants",
		"tags": []string{"arts", "film"}, "min_interval_seconds": 900})
	wantStatus(t, r, http.StatusCreated, "create")
	var s Source
	r.json(t, &s)
	if s.OwnerID != u.ID || s.Visibility != "private" || s.Status != "pending" || s.NextFetchAt == nil || len(s.Tags) != 2 {
		t.Fatalf("created = %+v", s)
	}
	id := "/v1/sources/" + itoa(s.ID)
	// Adding it again, spelled another way, returns it unchanged.
	r = e.do(http.MethodPost, "/v1/sources", u.token, map[string]any{"url": "https://EXAMPLE.org:443/feed.xml#top", "title": "Other"})
	wantStatus(t, r, http.StatusOK, "duplicate")
	var again Source
	r.json(t, &again)
	if again.ID != s.ID || again.Title != "Grants" || again.Version != 1 {
		t.Fatalf("adding again = %+v, want source %d unchanged", again, s.ID)
	}
	wantStatus(t, e.do(http.MethodGet, id, u.token, nil), http.StatusOK, "get")
	r = e.do(http.MethodPatch, id, u.token, map[string]any{"title": "Renamed", "tags": []string{}, "visibility": "public", "paused": true})
	wantStatus(t, r, http.StatusOK, "update")
	r.json(t, &s)
	if s.Title != "Renamed" || len(s.Tags) != 0 || s.Visibility != "public" || !s.Paused || s.Version != 2 {
		t.Fatalf("updated = %+v", s)
	}
	r = e.do(http.MethodGet, "/v1/sources?tag=arts", u.token, nil)
	wantStatus(t, r, http.StatusOK, "list by tag")
	var list struct{ Sources []Source }
	r.json(t, &list)
	if len(list.Sources) != 0 {
		t.Errorf("tag filter kept %d sources", len(list.Sources))
	}
	r = e.do(http.MethodPost, id+"/refresh", u.token, nil)
	wantStatus(t, r, http.StatusAccepted, "refresh")
	wantStatus(t, e.do(http.MethodGet, id+"/fetches", u.token, nil), http.StatusOK, "fetches")
	wantStatus(t, e.do(http.MethodDelete, id, u.token, nil), http.StatusNoContent, "delete")
	wantStatus(t, e.do(http.MethodGet, id, u.token, nil), http.StatusNotFound, "get after delete")
}

func TestSourceInputIsValidated(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	tests := []struct {
		name string
		body any
		loc  string
	}{
		{"missing url", map[string]any{"title": "x"}, "body"},
		{"ftp url", map[string]any{"url": "ftp://example.org/feed"}, "body.url"},
		{"loopback address", map[string]any{"url": "http://127.0.0.1/feed"}, "body.url"},
		{"metadata address", map[string]any{"url": "http://169.254.169.254/latest"}, "body.url"},
		{"bad visibility", map[string]any{"url": "https://example.org/f", "visibility": "secret"}, "body.visibility"},
		{"owner is not writable", map[string]any{"url": "https://example.org/f", "owner_id": 1}, "body.owner_id"},
		{"status is not writable", map[string]any{"url": "https://example.org/f", "status": "ok"}, "body.status"},
		{"min over max", map[string]any{"url": "https://example.org/f", "min_interval_seconds": 7200, "max_interval_seconds": 60}, "body.min_interval"},
		{"tag with spaces", map[string]any{"url": "https://example.org/f", "tags": []string{"a\x01b"}}, "body.tags"},
		{"unknown kind", map[string]any{"url": "https://example.org/f", "kind": "ftp"}, "body.kind"},
		{"a feed with a setting", map[string]any{"url": "https://example.org/f", "config": map[string]any{"item": "li"}}, "body.config"},
		{"config that is not an object", map[string]any{"url": "https://example.org/f", "config": []int{1}}, "body.config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(http.MethodPost, "/v1/sources", u.token, tt.body)
			wantStatus(t, r, http.StatusUnprocessableEntity, tt.name)
			p := r.problem(t)
			if p.Type != problemBase+"validation" || len(p.Errors) == 0 || !strings.HasPrefix(p.Errors[0].Location, tt.loc) {
				t.Errorf("problem = %s", r.raw)
			}
		})
	}
	r := e.do(http.MethodPost, "/v1/sources", u.token, map[string]any{"url": "http://127.0.0.1/feed"})
	if p := r.problem(t); !strings.Contains(p.Errors[0].Message, "SCOUT_FETCH_ALLOW") {
		t.Errorf("the refusal of a loopback feed does not say how to allow one: %s", r.raw)
	}
	r = e.do(http.MethodGet, "/v1/sources?limit=500", u.token, nil)
	wantStatus(t, r, http.StatusUnprocessableEntity, "limit over 200")
	if p := r.problem(t); p.Errors[0].Location != "query.limit" {
		t.Errorf("location = %s", r.raw)
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/sources?cursor=%21%21", u.token, nil), http.StatusBadRequest, "forged cursor")
	wantStatus(t, e.do(http.MethodGet, "/v1/sources/abc", u.token, nil), http.StatusUnprocessableEntity, "non-numeric id")
}

func TestBodiesOverTheLimitAreRefused(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxBodyBytes = 2048 })
	u := e.mustUser("ada@example.org", false)
	r := e.do(http.MethodPost, "/v1/sources", u.token, map[string]any{"url": "https://example.org/" + strings.Repeat("a", 4000)})
	wantStatus(t, r, http.StatusRequestEntityTooLarge, "big body")
	if r.problem(t).Type != problemBase+"body-too-large" {
		t.Errorf("problem = %s", r.raw)
	}
	// A subscription list may be 16 times as large as other bodies, no more.
	wantStatus(t, e.do(http.MethodPost, "/v1/opml", u.token, "<opml>"+strings.Repeat(" ", 16*2048)+"</opml>"), http.StatusRequestEntityTooLarge, "big OPML")
	r = e.do(http.MethodPost, "/v1/opml", u.token, "<opml><body>"+strings.Repeat(" ", 4000)+`<outline xmlUrl="https://a.example/f"/></body></opml>`)
	wantStatus(t, r, http.StatusOK, "an OPML list larger than other bodies")
}

func TestUnknownRoutesAnswerProblems(t *testing.T) {
	e := newEnv(t)
	r := e.do(http.MethodGet, "/v2/nothing", "", nil)
	wantStatus(t, r, http.StatusNotFound, "unknown route")
	if r.problem(t).Type != problemBase+"not-found" {
		t.Errorf("problem = %s", r.raw)
	}
}

func TestOPMLImportAndExport(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	e.mustSource(u.ID, "https://example.org/existing", scout.VisibilityPrivate)
	doc := `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
		<outline text="Arts" title="Arts"><outline type="rss" text="One" xmlUrl="https://one.example/feed"/></outline>
		<outline type="rss" text="Dup" xmlUrl="https://example.org/existing"/>
		<outline type="rss" text="Private" xmlUrl="http://10.0.0.1/feed"/>
		<outline type="rss" text="Bad" xmlUrl="gopher://x/feed"/></body></opml>`
	r := e.do(http.MethodPost, "/v1/opml", u.token, doc)
	wantStatus(t, r, http.StatusOK, "import")
	var rep struct {
		Created, Existing, Errors int
		Results                   []ImportResult
	}
	r.json(t, &rep)
	if rep.Created != 1 || rep.Existing != 1 || rep.Errors != 2 || len(rep.Results) != 4 {
		t.Fatalf("report = %s", r.raw)
	}
	if dup := rep.Results[1]; dup.Status != "existing" || dup.SourceID == 0 {
		t.Fatalf("the feed already there = %+v, want existing with its source id", dup)
	}
	// Importing the list again creates nothing.
	r = e.do(http.MethodPost, "/v1/opml", u.token, doc)
	r.json(t, &rep)
	if rep.Created != 0 || rep.Existing != 2 {
		t.Fatalf("second import = %s", r.raw)
	}
	wantStatus(t, e.do(http.MethodPost, "/v1/opml", u.token, "not xml at all"), http.StatusUnprocessableEntity, "not OPML")
	r = e.do(http.MethodGet, "/v1/opml", u.token, nil)
	wantStatus(t, r, http.StatusOK, "export")
	if !strings.Contains(string(r.raw), "https://one.example/feed") || !strings.Contains(r.header.Get("Content-Type"), "opml") {
		t.Fatalf("export = %s %s", r.header.Get("Content-Type"), r.raw)
	}
	other := e.mustUser("eve@example.org", false)
	r = e.do(http.MethodGet, "/v1/opml", other.token, nil)
	if strings.Contains(string(r.raw), "one.example") {
		t.Fatal("export shows another user's private source")
	}
}

func TestMetricsAreServedByRoutePattern(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	e.do(http.MethodGet, "/v1/sources/12345", u.token, nil)
	r := e.do(http.MethodGet, "/metrics", "", nil)
	wantStatus(t, r, http.StatusOK, "metrics")
	if !strings.Contains(string(r.raw), `route="GET /v1/sources/{id}",status="404"`) {
		t.Fatalf("metrics lack the route pattern:\n%.2000s", r.raw)
	}
	_ = time.Now
}

func TestOPMLImportTakesListsOverTheOldLimitAndReportsWhereADocumentBreaks(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	// POST /v1/opml once refused more than 1,000 outlines. All but n of
	// these are refused before they reach the database, to keep it quick.
	const n, refused = 50, 1050
	var doc strings.Builder
	doc.WriteString(`<opml version="2.0"><body>`)
	for i := range n {
		fmt.Fprintf(&doc, `<outline text="Feed %d" xmlUrl="https://f%d.example.org/feed"/>`, i, i)
	}
	for i := range refused {
		fmt.Fprintf(&doc, `<outline text="Bad %d" xmlUrl="ftp://f%d.example.org/feed"/>`, i, i)
	}
	r := e.do(http.MethodPost, "/v1/opml", u.token, doc.String()+`</body></opml>`)
	wantStatus(t, r, http.StatusOK, "a long list")
	var rep struct {
		Created int              `json:"created"`
		Results []map[string]any `json:"results"`
		Stopped string           `json:"stopped"`
	}
	if err := json.Unmarshal(r.raw, &rep); err != nil || rep.Created != n || len(rep.Results) != n+refused || rep.Stopped != "" {
		t.Fatalf("created %d of %d, %d results, stopped %q, %v", rep.Created, n, len(rep.Results), rep.Stopped, err)
	}
	r = e.do(http.MethodPost, "/v1/opml", u.token, `<opml><body><outline xmlUrl="https://late.example/f"/><outline xmlUrl="https://x.example/g"`)
	wantStatus(t, r, http.StatusOK, "a document that breaks after one feed")
	if err := json.Unmarshal(r.raw, &rep); err != nil || rep.Created != 1 || !strings.Contains(rep.Stopped, "ends before") {
		t.Fatalf("created %d, stopped %q, %v: %s", rep.Created, rep.Stopped, err, r.raw)
	}
}

// TestRefreshSaysWhetherTheHostIsSaturated: "fetch now" answers whether the
// source starts at the next claim or waits for a fetch of its host to end.
func TestRefreshSaysWhetherTheHostIsSaturated(t *testing.T) {
	hp := store.HostPolicy{Concurrency: 2, Spacing: time.Second}
	e := newEnv(t, func(o *Options) { o.Hosts = hp })
	u := e.mustUser("ada@example.org", false)
	var busy []scout.Source
	for i := range 3 {
		src, err := e.st.CreateSource(bg, scout.Source{OwnerID: u.ID, URL: fmt.Sprintf("https://busy.example/%d", i), Visibility: scout.VisibilityPrivate})
		if err != nil {
			t.Fatal(err)
		}
		busy = append(busy, src)
	}
	idle, err := e.st.CreateSource(bg, scout.Source{OwnerID: u.ID, URL: "https://idle.example:8443/feed", Visibility: scout.VisibilityPrivate,
		NextFetchAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	// Two claims, a spacing apart, fill busy.example's two slots.
	for i := range 2 {
		if got, err := e.st.ClaimDueSources(bg, time.Now().Add(time.Duration(i)*hp.Spacing), 1, time.Hour, hp); err != nil || len(got) != 1 || got[0].Host != "busy.example" {
			t.Fatalf("claim %d = %+v, %v", i, got, err)
		}
	}
	type answer struct {
		Host          string     `json:"host"`
		HostSaturated bool       `json:"host_saturated"`
		HostInFlight  int        `json:"host_in_flight"`
		HostLimit     int        `json:"host_limit"`
		QueuedBehind  int        `json:"queued_behind"`
		StartsAt      *time.Time `json:"starts_at"`
		Message       string     `json:"message"`
	}
	refresh := func(id int64) answer {
		t.Helper()
		r := e.do(http.MethodPost, "/v1/sources/"+itoa(id)+"/refresh", u.token, nil)
		wantStatus(t, r, http.StatusAccepted, "refresh")
		var a answer
		r.json(t, &a)
		return a
	}
	if a := refresh(busy[2].ID); !a.HostSaturated || a.Host != "busy.example" || a.HostInFlight != 2 || a.HostLimit != 2 ||
		a.QueuedBehind != 0 || a.StartsAt != nil || !strings.Contains(a.Message, "busy.example is saturated (2 of 2 fetches in flight") {
		t.Errorf("refresh on a saturated host answered %+v", a)
	}
	before := time.Now()
	a := refresh(idle.ID)
	if a.HostSaturated || a.Host != "idle.example:8443" || a.HostInFlight != 0 || a.QueuedBehind != 0 || a.StartsAt == nil ||
		a.StartsAt.Before(before.Add(-time.Second)) || a.StartsAt.After(time.Now()) || !strings.Contains(a.Message, "at the head of host idle.example:8443's queue") {
		t.Errorf("refresh on an idle host answered %+v", a)
	}
	if q, err := e.st.HostQueue(bg, "idle.example:8443", time.Now()); err != nil || q.Urgent != 1 || q.Due != 1 {
		t.Errorf("the refreshed source's host queue = %+v, %v; want it due and urgent", q, err)
	}
}

func TestSourcesArePendingUntilTheirFirstFetch(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	fresh := e.mustSource(u.ID, "https://fresh.example/feed", scout.VisibilityPrivate)
	fetched := e.mustSource(u.ID, "https://fetched.example/feed", scout.VisibilityPrivate)
	if _, err := e.st.CompleteFetch(bg, store.FetchResult{SourceID: fetched.ID, Status: scout.SourceOK, NextFetchAt: e.now.Add(time.Hour),
		Log: scout.FetchLog{StatusCode: 200}}); err != nil {
		t.Fatal(err)
	}
	for status, want := range map[string]int64{"pending": fresh.ID, "ok": fetched.ID} {
		var page struct{ Sources []Source }
		e.do(http.MethodGet, "/v1/sources?status="+status, u.token, nil).json(t, &page)
		if len(page.Sources) != 1 || page.Sources[0].ID != want || page.Sources[0].Status != status {
			t.Errorf("sources %s = %+v; want only source %d", status, page.Sources, want)
		}
	}
}

// TestStatsShowHostLagOfVisibleSourcesOnly: /v1/stats ranks hosts by their
// most overdue waiting source, and a host known only from another user's
// private source stays out of the caller's view.
func TestStatsShowHostLagOfVisibleSourcesOnly(t *testing.T) {
	e := newEnv(t)
	ada := e.mustUser("ada@example.org", false)
	bob := e.mustUser("bob@example.org", false)
	root := e.mustUser("root@example.org", true)
	for _, s := range []scout.Source{
		{OwnerID: ada.ID, URL: "https://ada-only.example/feed", Visibility: scout.VisibilityPrivate, NextFetchAt: time.Now().Add(-time.Hour)},
		{URL: "https://public.example/a", Visibility: scout.VisibilityPublic, NextFetchAt: time.Now().Add(-10 * time.Minute)},
		{URL: "https://public.example/b", Visibility: scout.VisibilityPublic, NextFetchAt: time.Now().Add(-5 * time.Minute)},
		{URL: "https://later.example/feed", Visibility: scout.VisibilityPublic, NextFetchAt: time.Now().Add(time.Hour)},
	} {
		if _, err := e.st.CreateSource(bg, s); err != nil {
			t.Fatal(err)
		}
	}
	lags := func(u user) []HostLag {
		t.Helper()
		r := e.do(http.MethodGet, "/v1/stats", u.token, nil)
		wantStatus(t, r, http.StatusOK, "stats")
		var st StatsOutput
		r.json(t, &st.Body)
		return st.Body.HostLag
	}
	near := func(l HostLag, host string, lag time.Duration, waiting int) bool {
		return l.Host == host && l.Waiting == waiting && l.LagSeconds >= lag.Seconds() && l.LagSeconds < lag.Seconds()+60
	}
	for _, u := range []user{ada, root} {
		if got := lags(u); len(got) != 2 || !near(got[0], "ada-only.example", time.Hour, 1) || !near(got[1], "public.example", 10*time.Minute, 2) {
			t.Errorf("%s sees host lag %+v, want ada-only.example 1h behind, then public.example 10m with 2 waiting", u.Email, got)
		}
	}
	if got := lags(bob); len(got) != 1 || !near(got[0], "public.example", 10*time.Minute, 2) {
		t.Errorf("bob sees host lag %+v, want public.example only", got)
	}
}

func TestMovingASource(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	a, b := e.mustSource(u.ID, "https://old.example/feed", scout.VisibilityPrivate), e.mustSource(u.ID, "https://b.example/feed", scout.VisibilityPrivate)
	r := e.do(http.MethodPatch, "/v1/sources/"+itoa(a.ID), u.token, map[string]any{"url": "https://New.example/feed"})
	wantStatus(t, r, http.StatusOK, "move")
	var s Source
	r.json(t, &s)
	if s.URL != "https://New.example/feed" || s.Version != a.Version+1 {
		t.Fatalf("moved = %+v", s)
	}
	if got, _ := e.st.GetSource(bg, a.ID); got.Host != "new.example" {
		t.Fatalf("host after the move = %q, want new.example", got.Host)
	}
	r = e.do(http.MethodPatch, "/v1/sources/"+itoa(b.ID), u.token, map[string]any{"url": "https://new.example/feed#x"})
	wantStatus(t, r, http.StatusConflict, "move onto another source")
	for _, bad := range []string{"http://10.0.0.1/feed", "gopher://x/feed", ""} {
		r = e.do(http.MethodPatch, "/v1/sources/"+itoa(b.ID), u.token, map[string]any{"url": bad})
		wantStatus(t, r, http.StatusUnprocessableEntity, "move to "+bad)
	}
}
