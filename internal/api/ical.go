package api

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
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
	zones := map[string]int{}
	for _, r := range items {
		if tzid, off, ok := icsZone(r.it.Opportunity.KeyDates.Deadline); ok && !r.it.Opportunity.Deadline.IsZero() {
			zones[tzid] = off
		}
	}
	for _, tzid := range slices.Sorted(maps.Keys(zones)) {
		icsTimezone(&cal, tzid, zones[tzid])
	}
	for _, r := range items {
		if !r.it.Opportunity.Deadline.IsZero() {
			uid := fmt.Sprintf("item-%d@scout", r.it.ID)
			if r.opp != nil {
				uid = fmt.Sprintf("opportunity-%d@scout", r.opp.ID)
			}
			h.icsEvent(&cal, uid, r.it, now)
		}
	}
	cal.line("END:VCALENDAR")
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="scout-deadlines.ics"`)
	_, _ = w.Write([]byte(cal.String())) // a write error means the client went away
	return nil
}

// icsEvent writes one deadline as a VEVENT. The UID is stable per
// opportunity (per item for one not yet matched), so calendars update an
// event when its deadline moves instead of adding one, and a call posted in
// five places is one event.
func (h *Handler) icsEvent(cal *icsWriter, uid string, it scout.Item, now time.Time) {
	d := it.Opportunity.Deadline.UTC()
	when := ":" + icsTime(d)
	if tzid, off, ok := icsZone(it.Opportunity.KeyDates.Deadline); ok {
		// The funder's own wall time, in a zone whose offset is the one in
		// force at the deadline: calendars show what the call says.
		when = ";TZID=" + tzid + ":" + d.In(time.FixedZone(tzid, off)).Format("20060102T150405")
	}
	cal.line("BEGIN:VEVENT")
	cal.line("UID:" + uid)
	cal.line("DTSTAMP:" + icsTime(now))
	cal.line("DTSTART" + when)
	cal.line("DTEND" + when)
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

// icsZone returns the TZID and UTC offset (seconds) of a deadline stated
// with a time and zone; ok is false when the funder stated no local time.
// The TZID names the zone and its offset at the deadline ("America/New_York
// -0400"), so one calendar can hold the same zone in summer and in winter.
func icsZone(k *scout.KeyDate) (tzid string, offset int, ok bool) {
	if k == nil || k.Time == "" || k.Zone == "" || k.Zone == "UTC" {
		return "", 0, false
	}
	wall, err := time.Parse("2006-01-02 15:04", k.Date+" "+k.Time[:min(len(k.Time), 5)])
	if err != nil {
		return "", 0, false
	}
	offset = int(wall.Sub(k.At.UTC().Truncate(time.Minute)).Seconds())
	if offset%60 != 0 || offset < -14*3600 || offset > 14*3600 {
		return "", 0, false
	}
	name := strings.Map(func(r rune) rune {
		if r < 0x21 || r == ':' || r == ';' || r == ',' || r == '"' || r == 0x7f {
			return -1
		}
		return r
	}, k.Zone)
	return name + " " + icsOffset(offset), offset, true
}

func icsOffset(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("%s%02d%02d", sign, off/3600, off%3600/60)
}

// icsTimezone writes a VTIMEZONE of one fixed offset (RFC 5545 3.6.5).
func icsTimezone(cal *icsWriter, tzid string, off int) {
	cal.line("BEGIN:VTIMEZONE")
	cal.line("TZID:" + tzid)
	cal.line("BEGIN:STANDARD")
	cal.line("DTSTART:19700101T000000")
	cal.line("TZOFFSETFROM:" + icsOffset(off))
	cal.line("TZOFFSETTO:" + icsOffset(off))
	cal.line("END:STANDARD")
	cal.line("END:VTIMEZONE")
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
