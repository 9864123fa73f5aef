package extract

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// zone is a time zone as written in a text: a fixed offset, or a region
// whose offset follows daylight-saving rules.
type zone struct {
	offset int // standard offset in seconds east of UTC
	rule   dstRule
	iana   string // the region's IANA name when the text named a region's time
}

// label returns how a KeyDate states z: its IANA name, "UTC", or the offset.
func (z zone) label(y int, m time.Month, d int) string {
	if z.iana != "" {
		return z.iana
	}
	off := z.offset
	if z.inDST(y, m, d) {
		off += 3600
	}
	if off == 0 {
		return "UTC"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
}

type dstRule int

const (
	noDST dstRule = iota
	usDST         // second Sunday of March to first Sunday of November
	euDST         // last Sunday of March to last Sunday of October
	auDST         // first Sunday of October to first Sunday of April
	nzDST         // last Sunday of September to first Sunday of April
	clDST         // first Sunday of September to first Sunday of April (Chile)
)

// zoneRe finds a zone written after a time or a date (case-sensitive for
// abbreviations, which are upper case in practice).
var zoneRe = regexp.MustCompile(`(?:UTC|GMT)\s*([+−-])\s*(\d{1,2})(?::?(\d{2}))?|\b(ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|EET|EEST|WET|WEST|AEST|AEDT|ACST|AWST|NZST|NZDT|JST|KST|IST|SAST|MEZ|MESZ|SGT|EAT|WAT|CAT|HKT|NZT|AoE|AOE)\b` +
	`|(?i:\b(?:eastern|pacific|central|mountain)(?: standard| daylight)?(?: time)?\b|\b(?:uk|london|paris|berlin|sydney|melbourne) time\b|\bcentral european (?:summer )?time\b` +
	`|heure (?:de paris|de france|française|de bruxelles|belge|suisse|de l'est|de montréal|du québec)|hora (?:de madrid|española|de españa|de lisboa|de portugal|de argentina|argentina)` +
	`|ora (?:italiana|di roma)|nederlandse tijd|belgische tijd|svensk tid|deutscher zeit|deutsche zeit|mitteleuropäische(?:r)? (?:sommer)?zeit|schweizer zeit|österreichischer zeit` +
	`|hora de canarias|hora (?:de lima|peruana)|hora de buenos aires` +
	`|hora peninsular|hor[áa]rio de bras[íi]lia|hora de bras[íi]lia|bras[íi]lia time|hora de colombia|hora de bogot[áa]|colombia time|hora (?:del centro |de (?:la )?ciudad )?de m[ée]xico` +
	`|\b(?:` + placeTimeAlt + `) (?:standard )?time\b` +
	`|anywhere on earth|\bnz time|new zealand time|singapore time|nairobi time|east africa time|japan time|tokyo time|korea time|seoul time)`)

// zoneWords are words of which every zone in words that zoneRe matches holds
// one, in some case: "time", "tijd", "tid" and "zeit" end the "<place>
// time" forms, "hor" and "ora " start the Spanish, Portuguese and Italian
// ones, and the four US zone names and "anywhere" stand alone.
var zoneWords = []string{"time", "tijd", "tid", "zeit", "heure", "hor", "ora ", "eastern", "pacific", "central", "mountain", "anywhere"}

// mayHoldZone reports whether zoneRe may match in s: false only where it
// cannot. zoneRe is long (every place of placeTimes is an alternative), and
// zoneNear runs it after every time and date: where it finds nothing, the
// backtracker's work for each start of the window is wasted. Every offset
// and abbreviation holds two upper-case letters in a row, or is "AoE"; every
// zone in words holds one of zoneWords. Text with a byte beyond ASCII may
// fold into those words in ways an ASCII test does not see (the (?i) part
// folds "ſ" to "s"), so it is left to the expression.
func mayHoldZone(s string) bool {
	upper := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			return true
		case c >= 'A' && c <= 'Z':
			if upper {
				return true
			}
			upper = true
		default:
			upper = false
		}
	}
	if strings.Contains(s, "AoE") {
		return true
	}
	for _, w := range zoneWords {
		if containsFoldASCII(s, w) {
			return true
		}
	}
	return false
}

// containsFoldASCII reports whether s holds the lower-case ASCII word w in
// any ASCII case.
func containsFoldASCII(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// placeTimes are the zones of "<place> time" ("Irish time", "Lagos time").
var placeTimes = map[string]zone{
	"irish": {rule: euDST, iana: "Europe/Dublin"}, "dublin": {rule: euDST, iana: "Europe/Dublin"},
	"new york": {offset: -5 * 3600, rule: usDST, iana: "America/New_York"}, "toronto": {offset: -5 * 3600, rule: usDST, iana: "America/Toronto"},
	"vancouver": {offset: -8 * 3600, rule: usDST, iana: "America/Vancouver"}, "los angeles": {offset: -8 * 3600, rule: usDST, iana: "America/Los_Angeles"},
	"chicago": {offset: -6 * 3600, rule: usDST, iana: "America/Chicago"}, "denver": {offset: -7 * 3600, rule: usDST, iana: "America/Denver"},
	"hawaii": {offset: -10 * 3600, iana: "Pacific/Honolulu"}, "hawaii-aleutian": {offset: -10 * 3600, iana: "Pacific/Honolulu"}, "alaska": {offset: -9 * 3600, rule: usDST, iana: "America/Anchorage"},
	"atlantic": {offset: -4 * 3600, rule: usDST, iana: "America/Halifax"}, "newfoundland": {offset: -12600, rule: usDST, iana: "America/St_Johns"},
	"mexico city": {offset: -6 * 3600, iana: "America/Mexico_City"}, "buenos aires": {offset: -3 * 3600, iana: "America/Argentina/Buenos_Aires"},
	"lagos": {offset: 3600, iana: "Africa/Lagos"}, "nigerian": {offset: 3600, iana: "Africa/Lagos"}, "nigeria": {offset: 3600, iana: "Africa/Lagos"},
	"west africa": {offset: 3600, iana: "Africa/Lagos"}, "johannesburg": {offset: 2 * 3600, iana: "Africa/Johannesburg"},
	"cape town": {offset: 2 * 3600, iana: "Africa/Johannesburg"}, "south african": {offset: 2 * 3600, iana: "Africa/Johannesburg"},
	"south africa": {offset: 2 * 3600, iana: "Africa/Johannesburg"}, "kenyan": {offset: 3 * 3600, iana: "Africa/Nairobi"},
	"kenya": {offset: 3 * 3600, iana: "Africa/Nairobi"}, "india": {offset: 19800, iana: "Asia/Kolkata"},
	"indian": {offset: 19800, iana: "Asia/Kolkata"}, "delhi": {offset: 19800, iana: "Asia/Kolkata"}, "mumbai": {offset: 19800, iana: "Asia/Kolkata"},
	"manila": {offset: 8 * 3600, iana: "Asia/Manila"}, "philippine": {offset: 8 * 3600, iana: "Asia/Manila"},
	"hong kong": {offset: 8 * 3600, iana: "Asia/Hong_Kong"}, "taipei": {offset: 8 * 3600, iana: "Asia/Taipei"},
	"bangkok": {offset: 7 * 3600, iana: "Asia/Bangkok"}, "jakarta": {offset: 7 * 3600, iana: "Asia/Jakarta"},
	"perth": {offset: 8 * 3600, iana: "Australia/Perth"}, "brisbane": {offset: 10 * 3600, iana: "Australia/Brisbane"},
	"adelaide": {offset: 34200, rule: auDST, iana: "Australia/Adelaide"}, "auckland": {offset: 12 * 3600, rule: nzDST, iana: "Pacific/Auckland"},
	"istanbul": {offset: 3 * 3600, iana: "Europe/Istanbul"}, "dubai": {offset: 4 * 3600, iana: "Asia/Dubai"},
	"gulf": {offset: 4 * 3600, iana: "Asia/Dubai"}, "cairo": {offset: 2 * 3600, iana: "Africa/Cairo"},
	"eastern european": {offset: 2 * 3600, rule: euDST, iana: "Europe/Athens"}, "western european": {rule: euDST, iana: "Europe/Lisbon"},
	"amsterdam": {offset: 3600, rule: euDST, iana: "Europe/Amsterdam"}, "stockholm": {offset: 3600, rule: euDST, iana: "Europe/Stockholm"},
	"madrid": {offset: 3600, rule: euDST, iana: "Europe/Madrid"}, "rome": {offset: 3600, rule: euDST, iana: "Europe/Rome"},
	"brussels": {offset: 3600, rule: euDST, iana: "Europe/Brussels"}, "vienna": {offset: 3600, rule: euDST, iana: "Europe/Vienna"},
	"lisbon": {rule: euDST, iana: "Europe/Lisbon"}, "scottish": {rule: euDST, iana: "Europe/London"},
}

// placeTimeAlt is the alternation of placeTimes' names, longest first.
var placeTimeAlt = func() string {
	names := make([]string, 0, len(placeTimes))
	for n := range placeTimes {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	return strings.Join(names, "|")
}()

var fixedZones = map[string]int{
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"GMT": 0, "UTC": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "WET": 0, "WEST": 1,
	"AEST": 10, "AEDT": 11, "AWST": 8, "NZST": 12, "NZDT": 13, "JST": 9, "KST": 9, "SAST": 2,
}

// parseZone reads the zone matched by zoneRe at m (submatch indexes into s).
func parseZone(s string, m []int) (zone, bool) {
	if m[2] >= 0 {
		h, _ := strconv.Atoi(s[m[4]:m[5]])
		mins := 0
		if m[6] >= 0 {
			mins, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		off := h*3600 + mins*60
		if s[m[2]:m[3]] != "+" {
			off = -off
		}
		return zone{offset: off}, h <= 14
	}
	w := s[m[0]:m[1]]
	if m[8] >= 0 {
		return abbrevZone(w)
	}
	return namedZone(strings.ToLower(w))
}

func abbrevZone(w string) (zone, bool) {
	switch w {
	case "ET":
		return zone{offset: -5 * 3600, rule: usDST, iana: "America/New_York"}, true
	case "CT":
		return zone{offset: -6 * 3600, rule: usDST, iana: "America/Chicago"}, true
	case "MT":
		return zone{offset: -7 * 3600, rule: usDST, iana: "America/Denver"}, true
	case "PT":
		return zone{offset: -8 * 3600, rule: usDST, iana: "America/Los_Angeles"}, true
	case "IST":
		return zone{offset: 5*3600 + 1800}, true
	case "MEZ", "MESZ": // German texts use both for the local time of the season
		return zone{offset: 3600, rule: euDST, iana: "Europe/Berlin"}, true
	case "SGT":
		return zone{offset: 8 * 3600, iana: "Asia/Singapore"}, true
	case "HKT":
		return zone{offset: 8 * 3600, iana: "Asia/Hong_Kong"}, true
	case "EAT":
		return zone{offset: 3 * 3600, iana: "Africa/Nairobi"}, true
	case "WAT":
		return zone{offset: 3600, iana: "Africa/Lagos"}, true
	case "CAT":
		return zone{offset: 2 * 3600, iana: "Africa/Maputo"}, true
	case "NZT":
		return zone{offset: 12 * 3600, rule: nzDST, iana: "Pacific/Auckland"}, true
	case "AoE", "AOE":
		return zone{offset: -12 * 3600}, true
	case "ACST":
		return zone{offset: 9*3600 + 1800}, true
	}
	h, ok := fixedZones[w]
	return zone{offset: h * 3600}, ok
}

func namedZone(w string) (zone, bool) {
	if p, ok := strings.CutSuffix(w, " time"); ok {
		if z, ok := placeTimes[strings.TrimSuffix(p, " standard")]; ok {
			return z, true
		}
	}
	switch {
	case strings.Contains(w, "standard"):
		z, ok := namedZone(strings.Replace(w, "standard ", "", 1))
		z.rule, z.iana = noDST, ""
		return z, ok
	case strings.Contains(w, "daylight"):
		z, ok := namedZone(strings.Replace(w, "daylight ", "", 1))
		z.offset += 3600
		z.rule, z.iana = noDST, ""
		return z, ok
	case strings.HasPrefix(w, "eastern"):
		return zone{offset: -5 * 3600, rule: usDST, iana: "America/New_York"}, true
	case strings.HasPrefix(w, "central european"):
		return zone{offset: 3600, rule: euDST, iana: "Europe/Berlin"}, true
	case strings.HasPrefix(w, "central"):
		return zone{offset: -6 * 3600, rule: usDST, iana: "America/Chicago"}, true
	case strings.HasPrefix(w, "mountain"):
		return zone{offset: -7 * 3600, rule: usDST, iana: "America/Denver"}, true
	case strings.HasPrefix(w, "pacific"):
		return zone{offset: -8 * 3600, rule: usDST, iana: "America/Los_Angeles"}, true
	case strings.HasPrefix(w, "uk"), strings.HasPrefix(w, "london"):
		return zone{rule: euDST, iana: "Europe/London"}, true
	case strings.HasPrefix(w, "paris"):
		return zone{offset: 3600, rule: euDST, iana: "Europe/Paris"}, true
	case strings.HasPrefix(w, "berlin"):
		return zone{offset: 3600, rule: euDST, iana: "Europe/Berlin"}, true
	case strings.HasPrefix(w, "heure de paris"), strings.HasPrefix(w, "heure de france"), w == "heure française":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Paris"}, true
	case w == "heure de bruxelles", w == "heure belge":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Brussels"}, true
	case w == "heure suisse":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Zurich"}, true
	case w == "heure de l'est", w == "heure de montréal", w == "heure du québec":
		return zone{offset: -5 * 3600, rule: usDST, iana: "America/Toronto"}, true
	case w == "hora de madrid", w == "hora española", w == "hora de españa":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Madrid"}, true
	case w == "hora de lisboa", w == "hora de portugal":
		return zone{rule: euDST, iana: "Europe/Lisbon"}, true
	case strings.Contains(w, "argentina"):
		return zone{offset: -3 * 3600, iana: "America/Argentina/Buenos_Aires"}, true
	case strings.HasPrefix(w, "ora "):
		return zone{offset: 3600, rule: euDST, iana: "Europe/Rome"}, true
	case w == "nederlandse tijd":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Amsterdam"}, true
	case w == "svensk tid":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Stockholm"}, true
	case w == "belgische tijd":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Brussels"}, true
	case strings.HasPrefix(w, "mitteleuropäische"):
		return zone{offset: 3600, rule: euDST, iana: "Europe/Berlin"}, true
	case w == "schweizer zeit":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Zurich"}, true
	case w == "österreichischer zeit":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Vienna"}, true
	case w == "hora de canarias":
		return zone{rule: euDST, iana: "Atlantic/Canary"}, true
	case w == "hora de lima", w == "hora peruana":
		return zone{offset: -5 * 3600, iana: "America/Lima"}, true
	case w == "hora de buenos aires":
		return zone{offset: -3 * 3600, iana: "America/Argentina/Buenos_Aires"}, true
	case strings.HasPrefix(w, "deutsche"):
		return zone{offset: 3600, rule: euDST, iana: "Europe/Berlin"}, true
	case w == "hora peninsular":
		return zone{offset: 3600, rule: euDST, iana: "Europe/Madrid"}, true
	case strings.Contains(w, "bras"):
		return zone{offset: -3 * 3600, iana: "America/Sao_Paulo"}, true
	case strings.Contains(w, "colombia"), strings.Contains(w, "bogot"):
		return zone{offset: -5 * 3600, iana: "America/Bogota"}, true
	case strings.Contains(w, "xico"):
		return zone{offset: -6 * 3600, iana: "America/Mexico_City"}, true
	case w == "anywhere on earth":
		return zone{offset: -12 * 3600}, true
	case strings.HasPrefix(w, "nz"), strings.HasPrefix(w, "new zealand"):
		return zone{offset: 12 * 3600, rule: nzDST, iana: "Pacific/Auckland"}, true
	case strings.HasPrefix(w, "singapore"):
		return zone{offset: 8 * 3600, iana: "Asia/Singapore"}, true
	case strings.HasPrefix(w, "nairobi"), strings.HasPrefix(w, "east africa"):
		return zone{offset: 3 * 3600, iana: "Africa/Nairobi"}, true
	case strings.HasPrefix(w, "japan"), strings.HasPrefix(w, "tokyo"):
		return zone{offset: 9 * 3600, iana: "Asia/Tokyo"}, true
	case strings.HasPrefix(w, "korea"), strings.HasPrefix(w, "seoul"):
		return zone{offset: 9 * 3600, iana: "Asia/Seoul"}, true
	case strings.HasPrefix(w, "sydney"):
		return zone{offset: 10 * 3600, rule: auDST, iana: "Australia/Sydney"}, true
	case strings.HasPrefix(w, "melbourne"):
		return zone{offset: 10 * 3600, rule: auDST, iana: "Australia/Melbourne"}, true
	}
	return zone{}, false
}

// at returns the instant of the local wall time in z. Daylight saving is
// decided by the local date, which is exact except in the small hours of the
// changeover days.
func (z zone) at(y int, m time.Month, d, hh, mm, ss int) time.Time {
	off := z.offset
	if z.inDST(y, m, d) {
		off += 3600
	}
	return time.Date(y, m, d, hh, mm, ss, 0, time.UTC).Add(-time.Duration(off) * time.Second)
}

func (z zone) inDST(y int, m time.Month, d int) bool {
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch z.rule {
	case usDST:
		return !day.Before(nthSunday(y, time.March, 2)) && day.Before(nthSunday(y, time.November, 1))
	case euDST:
		return !day.Before(lastSunday(y, time.March)) && day.Before(lastSunday(y, time.October))
	case auDST:
		return day.Before(nthSunday(y, time.April, 1)) || !day.Before(nthSunday(y, time.October, 1))
	case nzDST:
		return day.Before(nthSunday(y, time.April, 1)) || !day.Before(lastSunday(y, time.September))
	case clDST:
		return day.Before(nthSunday(y, time.April, 1)) || !day.Before(nthSunday(y, time.September, 1))
	}
	return false
}

func nthSunday(y int, m time.Month, n int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	shift := (7 - int(first.Weekday())) % 7
	return first.AddDate(0, 0, shift+7*(n-1))
}

func lastSunday(y int, m time.Month) time.Time {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return last.AddDate(0, 0, -int(last.Weekday()))
}

// A time stated without a zone is the funder's local time: a reader takes
// the zone from the country the text places the call in, as the labelled
// sets do. The country comes from the places the text names (every
// language's place words, placeZoneWords) or, with none, from the
// language and the currency it pays in (langCurrencyCountry). A country of
// several zones (the United States, Canada, Australia, Brazil, Mexico)
// gives none unless a place names one (Hawaii, Mexico City, Toronto).

// cet is a zone of Central European Time.
func cet(iana string) zone { return zone{offset: 3600, rule: euDST, iana: iana} }

// countryZones are the zones of countries that keep one, keyed by the
// gazetteer's country names; a country of several zones maps to the zero
// zone.
var countryZones = map[string]zone{
	"United Kingdom": {rule: euDST, iana: "Europe/London"}, "Ireland": {rule: euDST, iana: "Europe/Dublin"},
	"Portugal": {rule: euDST, iana: "Europe/Lisbon"}, "Iceland": {iana: "Atlantic/Reykjavik"},
	"Spain": cet("Europe/Madrid"), "France": cet("Europe/Paris"), "Belgium": cet("Europe/Brussels"),
	"Netherlands": cet("Europe/Amsterdam"), "Luxembourg": cet("Europe/Luxembourg"), "Germany": cet("Europe/Berlin"),
	"Austria": cet("Europe/Vienna"), "Switzerland": cet("Europe/Zurich"), "Italy": cet("Europe/Rome"),
	"Sweden": cet("Europe/Stockholm"), "Norway": cet("Europe/Oslo"), "Denmark": cet("Europe/Copenhagen"),
	"Poland": cet("Europe/Warsaw"), "Czechia": cet("Europe/Prague"),
	"Finland":   {offset: 2 * 3600, rule: euDST, iana: "Europe/Helsinki"},
	"Estonia":   {offset: 2 * 3600, rule: euDST, iana: "Europe/Tallinn"},
	"Latvia":    {offset: 2 * 3600, rule: euDST, iana: "Europe/Riga"},
	"Lithuania": {offset: 2 * 3600, rule: euDST, iana: "Europe/Vilnius"},
	"Greece":    {offset: 2 * 3600, rule: euDST, iana: "Europe/Athens"},
	"Japan":     {offset: 9 * 3600, iana: "Asia/Tokyo"}, "South Korea": {offset: 9 * 3600, iana: "Asia/Seoul"},
	"China": {offset: 8 * 3600, iana: "Asia/Shanghai"}, "Singapore": {offset: 8 * 3600, iana: "Asia/Singapore"},
	"India": {offset: 19800, iana: "Asia/Kolkata"}, "Kenya": {offset: 3 * 3600, iana: "Africa/Nairobi"},
	"Nigeria": {offset: 3600, iana: "Africa/Lagos"}, "South Africa": {offset: 2 * 3600, iana: "Africa/Johannesburg"},
	"New Zealand": {offset: 12 * 3600, rule: nzDST, iana: "Pacific/Auckland"},
	"Chile":       {offset: -4 * 3600, rule: clDST, iana: "America/Santiago"},
	"Colombia":    {offset: -5 * 3600, iana: "America/Bogota"}, "Peru": {offset: -5 * 3600, iana: "America/Lima"},
	"Argentina": {offset: -3 * 3600, iana: "America/Argentina/Buenos_Aires"}, "Uruguay": {offset: -3 * 3600, iana: "America/Montevideo"},
	"United States": {}, "Canada": {}, "Australia": {}, "Brazil": {}, "Mexico": {},
}

// cityZones are places that name one zone of a country of several.
var cityZones = map[string]zone{
	"hawaii": {offset: -10 * 3600, iana: "Pacific/Honolulu"}, "honolulu": {offset: -10 * 3600, iana: "Pacific/Honolulu"},
	"mexico city": placeTimes["mexico city"], "ciudad de méxico": placeTimes["mexico city"], "cdmx": placeTimes["mexico city"],
	"new york": placeTimes["new york"], "brooklyn": placeTimes["new york"], "chicago": placeTimes["chicago"],
	"los angeles": placeTimes["los angeles"], "san francisco": placeTimes["los angeles"], "philadelphia": placeTimes["new york"],
	"toronto": placeTimes["toronto"], "ontario": placeTimes["toronto"], "ottawa": placeTimes["toronto"],
	"montreal": placeTimes["toronto"], "montréal": placeTimes["toronto"], "quebec": placeTimes["toronto"], "québec": placeTimes["toronto"],
	"vancouver": placeTimes["vancouver"], "british columbia": placeTimes["vancouver"],
	"são paulo": {offset: -3 * 3600, iana: "America/Sao_Paulo"}, "rio de janeiro": {offset: -3 * 3600, iana: "America/Sao_Paulo"},
	"sydney": {offset: 10 * 3600, rule: auDST, iana: "Australia/Sydney"}, "new south wales": {offset: 10 * 3600, rule: auDST, iana: "Australia/Sydney"},
	"nsw": {offset: 10 * 3600, rule: auDST, iana: "Australia/Sydney"}, "melbourne": {offset: 10 * 3600, rule: auDST, iana: "Australia/Melbourne"},
	"brisbane": placeTimes["brisbane"], "queensland": placeTimes["brisbane"], "perth": placeTimes["perth"], "adelaide": placeTimes["adelaide"],
}

// englishPlaces are place words beyond the gazetteer's, by country.
var englishPlaces = map[string]string{
	"dublin": "Ireland", "galway": "Ireland", "cork": "Ireland", "limerick": "Ireland", "sligo": "Ireland", "kilkenny": "Ireland",
	"irish": "Ireland", "aotearoa": "New Zealand", "sheffield": "United Kingdom", "manchester": "United Kingdom",
	"glasgow": "United Kingdom", "edinburgh": "United Kingdom", "cardiff": "United Kingdom", "belfast": "United Kingdom",
	"bristol": "United Kingdom", "leeds": "United Kingdom", "liverpool": "United Kingdom", "welsh": "United Kingdom",
	"berlin": "Germany", "vienna": "Austria", "zurich": "Switzerland", "rome": "Italy", "madrid": "Spain", "brussels": "Belgium",
}

// placeZoneWords finds every place word that gives a zone, and
// placeZoneOf gives it (the zero zone for a country of several).
var placeZoneWords, placeZoneOf = func() (*lexicon, map[string]zone) {
	of := map[string]zone{}
	for w, p := range gazetteer {
		if z, ok := countryZones[p.country]; ok {
			of[w] = z
		}
	}
	for w, c := range englishPlaces {
		of[w] = countryZones[c]
	}
	for _, l := range languages {
		for w, c := range l.places {
			z, ok := countryZones[c]
			if !ok {
				panic("extract: no zone for country " + c)
			}
			of[w] = z
		}
	}
	for w, z := range cityZones {
		of[w] = z
	}
	ws := make([]string, 0, len(of))
	for w := range of {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	return newLexicon(ws...), of
}()

// langCurrencyCountry places a text that names no place by its language
// and currency: an Italian call in euros is Italy's, a Swedish one in
// euros Finland's. A currency of one country places a text in any
// language ("*").
var langCurrencyCountry = map[[2]string]string{
	{"it", "EUR"}: "Italy", {"de", "EUR"}: "Germany", {"nl", "EUR"}: "Netherlands", {"fr", "EUR"}: "France",
	{"es", "EUR"}: "Spain", {"pt", "EUR"}: "Portugal", {"sv", "EUR"}: "Finland", {"sv", "SEK"}: "Sweden",
	{"de", "CHF"}: "Switzerland", {"fr", "CHF"}: "Switzerland", {"it", "CHF"}: "Switzerland", {"en", "GBP"}: "United Kingdom",
	{"*", "GBP"}: "United Kingdom", {"*", "CHF"}: "Switzerland", {"*", "SEK"}: "Sweden", {"*", "NOK"}: "Norway",
	{"*", "DKK"}: "Denmark", {"*", "CLP"}: "Chile", {"*", "COP"}: "Colombia", {"*", "ARS"}: "Argentina",
	{"*", "NZD"}: "New Zealand", {"*", "SGD"}: "Singapore", {"*", "INR"}: "India", {"*", "KES"}: "Kenya",
	{"*", "NGN"}: "Nigeria", {"*", "ZAR"}: "South Africa", {"*", "JPY"}: "Japan", {"*", "KRW"}: "South Korea",
	{"*", "PEN"}: "Peru", {"*", "UYU"}: "Uruguay",
}

// textZone returns the zone of the country the text places its call in,
// from its places, or else its language and the currency it pays in.
func textZone(d *doc, currency string) (zone, bool) {
	hs := placeZoneWords.find(d.lower, d.tokens())
	if len(hs) > 0 {
		n := map[string]int{}
		best, bestN := zone{}, 0
		for _, h := range hs {
			z := placeZoneOf[h.phrase]
			k := z.iana
			if k == "" {
				k = "-" // a country of several zones
			}
			if n[k]++; n[k] > bestN {
				best, bestN = z, n[k]
			}
		}
		return best, best.iana != ""
	}
	c, ok := langCurrencyCountry[[2]string{d.lang, currency}]
	if !ok {
		c, ok = langCurrencyCountry[[2]string{"*", currency}]
	}
	if !ok {
		return zone{}, false
	}
	z := countryZones[c]
	return z, z.iana != ""
}

// textCurrency returns the currency a text's award is in, or a euro,
// pound or krona sign or word it states elsewhere.
func textCurrency(d *doc, o *scout.Opportunity) string {
	switch {
	case o.Currency != "":
		return o.Currency
	case strings.Contains(d.lower, "€") || strings.Contains(d.lower, "euro"):
		return "EUR"
	case strings.Contains(d.lower, "£"):
		return "GBP"
	case strings.Contains(d.lower, "kronor"):
		return "SEK"
	}
	return ""
}

// fillPlaceZone gives the key dates that state a time but no zone the
// zone of the text's country (textZone), and the deadline its instant.
func fillPlaceZone(d *doc, o *scout.Opportunity) {
	need := o.KeyDates.Deadline != nil && o.KeyDates.Deadline.Time != "" && o.KeyDates.Deadline.Zone == ""
	for i := range o.KeyDates.Other {
		need = need || o.KeyDates.Other[i].Time != "" && o.KeyDates.Other[i].Zone == ""
	}
	if !need {
		return
	}
	z, ok := textZone(d, textCurrency(d, o))
	if !ok {
		return
	}
	if k := o.KeyDates.Deadline; k != nil && placeZone(k, z) {
		o.Deadline = k.At
	}
	for i := range o.KeyDates.Other {
		placeZone(&o.KeyDates.Other[i], z)
	}
}

// placeZone puts key date k, which states a time, in zone z when it
// states none.
func placeZone(k *scout.KeyDate, z zone) bool {
	if k.Time == "" || k.Zone != "" {
		return false
	}
	day, err := time.Parse("2006-01-02", k.Date)
	if err != nil {
		return false
	}
	var hh, mm, ss int
	if _, err := fmt.Sscanf(k.Time, "%d:%d", &hh, &mm); err != nil {
		return false
	}
	if len(k.Time) > 5 {
		fmt.Sscanf(k.Time[6:], "%d", &ss)
	}
	k.At = z.at(day.Year(), day.Month(), day.Day(), hh, mm, ss).UTC()
	k.Zone = z.label(day.Year(), day.Month(), day.Day())
	return true
}
