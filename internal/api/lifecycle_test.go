package api

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

func TestItemsFilterByDeadlineStatus(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("ada@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	mk := func(guid string, deadline time.Duration, rolling bool) scout.Item {
		it := grantItem(guid, guid, now.Add(-time.Hour))
		it.Opportunity.Deadline, it.Opportunity.Rolling = time.Time{}, rolling
		if deadline != 0 {
			it.Opportunity.Deadline = now.Add(deadline)
		}
		return it
	}
	residency := mk("residency-open", 40*day, false)
	residency.Opportunity.Kind = scout.KindResidency
	e.mustItems(src, mk("closing", 3*day, false), mk("open", 30*day, false), mk("closed", -day, false),
		mk("rolling", 0, true), mk("unknown", 0, false), residency)
	after := url.QueryEscape(now.Add(20 * day).Format(time.RFC3339))
	tests := []struct {
		query string
		want  map[string]string // title -> the status the item shows
	}{
		{"status=open", map[string]string{"closing": "closing_soon", "open": "open", "rolling": "rolling", "residency-open": "open"}},
		{"status=closing_soon", map[string]string{"closing": "closing_soon"}},
		{"status=closed,unknown", map[string]string{"closed": "closed", "unknown": "unknown"}},
		{"status=forecasted", map[string]string{}},
		{"kind=grant&deadline_after=" + after + "&status=open", map[string]string{"open": "open"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := map[string]string{}
			for _, it := range e.allItems(u.token, tt.query) {
				got[it.Title] = it.Opportunity.Status
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/items?status=ajar", u.token, nil), http.StatusUnprocessableEntity, "unknown status")

	r := e.do(http.MethodGet, "/v1/stats", u.token, nil)
	wantStatus(t, r, http.StatusOK, "stats")
	var st StatsOutput
	r.json(t, &st.Body)
	want := []StatusCount{{"open", 2}, {"closing_soon", 1}, {"rolling", 1}, {"closed", 1}, {"unknown", 1}}
	if diff := cmp.Diff(want, st.Body.PerStatus); diff != "" {
		t.Errorf("stats per status (-want +got):\n%s", diff)
	}
}
