package api

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"github.com/scoutdev/scout/internal/scout"
)

// get fetches a path without the JSON checks of env.do.
func (e *env) get(path, bearer string) (int, http.Header, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func (e *env) feedToken(u user) (token, atomURL, icsURL string) {
	e.t.Helper()
	var out struct {
		Token        string `json:"token"`
		DigestAtom   string `json:"digest_atom_url"`
		DeadlinesICS string `json:"deadlines_ics_url"`
	}
	r := e.do(http.MethodPost, "/v1/me/feed-token", u.token, nil)
	wantStatus(e.t, r, http.StatusOK, "rotate feed token")
	r.json(e.t, &out)
	return out.Token, out.DigestAtom, out.DeadlinesICS
}

func TestAtomDigestParsesBackWithGofeed(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BaseURL = "https://scout.example.org/" })
	u := e.mustUser("reader@example.org", false)
	digestFixture(e)
	wantStatus(t, e.do(http.MethodPut, "/v1/me/preferences", u.token, filmPrefs), http.StatusOK, "put preferences")
	token, atomURL, _ := e.feedToken(u)
	if !strings.HasPrefix(atomURL, "https://scout.example.org/v1/digest.atom?token=ft_") {
		t.Fatalf("atom URL = %q", atomURL)
	}
	status, hdr, body := e.get("/v1/digest.atom?token="+url.QueryEscape(token), "")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/atom+xml") || hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("atom: %d %v\n%s", status, hdr, body)
	}
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("gofeed cannot read the digest: %v\n%s", err, body)
	}
	var titles []string
	for _, it := range feed.Items {
		titles = append(titles, it.Title)
		if !strings.HasPrefix(it.GUID, "https://scout.example.org/v1/items/") || it.Link == "" || it.UpdatedParsed == nil {
			t.Errorf("entry %q: id %q, link %q, updated %v", it.Title, it.GUID, it.Link, it.UpdatedParsed)
		}
	}
	want := []string{"Film grant closing soon", "Film fellowship later", "Film grant anywhere"}
	if diff := cmp.Diff(want, titles); diff != "" || feed.FeedType != "atom" {
		t.Fatalf("feed %s entries (-want +got):\n%s", feed.FeedType, diff)
	}
	if !strings.Contains(feed.Items[0].Description, "Deadline: ") || !strings.Contains(feed.Items[0].Description, "USD 10000") {
		t.Fatalf("summary = %q", feed.Items[0].Description)
	}

	e.feedToken(u) // rotating revokes the old token
	tests := []struct{ name, path, bearer string }{
		{"a rotated token", "/v1/digest.atom?token=" + url.QueryEscape(token), ""},
		{"no token", "/v1/digest.atom", ""},
		{"a made-up token", "/v1/deadlines.ics?token=ft_nope", ""},
		{"a bad bearer", "/v1/deadlines.ics", "not-a-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			status, hdr, body := e.get(tt.path, tt.bearer)
			if status != http.StatusUnauthorized || hdr.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s: %s", status, hdr.Get("Content-Type"), body)
			}
		})
	}
	if status, _, _ := e.get("/v1/digest.atom", u.token); status != http.StatusOK {
		t.Fatalf("a bearer credential instead of the token: %d", status)
	}
}

func TestDeadlinesCalendarIsValidICalendar(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("reader@example.org", false)
	src := e.mustSource(0, "https://example.org/cal", scout.VisibilityPublic)
	long := "Résidence d’artistes, «Film; Vidéo», Québec — " + strings.Repeat("très longue description ", 6)
	e.mustItems(src,
		opportunity("a", long, scout.KindResidency, 20, 3000, ""),
		opportunity("b", "Short grant", scout.KindGrant, 2, 500, ""),
		opportunity("c", "Rolling call", scout.KindCall, 0, 0, ""),
		opportunity("d", "Far grant", scout.KindGrant, 200, 0, ""),
	)
	token, _, _ := e.feedToken(u)
	status, hdr, body := e.get("/v1/deadlines.ics?token="+url.QueryEscape(token), "")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/calendar") {
		t.Fatalf("ics: %d %s", status, hdr.Get("Content-Type"))
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") || !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
		t.Fatalf("lines must end in CRLF:\n%q", body)
	}
	var unfolded []string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			unfolded[len(unfolded)-1] += l[1:]
			continue
		}
		unfolded = append(unfolded, l)
	}
	events, depth := icsEvents(t, unfolded)
	if depth != 0 || unfolded[0] != "BEGIN:VCALENDAR" || !contains(unfolded, "VERSION:2.0") || !contains(unfolded, "PRODID:-//Scout//Deadlines//EN") {
		t.Fatalf("calendar structure:\n%s", strings.Join(unfolded, "\n"))
	}
	want := []string{"Deadline: Short grant", "Deadline: " + icsEscape(long)}
	var got []string
	for _, ev := range events {
		got = append(got, ev["SUMMARY"])
		for _, p := range []string{"UID", "DTSTAMP", "DTSTART"} {
			if ev[p] == "" {
				t.Errorf("event %q lacks %s", ev["SUMMARY"], p)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if !strings.Contains(events[1]["SUMMARY"], `\;`) || !strings.Contains(events[1]["SUMMARY"], `\,`) || !strings.Contains(events[1]["DESCRIPTION"], `\n`) {
		t.Fatalf("text not escaped: %+v", events[1])
	}
}

// icsEvents splits unfolded lines into VEVENT property maps and checks
// that BEGIN and END pair up.
func icsEvents(t *testing.T, lines []string) ([]map[string]string, int) {
	var events []map[string]string
	var stack []string
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("line without a value: %q", l)
		}
		switch name {
		case "BEGIN":
			stack = append(stack, value)
			if value == "VEVENT" {
				events = append(events, map[string]string{})
			}
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				t.Fatalf("END:%s does not close %v", value, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) > 0 && stack[len(stack)-1] == "VEVENT" {
				events[len(events)-1][name] = value
			}
		}
	}
	return events, len(stack)
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func TestFeedURLsAreAbsoluteWithoutABaseURL(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("reader@example.org", false)
	_, atomURL, icsURL := e.feedToken(u)
	for _, raw := range []string{atomURL, icsURL} {
		parsed, err := url.Parse(raw)
		if err != nil || !parsed.IsAbs() || parsed.Host != strings.TrimPrefix(e.srv.URL, "http://") {
			t.Fatalf("feed URL %q is not absolute on the server's origin %s", raw, e.srv.URL)
		}
		status, _, body := e.get(parsed.RequestURI(), "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", raw, status, body)
		}
	}
}
