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
// head and first word, the words around it, its length and capitals,
// organization, place and programme signs) are hashed into a binary
// logistic regression trained by `go generate` (funder_rank_train_test.go)
// on the labelled training sets, never on the blind sets, and shipped as
// funderrank.bin, int8 weights with one scale. funderPolicyShipped says
// where its reading replaces or backs up the rules'.

//go:generate go test -run ^TestTrainFunderRanker$ -funder.train

//go:embed funderrank.bin
var funderRankBin []byte

// spanModel is a decoded binary scorer over hashed features.
type spanModel struct {
	buckets uint32
	// list says the scores are shared out among a text's candidates and
	// "none" (a softmax), not read one by one (a sigmoid each).
	list  bool
	scale float32
	bias  float32
	w     []int8
}

const spanModelMagic = "SFR1"

// decodeSpanModel reads a ranker file: magic, bucket count (uint32), mode
// (0 one by one, 1 shared out), scale (float32), bias (float32), then one
// int8 weight per bucket, all little-endian.
func decodeSpanModel(b []byte) (*spanModel, error) {
	const head = len(spanModelMagic) + 13
	if len(b) < head || string(b[:4]) != spanModelMagic {
		return nil, errors.New("funder ranker: not a ranker file")
	}
	m := &spanModel{buckets: binary.LittleEndian.Uint32(b[4:8])}
	if m.buckets == 0 || m.buckets > 1<<16 {
		return nil, fmt.Errorf("funder ranker: %d buckets, want 1 to 65536", m.buckets)
	}
	if b[8] > 1 {
		return nil, fmt.Errorf("funder ranker: mode %d, want 0 or 1", b[8])
	}
	m.list = b[8] == 1
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
	if m.list {
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

// probs returns the probability m gives each of a text's candidates: its
// share beside "none" (scored 0) when m.list, else its sigmoid.
func (m *spanModel) probs(cs []funderCand) []float64 {
	ps := make([]float64, len(cs))
	top := 0.0
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
	sum := math.Exp(-top) // none
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
	replace float64 // the top candidate over the rules' name when P ≥ replace
	drop    float64 // the rules' name is dropped when its own P < drop
}

func (p funderPolicy) off() bool { return p.backup == 0 && p.replace == 0 && p.drop == 0 }

// funderPolicyShipped is the policy Extract applies: none, the rules
// decide alone. Five-fold cross-validation on the training sets
// (TestFunderRankerCV) chose funderPolicyCV, which raised funder precision
// and recall on each held-out set of testdata/train (train_a 0.6634/0.5154
// -> 0.6723/0.6154, train_b 0.7075/0.5357 -> 0.7869/0.6857); on the frozen
// blind sets it raised recall and F1 on all three but lowered precision on
// two (blind 0.7568 -> 0.7416, fresh2 0.7684 -> 0.7477), so it is not on.
var funderPolicyShipped = funderPolicy{}

// funderPolicyCV is the policy cross-validation chose: the ranker's top
// candidate where the rules name none and it has P ≥ 0.2, and over the
// rules' name where it has P ≥ 0.5.
var funderPolicyCV = funderPolicy{backup: 0.2, replace: 0.5}

// funderCand is one candidate name and where the text names it.
type funderCand struct {
	name  string
	at    []int // byte offsets of its first few occurrences in d.text
	rules bool
	fs    []uint32
}

const maxFunderCands = 48

// funderCandidates lists the candidate names of d, the rules' reading r
// first (when it names one).
func funderCandidates(d *doc, r match) []funderCand {
	var out []funderCand
	seen := map[string]int{}
	add := func(name string, at int, rules bool) {
		k := Key(name)
		if k == "" || len(out) >= maxFunderCands {
			return
		}
		if i, ok := seen[k]; ok {
			out[i].rules = out[i].rules || rules
			return
		}
		seen[k] = len(out)
		out = append(out, funderCand{name: name, at: occurrences(d.text, name, at), rules: rules})
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
	for i := range out {
		out[i].fs = candFeatures(d, &out[i], r)
		k := Key(out[i].name)
		for j := range out {
			switch other := Key(out[j].name); {
			case j == i:
			case strings.HasSuffix(other, " "+k):
				out[i].fs = append(out[i].fs, mix(hashWord("tail of another")))
			case strings.HasPrefix(other, k+" "):
				out[i].fs = append(out[i].fs, mix(hashWord("head of another")))
			case strings.HasPrefix(k, other+" ") || strings.HasSuffix(k, " "+other):
				out[i].fs = append(out[i].fs, mix(hashWord("holds another")))
			}
		}
	}
	return out
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

// candFeatures hashes c's features into buckets of the shipped size.
func candFeatures(d *doc, c *funderCand, r match) []uint32 {
	var fs []uint32
	f := func(parts ...string) {
		fs = append(fs, mix(hashWord(strings.Join(parts, "\x00"))))
	}
	ws := strings.Fields(c.name)
	lw := make([]string, len(ws))
	for i, w := range ws {
		lw[i] = strings.ToLower(w)
	}
	tier := 9
	for _, w := range ws {
		if t := orgTier[w]; t > 0 {
			tier = min(tier, t)
		}
	}
	langOrg := false
	for _, w := range ws {
		langOrg = langOrg || isLangOrgWord(d.rules().lang, trimElision(w))
	}
	n := strconv.Itoa(min(len(ws), 5))
	t := strconv.Itoa(tier)
	f("bias")
	f("n", n)
	f("tier", t)
	f("n&tier", n, t)
	f("head", lw[len(lw)-1])
	f("first", lw[0])
	f("lang&tier", d.lang, t)
	f("langorg", strconv.FormatBool(langOrg))
	switch {
	case c.rules:
		f("rules", confBucket(r.conf))
	case r.text == "":
		f("rules none")
	default:
		f("rules other")
		if strings.Contains(Key(r.text), Key(c.name)) {
			f("inside rules")
		} else if strings.Contains(Key(c.name), Key(r.text)) {
			f("holds rules")
		}
	}
	f("count", strconv.Itoa(min(len(c.at), 3)))
	if len(ws) == 1 {
		if lw[0] != ws[0] && strings.Contains(d.text, " "+lw[0]+" ") {
			f("common word")
		}
		if len(ws[0]) <= 3 {
			f("short word")
		}
	}
	if isPlaceName(c.name, true) {
		f("place")
	}
	if _, ok := gazetteer[lw[len(lw)-1]]; ok {
		f("place head")
	}
	for _, w := range ws {
		if programWords[w] {
			f("programme word")
			break
		}
	}
	if d.namesKind(c.name) {
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
		f("prev", prevWords(d.lower, at, 1))
		f("prev2", prevWords(d.lower, at, 2))
		f("next", nextWord(d.lower, at+len(c.name)))
		if sentenceStart(d.text, at) {
			f("sentence start")
		}
	}
	return fs
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
func prevWords(lower string, at, n int) string {
	i := at
	var ws []string
	for len(ws) < n {
		for i > 0 && lower[i-1] == ' ' {
			i--
		}
		if i == 0 || lower[i-1] == '\n' {
			ws = append(ws, "^")
			break
		}
		j := i
		for j > 0 && lower[j-1] != ' ' && lower[j-1] != '\n' {
			j--
		}
		ws = append(ws, lower[j:i])
		i = j
	}
	return strings.Join(ws, " ")
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
	if m == nil || p.off() || r.text != "" && p.replace == 0 && p.drop == 0 || r.text == "" && p.backup == 0 && p.replace == 0 {
		return r
	}
	cs := funderCandidates(d, r)
	top, topP, rulesP := -1, 0.0, 1.0
	for i, pr := range m.probs(cs) {
		if cs[i].rules {
			rulesP = pr
		}
		if top < 0 || pr > topP {
			top, topP = i, pr
		}
	}
	switch {
	case top < 0:
		return r
	case cs[top].rules:
	case r.text == "" && p.backup > 0 && topP >= p.backup, p.replace > 0 && topP >= p.replace:
		return match{text: cs[top].name, span: cs[top].name, conf: topP}
	}
	if r.text != "" && p.drop > 0 && rulesP < p.drop {
		return match{}
	}
	return r
}
