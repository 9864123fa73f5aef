package extract

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// Name identifies this extractor in provenance records and enrichments.
const Name = "rules/1"

// MaxText bounds the bytes of title and text that Extract scans.
const MaxText = 20 << 10

// Input is what the rules read: plain text only, no HTML.
type Input struct {
	Title       string
	Text        string // plain text
	Categories  []string
	PublishedAt time.Time // resolves year-less dates; zero leaves them unresolved
	SourceTitle string
}

// Enricher is what the ingestion pipeline runs for new and changed items.
// Enrich must be safe for concurrent use on distinct items.
type Enricher interface {
	Name() string
	Enrich(it *scout.Item)
}

// Rules is the built-in rules/1 enricher. Its zero value is ready to use.
type Rules struct{}

var _ Enricher = Rules{}

// Name returns "rules/1".
func (Rules) Name() string { return Name }

// Enrich sets it.Opportunity, it.Entities, it.Calls and it.Mention from
// the item's content: Calls for an item that lists several calls, whatever
// it reads as as a whole, and Mention for one that reads as no opportunity
// and lists none.
func (Rules) Enrich(it *scout.Item) {
	it.Opportunity, it.Entities = FromItem(it)
	it.Calls, it.Mention = nil, nil
	// A newsletter the rules read as no opportunity (its greeting and
	// sign-off outweigh any one call) may still list several calls: the
	// splitter reads each block on its own.
	it.Calls = Calls(input(it))
	if it.Opportunity.Kind == scout.KindNone && len(it.Calls) == 0 {
		it.Mention = Mention(it)
	}
}

// FromItem extracts from an item's title, plain text (its summary when the
// text is empty), categories and publish date.
func FromItem(it *scout.Item) (scout.Opportunity, []scout.ItemEntity) {
	return Extract(input(it))
}

func input(it *scout.Item) Input {
	text := it.ContentText
	if strings.TrimSpace(text) == "" {
		text = it.Summary
	}
	return Input{Title: it.Title, Text: text, Categories: it.Categories, PublishedAt: it.PublishedAt}
}

// Extract reads one item's text and returns its opportunity facet and the
// entities it mentions. It is a pure function of in.
func Extract(in Input) (scout.Opportunity, []scout.ItemEntity) {
	return extractDoc(newDoc(in), false)
}

// extractDoc reads d. A listed call (one block of a digest) is never a
// digest itself, and a block the rules would call no opportunity but that
// states its own deadline is a call: the digest around it says so.
func extractDoc(d *doc, listed bool) (scout.Opportunity, []scout.ItemEntity) {
	o := scout.Opportunity{Extractor: Name, Provenance: make(map[string]scout.Provenance, 6)}
	ms := findMentions(d)
	deadline := hasDeadline(d, ms)
	k := classify(d, deadline, datedCue(ms))
	if !listed {
		k = decideKind(d, k, kindModel, kindPolicy)
	}
	if listed && k.kind == scout.KindNone && listedDeadline(ms) {
		k = kindResult{kind: scout.KindCall, conf: 0.5, span: d.text[:d.titleEnd]}
	}
	o.Kind, o.KindConfidence = k.kind, k.conf
	o.Provenance["kind"] = prov(k.span, k.conf)
	loc := findLocation(d)
	disc := findDisciplines(d)
	var fun match
	digest := false
	if o.Kind != scout.KindNone && !listed {
		// A digest's deadlines, sums and funders belong to the calls it lists.
		if k, ok := digestKind(d, ms); ok {
			o.Kind, digest = k, true
		}
	}
	if o.Kind != scout.KindNone && !digest {
		deadline := fillDates(d, &o, ms)
		as := ownSums(d, ms, deadline, findAmounts(d))
		best := fillAmount(d, &o, loc.country, as)
		fillFunding(d, &o, loc.country, as, best)
		fillPlaceZone(d, &o)
		fun = rankFunder(d, findFunder(d), funderRanker, funderPolicyShipped)
		if fun.text != "" {
			o.Funder = fun.text
			o.Provenance["funder"] = prov(fun.span, fun.conf)
		}
		o.Eligibility = findEligibility(d)
		fillCriteria(d, &o)
	}
	if len(disc.names) == 0 && o.Kind != scout.KindNone && o.Kind != scout.KindJob && !digest &&
		len(anyArtistWords.find(d.lower, d.tokens())) > 0 {
		// A call that names no art form is open to all of them; a job is
		// the work it names, not an art form.
		disc = disciplines{names: []string{"multidisciplinary"}, spans: map[string]string{"multidisciplinary": k.span}, span: k.span}
	}
	if loc.name != "" {
		o.Location = loc.name
		o.Provenance["location"] = prov(loc.span, loc.conf)
	}
	o.Disciplines = disc.names
	if len(disc.names) > 0 {
		o.Provenance["disciplines"] = prov(disc.span, 0.6)
	}
	return o, entities(fun, loc, disc)
}

// anyArtistWords name artists of no one discipline.
var anyArtistWords = newLexicon("artists", "artist", "creatives", "creative practitioners", "makers", "künstler*", "kulturschaffende*",
	"artistes", "artiste", "artistas", "artista", "artisti", "kunstenaars", "kunstenaar", "konstnärer", "kulturskapare",
	"arts", "artistic", "artísticas", "artísticos", "artística", "artístico", "artistiche", "artistici", "artistica", "artistico",
	"artistiques", "artistique", "künstlerische*", "artistieke", "konstnärlig*", "becas de creación", "creación")

// listedDeadline reports whether a listed call states a date as its
// deadline ("apply by", "jusqu'au"): under a digest's heading that is
// enough to call it a call.
func listedDeadline(ms []mention) bool {
	for i := range ms {
		if ms[i].role == roleDeadline && ms[i].score >= 2 && !ms[i].window {
			return true
		}
	}
	return false
}

// match is one extracted value with the text it came from.
type match struct {
	text string
	span string
	conf float64
	// by numbers the reader that found a funder (findFunder), for the
	// ranker's features; 0 elsewhere.
	by uint8
}

func prov(span string, conf float64) scout.Provenance {
	return scout.Provenance{Source: Name, Span: span, Confidence: clamp01(conf)}
}

func entities(fun match, loc location, disc disciplines) []scout.ItemEntity {
	var out []scout.ItemEntity
	if fun.text != "" {
		out = append(out, entity(scout.EntityOrganization, "funder", fun))
	}
	if loc.name != "" {
		out = append(out, entity(scout.EntityPlace, "location", match{text: loc.name, span: loc.span, conf: loc.conf}))
	}
	for _, n := range disc.names {
		out = append(out, entity(scout.EntityTopic, "discipline", match{text: n, span: disc.spans[n], conf: 0.6}))
	}
	return out
}

func entity(t scout.EntityType, role string, m match) scout.ItemEntity {
	return scout.ItemEntity{
		Entity:     scout.Entity{Type: t, Name: m.text, Key: Key(m.text)},
		Role:       role,
		Confidence: clamp01(m.conf),
		Span:       m.span,
	}
}

// Key normalizes an entity name: lower case, single spaces, no leading "the".
func Key(name string) string {
	k := strings.Join(strings.Fields(strings.ToLower(name)), " ")
	return strings.TrimPrefix(k, "the ")
}

func clamp01(f float64) float64 {
	switch {
	case f < 0 || f != f:
		return 0
	case f > 1:
		return 1
	}
	return f
}

// doc is the bounded, prepared text that every rule reads.
type doc struct {
	text     string // title, newline, body; valid UTF-8; at most MaxText bytes
	lower    string // text with ASCII letters lowered; same byte offsets
	titleEnd int
	cats     string // categories joined, lowered
	pub      time.Time
	dmy      bool   // slash dates read day first
	lang     string // detected language code ("en", "de", …)
	// dollar is the country whose dollar a bare "$" is, once dollarSet.
	dollar    string
	dollarSet bool
	toks      []span
}

// tokens returns the words of the lowered text, split once.
func (d *doc) tokens() []span {
	if d.toks == nil {
		d.toks = tokenize(d.lower)
	}
	return d.toks
}

func newDoc(in Input) *doc { return newDocLang(in, "") }

// newDocLang prepares in, in the language lang ("" detects it).
func newDocLang(in Input, lang string) *doc {
	t := bound(strings.TrimSpace(in.Title), MaxText)
	body := bound(in.Text, MaxText-len(t)-1)
	text := t + "\n" + body
	d := &doc{text: text, lower: lowerSameLength(text), titleEnd: len(t), pub: in.PublishedAt.UTC()}
	d.cats = lowerSameLength(strings.Join(in.Categories, " | "))
	d.lang = lang
	if lang == "" {
		d.lang = detectLanguage(d.lower, d.tokens())
	}
	d.dmy = d.lang != "en" || strings.ContainsAny(text, "£€")
	return d
}

// bound returns valid UTF-8 of at most n bytes, cut at a rune boundary.
func bound(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// lowerSameLength lowers letters whose lower case takes as many bytes
// (ASCII and the accented Latin letters), so that byte offsets into the
// lowered text are offsets into the original.
func lowerSameLength(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return asciiLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == utf8.RuneLen(r) {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
