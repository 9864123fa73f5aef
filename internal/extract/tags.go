package extract

import (
	"regexp"
	"sort"
	"strings"
)

// place is a gazetteer entry: the name to report and its country.
type place struct{ name, country string }

var gazetteer = map[string]place{
	"united states": {"United States", "United States"}, "usa": {"United States", "United States"}, "u.s.": {"United States", "United States"},
	"canada": {"Canada", "Canada"}, "canadian": {"Canada", "Canada"}, "ontario": {"Ontario", "Canada"}, "quebec": {"Quebec", "Canada"},
	"québec": {"Quebec", "Canada"}, "british columbia": {"British Columbia", "Canada"}, "alberta": {"Alberta", "Canada"},
	"manitoba": {"Manitoba", "Canada"}, "nova scotia": {"Nova Scotia", "Canada"}, "toronto": {"Toronto", "Canada"},
	"montréal": {"Montreal", "Canada"}, "montreal": {"Montreal", "Canada"}, "vancouver": {"Vancouver", "Canada"},
	"mexico": {"Mexico", "Mexico"}, "oaxaca": {"Oaxaca", "Mexico"},
	"united kingdom": {"United Kingdom", "United Kingdom"}, "uk": {"United Kingdom", "United Kingdom"}, "britain": {"United Kingdom", "United Kingdom"},
	"england": {"England", "United Kingdom"}, "scotland": {"Scotland", "United Kingdom"}, "scottish": {"Scotland", "United Kingdom"},
	"wales": {"Wales", "United Kingdom"}, "northern ireland": {"Northern Ireland", "United Kingdom"}, "london": {"London", "United Kingdom"},
	"north of england": {"North of England", "United Kingdom"}, "ireland": {"Ireland", "Ireland"},
	"france": {"France", "France"}, "paris": {"Paris", "France"}, "germany": {"Germany", "Germany"}, "berlin": {"Berlin", "Germany"},
	"leipzig": {"Leipzig", "Germany"}, "netherlands": {"Netherlands", "Netherlands"}, "amsterdam": {"Amsterdam", "Netherlands"},
	"rotterdam": {"Rotterdam", "Netherlands"}, "belgium": {"Belgium", "Belgium"}, "spain": {"Spain", "Spain"}, "portugal": {"Portugal", "Portugal"},
	"lisbon": {"Lisbon", "Portugal"}, "italy": {"Italy", "Italy"}, "switzerland": {"Switzerland", "Switzerland"}, "austria": {"Austria", "Austria"},
	"sweden": {"Sweden", "Sweden"}, "swedish": {"Sweden", "Sweden"}, "norway": {"Norway", "Norway"}, "denmark": {"Denmark", "Denmark"},
	"finland": {"Finland", "Finland"}, "iceland": {"Iceland", "Iceland"}, "estonia": {"Estonia", "Estonia"}, "latvia": {"Latvia", "Latvia"},
	"lithuania": {"Lithuania", "Lithuania"}, "poland": {"Poland", "Poland"}, "kraków": {"Krakow", "Poland"}, "greece": {"Greece", "Greece"},
	"japan": {"Japan", "Japan"}, "kyoto": {"Kyoto", "Japan"}, "tokyo": {"Tokyo", "Japan"}, "china": {"China", "China"},
	"india": {"India", "India"}, "mumbai": {"Mumbai", "India"}, "south korea": {"South Korea", "South Korea"}, "singapore": {"Singapore", "Singapore"},
	"australia": {"Australia", "Australia"}, "australian": {"Australia", "Australia"}, "new south wales": {"New South Wales", "Australia"},
	"queensland": {"Queensland", "Australia"}, "tasmania": {"Tasmania", "Australia"}, "sydney": {"Sydney", "Australia"},
	"melbourne": {"Melbourne", "Australia"}, "new zealand": {"New Zealand", "New Zealand"}, "south africa": {"South Africa", "South Africa"},
	"south african": {"South Africa", "South Africa"}, "cape town": {"Cape Town", "South Africa"}, "nigeria": {"Nigeria", "Nigeria"},
	"kenya": {"Kenya", "Kenya"}, "brazil": {"Brazil", "Brazil"}, "argentina": {"Argentina", "Argentina"}, "colombia": {"Colombia", "Colombia"},
	"europe": {"Europe", ""}, "eu": {"European Union", ""}, "nordic": {"Nordic countries", ""}, "scandinavia": {"Nordic countries", ""},
	"latin america": {"Latin America", ""}, "africa": {"Africa", ""}, "asia": {"Asia", ""}, "middle east": {"Middle East", ""},
	"midwest": {"Midwest", "United States"}, "new england": {"New England", "United States"}, "bay area": {"Bay Area", "United States"},
	"new york": {"New York", "United States"}, "brooklyn": {"Brooklyn", "United States"}, "chicago": {"Chicago", "United States"},
	"los angeles": {"Los Angeles", "United States"}, "philadelphia": {"Philadelphia", "United States"}, "san francisco": {"San Francisco", "United States"},
	"california": {"California", "United States"}, "maine": {"Maine", "United States"}, "texas": {"Texas", "United States"},
	"oregon": {"Oregon", "United States"}, "florida": {"Florida", "United States"}, "massachusetts": {"Massachusetts", "United States"},
	"catskills": {"Catskills", "United States"}, "appalachia": {"Appalachia", "United States"},
}

var placeRe = func() *regexp.Regexp {
	keys := make([]string, 0, len(gazetteer))
	for k := range gazetteer {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	return regexp.MustCompile(`\b(?:` + strings.Join(keys, "|") + `)(?:\b|$)`)
}()

// placeCueRe marks a place as who may apply or where the work happens.
var placeCueRe = regexp.MustCompile(`(?:based in|living in|live in|resident in|residents? of|artists? in|from|in|across|within|of)\s+(?:the\s+)?$`)

type location struct {
	name, country, span string
	conf                float64
}

func findLocation(d *doc) location {
	var first location
	for _, loc := range placeRe.FindAllStringIndex(d.lower, -1) {
		w := d.lower[loc[0]:loc[1]]
		if (w == "uk" || w == "eu" || w == "usa") && d.text[loc[0]] != strings.ToUpper(w)[0] {
			continue
		}
		p := gazetteer[w]
		l := location{name: p.name, country: p.country, span: d.text[loc[0]:loc[1]], conf: 0.5}
		if placeCueRe.MatchString(d.lower[max(0, loc[0]-24):loc[0]]) {
			l.conf = 0.7
			return l
		}
		if first.name == "" {
			first = l
		}
	}
	return first
}

var eligibilityRe = regexp.MustCompile(`\bemerging\b|\bearly[- ]career\b|\bmid-career\b|\bfirst-time\b|\bbipoc\b|(?:artists|people) of colou?r|\bindigenous\b|first nations|\binuit\b|\bmétis\b|\bwomen\b|\bwoman\b|\bnon-binary\b|\bstudents?\b|\bhigh school\b|\bunder \d\d\b|\bindividuals?\b|\borgani[sz]ations\b|\bnonprofits?\b|\bnon-profits?\b|\blgbtq\+?|\bdisabled\b|\bdisabilit(?:y|ies)\b|\bparents\b|\bunderrepresented\b|\bimmigrants?\b|\brefugees?\b`)

func findEligibility(d *doc) []string {
	var out []string
	for _, loc := range eligibilityRe.FindAllStringIndex(d.lower, -1) {
		tag := eligibilityTag(d.lower[loc[0]:loc[1]])
		if tag == "individuals" && strings.Contains(d.lower[loc[1]:min(loc[1]+20, len(d.lower))], "not eligible") {
			continue
		}
		out = appendUnique(out, tag)
	}
	return out
}

func eligibilityTag(w string) string {
	switch {
	case w == "emerging", strings.HasPrefix(w, "early"), w == "mid-career", w == "first-time":
		return strings.Replace(w, " ", "-", 1)
	case w == "bipoc", strings.Contains(w, "of colo"):
		return "bipoc"
	case w == "indigenous", w == "first nations", w == "inuit", w == "métis":
		return "indigenous"
	case strings.HasPrefix(w, "wom"), w == "non-binary":
		return "women"
	case strings.HasPrefix(w, "student"), w == "high school":
		return "students"
	case strings.HasPrefix(w, "under "):
		return "under-" + w[6:]
	case strings.HasPrefix(w, "individual"):
		return "individuals"
	case strings.HasPrefix(w, "organi"), strings.Contains(w, "profit"):
		return "organizations"
	case strings.HasPrefix(w, "lgbtq"):
		return "lgbtq"
	case strings.HasPrefix(w, "disab"):
		return "disabled"
	case strings.HasPrefix(w, "immigrant"), strings.HasPrefix(w, "refugee"):
		return "immigrants"
	}
	return w
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

var disciplineRe = regexp.MustCompile(`\bfilm|\bdocumentar|\bcinema|\bscreenwrit|\bscreenplay|\bmusic|\bcomposer|\bsongwrit|\bsong\b|\bbands?\b|\borchestra|\bchoral\b|\bchoir|\bsound art|\bvisual art|\bpaint|\bsculpt|\bceramic|\bmural|\bprintmak|\bpublic art|\bwriter|\bwriting\b|\bpoet|\bfiction|\bnonfiction|\bessay|\bliterary|\btranslat|\bnovel|\bzines?\b|\bgames?\b|\bgame (?:design|develop)|\bpodcast|\bdanc|\bchoreograph|\btheat(?:re|er)|\bplaywright|\bdesign|\bphotograph|\bphoto|\bjournalis|\breporting\b|\breporters?\b|\bnewsroom|\billustrat|\bcomics?\b|\barchitect|\bmedia art|\bdigital art|\bnet art`)

type disciplines struct {
	names []string
	spans map[string]string
	span  string
}

func findDisciplines(d *doc) disciplines {
	var ds disciplines
	for _, loc := range disciplineRe.FindAllStringIndex(d.lower, -1) {
		name := disciplineOf(d.lower[loc[0]:loc[1]])
		if name == "" {
			continue
		}
		if ds.spans == nil {
			ds.spans = make(map[string]string, 4)
		}
		if _, ok := ds.spans[name]; !ok {
			ds.spans[name] = d.text[loc[0]:wordEnd(d.lower, loc[1])]
			ds.names = append(ds.names, name)
			if ds.span == "" {
				ds.span = ds.spans[name]
			}
		}
	}
	return ds
}

// wordEnd extends a match that stops inside a word ("documentar") to the
// word's end.
func wordEnd(lower string, i int) int {
	for i < len(lower) && (isLetter(lower[i]) || lower[i] >= 0x80 || lower[i] == '-') {
		i++
	}
	return i
}

func disciplineOf(w string) string {
	switch {
	case strings.HasPrefix(w, "film"), strings.HasPrefix(w, "documentar"), w == "cinema", strings.HasPrefix(w, "screen"):
		return "film"
	case w == "sound art":
		return "sound art"
	case strings.HasPrefix(w, "music"), w == "composer", strings.HasPrefix(w, "song"), strings.HasPrefix(w, "band"),
		w == "orchestra", w == "choral", w == "choir":
		return "music"
	case w == "visual art", w == "paint", w == "sculpt", w == "ceramic", w == "mural", w == "printmak", w == "public art":
		return "visual arts"
	case w == "media art", w == "digital art", w == "net art":
		return "media arts"
	case w == "writer", w == "writing", w == "poet", w == "fiction", w == "nonfiction", w == "essay", w == "literary",
		w == "translat", w == "novel", strings.HasPrefix(w, "zine"):
		return "writing"
	case strings.HasPrefix(w, "game"):
		return "games"
	case w == "podcast":
		return "podcasting"
	case w == "danc", w == "choreograph":
		return "dance"
	case strings.HasPrefix(w, "theat"), w == "playwright":
		return "theatre"
	case w == "design":
		return "design"
	case strings.HasPrefix(w, "photo"):
		return "photography"
	case w == "journalis", w == "reporting", strings.HasPrefix(w, "reporter"), w == "newsroom":
		return "journalism"
	case w == "illustrat", strings.HasPrefix(w, "comic"):
		return "illustration and comics"
	case w == "architect":
		return "architecture"
	}
	return ""
}
