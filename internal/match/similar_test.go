package match

import (
	"hash/fnv"
	"strconv"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

func TestFunderRelationNamesAndTitles(t *testing.T) {
	ohio := Extract(ptr(post("Individual Excellence Awards", "The Ohio Arts Council's Individual Excellence Awards of $5,000 go to Ohio artists.",
		"https://ohioarts.example/iea", "Individual Excellence", "2026-09-01")))
	blog := Extract(ptr(post("Ohio artists: $5,000 awards open", "The Ohio Arts Council is taking applications for its Individual Excellence Awards.",
		"https://blog.example/ohio", "Ohio Arts Council", "2026-09-01")))
	maine := Extract(ptr(post("Individual Excellence Awards", "The Maine Arts Commission offers Individual Excellence Awards of $5,000.",
		"https://mainearts.example/iea", "Maine Arts Commission", "2026-09-01")))
	nea := Extract(ptr(post("Creative Writing Fellowships", "The National Endowment for the Arts offers fellowships to poets.",
		"https://arts.example.gov/cwf", "National Endowment for the Arts", "2026-03-05")))
	neh := Extract(ptr(post("Public Scholars", "The National Endowment for the Humanities supports books for a broad readership.",
		"https://neh.example.gov/ps", "National Endowment", "2026-03-05")))
	bare := Extract(ptr(post("Up to $5K for Ohio artists", "Ohio Arts Council awards, due September 1.", "https://social.example/1", "", "2026-09-01")))
	for _, c := range []struct {
		name string
		a, b Features
		want int
	}{
		{"each post names the other's funder, one read as the programme", ohio, blog, 1},
		{"a post without a funder that names the other's", bare, blog, 1},
		{"a post without a funder that does not name the other's", bare, maine, 0},
		{"Ohio's post does not name Maine's commission", ohio, maine, -1},
		{"a cut-short name names both endowments, the Arts' post not the Humanities'", nea, neh, -1},
	} {
		if got := funderRelation(c.a, c.b); got != c.want {
			t.Errorf("%s: funderRelation = %d, want %d", c.name, got, c.want)
		}
		if got := funderRelation(c.b, c.a); got != c.want {
			t.Errorf("%s (reversed): funderRelation = %d, want %d", c.name, got, c.want)
		}
	}
	if !fundersDiffer(nea, neh) || fundersDiffer(blog, blog) || fundersDiffer(bare, maine) {
		t.Errorf("fundersDiffer: NEA/NEH %v, same %v, one missing %v; want true, false, false",
			fundersDiffer(nea, neh), fundersDiffer(blog, blog), fundersDiffer(bare, maine))
	}
	ohio.Funder = "ohio arts council"
	if !titleNamed(ownWords(ohio), blog) || titleNamed(ownWords(nea), neh) || titleNamed(ownWords(neh), nea) {
		t.Errorf("titleNamed: Ohio's title in the blog %v, NEA's in NEH's %v, NEH's in NEA's %v; want true, false, false",
			titleNamed(ownWords(ohio), blog), titleNamed(ownWords(nea), neh), titleNamed(ownWords(neh), nea))
	}
	if w := ownWords(ohio); len(w) != 2 || w[0] != "excellence" || w[1] != "individual" {
		t.Errorf("own words of %v = %v; want excellence, individual (awards is a genre word)", ohio.Title, w)
	}
	ohio.Funder = "individual excellence"
	if w := ownWords(ohio); len(w) != 0 {
		t.Errorf("own words of %v with the programme read as its funder = %v; want none", ohio.Title, w)
	}
}

func TestWordSimilarityLeavesGenreWordsOut(t *testing.T) {
	a := Features{Words: wordSet("Apply for a grant: deadline March 3, 2026. Artists apply online.")}
	b := Features{Words: wordSet("Grant applications due April 9; artists apply through the portal.")}
	if j, c := WordSimilarity(a, b); j != 0 || c != 0 {
		t.Errorf("posts sharing only genre words: similarity %.2f, containment %.2f; want 0", j, c)
	}
	c := Features{Words: wordSet("Greenway documentary fund for films about land, water and rural life.")}
	d := Features{Words: wordSet("Docs about rural land and water: Greenway's documentary fund is back.")}
	j, cont := WordSimilarity(c, d)
	if j < 0.4 || cont < 0.6 || j > 1 || cont > 1 {
		t.Errorf("a rewrite in other words: similarity %.2f, containment %.2f; want at least 0.4 and 0.6", j, cont)
	}
	if n := len(wordSet(strings256())); n != maxWords {
		t.Errorf("a long text keeps %d words, want %d", n, maxWords)
	}
}

func ptr(it scout.Item) *scout.Item { return &it }

func strings256() string {
	var b []byte
	for i := 0; i < 400; i++ {
		b = append(b, 'w')
		b = append(b, []byte(strconv.Itoa(i))...)
		b = append(b, ' ')
	}
	return string(b)
}

func TestHash64IsFNV1a(t *testing.T) {
	for _, s := range []string{"", "a", "u:funder.example/apply", "ünïcode ☃"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := hash64(s), h.Sum64(); got != want {
			t.Errorf("hash64(%q) = %x, want %x", s, got, want)
		}
	}
}

func TestHasWordMatchesWholeWords(t *testing.T) {
	for _, c := range []struct {
		s, w string
		want bool
	}{{"ohio arts council", "arts", true}, {"ohio arts council", "ohio", true}, {"ohio arts council", "council", true},
		{"ohio arts council", "art", false}, {"ohio artsy arts", "arts", true}, {"", "arts", false}, {"arts", "arts", true}} {
		if got := hasWord(c.s, c.w); got != c.want {
			t.Errorf("hasWord(%q, %q) = %v, want %v", c.s, c.w, got, c.want)
		}
	}
}

func TestFunderAlikeReadsInitials(t *testing.T) {
	for _, c := range []struct {
		x, y string
		want bool
	}{
		{"nea", "national endowment for arts", true},
		{"national endowment for humanities", "neh", true},
		{"oac", "ohio arts council", true},
		{"nefa", "new england foundation for arts", true},
		{"nea", "national endowment for humanities", false},
		{"neh", "national endowment", false},
		{"kestrel trust", "kestrel trust", true},
		{"kestrel trust", "kestrel fund", false},
		{"nea", "nea", true},
		{"", "", false},
		{"n", "national", false},
		{"canada council", "canada council for arts", true},
		{"harbor foundation of maine", "harbor foundation", true},
		{"national endowment", "national endowment for arts", false},
		{"canada", "canada council for arts", false},
	} {
		if got := funderAlike(c.x, c.y); got != c.want {
			t.Errorf("funderAlike(%q, %q) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	if normName("The Harbor Light Foundation's") != "harbor light foundation" {
		t.Errorf("normName = %q; want the name without the article and the possessive", normName("The Harbor Light Foundation's"))
	}
}
