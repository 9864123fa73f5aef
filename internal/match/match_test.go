package match

import (
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

func post(title, text, url, funder, deadline string) scout.Item {
	it := scout.Item{Title: title, ContentText: text, URL: url}
	it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Funder: funder}
	if deadline != "" {
		d, _ := time.Parse("2006-01-02", deadline)
		it.Opportunity.Deadline = d.Add(23*time.Hour + 59*time.Minute)
	}
	return it
}

const body = "The Bellmont Office of Cultural Affairs announces the Neighborhood Arts Project Grants. Individual artists " +
	"and collectives residing in Bellmont may request up to 7,500 dollars for publicly accessible projects in any discipline, " +
	"murals, performance, film, oral history, music and dance. Applications close at 5 pm Pacific."

func TestDecide(t *testing.T) {
	funder := post("2026 Neighborhood Arts Project Grants", body+" Apply at https://bellmontarts.example/grants/neighborhood",
		"https://bellmontarts.example/news/2026-grants", "Bellmont Office of Cultural Affairs", "2026-03-03")
	tests := []struct {
		name string
		b    scout.Item
		same bool
	}{
		{"a portal notice with the funder's landing URL", post("Neighborhood Arts Project Grants (Bellmont)",
			"Bellmont arts grants. Details: https://bellmontarts.example/grants/neighborhood/", "https://portal.example/n/1",
			"Bellmont Office of Cultural Affairs", "2026-03-03"), true},
		{"a re-post with the deadline extended two weeks", post("2026 Neighborhood Arts Project Grants (deadline extended)",
			body+" Now closing March 17.", "https://bellmontarts.example/news/2026-grants-extended",
			"Bellmont Office of Cultural Affairs", "2026-03-17"), true},
		{"a blog rewrite with the same funder and deadline", post("Bellmont wants your neighborhood arts project",
			"Artists in Bellmont can get up to $7,500 for neighborhood arts projects. Deadline March 3.", "https://blog.example/p/9",
			"Bellmont Office of Cultural Affairs", "2026-03-03"), true},
		{"next year's round of the same call", post("2027 Neighborhood Arts Project Grants", body,
			"https://bellmontarts.example/news/2027-grants", "Bellmont Office of Cultural Affairs", "2027-03-02"), false},
		{"the same title from another funder", post("2026 Neighborhood Arts Project Grants", "Riverton artists may apply for "+
			"small grants for projects in their neighbourhoods, up to 2,000 dollars.", "https://riverton.example/grants",
			"Riverton Arts Council", "2026-03-03"), false},
		{"another programme of the same funder, same deadline, without links", post("2026 Neighborhood Arts Operating Grants",
			body, "https://bellmontarts.example/news/2026-operating", "Bellmont Office of Cultural Affairs", "2026-03-03"), false},
		{"a corrected spelling of the title", post("2026 Neighbourhood Arts Project Grants", body,
			"https://bellmontarts.example/news/2026-grants-corrected", "Bellmont Office of Cultural Affairs", "2026-03-03"), true},
		{"the same page linking another programme's apply form", post("Neighborhood Arts Project Grants",
			body+" Apply at https://bellmontarts.example/grants/operating", "https://bellmontarts.example/news/2026-grants-op",
			"Bellmont Office of Cultural Affairs", "2026-03-03"), false},
		{"another call of the same funder the same week", post("Bellmont Artist Residency at the Old Mill",
			"A three-month residency with a studio and a stipend at the Old Mill for one Bellmont artist.",
			"https://bellmontarts.example/news/residency", "Bellmont Office of Cultural Affairs", "2026-03-10"), false},
	}
	a := Extract(&funder)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Decide(a, Extract(&tt.b))
			if l.Same() != tt.same {
				t.Fatalf("same = %v (confidence %.2f, evidence %v), want %v", l.Same(), l.Confidence, l.Evidence, tt.same)
			}
			if r := Decide(Extract(&tt.b), a); r.Same() != l.Same() {
				t.Fatalf("the decision depends on the order: %v then %v", l, r)
			}
		})
	}
}

func TestDecideReadsAPostsKindInItsTitleAsNoOtherCall(t *testing.T) {
	guide := post("Neighborhood Arts Project Grants Guidelines", body, "https://bellmontarts.example/grants/guidelines",
		"Bellmont Office of Cultural Affairs", "2026-03-03")
	last := post("Last call: Neighborhood Arts Project Grants", "Bellmont artists: up to $7,500 for neighborhood arts projects, closing March 3.",
		"https://blog.example/p/last", "Bellmont Office of Cultural Affairs", "2026-03-03")
	if l := Decide(Extract(&guide), Extract(&last)); !l.Same() {
		t.Fatalf("guidelines and last call of one call kept apart: %+v", l)
	}
}

func TestStrongKeys(t *testing.T) {
	it := post("Grant", "Number NEA-2026-0042, see https://www.Funder.example/apply/?utm_source=x and doi 10.1234/abc.5. "+
		"Share on https://twitter.com/funder or https://self.example/other", "https://self.example/post", "", "")
	got := Extract(&it).Strong
	// The post's own page is a key (others link to it); its other links
	// to its own site are navigation.
	want := map[string]bool{"n:NEA-2026-0042": true, "u:funder.example/apply": true, "d:10.1234/abc.5": true, "u:self.example/post": true}
	if len(got) != len(want) {
		t.Fatalf("strong keys = %v, want %v", got, want)
	}
	for _, k := range got {
		if !want[k] {
			t.Fatalf("strong keys = %v, want %v", got, want)
		}
	}
}

func TestSimilarItemsShareABlockingKey(t *testing.T) {
	a := post("Open call for muralists", body, "https://a.example/1", "", "")
	b := post("Open call for muralists!", body+" Updated.", "https://b.example/2", "", "")
	ka, kb := Keys(Extract(&a)), Keys(Extract(&b))
	if len(intersect(ka, kb)) == 0 {
		t.Fatalf("near-duplicates share no blocking key:\n%v\n%v", ka, kb)
	}
}

func TestMergePrefersTheFunderPageThenNewer(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	page := post("Grants", body, "https://bellmontarts.example/grants/neighborhood", "", "2026-03-03")
	page.PublishedAt = old
	blog := post("Grants on a blog", "See https://bellmontarts.example/grants/neighborhood", "https://blog.example/1", "Bellmont", "2026-03-10")
	blog.Opportunity.AmountMax = 7500
	blog.PublishedAt = old.AddDate(0, 0, 5)
	in := []Input{{S: scout.Sighting{ID: 1, ItemID: 10, Item: blog}, F: Extract(&blog)}, {S: scout.Sighting{ID: 2, ItemID: 20, Item: page}, F: Extract(&page)}}
	m := Merge(in)
	if m.URL != page.URL || m.Fields["deadline"].SightingID != 2 || !m.Opportunity.Deadline.Equal(page.Opportunity.Deadline) {
		t.Fatalf("merged = %+v; want the funder page's URL and deadline", m)
	}
	if m.Opportunity.AmountMax != 7500 || m.Fields["amount"].SightingID != 1 || m.Opportunity.Funder != "Bellmont" {
		t.Fatalf("merged = %+v; want the blog's amount and funder, which the page does not state", m)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Grant NEA-2026-0042", "see https://x.example/a?b=c#d 10.1000/xyz", "https://x.example/p")
	f.Add("", "", "")
	f.Add("ünïcode ☃ 2026", "http://[::1]:80/ https:// 10.1/", "::bad")
	f.Fuzz(func(t *testing.T, title, text, url string) {
		a := post(title, text, url, title, "")
		fa := Extract(&a)
		if l := Decide(fa, fa); len(fa.Sig) > 0 && !l.Same() {
			t.Fatalf("an item is not the same as itself: %+v", l)
		}
		if len(fa.Strong) > 12 || len(Keys(fa)) > 12+12+Bands+1+1+1+8 {
			t.Fatalf("unbounded keys: %d strong, %d in all", len(fa.Strong), len(Keys(fa)))
		}
	})
}

func TestMergeTakesEachRecordFieldWholeFromTheBestSightingThatStatesIt(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	page := post("Grants", body, "https://bellmontarts.example/grants/neighborhood", "", "2026-03-03")
	page.PublishedAt = old
	page.Opportunity.Extractor = "rules/1"
	page.Opportunity.KeyDates.Deadline = &scout.KeyDate{Label: scout.DateDeadline, Date: "2026-03-03", Time: "17:00", Zone: "America/Los_Angeles"}
	page.Opportunity.Criteria = scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantIndividual}, Countries: []string{"US-CA"}}
	page.Opportunity.Provenance = map[string]scout.Provenance{"eligibility.countries": {Source: "rules/1", Span: "residing in Bellmont"}}
	blog := post("Grants on a blog", "See https://bellmontarts.example/grants/neighborhood", "https://blog.example/1", "Bellmont", "2026-03-10")
	blog.PublishedAt = old.AddDate(0, 0, 5)
	blog.Opportunity.Extractor = "rules/1"
	blog.Opportunity.Funding.EntryFee = &scout.Money{Amount: 0}
	blog.Opportunity.Funding.TotalAvailable = &scout.Money{Amount: 75000, Currency: "USD"}
	blog.Opportunity.Criteria = scout.Eligibility{Students: true}
	blog.Opportunity.Provenance = map[string]scout.Provenance{"funding.entry_fee": {Source: "ai/2", Span: "free to enter"}}
	m := Merge([]Input{{S: scout.Sighting{ID: 1, ItemID: 10, Item: blog}, F: Extract(&blog)}, {S: scout.Sighting{ID: 2, ItemID: 20, Item: page}, F: Extract(&page)}})
	if k := m.Opportunity.KeyDates.Deadline; k == nil || k.Zone != "America/Los_Angeles" || m.Fields["deadline"].SightingID != 2 {
		t.Fatalf("deadline = %+v from %+v; want the page's local date and zone with its instant", k, m.Fields["deadline"])
	}
	if c := m.Opportunity.Criteria; c.Students || len(c.Countries) != 1 || m.Fields["criteria"].SightingID != 2 ||
		m.Opportunity.Provenance["eligibility.countries"].Span != "residing in Bellmont" {
		t.Fatalf("criteria = %+v from %+v; want the page's whole, not mixed with the blog's", c, m.Fields["criteria"])
	}
	f := m.Opportunity.Funding
	if f.EntryFee == nil || f.EntryFee.Amount != 0 || m.Fields["funding.entry_fee"] != (scout.FieldSource{SightingID: 1, ItemID: 10, Extractor: "ai/2"}) {
		t.Fatalf("entry fee = %+v from %+v; want the blog's free entry, supplied by its enricher", f.EntryFee, m.Fields["funding.entry_fee"])
	}
	if f.TotalAvailable == nil || f.TotalAvailable.Amount != 75000 || m.Fields["funding.total_available"].SightingID != 1 {
		t.Fatalf("pool = %+v; want the blog's, which the page does not state", f.TotalAvailable)
	}
}

// BenchmarkExtract measures the features of one post, which every stored
// opportunity item pays once.
func BenchmarkExtract(b *testing.B) {
	it := post("2026 Neighborhood Arts Project Grants", strings.Repeat(body+" ", 4)+" Apply at https://bellmontarts.example/grants/neighborhood "+
		"or bellmontarts.example/apply; number NEA-2026-0042.", "https://bellmontarts.example/news/2026-grants", "Bellmont Office of Cultural Affairs", "2026-03-03")
	it.ContentHTML = "<p>" + it.ContentText + `</p><a href="https://bellmontarts.example/grants/neighborhood">apply</a>`
	b.ReportAllocs()
	for b.Loop() {
		Extract(&it)
	}
}

// TestBandsFindTheSameTextUnderAnotherTitle holds what only the signature's
// bands find: a repost of much the same text with a new title, no deadline
// and no funder, shares a key with the first post; a post of other text
// with the same lack of titles, days and funders shares none.
func TestBandsFindTheSameTextUnderAnotherTitle(t *testing.T) {
	first := post("Neighborhood Arts Project Grants", body, "https://bellmontarts.example/news/grants", "", "")
	repost := post("Still time to apply!", body+" Good luck to everyone applying.", "https://artsblog.example/p/4", "", "")
	other := post("Studio notes", "We spent the week repainting the studio, sorting old prints and planning the spring "+
		"open day, when neighbours can see work in progress, buy small prints and meet the printmakers.",
		"https://printstudio.example/notes/12", "", "")
	keysOf := func(it scout.Item) map[string]bool {
		out := map[string]bool{}
		for _, k := range Keys(Extract(&it)) {
			out[k] = true
		}
		return out
	}
	a := keysOf(first)
	shared := func(it scout.Item) (n int) {
		for k := range keysOf(it) {
			if a[k] {
				n++
			}
		}
		return n
	}
	if n := shared(repost); n == 0 {
		t.Errorf("the repost under another title shares no key with the first post")
	}
	if n := shared(other); n != 0 {
		t.Errorf("a post of other text shares %d keys with the first post", n)
	}
}

// A call whose funder is read as the agency on a portal and as its
// division on the agency's own page is one call when title, day and sum
// agree; two agencies' calls of one title, day and sum stay two.
func TestDecideReadsADivisionAsUnknownBesideItsAgency(t *testing.T) {
	withSum := func(it scout.Item) Features {
		it.Opportunity.AmountMax, it.Opportunity.Currency = 400000, "USD"
		return Extract(&it)
	}
	portal := withSum(post("Public Humanities Projects", "Agency: National Endowment for the Humanities. Close Date: Aug 12, 2026. "+
		"The program supports projects that bring the humanities to general audiences.", "https://grants.example/view/1",
		"National Endowment for the Humanities", "2026-08-12"))
	own := withSum(post("Public Humanities Projects", "The Division of Public Programs supports exhibitions at museums and libraries "+
		"and community conversations. Application deadline: August 12, 2026.", "https://neh.example/public",
		"Division of Public Programs", "2026-08-12"))
	if l := Decide(portal, own); !l.Same() {
		t.Errorf("agency and its division on one call: %+v, want one opportunity", l)
	}
	other := withSum(post("Public Humanities Projects", "The Lakemont Arts Commission supports exhibitions at museums and libraries. "+
		"Application deadline: August 12, 2026.", "https://lakemont.example/public", "Lakemont Arts Commission", "2026-08-12"))
	if l := Decide(portal, other); l.Same() {
		t.Errorf("two bodies' calls of one title, day and sum: %+v, want two", l)
	}
	office := withSum(post("Public Humanities Projects", "The Office of Cultural Affairs supports exhibitions at museums and libraries. "+
		"Application deadline: August 12, 2026.", "https://lakemont.example/public", "Office of Cultural Affairs", "2026-08-12"))
	if l := Decide(own, office); l.Same() {
		t.Errorf("two units' calls of one title, day and sum: %+v, want two", l)
	}
}

// A page whose funder is read as its own title (the call's name) and a
// newsletter's call naming the company behind it are one call; a third
// post naming another funder for a call of another title stays apart.
func TestDecideReadsAFunderThatIsItsTitleAsTheCallsName(t *testing.T) {
	page := Extract(ptr(post("Lumen Creator Fund", "The audio company Lumen Audio backs independent shows with cash and gear. "+
		"Applications must be received by 31 March 2026.", "https://lumenaudio.example/fund", "Lumen Creator Fund", "2026-03-31")))
	letter := Extract(ptr(post("Lumen Creator Fund", "Lumen Audio: grants plus a microphone kit, deadline March 31. Open to "+
		"independent podcasters.", "https://letter.example/issue/9", "Lumen Audio", "2026-03-31")))
	if l := Decide(page, letter); !l.Same() {
		t.Errorf("a call's name read as its funder beside the company: %+v, want one opportunity", l)
	}
	other := Extract(ptr(post("Harbor Podcast Grants", "Harbor Media backs independent podcasters with cash. Deadline March 31.",
		"https://harbor.example/grants", "Harbor Media", "2026-03-31")))
	if l := Decide(letter, other); l.Same() {
		t.Errorf("two funders' calls of other titles on one day: %+v, want two", l)
	}
}
