package extract

import (
	"regexp"
	"strings"
)

// place is a gazetteer entry: the name to report and its country.
type place struct{ name, country string }

var gazetteer = map[string]place{
	"united states": {"United States", "United States"}, "usa": {"United States", "United States"},
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
	"medellín": {"Medellín", "Colombia"}, "bogotá": {"Bogotá", "Colombia"}, "chile": {"Chile", "Chile"}, "santiago de chile": {"Santiago", "Chile"},
	"buenos aires": {"Buenos Aires", "Argentina"}, "são paulo": {"São Paulo", "Brazil"}, "rio de janeiro": {"Rio de Janeiro", "Brazil"},
	"nairobi": {"Nairobi", "Kenya"}, "lagos": {"Lagos", "Nigeria"}, "seoul": {"Seoul", "South Korea"}, "korea": {"South Korea", "South Korea"},
	"gatineau": {"Gatineau", "Canada"}, "outaouais": {"Outaouais", "Canada"}, "nsw": {"New South Wales", "Australia"},
	"victoria": {"Victoria", "Australia"}, "brisbane": {"Brisbane", "Australia"}, "perth": {"Perth", "Australia"}, "adelaide": {"Adelaide", "Australia"},
	"auckland": {"Auckland", "New Zealand"}, "wellington": {"Wellington", "New Zealand"}, "calgary": {"Calgary", "Canada"},
	"stockholm": {"Stockholm", "Sweden"}, "göteborg": {"Gothenburg", "Sweden"}, "malmö": {"Malmö", "Sweden"},
	"umeå": {"Umeå", "Sweden"}, "uppsala": {"Uppsala", "Sweden"}, "oslo": {"Oslo", "Norway"}, "bergen": {"Bergen", "Norway"},
	"copenhagen": {"Copenhagen", "Denmark"}, "københavn": {"Copenhagen", "Denmark"}, "helsinki": {"Helsinki", "Finland"},
	"ottawa": {"Ottawa", "Canada"}, "winnipeg": {"Winnipeg", "Canada"}, "halifax": {"Halifax", "Canada"}, "saskatchewan": {"Saskatchewan", "Canada"},
	"europe": {"Europe", ""}, "eu": {"European Union", ""}, "nordic": {"Nordic countries", ""}, "scandinavia": {"Nordic countries", ""},
	"latin america": {"Latin America", ""}, "africa": {"Africa", ""}, "asia": {"Asia", ""}, "middle east": {"Middle East", ""},
	"midwest": {"Midwest", "United States"}, "new england": {"New England", "United States"}, "bay area": {"Bay Area", "United States"},
	"new york": {"New York", "United States"}, "brooklyn": {"Brooklyn", "United States"}, "chicago": {"Chicago", "United States"},
	"los angeles": {"Los Angeles", "United States"}, "philadelphia": {"Philadelphia", "United States"}, "san francisco": {"San Francisco", "United States"},
	"california": {"California", "United States"}, "maine": {"Maine", "United States"}, "texas": {"Texas", "United States"},
	"oregon": {"Oregon", "United States"}, "florida": {"Florida", "United States"}, "massachusetts": {"Massachusetts", "United States"},
	"catskills": {"Catskills", "United States"}, "appalachia": {"Appalachia", "United States"},
}

var placeWords = func() *lexicon {
	keys := make([]string, 0, len(gazetteer))
	for k := range gazetteer {
		keys = append(keys, k)
	}
	return newLexicon(keys...)
}()

// placeCueRe marks a place as who may apply or where the work happens.
var placeCueRe = regexp.MustCompile(`(?:based in|living in|live in|resident in|residents? of|artists? in|from|in|across|within|of)\s+(?:the\s+)?$`)

type location struct {
	name, country, span string
	conf                float64
}

func findLocation(d *doc) location {
	var first location
	for _, h := range placeWords.find(d.lower, d.tokens()) {
		w, loc := h.phrase, []int{h.start, h.end}
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

var eligibilityWords = newLexicon("emerging", "early-career", "early career", "mid-career", "first-time", "bipoc",
	"artists of color", "artists of colour", "people of color", "people of colour", "indigenous", "first nations", "inuit", "métis",
	"women", "woman", "non-binary", "student", "students", "high school", "individual", "individuals", "organizations",
	"organisations", "nonprofit", "nonprofits", "non-profit", "non-profits", "lgbtq", "disabled", "disability", "disabilities",
	"parents", "underrepresented", "immigrant", "immigrants", "refugee", "refugees")

var underAgeRe = regexp.MustCompile(`under \d\d\b`)

func findEligibility(d *doc) []string {
	var out []string
	for _, h := range eligibilityWords.find(d.lower, d.tokens()) {
		tag := eligibilityTag(h.phrase)
		if tag == "individuals" && strings.Contains(d.lower[h.end:min(h.end+20, len(d.lower))], "not eligible") {
			continue
		}
		out = appendUnique(out, tag)
	}
	for _, loc := range underAgeRe.FindAllStringIndex(d.lower, -1) {
		out = appendUnique(out, eligibilityTag(d.lower[loc[0]:loc[1]]))
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

// disciplinePhrasesEN are the English words that name a discipline.
var disciplinePhrasesEN = []string{"film*", "documentar*", "cinema*", "screenwrit*", "screenplay*", "music*", "composer*", "songwrit*",
	"song", "band", "bands", "orchestra*", "choral", "choir*", "sound art*", "visual art*", "paint*", "sculpt*", "ceramic*", "mural*",
	"printmak*", "public art*", "writer*", "writing", "poet*", "fiction*", "nonfiction*", "essay*", "literary*", "translat*", "novel*",
	"zine", "zines", "game", "games", "podcast*", "danc*", "choreograph*", "theatre*", "theater*", "playwright*", "design*",
	"photo*", "journalis*", "reporting", "reporter", "reporters", "newsroom*", "illustrat*", "comic", "comics", "architect*",
	"media art*", "digital art*", "net art*", "craft", "crafts", "craftspeople", "craftsperson", "pottery", "potter", "potters",
	"weaving", "weaver*", "textile*", "woodwork*", "jewellery", "jewelry", "glassblow*", "basketry", "makers", "maker",
	"multidisciplinary", "interdisciplinary", "cross-disciplinary", "all disciplines", "any discipline", "any artistic discipline",
	"all art forms", "all artforms", "any art form", "all artistic disciplines", "every discipline", "across disciplines",
	"any medium", "any media", "all media", "all mediums", "violin*", "cello*", "pianist*", "guitarist*",
	"singer*", "vocalist*", "drummer*", "jazz", "drawing", "drawings", "sketchbook*", "webtoon*", "picture book*", "light art*",
	"short story", "short stories", "cartoonist*", "knitwear", "knitting", "quilt*", "embroider*", "spoken word",
	"virtual reality", "immersive", "fashion"}

type disciplines struct {
	names []string
	spans map[string]string
	span  string
}

func findDisciplines(d *doc) disciplines {
	var ds disciplines
	r := d.rules()
	for _, h := range r.disciplines.find(d.lower, d.tokens()) {
		loc := []int{h.start, h.end}
		if passingUse(d.lower, h) {
			continue
		}
		name, ok := r.discOf[h.phrase]
		if !ok {
			name = disciplineOf(h.phrase)
		}
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
	return multidisciplinary(comicsAuthors(ds))
}

// comicsAuthors drops the writing a comics call names only through its
// authors ("auteur·rices de BD", "Comic-Autor*innen"): they write comics.
func comicsAuthors(ds disciplines) disciplines {
	w, ok := ds.spans["writing"]
	if _, comics := ds.spans["illustration and comics"]; !ok || !comics {
		return ds
	}
	lw := strings.ToLower(w)
	for _, p := range []string{"aut", "author"} {
		if strings.HasPrefix(lw, p) {
			names := ds.names[:0:0]
			for _, n := range ds.names {
				if n != "writing" {
					names = append(names, n)
				}
			}
			ds.names = names
			delete(ds.spans, "writing")
			if ds.span == w {
				ds.span = ds.spans[names[0]]
			}
			return ds
		}
	}
	return ds
}

// passingUse reports a discipline word used in passing: "designed to",
// "a writing sample", "in writing", "grant writing".
func passingUse(lower string, h hit) bool {
	w := lower[h.start:wordEnd(lower, h.end)]
	after := strings.TrimLeft(lower[wordEnd(lower, h.end):min(len(lower), wordEnd(lower, h.end)+12)], " ")
	before := lower[max(0, h.start-8):h.start]
	switch {
	case w == "designed", w == "designing", w == "designs":
		return true
	case w == "writing" && (strings.HasPrefix(after, "sample") || strings.HasSuffix(before, "in ") || strings.HasSuffix(before, "grant ") ||
		strings.HasSuffix(before, "proposal ")):
		return true
	case w == "makers" && !strings.Contains(lower, "craft") && !strings.Contains(lower, "kiln"):
		return true // "makers" alone is any artist
	case strings.HasPrefix(w, "design"):
		return designInPassing(lower, h, after, before)
	case strings.HasPrefix(w, "novel") && strings.HasSuffix(before, "graphic "):
		return true // a graphic novel is comics
	case w == "writer" || w == "writers":
		near := lower[max(0, h.start-40):min(len(lower), h.end+40)]
		return strings.Contains(near, "director") || strings.Contains(near, "producer") // a film team's writer
	}
	return false
}

// designInPassing reports a design word that names a stage of making
// something else ("design, fabrication and installation"), another
// discipline's design ("sound design", "narrative designers") or a
// collaborator ("work with a designer").
func designInPassing(lower string, h hit, after, before string) bool {
	near := lower[max(0, h.start-30):min(len(lower), h.end+40)]
	for _, w := range []string{"fabricat", "engineering", "installation", "construction", "delivery"} {
		if strings.Contains(near, w) {
			return true
		}
	}
	for _, p := range []string{"sound ", "narrative ", "game ", "level ", "lighting ", "set ", "costume ", "research ", "study "} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return strings.HasSuffix(before, "with a ") || strings.HasSuffix(before, "with ") || strings.HasPrefix(after, "thinking")
}

// multidisciplinary reads a call open to every discipline, or naming many,
// as multidisciplinary rather than as the list of its examples.
func multidisciplinary(ds disciplines) disciplines {
	multi := false
	for _, n := range ds.names {
		if n == "multidisciplinary" {
			multi = true
		}
	}
	if !multi && len(ds.names) < 4 {
		return ds
	}
	span := ds.spans["multidisciplinary"]
	if span == "" {
		span = ds.span
	}
	return disciplines{names: []string{"multidisciplinary"}, spans: map[string]string{"multidisciplinary": span}, span: span}
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
		w == "orchestra", w == "choral", w == "choir", w == "violin", w == "cello", w == "pianist", w == "guitarist", w == "singer",
		w == "vocalist", w == "drummer", w == "jazz":
		return "music"
	case w == "knitwear", w == "knitting", w == "quilt", w == "embroider":
		return "crafts"
	case w == "spoken word":
		return "writing"
	case w == "virtual reality", w == "immersive":
		return "media arts"
	case w == "fashion":
		return "design"
	case w == "ceramic", w == "craft", w == "crafts", strings.HasPrefix(w, "craftsp"), strings.HasPrefix(w, "potter"),
		strings.HasPrefix(w, "weav"), w == "textile", w == "woodwork", strings.HasPrefix(w, "jewel"), w == "glassblow", w == "basketry",
		strings.HasPrefix(w, "maker"):
		return "crafts"
	case strings.HasSuffix(w, "disciplinary"), strings.Contains(w, "discipline"), strings.Contains(w, "art form"),
		strings.Contains(w, "artform"), strings.HasPrefix(w, "any "), strings.HasPrefix(w, "all "):
		return "multidisciplinary"
	case w == "visual art", w == "paint", w == "sculpt", w == "mural", w == "printmak", w == "public art", strings.HasPrefix(w, "drawing"),
		w == "sketchbook":
		return "visual arts"
	case w == "media art", w == "digital art", w == "net art", w == "light art":
		return "media arts"
	case w == "writer", w == "writing", w == "poet", w == "fiction", w == "short story", w == "short stories", w == "nonfiction", w == "essay", w == "literary",
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
	case w == "photo":
		return "photography"
	case w == "journalis", w == "reporting", strings.HasPrefix(w, "reporter"), w == "newsroom":
		return "journalism"
	case w == "illustrat", strings.HasPrefix(w, "comic"), w == "webtoon", w == "picture book", w == "cartoonist":
		return "illustration and comics"
	case w == "architect":
		return "architecture"
	}
	return ""
}
