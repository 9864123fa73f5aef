package sqlstore

import (
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// statusOrder is the order of the deadline lifecycle, as statuses are listed
// in stats. It is also the order in which scout.Opportunity.StatusAt tests
// them, which statusCase follows.
var statusOrder = []scout.OpportunityStatus{scout.StatusForecasted, scout.StatusOpen, scout.StatusClosingSoon,
	scout.StatusRolling, scout.StatusClosed, scout.StatusUnknown}

// statusConds returns the SQL condition per status that holds exactly when
// scout.Opportunity.StatusAt(now) returns that status. Each status but
// forecasted also requires the opportunity to have opened, so the
// conditions exclude each other as the statuses do. Deadline conditions are
// ranges on items.deadline, so the deadline index serves them. Parameters
// are bound only when a condition is used (PostgreSQL rejects unused ones).
func statusConds(a *args, now time.Time) map[scout.OpportunityStatus]func() string {
	n := func() string { return a.add(now.UnixMicro()) }
	h := func() string { return a.add(now.Add(scout.ClosingSoonHorizon).UnixMicro()) }
	opened := func() string { return "(i.opens_at IS NULL OR i.opens_at <= " + n() + ")" }
	return map[scout.OpportunityStatus]func() string{
		scout.StatusForecasted:  func() string { return "i.opens_at > " + n() },
		scout.StatusClosed:      func() string { return opened() + " AND i.deadline <= " + n() },
		scout.StatusClosingSoon: func() string { return opened() + " AND i.deadline > " + n() + " AND i.deadline <= " + h() },
		scout.StatusOpen:        func() string { return opened() + " AND i.deadline > " + h() },
		scout.StatusRolling:     func() string { return opened() + " AND i.deadline IS NULL AND i.rolling = TRUE" },
		scout.StatusUnknown:     func() string { return opened() + " AND i.deadline IS NULL AND i.rolling = FALSE" },
	}
}

// statusCond returns the condition that keeps items in any of statuses at
// now; "" when statuses is empty. An unknown status is scout.ErrInvalid.
func statusCond(a *args, statuses []scout.OpportunityStatus, now time.Time) (string, error) {
	if len(statuses) == 0 {
		return "", nil
	}
	conds := statusConds(a, now)
	seen := make(map[scout.OpportunityStatus]bool, len(statuses))
	var or []string
	for _, st := range statuses {
		c, ok := conds[st]
		if !ok {
			return "", scout.Invalid("status", "must be forecasted, open, closing_soon, closed, rolling or unknown")
		}
		if !seen[st] {
			seen[st] = true
			or = append(or, "("+c()+")")
		}
	}
	return "(" + strings.Join(or, " OR ") + ")", nil
}

// statusCase returns an SQL expression naming the status of an item at
// now, testing in the order StatusAt does.
func statusCase(a *args, now time.Time) string {
	n := a.add(now.UnixMicro())
	h := a.add(now.Add(scout.ClosingSoonHorizon).UnixMicro())
	return `CASE WHEN i.opens_at > ` + n + ` THEN 'forecasted' WHEN i.deadline <= ` + n + ` THEN 'closed'
		WHEN i.deadline <= ` + h + ` THEN 'closing_soon' WHEN i.deadline IS NOT NULL THEN 'open'
		WHEN i.rolling = TRUE THEN 'rolling' ELSE 'unknown' END`
}
