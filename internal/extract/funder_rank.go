package extract

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// The funder ranker scores candidate names of the organization behind a
// call: the rules' own reading, every run of capitalized words in the title
// and body (cleaned as the rules clean a name), and the head of the title.
// Each candidate's features (where it stands, how often it is named, its
// head and first word, the words around it and the role they give it in
// any of the eight languages, "presented by", "organisé par", a
// possessive, a signature line, its length and capitals, organization,
// legal-form, place, publication and programme signs) and the features of
// "none" (the language, which reader of the rules named what, how many
// candidates there are and the best organization sign among them) are
// hashed into a logistic regression whose scores are shared out among the
// text's candidates and "none". It is trained by `go generate`
// (funder_rank_train_test.go) on the labelled training sets, never on the
// blind sets, and shipped as funderrank.bin, int8 weights with one scale.
// funderPolicyShipped says where its reading replaces the rules'.

//go:generate go test -run ^TestTrainFunderRanker$ -funder.train

//go:embed funderrank.bin
var funderRankBin []byte

// spanModel is a decoded binary scorer over hashed features.
type spanModel struct {
	buckets uint32
	// list says the scores are shared out among a text's candidates and
	// "none" (a softmax), not read one by one (a sigmoid each).
	list bool
	// noneFeatures says "none" is scored by features of the whole text
	// (noneFeatures) rather than fixed at 0.
	noneFeatures bool
	scale        float32
	bias         float32
	w            []int8
}

const spanModelMagic = "SFR1"

// decodeSpanModel reads a ranker file: magic, bucket count (uint32), mode
// (0 one by one, 1 shared out beside "none" at 0, 2 shared out beside a
// "none" scored by its own features), scale (float32), bias (float32),
// then one int8 weight per bucket, all little-endian.
func decodeSpanModel(b []byte) (*spanModel, error) {
	const head = len(spanModelMagic) + 13
	if len(b) < head || string(b[:4]) != spanModelMagic {
		return nil, errors.New("funder ranker: not a ranker file")
	}
	m := &spanModel{buckets: binary.LittleEndian.Uint32(b[4:8])}
	if m.buckets == 0 || m.buckets > 1<<16 {
		return nil, fmt.Errorf("funder ranker: %d buckets, want 1 to 65536", m.buckets)
	}
	if b[8] > 2 {
		return nil, fmt.Errorf("funder ranker: mode %d, want 0, 1 or 2", b[8])
	}
	m.list, m.noneFeatures = b[8] >= 1, b[8] == 2
	b = b[1:]
	m.scale = math.Float32frombits(binary.LittleEndian.Uint32(b[8:12]))
	if f := float64(m.scale); f != f || math.IsInf(f, 0) || f < 0 {
		return nil, errors.New("funder ranker: bad scale")
	}
	m.bias = math.Float32frombits(binary.LittleEndian.Uint32(b[12:16]))
	if f := float64(m.bias); f != f || math.IsInf(f, 0) {
		return nil, errors.New("funder ranker: bad bias")
	}
	if rest := b[head-1:]; len(rest) != int(m.buckets) {
		return nil, fmt.Errorf("funder ranker: %d weights, want %d", len(rest), m.buckets)
	}
	m.w = make([]int8, m.buckets)
	for i, v := range b[head-1:] {
		m.w[i] = int8(v)
	}
	return m, nil
}

// encode writes m in the form decodeSpanModel reads.
func (m *spanModel) encode() []byte {
	b := make([]byte, 0, 17+len(m.w))
	b = append(b, spanModelMagic...)
	b = binary.LittleEndian.AppendUint32(b, m.buckets)
	mode := byte(0)
	switch {
	case m.noneFeatures:
		mode = 2
	case m.list:
		mode = 1
	}
	b = append(b, mode)
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(m.scale))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(m.bias))
	for _, v := range m.w {
		b = append(b, byte(v))
	}
	return b
}

// logit is the score m gives a candidate with features fs (buckets).
func (m *spanModel) logit(fs []uint32) float64 {
	acc := int32(0)
	for _, f := range fs {
		acc += int32(m.w[f%m.buckets])
	}
	return float64(m.bias) + float64(m.scale)*float64(acc)
}

// noneLogit is the score m gives "none" with features fs.
func (m *spanModel) noneLogit(fs []uint32) float64 {
	if !m.noneFeatures {
		return 0
	}
	acc := int32(0)
	for _, f := range fs {
		acc += int32(m.w[f%m.buckets])
	}
	return float64(m.scale) * float64(acc)
}

// probs returns the probability m gives each of a text's candidates: its
// share beside "none" (scored by none's features) when m.list, else its
// sigmoid.
func (m *spanModel) probs(cs []funderCand, none []uint32) []float64 {
	ps := make([]float64, len(cs))
	zn := m.noneLogit(none)
	top := zn
	for i := range cs {
		ps[i] = m.logit(cs[i].fs)
		top = max(top, ps[i])
	}
	if !m.list {
		for i, z := range ps {
			ps[i] = 1 / (1 + math.Exp(-z))
		}
		return ps
	}
	sum := math.Exp(zn - top) // none
	for i, z := range ps {
		ps[i] = math.Exp(z - top)
		sum += ps[i]
	}
	for i := range ps {
		ps[i] /= sum
	}
	return ps
}

// funderRanker is the shipped ranker; nil when the embedded file does not
// decode (the rules then decide alone).
var funderRanker = func() *spanModel {
	m, err := decodeSpanModel(funderRankBin)
	if err != nil {
		return nil
	}
	return m
}()

// funderPolicy says where the ranker's reading overrides the rules'. Each
// threshold is a probability; zero leaves that override off.
type funderPolicy struct {
	backup  float64 // where the rules name none, the top candidate when P ≥ backup
	replace float64 // the top candidate over the rules' name (where they name one) when P ≥ replace
	drop    float64 // the rules' name is dropped when its own P < drop
	abstain float64 // no funder when P(none) ≥ abstain and no candidate scores more
	keep    float64 // the rules' name stands, whatever the ranker says, when their confidence is ≥ keep
}

// funderPolicyShipped is the policy Extract applies, chosen by five-fold
// cross-validation over every training set (TestFunderRankerCV): of the
// policies whose funder precision did not fall on the rules' sets nor on
// any set of testdata/train, the one with the best pooled F1 (0.8026 ->
// 0.8296). The ranker's top candidate replaces a name the rules read with
// confidence below 0.85 when it has P ≥ 0.4; where the rules name none it
// names none either (a backup named the organizers of programmes whose
// labels have no funder, and lowered precision on the rules' sets).
var funderPolicyShipped = funderPolicyCV

// funderPolicyCV is the policy cross-validation chose.
var funderPolicyCV = funderPolicy{replace: 0.4, keep: 0.85}

// funderCand is one candidate name and where the text names it.
type funderCand struct {
	name  string
	lower string // name lowered
	key   string
	at    []int // byte offsets of its first few occurrences in d.text
	rules bool
	fs    []uint32
}

const maxFunderCands = 48

// funderCands are a text's candidates and the features of "none".
type funderCands struct {
	cs   []funderCand
	none []uint32
}

// funderCandidates lists the candidate names of d, the rules' reading r
// first (when it names one), and the features of "none".
func funderCandidates(d *doc, r match) funderCands {
	var out []funderCand
	seen := map[string]int{}
	add := func(name string, at int, rules bool) {
		if !rules && stopNames[firstWord(name)] {
			return // "Round 1 of the Eastvale Arts Council": a phrase the rules keep only for its organization word
		}
		lower := strings.ToLower(name)
		k := keyOfLower(lower)
		if k == "" || len(out) >= maxFunderCands {
			return
		}
		if i, ok := seen[k]; ok {
			out[i].rules = out[i].rules || rules
			return
		}
		seen[k] = len(out)
		out = append(out, funderCand{name: name, lower: lower, key: k, at: occurrences(d.text, name, at), rules: rules})
	}
	if r.text != "" {
		add(r.text, -1, true)
	}
	title := d.text[:d.titleEnd]
	if i := strings.IndexAny(title, ":|–—"); i > 0 {
		add(cleanName(title[:i]), 0, false)
	}
	s := d.text
	runEnd, inRun := 0, 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\n' {
			j++
		}
		if w := strings.TrimLeft(s[i:j], "(“\"'«"); w != "" && isCapitalized(w) && unicode.IsLetter(firstRune(trimElision(w))) {
			if i >= runEnd {
				inRun = 0
			}
			if inRun < 3 {
				start := i + len(s[i:j]) - len(w)
				p := forwardPhrase(s, start)
				if e := start + len(p); e > runEnd {
					runEnd = e
				}
				if name := cleanName(p); name != "" {
					add(name, start, false)
				}
			}
			inRun++
		}
		i = j + 1
	}
	var sum candSummary
	for i := range out {
		out[i].fs = candFeatures(d, &out[i], r, &sum)
		k := out[i].key
		for j := range out {
			switch other := out[j].key; {
			case j == i:
			case wordSuffix(other, k):
				out[i].fs = append(out[i].fs, hashTailOf)
			case wordPrefix(other, k):
				out[i].fs = append(out[i].fs, hashHeadOf)
			case wordPrefix(k, other) || wordSuffix(k, other):
				out[i].fs = append(out[i].fs, hashHolds)
			}
		}
	}
	return funderCands{cs: out, none: noneFeatures(d, r, len(out), &sum)}
}

var (
	hashTailOf = featureHash("tail of another")
	hashHeadOf = featureHash("head of another")
	hashHolds  = featureHash("holds another")
)

// wordSuffix reports whether s ends with " "+w.
func wordSuffix(s, w string) bool {
	return len(s) > len(w) && s[len(s)-len(w)-1] == ' ' && strings.HasSuffix(s, w)
}

// wordPrefix reports whether s starts with w+" ".
func wordPrefix(s, w string) bool {
	return len(s) > len(w) && s[len(w)] == ' ' && strings.HasPrefix(s, w)
}

// keyOfLower is Key of a name already lowered, without splitting one that
// is already one ASCII run of words joined by single spaces, as cleanName
// leaves one.
func keyOfLower(lower string) string {
	if lower == "" || lower[0] == ' ' || lower[len(lower)-1] == ' ' {
		return Key(lower)
	}
	for i := 0; i < len(lower); i++ {
		switch c := lower[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r', c == ' ' && lower[i+1] == ' ':
			return Key(lower)
		}
	}
	return strings.TrimPrefix(lower, "the ")
}

// candSummary gathers, while the candidates' features are hashed, what
// "none" reads of them.
type candSummary struct {
	bestTier  int // 0: no candidate has an organization word
	roleCue   bool
	repeated  int
	ownLine   bool
	legalForm bool
}

// noneFeatures hashes the features "none" is scored by: the text's
// language, what the rules read and by which reader, how many candidates
// there are and the best sign of an organization among them.
func noneFeatures(d *doc, r match, n int, sum *candSummary) []uint32 {
	fs := make([]uint32, 0, 12)
	f := func(parts ...string) { fs = append(fs, featureHash(parts...)) }
	f("none")
	f("none lang", d.lang)
	if r.text == "" {
		f("none rules", "-")
	} else {
		f("none rules", strconv.Itoa(int(r.by)))
		f("none rules conf", confBucket(r.conf))
	}
	f("none cands", countBucket(n))
	f("none tier", strconv.Itoa(sum.bestTier))
	f("none cue", strconv.FormatBool(sum.roleCue))
	f("none repeated", countBucket(sum.repeated))
	f("none own line", strconv.FormatBool(sum.ownLine))
	f("none legal", strconv.FormatBool(sum.legalForm))
	if publicationName(d.text[:d.titleEnd]) {
		f("none title publication")
	}
	return fs
}

func countBucket(n int) string {
	switch {
	case n <= 1:
		return strconv.Itoa(n)
	case n <= 3:
		return "2-3"
	case n <= 7:
		return "4-7"
	case n <= 15:
		return "8-15"
	}
	return "16+"
}

// featureHashPair is featureHash(name, a+" "+b), without the join.
func featureHashPair(name, a, b string) uint32 {
	h := uint32(fnvOffset)
	for _, p := range [...]string{name, "\x00", a, " ", b} {
		for j := 0; j < len(p); j++ {
			h ^= uint32(modelByte(p[j]))
			h *= fnvPrime
		}
	}
	return mix(h)
}

// featureHash is the bucket-free hash of a feature named by parts, as
// hashWord of the parts joined by NUL, spread by mix.
func featureHash(parts ...string) uint32 {
	h := uint32(fnvOffset)
	for i, p := range parts {
		if i > 0 {
			h *= fnvPrime // NUL: h ^= 0
		}
		for j := 0; j < len(p); j++ {
			h ^= uint32(modelByte(p[j]))
			h *= fnvPrime
		}
	}
	return mix(h)
}

// occurrences returns up to four offsets where name stands in s, with at
// (a known one, or -1) first.
func occurrences(s, name string, at int) []int {
	var out []int
	if at >= 0 {
		out = append(out, at)
	}
	for from := 0; len(out) < 4; {
		i := strings.Index(s[from:], name)
		if i < 0 {
			break
		}
		if from+i != at {
			out = append(out, from+i)
		}
		from += i + len(name)
	}
	return out
}

// candFeatures hashes c's features, and notes in sum what "none" reads.
func candFeatures(d *doc, c *funderCand, r match, sum *candSummary) []uint32 {
	fs := make([]uint32, 0, 48)
	f := func(parts ...string) { fs = append(fs, featureHash(parts...)) }
	ws := strings.Fields(c.name)
	lw := strings.Fields(c.lower) // the same words, lowered
	tier := 9
	for _, w := range ws {
		if t := orgTier[w]; t > 0 {
			tier = min(tier, t)
		}
	}
	langOrg, otherOrg := false, false
	for i, w := range ws {
		w = trimElision(w)
		langOrg = langOrg || isLangOrgWordLower(d.rules().lang, w, trimElision(lw[i]))
		otherOrg = otherOrg || anyLangOrgWord[w]
	}
	if tier < 9 && (sum.bestTier == 0 || tier < sum.bestTier) {
		sum.bestTier = tier
	}
	head, first := lw[len(lw)-1], lw[0]
	n := strconv.Itoa(min(len(ws), 5))
	t := strconv.Itoa(tier)
	f("bias")
	f("n", n)
	f("tier", t)
	f("n&tier", n, t)
	f("head", head)
	f("first", first)
	f("lang&tier", d.lang, t)
	f("langorg", strconv.FormatBool(langOrg))
	if otherOrg && !langOrg {
		f("other lang org")
	}
	switch {
	case c.rules:
		f("rules", confBucket(r.conf))
		f("rules by", strconv.Itoa(int(r.by)))
	case r.text == "":
		f("rules none")
	default:
		f("rules other")
		if strings.Contains(Key(r.text), c.key) {
			f("inside rules")
		} else if strings.Contains(c.key, Key(r.text)) {
			f("holds rules")
		}
	}
	f("count", strconv.Itoa(min(len(c.at), 3)))
	if len(c.at) > 1 {
		sum.repeated++
	}
	if len(ws) == 1 {
		if first != ws[0] && strings.Contains(d.text, " "+first+" ") {
			f("common word")
		}
		if len(ws[0]) <= 3 {
			f("short word")
		}
	}
	if isPlaceNameWords(c.name, c.lower, ws, true) {
		f("place")
	}
	if _, ok := gazetteer[head]; ok {
		f("place head")
	}
	for _, w := range ws {
		if programWords[w] {
			f("programme word")
			break
		}
	}
	if legalFormWords(ws) {
		f("legal form")
		sum.legalForm = true
	}
	if publicationWordsIn(lw) {
		f("publication")
	}
	if allCaps(c.name) {
		f("all caps")
	}
	if d.namesKindLower(c.lower) {
		f("names kind")
	}
	for _, w := range ws {
		if innerCapital(w) {
			f("inner capital")
		}
		if len(w) > 1 && strings.ToUpper(w) == w && strings.ContainsFunc(w, unicode.IsLetter) {
			f("acronym")
		}
	}
	body := len(d.text) - d.titleEnd
	for k, at := range c.at {
		if k == 0 {
			f("pos", posBucket(d, at, body))
		}
		if at < d.titleEnd {
			f("title")
			if at == 0 {
				f("title start")
			}
		}
		p1, p2 := prevTwo(d.lower, at)
		f("prev", p1)
		if p1 == "^" {
			f("prev2", p1)
		} else {
			fs = append(fs, featureHashPair("prev2", p1, p2))
		}
		f("next", nextWord(d.lower, at+len(c.name)))
		if role := roleBefore(d.lower, at); role != "" {
			f("role", role)
			if role == "offer" || role == "agent" || role == "backer" {
				sum.roleCue = true
			}
		}
		if role := roleAfter(d.text, at+len(c.name)); role != "" {
			f("role after", role)
		}
		if line := lineRole(d.text, at, len(c.name)); line != "" {
			f("line", line)
			if line == "own line" || line == "dash" {
				sum.ownLine = true
			}
		}
		if sentenceStart(d.text, at) {
			f("sentence start")
		}
	}
	return fs
}

// anyLangOrgWord holds every language's organization words.
var anyLangOrgWord = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range languages {
		for _, w := range l.orgWords {
			m[w] = true
		}
	}
	return m
}()

// roleCues map the words before a name, lowered and articles skipped, to
// the role they give it, in every language: the organization that runs
// what is offered ("presented by", "organisé par", "promosso da"), its
// backer ("funded by", "gefördert von"), a bare agent ("by", "von",
// "par"), and the prepositions of places, partners and recipients.
var roleCues = func() map[string]string {
	m := map[string]string{}
	for role, ws := range map[string][]string{
		"offer": {"presented by", "offered by", "organised by", "organized by", "hosted by", "run by", "curated by",
			"produced by", "launched by", "administered by", "managed by", "issued by", "announced by", "awarded by",
			"organisé par", "organisée par", "proposé par", "proposée par", "lancé par", "lancée par", "porté par", "portée par",
			"décerné par", "attribué par", "organizado por", "organizada por", "convocado por", "convocada por", "promovido por",
			"promovida por", "ofrecido por", "ofrecida por", "otorgado por", "lançado por", "lançada por", "oferecido por",
			"oferecida por", "realizado por", "realizada por", "organizzato da", "organizzata da", "promosso da", "promossa da",
			"indetto da", "indetta da", "bandito da", "offerto da", "offerta da", "georganiseerd door", "aangeboden door",
			"uitgeschreven door", "uitgereikt door", "veranstaltet von", "ausgeschrieben von", "ausgelobt von",
			"organisiert von", "angeboten von", "vergeben von", "arrangeras av", "anordnas av", "utlyses av", "arrangerad av",
			"utlyst av", "delas ut av"},
		"backer": {"funded by", "sponsored by", "supported by", "backed by", "financed by", "possible by", "powered by",
			"gefördert von", "unterstützt von", "finanziert von", "gefördert durch", "soutenu par", "soutenue par", "financé par",
			"financée par", "financiado por", "financiada por", "apoyado por", "apoyada por", "patrocinado por",
			"patrocinada por", "apoiado por", "apoiada por", "financiato da", "finanziato da", "sostenuto da", "sostenuta da",
			"gesteund door", "gefinancierd door", "mogelijk gemaakt door", "stöds av", "finansieras av", "finansierat av"},
		"agent": {"by", "von", "vom", "durch", "par", "por", "pela", "pelo", "da", "dal", "dalla", "door", "av"},
		"from":  {"from", "från", "desde"},
		"at":    {"at", "bei", "beim", "chez", "presso", "bij", "hos", "på", "join"},
		"in":    {"in", "im", "à", "dans", "nel", "nella", "i"},
		"with":  {"with", "mit", "avec", "con", "com", "met", "med", "and"},
		"to":    {"to", "an", "pour", "para", "per", "aan", "till", "for", "für"},
		"of":    {"of"},
	} {
		for _, w := range ws {
			m[w] = role
		}
	}
	return m
}()

// roleArticles are the articles skipped before a name when its role is
// read.
var roleArticles = map[string]bool{"the": true, "le": true, "la": true, "les": true, "l'": true, "l’": true, "die": true,
	"der": true, "dem": true, "den": true, "das": true, "el": true, "los": true, "las": true, "il": true, "lo": true,
	"het": true, "de": true, "o": true, "a": true, "os": true, "as": true}

// roleBefore names the role the words before offset at give a name.
func roleBefore(lower string, at int) string {
	var ws [3]string
	n, i := 0, at
	for n < 3 {
		for i > 0 && lower[i-1] == ' ' {
			i--
		}
		if i == 0 || lower[i-1] == '\n' {
			break
		}
		j := i
		for j > 0 && lower[j-1] != ' ' && lower[j-1] != '\n' {
			j--
		}
		w := lower[j:i]
		i = j
		if n == 0 && roleArticles[w] {
			continue
		}
		if strings.ContainsAny(w, ".,;:!?)") {
			break
		}
		ws[n] = w
		n++
	}
	switch {
	case n >= 3 && roleCues[ws[2]+" "+ws[1]+" "+ws[0]] != "":
		return roleCues[ws[2]+" "+ws[1]+" "+ws[0]]
	case n >= 2 && roleCues[ws[1]+" "+ws[0]] != "":
		return roleCues[ws[1]+" "+ws[0]]
	case n >= 1:
		return roleCues[ws[0]]
	}
	return ""
}

// offerVerbFirst holds the first word of every language's offer verbs.
var offerVerbFirst = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range allOfferVerbs {
		w, _, _ := strings.Cut(v, " ")
		m[strings.ToLower(w)] = true
	}
	return m
}()

// roleAfter names what follows a name at offset end: a possessive, an
// offer verb ("invites", "lance", "convoca"), a copula.
func roleAfter(s string, end int) string {
	rest := s[end:]
	if strings.HasPrefix(rest, "'s ") || strings.HasPrefix(rest, "’s ") || strings.HasPrefix(rest, "' ") {
		return "possessive"
	}
	if !strings.HasPrefix(rest, " ") {
		return ""
	}
	w, _, _ := strings.Cut(rest[1:], " ")
	w = strings.ToLower(strings.TrimRight(w, ",.:;!?"))
	switch {
	case programmeNouns[w]:
		return "programme"
	case offerVerbFirst[w]:
		return "offer verb"
	case w == "is" || w == "are" || w == "ist" || w == "est" || w == "es" || w == "è" || w == "é" || w == "är":
		return "copula"
	}
	return ""
}

// programmeNouns follow a name that is a programme's or an event's, not
// its organizer's ("the Casa Tlacolula residency", "Kōwhai Creative
// Accelerator"), in every language.
var programmeNouns = map[string]bool{"fellowship": true, "fellowships": true, "residency": true, "residencies": true,
	"prize": true, "award": true, "awards": true, "grant": true, "grants": true, "competition": true, "contest": true,
	"accelerator": true, "incubator": true, "challenge": true, "jam": true, "programme": true, "program": true,
	"scholarship": true, "bursary": true, "commission": true, "shorts": true, "open": true, "call": true, "lab": true,
	"residencia": true, "beca": true, "premio": true, "concurso": true, "convocatoria": true, "résidence": true, "prix": true,
	"bourse": true, "concours": true, "appel": true, "stipendium": true, "preis": true, "wettbewerb": true, "ausschreibung": true,
	"residenz": true, "residência": true, "bolsa": true, "prémio": true, "prêmio": true, "edital": true, "residenza": true,
	"bando": true, "borsa": true, "concorso": true, "beurs": true, "prijs": true, "wedstrijd": true, "oproep": true,
	"stipendiet": true, "priset": true, "tävling": true, "residens": true}

// lineRole says how a name at offset at, n bytes long, stands in its line:
// alone on it (a signature, a header), after a dash that signs, after a
// closing line ("Best,").
func lineRole(s string, at, n int) string {
	ls := strings.LastIndexByte(s[:at], '\n') + 1
	le := strings.IndexByte(s[at:], '\n')
	if le < 0 {
		le = len(s)
	} else {
		le += at
	}
	before := strings.TrimLeft(s[ls:at], " \t*•#>")
	after := strings.TrimRight(s[at+n:le], " \t.,!:;")
	switch {
	case before == "" && after == "" && ls > 0 && isClosing(prevLine(s, ls)):
		return "after closing"
	case before == "" && after == "":
		return "own line"
	case after == "" && (before == "— " || before == "– " || before == "- " || before == "—" || before == "–"):
		return "dash"
	}
	return ""
}

// prevLine returns the line before the one starting at ls.
func prevLine(s string, ls int) string {
	if ls == 0 {
		return ""
	}
	p := strings.LastIndexByte(s[:ls-1], '\n') + 1
	return s[p : ls-1]
}

// publicationWords name a newsletter, blog or roundup: a publication that
// relays a call, rarely the organization behind it.
var publicationWords = map[string]bool{"newsletter": true, "weekly": true, "digest": true, "roundup": true,
	"round-up": true, "blog": true, "bulletin": true, "nieuwsbrief": true, "boletim": true, "boletín": true,
	"rundbrief": true, "letter": true, "dispatch": true, "briefing": true, "nyhetsbrev": true, "lettre": true,
	"infolettre": true, "notes": true, "picks": true, "podcast": true, "monthly": true, "week": true, "radar": true, "opportunities": true,
	"opportunity": true, "convocatorias": true, "oportunidades": true, "opportunités": true, "ausschreibungen": true}

func publicationName(name string) bool {
	for _, w := range strings.Fields(name) {
		if publicationWords[strings.ToLower(strings.Trim(w, ":|–—-,.!"))] {
			return true
		}
	}
	return false
}

// publicationWordsIn is publicationName of a name's lowered words.
func publicationWordsIn(lw []string) bool {
	for _, w := range lw {
		if publicationWords[strings.Trim(w, ":|–—-,.!")] {
			return true
		}
	}
	return false
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

// allCaps reports whether a name of four letters or more is written in
// capitals only ("OFFICE OF MEDIA HERITAGE").
func allCaps(name string) bool {
	letters := 0
	for _, r := range name {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4
}

func confBucket(c float64) string { return strconv.Itoa(int(c * 10)) }

// posBucket says where in d an offset stands: the title, the body's first
// line, its first, middle or last part, its last line.
func posBucket(d *doc, at, body int) string {
	switch {
	case at < d.titleEnd:
		return "title"
	case !strings.Contains(d.text[d.titleEnd+1:min(at+1, len(d.text))], "\n"):
		return "first line"
	case !strings.Contains(strings.TrimRight(d.text[at:], "\n "), "\n"):
		return "last line"
	case body > 0 && (at-d.titleEnd)*4 < body:
		return "head"
	case body > 0 && (at-d.titleEnd)*4 > 3*body:
		return "tail"
	}
	return "middle"
}

// prevWords returns the n words before offset at in lower, "^" at a line's
// start.
// prevTwo returns the word before offset at in lower and the one before
// it, "^" for a line's start (as prevWords with n 1 and 2 name them).
func prevTwo(lower string, at int) (string, string) {
	var ws [2]string
	i := at
	for n := 0; n < 2; n++ {
		for i > 0 && lower[i-1] == ' ' {
			i--
		}
		if i == 0 || lower[i-1] == '\n' {
			ws[n] = "^"
			break
		}
		j := i
		for j > 0 && lower[j-1] != ' ' && lower[j-1] != '\n' {
			j--
		}
		ws[n] = lower[j:i]
		i = j
	}
	return ws[0], ws[1]
}

// nextWord returns the word after offset at in lower, "$" at a line's end.
func nextWord(lower string, at int) string {
	if at >= len(lower) || lower[at] == '\n' {
		return "$"
	}
	rest := strings.TrimLeft(lower[at:], " ")
	if rest == "" || rest[0] == '\n' {
		return "$"
	}
	if c := rest[0]; c == ',' || c == '.' || c == ':' || c == ';' || c == ')' {
		return string(c)
	}
	w, _, _ := strings.Cut(rest, " ")
	w, _, _ = strings.Cut(w, "\n")
	return strings.TrimRight(w, ",.:;)!?")
}

// rankFunder applies p with m to the rules' reading r of d.
func rankFunder(d *doc, r match, m *spanModel, p funderPolicy) match {
	if m == nil || !p.reads(r) {
		return r
	}
	fc := funderCandidates(d, r)
	return decideFunder(fc.cs, m.list, m.probs(fc.cs, fc.none), r, p)
}

// reads reports whether p could change the rules' reading r, so that the
// candidates are worth listing.
func (p funderPolicy) reads(r match) bool {
	if r.text == "" {
		return p.backup > 0
	}
	return (p.replace > 0 || p.drop > 0 || p.abstain > 0) && (p.keep == 0 || r.conf < p.keep)
}

// decideFunder applies p to the rules' reading r given the candidates cs
// and the probabilities ps the ranker gives them (list: shared out with
// "none").
func decideFunder(cs []funderCand, list bool, ps []float64, r match, p funderPolicy) match {
	if !p.reads(r) {
		return r
	}
	top, topP, rulesP, noneP := -1, 0.0, 1.0, 1.0
	for i, pr := range ps {
		if cs[i].rules {
			rulesP = pr
		}
		if top < 0 || pr > topP {
			top, topP = i, pr
		}
		noneP -= pr
	}
	switch {
	case top < 0:
		return r
	case p.abstain > 0 && list && noneP >= p.abstain && noneP > topP:
		return match{}
	case cs[top].rules:
	case r.text == "" && p.backup > 0 && topP >= p.backup, r.text != "" && p.replace > 0 && topP >= p.replace:
		return match{text: cs[top].name, span: cs[top].name, conf: topP}
	}
	if r.text != "" && p.drop > 0 && rulesP < p.drop {
		return match{}
	}
	return r
}
