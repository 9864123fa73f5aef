package extract

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
)

var (
	funderTrain = flag.Bool("funder.train", false, "train the funder ranker on the training sets and write funderrank.bin")
	funderCV    = flag.Bool("funder.cv", false, "cross-validate the funder ranker and its policies on the training sets")
)

// rankSettings are the ranker's training settings.
var rankSettings = rankConfig{buckets: 8192, lambda: 1e-4, epochs: 15, rate: 0.1, unseen: 1, list: true, noneFeatures: true}

type rankConfig struct {
	buckets uint32
	lambda  float64
	epochs  int
	rate    float64
	list    bool
	// noneFeatures scores "none" by its own features (list only).
	noneFeatures bool
	// unseen weighs the texts of testdata/train, which the rules were not
	// written beside, against the others.
	unseen float64
}

// rankRow is one candidate of a training text: its features and whether
// it is the labelled funder.
type rankRow struct {
	fs     []uint32
	pos    bool
	unseen bool
}

// rankDoc is one training text's candidates and the features of "none".
type rankDoc struct {
	rows []rankRow
	none []uint32
}

// rankRows lists the candidates of every training text labelled an
// opportunity, the rules' reading among them.
func rankRows(ex []trainExample) []rankDoc {
	out := make([]rankDoc, len(ex))
	for i, e := range ex {
		if !e.c.Labels.IsOpportunity {
			continue
		}
		want := ""
		if e.c.Labels.Funder != nil {
			want = Key(*e.c.Labels.Funder)
		}
		d := newDoc(e.in)
		fc := funderCandidates(d, findFunder(d))
		out[i].none = fc.none
		for _, c := range fc.cs {
			out[i].rows = append(out[i].rows, rankRow{fs: c.fs, pos: want != "" && c.key == want,
				unseen: exampleGroup(e.id) != "rules' sets"})
		}
	}
	return out
}

// trainRanker fits a logistic regression by AdaGrad, in a fixed order,
// and quantizes it to the shipped form: over each candidate alone, or,
// with cfg.list, over each text's candidates and "none" together.
func trainRanker(docs []rankDoc, cfg rankConfig) *spanModel {
	w := make([]float64, cfg.buckets)
	g2 := make([]float64, len(w))
	var bias, gb float64
	type unit struct{ doc, row int } // row -1: the whole text
	var order []unit
	for i, rd := range docs {
		switch {
		case cfg.list && len(rd.rows) > 0:
			order = append(order, unit{i, -1})
		case !cfg.list:
			for j := range rd.rows {
				order = append(order, unit{i, j})
			}
		}
	}
	step := func(r rankRow, g float64) {
		if r.unseen {
			g *= cfg.unseen
		}
		for _, f := range r.fs {
			b := f % cfg.buckets
			gw := g + cfg.lambda*w[b]
			g2[b] += gw * gw
			w[b] -= cfg.rate * gw / math.Sqrt(g2[b]+1e-8)
		}
		gb += g * g
		bias -= cfg.rate * g / math.Sqrt(gb+1e-8)
	}
	score := func(r rankRow) float64 {
		z := bias
		for _, f := range r.fs {
			z += w[f%cfg.buckets]
		}
		return z
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var zs []float64
	for ep := 0; ep < cfg.epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, u := range order {
			rs := docs[u.doc].rows
			if u.row >= 0 {
				g := 1 / (1 + math.Exp(-score(rs[u.row])))
				if rs[u.row].pos {
					g--
				}
				step(rs[u.row], g)
				continue
			}
			zs = zs[:0]
			zn := 0.0
			if cfg.noneFeatures {
				for _, f := range docs[u.doc].none {
					zn += w[f%cfg.buckets]
				}
			}
			top, anyPos := zn, false
			for _, r := range rs {
				z := score(r)
				zs = append(zs, z)
				top = max(top, z)
				anyPos = anyPos || r.pos
			}
			sum := math.Exp(zn - top)
			pn := sum
			for k := range zs {
				zs[k] = math.Exp(zs[k] - top)
				sum += zs[k]
			}
			for k, r := range rs {
				g := zs[k] / sum
				if r.pos {
					g--
				}
				step(r, g)
			}
			if cfg.noneFeatures {
				g := pn / sum
				if !anyPos {
					g--
				}
				if rs[0].unseen {
					g *= cfg.unseen
				}
				for _, f := range docs[u.doc].none {
					b := f % cfg.buckets
					gw := g + cfg.lambda*w[b]
					g2[b] += gw * gw
					w[b] -= cfg.rate * gw / math.Sqrt(g2[b]+1e-8)
				}
			}
		}
	}
	maxAbs := 0.0
	for _, v := range w {
		maxAbs = max(maxAbs, math.Abs(v))
	}
	m := &spanModel{buckets: cfg.buckets, list: cfg.list, noneFeatures: cfg.list && cfg.noneFeatures, scale: float32(maxAbs / 127), bias: float32(bias), w: make([]int8, len(w))}
	if maxAbs > 0 {
		for i, v := range w {
			m.w[i] = int8(math.Round(v / maxAbs * 127))
		}
	}
	return m
}

// docsWhere keeps the candidates of the texts keep names.
func docsWhere(rows []rankDoc, keep func(i int) bool) []rankDoc {
	out := make([]rankDoc, 0, len(rows))
	for i, rs := range rows {
		if keep(i) {
			out = append(out, rs)
		}
	}
	return out
}

func shippedRanker(tb testing.TB) *spanModel {
	rows := rankRows(trainingSetWithTrain(tb))
	return trainRanker(rows, rankSettings)
}

// TestFunderRankerCurrent retrains the ranker and compares it with the
// shipped file, so that a change to a training set, to the candidates or
// to their features that is not followed by go generate fails here.
func TestFunderRankerCurrent(t *testing.T) {
	if testing.Short() || runtime.GOARCH != "amd64" {
		t.Skip("retraining is checked on amd64 without -short")
	}
	if !bytes.Equal(shippedRanker(t).encode(), funderRankBin) {
		t.Fatal("funderrank.bin is not the ranker the training sets give; run go generate ./internal/extract")
	}
}

// TestTrainFunderRanker writes funderrank.bin (go generate runs it).
func TestTrainFunderRanker(t *testing.T) {
	if !*funderTrain {
		t.Skip("pass -funder.train to train the funder ranker")
	}
	b := shippedRanker(t).encode()
	if _, err := decodeSpanModel(b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("funderrank.bin", b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("funderrank.bin: %d bytes", len(b))
}

// exampleGroup names the set a training example is from, for reports:
// the sets the rules were written beside pool as "rules' sets".
func exampleGroup(id string) string {
	set, _, _ := strings.Cut(id, "/")
	if strings.HasPrefix(set, "train_") {
		return set
	}
	return "rules' sets"
}

// exampleSet names the set a training example is from: dev, own, cases,
// holdout or a set of testdata/train.
func exampleSet(id string) string {
	set, _, _ := strings.Cut(id, "/")
	return strings.TrimSuffix(set, ".jsonl")
}

// TestFunderRankerCV cross-validates, on the training sets only, the
// rules alone and the rules with the ranker under each policy, and logs
// funder precision, recall and F1 pooled over the held-out folds, for the
// sets the rules were written beside and for each set of testdata/train.
func TestFunderRankerCV(t *testing.T) {
	if !*funderCV {
		t.Skip("pass -funder.cv to cross-validate the funder ranker")
	}
	const k = 5
	ex := trainingSetWithTrain(t)
	rows := rankRows(ex)
	covered, labelled := map[string]int{}, map[string]int{}
	for i, e := range ex {
		if e.c.Labels.IsOpportunity && e.c.Labels.Funder != nil {
			g := exampleGroup(e.id)
			labelled[g]++
			for _, r := range rows[i].rows {
				if r.pos {
					covered[g]++
					break
				}
			}
		}
	}
	t.Logf("labelled funders among the candidates: %v of %v", covered, labelled)
	configs := []rankConfig{rankSettings,
		{buckets: 8192, lambda: 1e-4, epochs: 15, rate: 0.1, unseen: 1, list: true},
	}
	for ci, cfg := range configs {
		var models [k]*spanModel
		for f := 0; f < k; f++ {
			models[f] = trainRanker(docsWhere(rows, func(i int) bool { return fold(ex[i].id, k) != f }), cfg)
		}
		t.Logf("ranker %+v", cfg)
		if ci == 0 {
			if *evalVerbose {
				for i, e := range ex {
					if g := exampleGroup(e.id); g == "rules' sets" || !e.c.Labels.IsOpportunity {
						continue
					}
					d := newDoc(e.in)
					r := findFunder(d)
					fc := funderCandidates(d, r)
					cs := fc.cs
					m := models[fold(e.id, k)]
					top, topP := "", 0.0
					for ci, p := range m.probs(cs, fc.none) {
						if p > topP {
							top, topP = cs[ci].name, p
						}
					}
					want := derefOr(e.c.Labels.Funder)
					if Key(top) != Key(want) || Key(r.text) != Key(want) {
						t.Logf("%s: want %q rules %q ranker %q %.2f (%d cands, covered %v)", e.id, want, r.text, top, topP, len(cs), rowsHit(rows[i].rows))
					}
				}
			}
		}
		cvPolicies(t, ex, models, ci == 0)
	}
}

// cvText is one training text as the policies read it: whether Extract
// looks for its funder at all, the rules' reading, and its candidates with
// the probabilities its held-out fold's ranker gives them.
type cvText struct {
	set, group, want string
	ran              bool
	r                match
	cs               []funderCand
	ps               []float64
}

// cvTexts reads every training text once with its fold's ranker.
func cvTexts(ex []trainExample, models [5]*spanModel) []cvText {
	const k = 5
	out := make([]cvText, len(ex))
	for i, e := range ex {
		c := cvText{set: exampleSet(e.id), group: exampleGroup(e.id)}
		if e.c.Labels.Funder != nil {
			c.want = Key(*e.c.Labels.Funder)
		}
		o, _ := Extract(e.in)
		d := newDoc(e.in)
		if o.Kind != scout.KindNone {
			_, digest := digestKind(d, findMentions(d))
			c.ran = !digest
		}
		if c.ran {
			m := models[fold(e.id, k)]
			c.r = findFunder(d)
			fc := funderCandidates(d, c.r)
			c.cs, c.ps = fc.cs, m.probs(fc.cs, fc.none)
		}
		out[i] = c
	}
	return out
}

// cvPolicies logs funder precision/recall/F1 per set under each policy,
// each text read with the model of its held-out fold, marks the policies
// whose precision is at least the rules' on every group (the rules' sets
// pooled, as in the seventh round, and each set of testdata/train), and
// names the one of those with the best pooled F1.
func cvPolicies(t *testing.T, ex []trainExample, models [5]*spanModel, withRules bool) funderPolicy {
	texts := cvTexts(ex, models)
	policies := []funderPolicy{{}, {backup: 1e-9, replace: 1e-9}, {backup: 0.2}, {replace: 0.5}, {backup: 0.2, replace: 0.5}, funderPolicyCV}
	for _, a := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
		policies = append(policies, funderPolicy{abstain: a})
	}
	for _, keep := range []float64{0, 0.75, 0.85} {
		for _, b := range []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7} {
			for _, r := range []float64{0, 0.4, 0.5, 0.6, 0.7} {
				for _, a := range []float64{0, 0.5, 0.6, 0.7, 0.8} {
					for _, d := range []float64{0, 0.05, 0.1} {
						if b+r+a+d > 0 {
							policies = append(policies, funderPolicy{backup: b, replace: r, abstain: a, drop: d, keep: keep})
						}
					}
				}
			}
		}
	}
	var rules map[string]*score
	bestF, best := -1.0, funderPolicy{}
	for pi, p := range policies {
		byGroup := map[string]*score{}
		for _, c := range texts {
			got := ""
			if c.ran {
				got = Key(decideFunder(c.cs, true, c.ps, c.r, p).text)
			}
			gs := []string{c.set, c.group, "all"}
			if c.set == c.group {
				gs = gs[1:] // a set of testdata/train is its own group
			}
			for _, g := range gs {
				if byGroup[g] == nil {
					byGroup[g] = &score{}
				}
				byGroup[g].add(got, c.want)
			}
		}
		if pi == 0 {
			rules = byGroup
		}
		groups := make([]string, 0, len(byGroup))
		for g := range byGroup {
			groups = append(groups, g)
		}
		sort.Strings(groups)
		var line strings.Builder
		holds := true
		for _, g := range groups {
			s := byGroup[g]
			line.WriteString(" | " + g + " " + fmtPRF(s))
			if (g == "rules' sets" || strings.HasPrefix(g, "train_")) && s.precision() < rules[g].precision() {
				holds = false
			}
		}
		mark := " "
		if holds {
			mark = "*"
		}
		if f := f1(byGroup["all"]); holds && p != (funderPolicy{}) && f > bestF {
			bestF, best = f, p
		}
		if (withRules || pi > 0) && (pi < 12 || holds || *evalVerbose) {
			t.Logf("%s %s:%s", mark, policyString(p), line.String())
		}
	}
	t.Logf("best pooled F1 with precision held on every group (*): %s, F1 %.4f (rules %.4f)", policyString(best), bestF, f1(rules["all"]))
	return best
}

func policyString(p funderPolicy) string {
	return fmt.Sprintf("backup %.2f replace %.2g drop %.2f abstain %.2f keep %.2f", p.backup, p.replace, p.drop, p.abstain, p.keep)
}

func f1(s *score) float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func fmtPRF(s *score) string {
	p, r := s.precision(), s.recall()
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return fmt.Sprintf("%.4f/%.4f/%.4f", p, r, f)
}

func rowsHit(rs []rankRow) bool {
	for _, r := range rs {
		if r.pos {
			return true
		}
	}
	return false
}
