package store

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Windows of the dashboard numbers.
const (
	StatsDays         = 90                  // items per day cover this many days, today included
	StatsTopSources   = 20                  // sources ranked by recent items
	StatsDeadlineSpan = 30 * 24 * time.Hour // upcoming deadlines look this far ahead
	StatsDeadlineList = 10                  // soonest deadlines listed
	StatsFetchWindow  = 24 * time.Hour      // fetch error rate covers this window
	StatsTopHosts     = 10                  // hosts ranked by their most overdue waiting source
)

// Stats are the dashboard numbers.
type Stats struct {
	Now time.Time
	// ItemsPerDay has one entry per UTC day with items, oldest first,
	// covering the last StatsDays days by published date.
	ItemsPerDay []DayCount
	// PerSource ranks the sources with the most items in the same window.
	PerSource []SourceCount
	// PerKind counts items by opportunity kind in the same window.
	PerKind []KindCount
	// PerStatus counts the opportunities (items whose kind is not none) of
	// the same window by their status at Now, in the order of
	// scout.OpportunityStatus values forecasted, open, closing_soon,
	// rolling, closed, unknown; statuses without items are absent.
	PerStatus []StatusCount
	// DeadlinesNext7 and DeadlinesNext30 count items whose deadline falls
	// within 7 and 30 days of Now.
	DeadlinesNext7, DeadlinesNext30 int
	// Opportunities counts the opportunities with a sighting in the same
	// window that the viewer may see: a call posted in five places is one.
	Opportunities int
	// OpportunityDeadlinesNext7 and OpportunityDeadlinesNext30 count the
	// opportunities with a visible sighting whose deadline (a newsletter
	// call's own) falls within 7 and 30 days of Now.
	OpportunityDeadlinesNext7, OpportunityDeadlinesNext30 int
	// Upcoming lists the soonest deadlines after Now.
	Upcoming []scout.Item
	// Health counts visible live sources by status, with the newest success.
	Health []HealthCount
	// FetchesTotal and FetchesFailed count fetches of visible sources that
	// started within StatsFetchWindow before Now.
	FetchesTotal, FetchesFailed int
	// HostLag ranks the StatsTopHosts hosts whose most overdue waiting
	// visible source is the most overdue (see Store.HostLags).
	HostLag []HostLag
}

// HostLag is how far one host's queue is behind: its most overdue source
// that is due and waiting (not leased, not paused or retired).
type HostLag struct {
	Host    string
	Lag     time.Duration // now minus that source's next fetch time
	Waiting int           // due sources of the host waiting
}

// DayCount is the number of items published on one UTC day.
type DayCount struct {
	Day   time.Time
	Count int
}

// SourceCount is the number of recent items of one source.
type SourceCount struct {
	SourceID int64
	Title    string
	Count    int
}

// KindCount is the number of recent items of one kind.
type KindCount struct {
	Kind  scout.Kind
	Count int
}

// StatusCount is the number of recent opportunities in one status.
type StatusCount struct {
	Status scout.OpportunityStatus
	Count  int
}

// HealthCount is the number of sources in one status.
type HealthCount struct {
	Status        scout.SourceStatus
	Count         int
	LastSuccessAt time.Time // the newest success among them; zero when none
}
