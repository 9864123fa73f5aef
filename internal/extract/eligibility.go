package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// isoCodes gives the gazetteer's places their ISO 3166 codes: countries
// alpha-2, regions and cities their subdivision (or, for a city, its
// country's subdivision or the country). Places with no code (Europe,
// Africa) are not turned into a residence predicate.
var isoCodes = map[string]string{
	"United States": "US", "Canada": "CA", "Mexico": "MX", "United Kingdom": "GB", "Ireland": "IE", "France": "FR",
	"Germany": "DE", "Netherlands": "NL", "Belgium": "BE", "Spain": "ES", "Portugal": "PT", "Italy": "IT", "Switzerland": "CH",
	"Austria": "AT", "Sweden": "SE", "Norway": "NO", "Denmark": "DK", "Finland": "FI", "Iceland": "IS", "Estonia": "EE",
	"Latvia": "LV", "Lithuania": "LT", "Poland": "PL", "Greece": "GR", "Japan": "JP", "China": "CN", "India": "IN",
	"South Korea": "KR", "Singapore": "SG", "Australia": "AU", "New Zealand": "NZ", "South Africa": "ZA", "Nigeria": "NG",
	"Kenya": "KE", "Brazil": "BR", "Argentina": "AR", "Colombia": "CO", "European Union": "EU",
	"Ontario": "CA-ON", "Quebec": "CA-QC", "British Columbia": "CA-BC", "Alberta": "CA-AB", "Manitoba": "CA-MB",
	"Nova Scotia": "CA-NS", "Toronto": "CA-ON", "Montreal": "CA-QC", "Vancouver": "CA-BC", "Oaxaca": "MX-OAX",
	"England": "GB-ENG", "Scotland": "GB-SCT", "Wales": "GB-WLS", "Northern Ireland": "GB-NIR", "London": "GB-ENG",
	"North of England": "GB-ENG", "Paris": "FR-75", "Berlin": "DE-BE", "Leipzig": "DE-SN", "Amsterdam": "NL-NH",
	"Rotterdam": "NL-ZH", "Lisbon": "PT-11", "Krakow": "PL-12", "Kyoto": "JP-26", "Tokyo": "JP-13", "Mumbai": "IN-MH",
	"New South Wales": "AU-NSW", "Queensland": "AU-QLD", "Tasmania": "AU-TAS", "Sydney": "AU-NSW", "Melbourne": "AU-VIC",
	"Cape Town": "ZA-WC", "New York": "US-NY", "Brooklyn": "US-NY", "Chicago": "US-IL", "Los Angeles": "US-CA",
	"Philadelphia": "US-PA", "San Francisco": "US-CA", "California": "US-CA", "Maine": "US-ME", "Texas": "US-TX",
	"Oregon": "US-OR", "Florida": "US-FL", "Massachusetts": "US-MA", "Catskills": "US-NY", "Bay Area": "US-CA",
	"Midwest": "US", "New England": "US", "Appalachia": "US",
}

// residenceCueRe before a place says applicants must live there or be its
// citizens (lowered text, matched at the end of the words before the place).
var residenceCueRe = regexp.MustCompile(`(?:based in|living in|live in|lives in|reside in|residing in|resident in|residents? of|citizens? of|nationals? of|` +
	`(?:artists?|creators?|writers?|musicians?|filmmakers?|applicants?|practitioners?|people|individuals|organi[sz]ations?) (?:from|in|of|based in|living in)|` +
	`open to (?:[\w-]+ ){0,4}?(?:in|from|of)|must (?:be|live) (?:in|from)|eligible in)\s+(?:the\s+)?$`)

// residenceTailRe after a place says the same ("Scotland-based artists").
var residenceTailRe = regexp.MustCompile(`^(?:-based\b|\s+(?:residents?|citizens?|nationals?|based)\b)`)

var (
	ageRangeRe = regexp.MustCompile(`\b(?:aged?|ages|between the ages of|between)\s+(\d{1,2})\s*(?:-|–|to|and)\s*(\d{2})\b`)
	ageUnderRe = regexp.MustCompile(`\b(?:under(?: the age of)?|younger than|below the age of)\s+(\d{2})\b`)
	ageMinRe   = regexp.MustCompile(`\b(?:(\d{2})\s*(?:\+|years (?:of age )?or older|or older|and over|and older)|(?:over|at least|aged? over|older than)\s+(?:the age of\s+)?(\d{2})\b)`)
	ageMaxRe   = regexp.MustCompile(`\b(\d{2})\s*(?:years (?:of age )?)?(?:or younger|or under|and under)\b`)
)

// applicantWords name who may apply.
var applicantWords = newLexicon("individual", "individuals", "individual artists", "artists", "collective", "collectives",
	"artist collectives", "ensembles", "groups", "organizations", "organisations", "organization", "organisation",
	"nonprofit", "nonprofits", "non-profit", "non-profits", "not-for-profit", "charities", "charity", "501(c)(3)", "companies")

// notEligibleRe after a phrase negates it ("individuals are not eligible").
var notEligibleRe = regexp.MustCompile(`^[^.;]{0,24}\b(?:not eligible|ineligible|cannot apply|may not apply|are excluded)`)

// fillCriteria turns eligibility words into predicates with their spans.
func fillCriteria(d *doc, o *scout.Opportunity) {
	c := &o.Criteria
	add := func(key, span string, conf float64) {
		span = strings.TrimSpace(span)
		c.Spans = appendUnique(c.Spans, span)
		if _, ok := o.Provenance[key]; !ok {
			o.Provenance[key] = prov(span, conf)
		}
	}
	for _, h := range applicantWords.find(d.lower, d.tokens()) {
		t := applicantType(h.phrase)
		if t == "" || notEligibleRe.MatchString(d.lower[h.end:min(h.end+40, len(d.lower))]) {
			continue
		}
		if t == scout.ApplicantIndividual && h.phrase == "artists" && len(c.ApplicantTypes) > 0 {
			continue // "artists" alone says individual only when nothing else is named
		}
		if !containsType(c.ApplicantTypes, t) {
			c.ApplicantTypes = append(c.ApplicantTypes, t)
			add("eligibility.applicant_types", d.text[h.start:h.end], 0.5)
		}
	}
	for _, tag := range o.Eligibility {
		switch tag {
		case "emerging", "early-career", "mid-career", "first-time":
			c.CareerStages = append(c.CareerStages, tag)
		case "students":
			c.Students = true
		case "bipoc", "indigenous", "women", "lgbtq", "disabled", "immigrants":
			c.IdentityFocus = append(c.IdentityFocus, tag)
		}
	}
	for _, h := range eligibilityWords.find(d.lower, d.tokens()) {
		switch eligibilityTag(h.phrase) {
		case "emerging", "early-career", "mid-career", "first-time":
			add("eligibility.career_stages", d.text[h.start:h.end], 0.6)
		case "students":
			add("eligibility.students", d.text[h.start:h.end], 0.5)
		case "bipoc", "indigenous", "women", "lgbtq", "disabled", "immigrants":
			add("eligibility.identity_focus", d.text[h.start:h.end], 0.6)
		}
	}
	fillAges(d, o, add)
	fillCountries(d, o, add)
}

func applicantType(w string) scout.ApplicantType {
	switch {
	case strings.HasPrefix(w, "individual"), w == "artists":
		return scout.ApplicantIndividual
	case strings.Contains(w, "collective"), w == "ensembles", w == "groups":
		return scout.ApplicantCollective
	case strings.Contains(w, "profit"), strings.HasPrefix(w, "charit"), w == "501(c)(3)":
		return scout.ApplicantNonprofit
	case strings.HasPrefix(w, "organi"), w == "companies":
		return scout.ApplicantOrganization
	}
	return ""
}

func containsType(ts []scout.ApplicantType, t scout.ApplicantType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// fillAges reads an age range: "aged 18–25", "under 30", "18 or older".
func fillAges(d *doc, o *scout.Opportunity, add func(key, span string, conf float64)) {
	c := &o.Criteria
	if !strings.Contains(d.lower, "age") && !strings.Contains(d.lower, "under ") && !strings.Contains(d.lower, "old") &&
		!strings.Contains(d.lower, "over ") && !strings.Contains(d.lower, "young") && !strings.Contains(d.lower, "+") {
		return // cheap exit for the many texts that state no age
	}
	if loc := ageMatch(ageRangeRe, d.lower); loc != nil {
		lo, _ := strconv.Atoi(d.lower[loc[2]:loc[3]])
		hi, _ := strconv.Atoi(d.lower[loc[4]:loc[5]])
		if lo >= 5 && hi > lo && hi <= 99 {
			c.AgeMin, c.AgeMax = lo, hi
			add("eligibility.age", d.text[loc[0]:loc[1]], 0.7)
			return
		}
	}
	if loc := ageMatch(ageUnderRe, d.lower); loc != nil {
		if n, _ := strconv.Atoi(d.lower[loc[2]:loc[3]]); n >= 10 && n <= 99 {
			c.AgeMax = n - 1
			add("eligibility.age", d.text[loc[0]:loc[1]], 0.6)
		}
	} else if loc := ageMatch(ageMaxRe, d.lower); loc != nil {
		if n, _ := strconv.Atoi(d.lower[loc[2]:loc[3]]); n >= 10 && n <= 99 {
			c.AgeMax = n
			add("eligibility.age", d.text[loc[0]:loc[1]], 0.6)
		}
	}
	if loc := ageMatch(ageMinRe, d.lower); loc != nil {
		g := 2
		if loc[2] < 0 {
			g = 4
		}
		if n, _ := strconv.Atoi(d.lower[loc[g]:loc[g+1]]); n >= 5 && n <= 99 && (c.AgeMax == 0 || n <= c.AgeMax) {
			c.AgeMin = n
			add("eligibility.age", d.text[loc[0]:loc[1]], 0.6)
		}
	}
}

// ageMatch is re.FindStringSubmatchIndex(s) for one of the age expressions,
// or nil without running it where s lacks a word every match of re holds.
// Each expression starts with \b, so the backtracker tries it at every
// position of the text, and the cheap exit of fillAges passes most texts
// ("page", "stage", "+"): the four were a fifth of extraction's CPU in a
// cold-ingest profile.
func ageMatch(re *regexp.Regexp, s string) []int {
	var may bool
	switch re {
	case ageRangeRe:
		may = hasWordStart(s, "age") || hasWordStart(s, "between")
	case ageUnderRe:
		may = hasWordStart(s, "under") || hasWordStart(s, "younger than") || hasWordStart(s, "below the age of")
	case ageMinRe:
		may = strings.Contains(s, "+") || strings.Contains(s, "or older") || strings.Contains(s, "and over") ||
			strings.Contains(s, "and older") || hasWordStart(s, "over") || hasWordStart(s, "at least") ||
			hasWordStart(s, "older than")
	case ageMaxRe:
		may = strings.Contains(s, "or younger") || strings.Contains(s, "or under") || strings.Contains(s, "and under")
	default:
		may = true
	}
	if !may {
		return nil
	}
	return re.FindStringSubmatchIndex(s)
}

// hasWordStart reports whether w occurs in s where \b holds before it: at
// the start, or after a byte that is not an ASCII word character.
func hasWordStart(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		if at := off + i; at == 0 || !asciiWordByte(s[at-1]) {
			return true
		}
		off += i + 1
	}
}

// asciiWordByte reports whether c is in \w: [0-9A-Za-z_].
func asciiWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// fillCountries reads where applicants must live: a place after a
// residence cue ("artists based in Scotland") or before one
// ("Scotland-based").
func fillCountries(d *doc, o *scout.Opportunity, add func(key, span string, conf float64)) {
	c := &o.Criteria
	for _, h := range placeWords.find(d.lower, d.tokens()) {
		if (h.phrase == "uk" || h.phrase == "eu" || h.phrase == "usa") && d.text[h.start] != strings.ToUpper(h.phrase)[0] {
			continue
		}
		code := isoCodes[gazetteer[h.phrase].name]
		if code == "" {
			continue
		}
		cs := clauseStart(d.lower, h.start, 60)
		if !residenceCueRe.MatchString(d.lower[cs:h.start]) && !residenceTailRe.MatchString(d.lower[h.end:min(h.end+12, len(d.lower))]) {
			continue
		}
		if !containsString(c.Countries, code) {
			c.Countries = append(c.Countries, code)
			add("eligibility.countries", d.text[cs:h.end], 0.6)
		}
	}
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
