package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Calendar bounds.
const (
	icsDefaultHorizon = 90 * 24 * time.Hour
	icsMaxEvents      = 500
)

func (h *Handler) writeICS(ctx context.Context, w http.ResponseWriter, p auth.Principal) error {
	prefs, err := h.st.GetPreferences(ctx, p.UserID)
	if err != nil {
		return err
	}
	now := h.now().UTC()
	if prefs.DeadlineHorizon <= 0 {
		prefs.DeadlineHorizon = icsDefaultHorizon
	}
	// Every item with a deadline in the horizon, not only the new ones.
	items, err := h.digest(ctx, store.Viewer{UserID: p.UserID, Admin: p.Admin}, prefs, time.Time{}, now, icsMaxEvents)
	if err != nil {
		return err
	}
	var cal icsWriter
	cal.line("BEGIN:VCALENDAR")
	cal.line("VERSION:2.0")
	cal.line("PRODID:-//Scout//Deadlines//EN")
	cal.line("CALSCALE:GREGORIAN")
	cal.line("METHOD:PUBLISH")
	cal.prop("X-WR-CALNAME", "Scout deadlines")
	for _, r := range items {
		if !r.it.Opportunity.Deadline.IsZero() {
			h.icsEvent(&cal, r.it, now)
		}
	}
	cal.line("END:VCALENDAR")
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="scout-deadlines.ics"`)
	_, _ = w.Write([]byte(cal.String())) // a write error means the client went away
	return nil
}

// icsEvent writes one deadline as a VEVENT. The UID is stable per item, so
// calendars update an event when its deadline moves instead of adding one.
func (h *Handler) icsEvent(cal *icsWriter, it scout.Item, now time.Time) {
	d := it.Opportunity.Deadline.UTC()
	cal.line("BEGIN:VEVENT")
	cal.line(fmt.Sprintf("UID:item-%d@scout", it.ID))
	cal.line("DTSTAMP:" + icsTime(now))
	cal.line("DTSTART:" + icsTime(d))
	cal.line("DTEND:" + icsTime(d))
	cal.line("LAST-MODIFIED:" + icsTime(it.UpdatedAt))
	cal.prop("SUMMARY", "Deadline: "+it.Title)
	cal.prop("DESCRIPTION", describeItem(it, now))
	if it.URL != "" {
		cal.line("URL:" + icsURI(it.URL))
	}
	if k := it.Opportunity.Kind; k != scout.KindUnknown {
		cal.prop("CATEGORIES", string(k))
	}
	cal.line("TRANSP:TRANSPARENT")
	cal.line("END:VEVENT")
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsURI drops characters a URI value may not hold (RFC 5545 3.3.13 takes
// the URI as is, so control characters must not reach the line).
func icsURI(u string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, u)
}

// icsWriter builds an iCalendar stream: CRLF line ends, TEXT values
// escaped, lines folded at 75 octets without splitting a UTF-8 sequence
// (RFC 5545 3.1 and 3.3.11).
type icsWriter struct{ b strings.Builder }

func (c *icsWriter) String() string { return c.b.String() }

// prop writes a property with a TEXT value.
func (c *icsWriter) prop(name, value string) { c.line(name + ":" + icsEscape(value)) }

// line writes one content line, folded: the first part holds 75 octets,
// each continuation 74 after its leading space.
func (c *icsWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		c.b.WriteString(s[:cut])
		c.b.WriteString("\r\n ")
		s, limit = s[cut:], 74
	}
	c.b.WriteString(s)
	c.b.WriteString("\r\n")
}

// icsEscape escapes a TEXT value: backslash, semicolon, comma and newlines.
func icsEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}
