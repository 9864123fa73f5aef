package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// StatsOutput are the dashboard numbers, over what the caller can see.
type StatsOutput struct {
	CacheControl string `header:"Cache-Control" doc:"private, max-age=SCOUT_STATS_TTL in seconds; absent when the numbers are not reused"`
	Age          *int   `header:"Age" doc:"seconds since the numbers were computed (now); absent when they are not reused"`
	Body         struct {
		Now             time.Time         `json:"now" doc:"when the numbers were computed"`
		ItemsPerDay     []DayCount        `json:"items_per_day" doc:"last 90 days by published date, oldest first; days without items are absent"`
		ItemsLast30Days int               `json:"items_last_30_days"`
		ItemsLast90Days int               `json:"items_last_90_days"`
		PerSource       []SourceCount     `json:"per_source" doc:"the 20 sources with most items in the last 90 days"`
		PerKind         []KindCount       `json:"per_kind" doc:"items of the last 90 days by kind; an empty kind is unknown"`
		PerStatus       []StatusCount     `json:"per_status" doc:"opportunities (kind other than none) of the last 90 days by deadline status now, in lifecycle order; statuses without items are absent"`
		Deadlines       Deadlines         `json:"deadlines"`
		Opportunities   OpportunityCounts `json:"opportunities"`
		Sources         []HealthCount     `json:"sources" doc:"sources by health"`
		Fetches         FetchHealth       `json:"fetches"`
		HostLag         []HostLag         `json:"host_lag" doc:"the 10 hosts whose most overdue waiting source (due, not being fetched) is the most overdue, most overdue first, over the sources you can see; empty when every host keeps its schedule"`
	}
}

// HostLag is how far one host's queue is behind.
type HostLag struct {
	Host       string  `json:"host" doc:"the host (with the port when not the default)"`
	LagSeconds float64 `json:"lag_seconds" doc:"how long its most overdue waiting source has been due"`
	Waiting    int     `json:"waiting" doc:"its due sources waiting for a fetch slot"`
}

// DayCount is the number of items published on a UTC day.
type DayCount struct {
	Day   string `json:"day" format:"date"`
	Count int    `json:"count"`
}

// SourceCount is the number of recent items of a source.
type SourceCount struct {
	SourceID int64  `json:"source_id"`
	Title    string `json:"title"`
	Count    int    `json:"count"`
}

// KindCount is the number of recent items of a kind.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// StatusCount is the number of recent opportunities in a deadline status.
type StatusCount struct {
	Status string `json:"status" enum:"forecasted,open,closing_soon,rolling,closed,unknown"`
	Count  int    `json:"count"`
}

// OpportunityCounts count opportunities, not the posts that announce them.
type OpportunityCounts struct {
	Last90Days int `json:"last_90_days" doc:"opportunities with a post you may see published in the last 90 days; a call posted in five places counts once"`
	Next7Days  int `json:"deadlines_next_7_days" doc:"opportunities you may see closing within 7 days"`
	Next30Days int `json:"deadlines_next_30_days" doc:"opportunities you may see closing within 30 days"`
}

// Deadlines are the upcoming deadlines, counted by item.
type Deadlines struct {
	Next7Days  int    `json:"next_7_days"`
	Next30Days int    `json:"next_30_days"`
	Soonest    []Item `json:"soonest" doc:"the 10 soonest deadlines"`
}

// HealthCount is the number of sources in a status.
type HealthCount struct {
	Status        string     `json:"status" enum:"pending,ok,failing,retired" doc:"pending: never fetched yet"`
	Count         int        `json:"count"`
	LastSuccessAt *time.Time `json:"last_success_at,omitempty" doc:"the newest successful fetch among them"`
}

// FetchHealth is the fetch error rate of the last 24 hours.
type FetchHealth struct {
	Window    string  `json:"window" example:"24h"`
	Total     int     `json:"total"`
	Failed    int     `json:"failed"`
	ErrorRate float64 `json:"error_rate" doc:"failed / total; 0 without fetches"`
}

func (h *Handler) registerStats(api huma.API) {
	o := op("getStats", http.MethodGet, "/v1/stats", "Dashboard numbers", scout.ScopeRead, "stats")
	o.Description = "The numbers count what the caller can see: public sources and the caller's own private ones " +
		"(everything for an admin). They are computed at most once per SCOUT_STATS_TTL (30 s by default) for each view: " +
		"callers without private sources share the public view's numbers, a caller with private sources has its own, " +
		"admins share theirs. `now` is when the numbers were computed, and the Age header says how many seconds ago; " +
		"numbers older than the TTL are still answered, at most twice the TTL old, while newer ones are computed. " +
		"With SCOUT_STATS_TTL=0s every request computes them and both headers are absent."
	huma.Register(api, o, h.getStats)
}

func (h *Handler) getStats(ctx context.Context, _ *struct{}) (*StatsOutput, error) {
	if h.stats == nil {
		out, err := h.computeStats(ctx, viewer(ctx), h.now())
		if err != nil {
			return nil, h.problem(ctx, err)
		}
		return out, nil
	}
	key, v, err := h.statsView(ctx)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	shared, at, err := h.stats.get(ctx, key, v)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	// A max-age counted from when the numbers were computed, with Age
	// saying how long ago that was, is how an HTTP cache (RFC 9111,
	// section 4.2.3) works out the time left.
	age := int(max(h.now().Sub(at), 0) / time.Second)
	out := &StatsOutput{Body: shared.Body, Age: &age,
		CacheControl: "private, max-age=" + strconv.Itoa(int(h.stats.ttl/time.Second))}
	return out, nil
}

// statsView names the view of the caller's numbers and the viewer that
// computes them. Callers share a view only when they see the same rows. A
// caller without private sources sees what Viewer{} sees, and the public
// view is computed with Viewer{} rather than the caller's viewer, so that a
// private source created meanwhile can never reach other callers.
func (h *Handler) statsView(ctx context.Context) (string, store.Viewer, error) {
	v := viewer(ctx)
	switch {
	case v.OwnedOnly:
		return "owned:" + itoa(v.UserID), v, nil
	case v.Admin:
		return "admin", store.Viewer{Admin: true}, nil
	}
	private, err := h.st.HasPrivateSources(ctx, v.UserID)
	if err != nil {
		return "", v, err
	}
	if !private {
		return "public", store.Viewer{}, nil
	}
	return "user:" + itoa(v.UserID), v, nil
}

// computeStats reads the numbers v sees at now.
func (h *Handler) computeStats(ctx context.Context, v store.Viewer, now time.Time) (*StatsOutput, error) {
	st, err := h.st.Stats(ctx, v, now)
	if err != nil {
		return nil, err
	}
	return statsOutput(st), nil
}

// statsOutput converts the store's numbers, adding the 30- and 90-day totals.
func statsOutput(st store.Stats) *StatsOutput {
	out := &StatsOutput{}
	b := &out.Body
	b.Now, b.ItemsPerDay = st.Now, make([]DayCount, len(st.ItemsPerDay))
	since30 := st.Now.Truncate(24*time.Hour).AddDate(0, 0, -29)
	for i, d := range st.ItemsPerDay {
		b.ItemsPerDay[i] = DayCount{Day: d.Day.Format(time.DateOnly), Count: d.Count}
		b.ItemsLast90Days += d.Count
		if !d.Day.Before(since30) {
			b.ItemsLast30Days += d.Count
		}
	}
	b.PerSource = mapSlice(st.PerSource, func(c store.SourceCount) SourceCount { return SourceCount(c) })
	b.PerKind = mapSlice(st.PerKind, func(c store.KindCount) KindCount { return KindCount{Kind: string(c.Kind), Count: c.Count} })
	b.PerStatus = mapSlice(st.PerStatus, func(c store.StatusCount) StatusCount { return StatusCount{Status: string(c.Status), Count: c.Count} })
	b.Opportunities = OpportunityCounts{Last90Days: st.Opportunities, Next7Days: st.OpportunityDeadlinesNext7, Next30Days: st.OpportunityDeadlinesNext30}
	b.Deadlines = Deadlines{Next7Days: st.DeadlinesNext7, Next30Days: st.DeadlinesNext30,
		Soonest: mapSlice(st.Upcoming, func(it scout.Item) Item { return itemDTO(it, st.Now) })}
	b.Sources = mapSlice(st.Health, func(c store.HealthCount) HealthCount {
		return HealthCount{Status: string(c.Status), Count: c.Count, LastSuccessAt: timePtr(c.LastSuccessAt)}
	})
	b.HostLag = mapSlice(st.HostLag, func(l store.HostLag) HostLag {
		return HostLag{Host: l.Host, LagSeconds: l.Lag.Seconds(), Waiting: l.Waiting}
	})
	b.Fetches = FetchHealth{Window: fmt.Sprintf("%dh", int(store.StatsFetchWindow.Hours())), Total: st.FetchesTotal, Failed: st.FetchesFailed}
	if st.FetchesTotal > 0 {
		b.Fetches.ErrorRate = float64(st.FetchesFailed) / float64(st.FetchesTotal)
	}
	return out
}
