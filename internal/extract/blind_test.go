package extract

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// The blind set (testdata/eval/blind/*.jsonl) was written by authors who saw
// neither these rules nor their other labelled sets, from a brief that gave
// only the label schema and the kinds of sources. It is frozen: the rules are
// never revised against its texts, so its score is the estimate of quality
// on text the rules were not written for. Tune on cases.jsonl and the dev
// sets; read only this file's aggregate numbers.

// blindCase is one record of the blind set.
type blindCase struct {
	ID         string      `json:"id"`
	Lang       string      `json:"lang"`
	SourceType string      `json:"source_type"`
	Published  time.Time   `json:"pub"`
	Title      string      `json:"title"`
	Text       string      `json:"text"`
	Cats       []string    `json:"cats"`
	Labels     blindLabels `json:"labels"`
}

// blindLabels are the fields the set labels that the rules extract today.
type blindLabels struct {
	IsOpportunity bool         `json:"is_opportunity"`
	Kind          string       `json:"kind"`
	Deadline      *blindDate   `json:"deadline"`
	Amount        *blindAmount `json:"amount"`
	Funder        *string      `json:"funder"`
	Disciplines   []string     `json:"disciplines"`
}

// blindDate is a date as the funder states it: local calendar date, an
// optional local time and an optional IANA zone or fixed offset.
type blindDate struct {
	Date string  `json:"date"`
	Time *string `json:"time"`
	Zone *string `json:"zone"`
}

type blindAmount struct {
	Min      *float64 `json:"min"`
	Max      float64  `json:"max"`
	Currency string   `json:"currency"`
}

// loadLabelled reads every *.jsonl file under testdata/eval/<dir>; it
// returns nil when there is none.
func loadLabelled(tb testing.TB, dir string) []blindCase {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "eval", dir, "*.jsonl"))
	if err != nil {
		tb.Fatalf("glob testdata/eval/%s: %v", dir, err)
	}
	var cases []blindCase
	for _, name := range files {
		cases = append(cases, readLabelled(tb, name)...)
	}
	return cases
}

// readLabelled reads one labelled JSON Lines file.
func readLabelled(tb testing.TB, name string) []blindCase {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatalf("open labelled set: %v", err)
	}
	defer f.Close()
	var cases []blindCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var c blindCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("%s line %d: %v", name, n, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	return cases
}

// instant is the UTC instant a stated local date means: its time, or the
// end of the day when none is stated, in its zone, or UTC when none is stated.
func (d *blindDate) instant() (time.Time, error) {
	day, err := time.Parse("2006-01-02", d.Date)
	if err != nil {
		return time.Time{}, err
	}
	h, m, s := 23, 59, 59
	if d.Time != nil && *d.Time != "" {
		t, err := time.Parse("15:04", *d.Time)
		if err != nil {
			return time.Time{}, err
		}
		h, m, s = t.Hour(), t.Minute(), 0
	}
	loc := time.UTC
	if d.Zone != nil && *d.Zone != "" {
		if loc, err = zoneOf(*d.Zone); err != nil {
			return time.Time{}, err
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, s, 0, loc).UTC(), nil
}

func zoneOf(z string) (*time.Location, error) {
	if t, err := time.Parse("-07:00", z); err == nil {
		_, off := t.Zone()
		return time.FixedZone(z, off), nil
	}
	return time.LoadLocation(z)
}

// deadlineMatches says whether an extracted deadline is the labelled one:
// the same instant to the minute; or, when the label states no zone, the
// same local date and time as the funder wrote them, in whatever zone the
// rules placed them (a label that leaves the zone out says nothing of it,
// and reading it as UTC would score a zone the rules take from the text's
// country as a wrong day or hour); or, when the label states no time, the
// same calendar date (the rules read a bare date as the end of that day).
func deadlineMatches(o scout.Opportunity, want *blindDate) bool {
	w, err := want.instant()
	if err != nil {
		return false
	}
	if math.Abs(o.Deadline.Sub(w).Minutes()) < 1 {
		return true
	}
	noTime := want.Time == nil || *want.Time == ""
	if k := o.KeyDates.Deadline; k != nil && (want.Zone == nil || *want.Zone == "") && k.Date == want.Date &&
		(noTime || sameClock(k.Time, *want.Time)) {
		return true
	}
	return noTime && o.Deadline.UTC().Format("2006-01-02") == want.Date
}

// sameClock says whether two wall times, HH:MM or HH:MM:SS, name the same
// minute.
func sameClock(a, b string) bool {
	return len(a) >= 5 && len(b) >= 5 && a[:5] == b[:5]
}

// blindTally holds one slice's counts (all cases, or one language).
type blindTally struct {
	n, oppRight, langRight   int
	deadline, amount, funder score
	jaccardSum               float64
	jaccardN                 int
	kindTP, kindFP, kindFN   map[string]int
	// upperOnly compares amounts by their largest sum and currency alone,
	// for a set whose labels leave min null for a single stated sum.
	upperOnly bool
}

func newBlindTally() *blindTally {
	return &blindTally{kindTP: map[string]int{}, kindFP: map[string]int{}, kindFN: map[string]int{}}
}

func (t *blindTally) add(c blindCase, o scout.Opportunity) {
	t.n++
	if d := newDoc(Input{Title: c.Title, Text: c.Text}); d.lang == c.Lang {
		t.langRight++
	}
	l := c.Labels
	gotOpp := o.Kind != scout.KindNone && o.Kind != scout.KindUnknown
	if gotOpp == l.IsOpportunity {
		t.oppRight++
	}
	wantKind, gotKind := l.Kind, string(o.Kind)
	if !l.IsOpportunity || wantKind == "" {
		wantKind = string(scout.KindNone)
	}
	if gotKind == "" {
		gotKind = string(scout.KindNone)
	}
	if gotKind == wantKind {
		t.kindTP[wantKind]++
	} else {
		t.kindFP[gotKind]++
		t.kindFN[wantKind]++
	}
	t.addDeadline(c, o)
	t.addAmount(c, o)
	var want string
	if l.Funder != nil {
		want = Key(*l.Funder)
	}
	t.funder.add(Key(o.Funder), want)
	if l.IsOpportunity {
		t.jaccardSum += jaccard(o.Disciplines, l.Disciplines)
		t.jaccardN++
	}
}

func (t *blindTally) addDeadline(c blindCase, o scout.Opportunity) {
	got, want := !o.Deadline.IsZero(), c.Labels.Deadline != nil
	if got {
		t.deadline.got++
	}
	if want {
		t.deadline.want++
	}
	if got && want && deadlineMatches(o, c.Labels.Deadline) {
		t.deadline.hit++
	}
}

// addAmount compares what one recipient receives in all: the facet's
// per-recipient total when the rules could multiply a periodic award out,
// the award range otherwise.
func (t *blindTally) addAmount(c blindCase, o scout.Opportunity) {
	var got, want string
	if p := o.Funding.PerRecipient; p != nil {
		got = fmt.Sprintf("%.0f-%.0f %s", p.Min, p.Max, p.Currency)
		if t.upperOnly {
			got = fmt.Sprintf("%.0f %s", p.Max, p.Currency)
		}
	} else if o.Currency != "" {
		got = fmt.Sprintf("%d-%d %s", o.AmountMin, o.AmountMax, o.Currency)
		if t.upperOnly {
			got = fmt.Sprintf("%d %s", o.AmountMax, o.Currency)
		}
	}
	if a := c.Labels.Amount; a != nil {
		lo := 0.0
		if a.Min != nil {
			lo = *a.Min
		}
		want = fmt.Sprintf("%.0f-%.0f %s", lo, a.Max, strings.ToUpper(a.Currency))
		if t.upperOnly {
			want = fmt.Sprintf("%.0f %s", a.Max, strings.ToUpper(a.Currency))
		}
	}
	t.amount.add(got, want)
}

func jaccard(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	in, union := 0, map[string]bool{}
	for _, x := range a {
		union[x] = true
	}
	for _, x := range b {
		if union[x] {
			in++
		}
		union[x] = true
	}
	return float64(in) / float64(len(union))
}

// macroF1 averages the F1 of every kind that was labelled or predicted.
func (t *blindTally) macroF1() float64 {
	kinds := map[string]bool{}
	for _, m := range []map[string]int{t.kindTP, t.kindFP, t.kindFN} {
		for k := range m {
			kinds[k] = true
		}
	}
	if len(kinds) == 0 {
		return 1
	}
	sum := 0.0
	for k := range kinds {
		tp, fp, fn := float64(t.kindTP[k]), float64(t.kindFP[k]), float64(t.kindFN[k])
		if tp > 0 {
			sum += 2 * tp / (2*tp + fp + fn)
		}
	}
	return sum / float64(len(kinds))
}

func (t *blindTally) metrics() map[string]float64 {
	return map[string]float64{
		"opportunity accuracy": ratio(t.oppRight, t.n),
		"kind macro-F1":        t.macroF1(),
		"deadline precision":   t.deadline.precision(),
		"deadline recall":      t.deadline.recall(),
		"amount precision":     t.amount.precision(),
		"amount recall":        t.amount.recall(),
		"funder precision":     t.funder.precision(),
		"funder recall":        t.funder.recall(),
		"disciplines Jaccard":  ratio100(t.jaccardSum, t.jaccardN),
		"language accuracy":    ratio(t.langRight, t.n),
	}
}

func ratio100(sum float64, n int) float64 {
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

var blindMetricNames = []string{"opportunity accuracy", "kind macro-F1", "deadline precision", "deadline recall",
	"amount precision", "amount recall", "funder precision", "funder recall", "disciplines Jaccard", "language accuracy"}

// blindFloor is the score the rules reached when last measured on the blind
// set, rounded down: a change that loses quality on unseen text fails here.
// Raise it when the rules improve; never lower it to pass. From the fifth
// round, when rules are chosen on dev and own only, a change so chosen that
// moves a blind score down lowers the floor to the score, and its commit
// says so (the blind sets report; they do not choose).
var blindFloor = map[string]float64{
	// First score, at d6a6974, before any rule was changed with the set in
	// hand: 0.65 0.62 0.65 0.40 0.32 0.23 0.52 0.23 0.54 in this order.
	// Raised after the per-language lexicons, and again after amount roles
	// (tiers, shortlist fees, caps, expenses, terms), backer/runner
	// funders and relative deadlines, and again after the third round's
	// kind cues, trap signs and instalments, and again at the end of the
	// fifth round (amount precision fell to 0.7487 on the way, then rose).
	// Funder precision lowered to 0.75 in the sixth round by the proper-noun
	// readers of funder_names.go (0.7637/0.6070 -> 0.7568/0.6114: one more
	// hit, two more wrong names; F1 0.6764 either way). Funder raised in
	// the eighth round by the funder ranker (0.7568/0.6114 ->
	// 0.8270/0.6681) and the kind model's weak-evidence veto and rescue
	// (0.8280/0.6725), and amounts by that round's money readers
	// (0.7839/0.7800 -> 0.8103/0.7900). Deadline lowered in the eighth
	// round's deadline work, chosen on the sets to tune on only, with a
	// time's zone taken from the text's country and the full application
	// as the deadline after a letter of intent (0.9045/0.8219 ->
	// 0.7805/0.7306; the same changes raised fresh and fresh3), then
	// raised when a label that states no zone was scored by its local
	// date and time rather than read as UTC (0.7805/0.7306 ->
	// 0.8780/0.8219).
	"opportunity accuracy": 0.92,
	"kind macro-F1":        0.87,
	"deadline precision":   0.87,
	"deadline recall":      0.82,
	"amount precision":     0.81,
	"amount recall":        0.79,
	"funder precision":     0.82,
	"funder recall":        0.67,
	"disciplines Jaccard":  0.76,
}

// TestBlind scores the rules on the frozen blind set, overall and per
// language. Run with -v to read the table. It names no case: the set is
// read only in aggregate, so that nobody tunes the rules to its texts.
func TestBlind(t *testing.T) {
	cases := loadLabelled(t, "blind")
	if len(cases) < 300 {
		t.Fatalf("blind set has %d cases, want at least 300", len(cases))
	}
	scoreLabelled(t, cases, blindFloor, false)
}

// freshFloor is the score on the fresh blind set (testdata/eval/fresh), a
// fourth round of 140 posts written the same way after the three others had
// been scored: 77 in English and 9 in each other language, 36 traps, 11
// newsletters with several calls. Its first score is of the rules as they
// stood before it existed, so it measures the rules' reach on text written
// after all their tuning; read it in aggregate only, like the blind set.
var freshFloor = map[string]float64{
	// First score, at 3b11c62: 0.91 0.80 0.66 0.50 0.81 0.69 0.72 0.36 0.68
	// in this order (amounts by their upper end). Raised with the blind
	// set's floor when the rules improve; from the fifth round, when rules
	// are chosen on dev and own only, lowered to the measured score when
	// one of those changes moved it down (funder precision 0.7500 ->
	// 0.7397). Raised with the kind model's overrides (kind 0.8335 -> 0.8553)
	// and the funder ranker (funder 0.7397/0.4186 -> 0.7534/0.4264), and
	// with the eighth round's money and closing-time readers (deadline
	// 0.7816/0.6733 -> 0.7931/0.6832, amount 0.8409/0.7475 -> 0.8750/0.7778),
	// and with the kind model's weak-evidence veto and rescue (opportunity
	// 0.9429 -> 0.9571, kind 0.8553 -> 0.8609, funder precision 0.7639),
	// and with the eighth round's deadline work (zones of a time's
	// country, full applications, cues: 0.7931/0.6832 -> 0.9326/0.8218).
	"opportunity accuracy": 0.95,
	"kind macro-F1":        0.86,
	"deadline precision":   0.93,
	"deadline recall":      0.82,
	"amount precision":     0.87,
	"amount recall":        0.77,
	"funder precision":     0.76,
	"funder recall":        0.42,
	"disciplines Jaccard":  0.75,
}

// TestBlindFresh scores the rules on the fresh blind set; -v prints the table.
func TestBlindFresh(t *testing.T) {
	// Its authors left an award's min null where one sum is stated (where
	// the other sets repeat it as min and max), so amounts are compared by
	// their largest sum per recipient and currency.
	scoreFrozenUpper(t, "fresh", 140, freshFloor)
}

// scoreFrozenUpper scores the rules on the frozen set in testdata/eval/dir,
// which must hold at least n cases, against floor, comparing amounts by
// their upper end (the fresh sets' labels leave min null for a single sum).
func scoreFrozenUpper(t *testing.T, dir string, n int, floor map[string]float64) {
	t.Helper()
	cases := loadLabelled(t, dir)
	if len(cases) < n {
		t.Fatalf("frozen set %s has %d cases, want at least %d", dir, len(cases), n)
	}
	scoreLabelledUpper(t, cases, floor, false, true)
}

// fresh2Floor is the score on the second fresh blind set
// (testdata/eval/fresh2), 160 posts written during the fifth round by
// people who saw neither the code nor the other sets: 90 in English and 10
// in each other language. Like the fresh set its labels leave min null for
// a single sum, so amounts are compared by their upper end. It is read in
// aggregate only and reports; no rule is chosen on it. First score, at
// 6c60891 (before the fifth round's rules): 0.93 0.78 0.82 0.69 0.82 0.72
// 0.77 0.56 0.73 in the order of blindMetricNames. The floor is the last
// measured score, rounded down (kind raised with the kind model's
// overrides, 0.7788 -> 0.7959; funder with the funder ranker,
// 0.7684/0.5615 -> 0.8105/0.5923; amount with the eighth round's money
// readers, 0.8214/0.7244 -> 0.8509/0.7638; kind with the weak-evidence
// veto and rescue, 0.7959 -> 0.8056; deadline lowered by the eighth
// round's deadline work, chosen on the sets to tune on, 0.8113/0.6880 ->
// 0.7642/0.6480), raised when a label that states no zone was scored by
// its local date and time (0.7642/0.6480 -> 0.8962/0.7600).
var fresh2Floor = floorsOf(0.93, 0.80, 0.89, 0.76, 0.85, 0.76, 0.81, 0.59, 0.75)

// TestBlindFresh2 scores the rules on the second fresh blind set; -v
// prints the table.
func TestBlindFresh2(t *testing.T) {
	scoreFrozenUpper(t, "fresh2", 150, fresh2Floor)
}

// fresh3Floor is the score on the third fresh blind set
// (testdata/eval/fresh3), 300 posts written during the eighth round by
// people who saw neither the code nor any other set: 120 in English and 25
// or 26 in each other language, 90 of them traps. Its labels leave min null
// for a single sum, so amounts are compared by their upper end. It is read
// in aggregate only; no rule or model setting is chosen on it. The floor is
// its first score, at af3676d (before the eighth round), rounded down:
// 0.9100 0.7850 0.7427 0.7286 0.8384 0.8098 0.6592 0.5646 0.7659 in the
// order of blindMetricNames. Amounts raised at the end of the eighth
// round by its money readers (0.8384/0.8098 -> 0.9091/0.8780), and
// opportunity, kind and funder by the funder ranker and the kind model's
// weak-evidence veto and rescue (read once at the round's end: 0.9333
// 0.8026, funder 0.7039/0.6029), and deadline by that round's deadline
// work (0.7427/0.7286 -> 0.8947/0.8905).
var fresh3Floor = floorsOf(0.93, 0.80, 0.89, 0.89, 0.90, 0.87, 0.70, 0.60, 0.76)

// TestBlindFresh3 scores the rules on the third fresh blind set; -v prints
// the table.
func TestBlindFresh3(t *testing.T) {
	scoreFrozenUpper(t, "fresh3", 300, fresh3Floor)
}

// devFloor is the dev set's last measured score, rounded down. The kind
// model learns from the dev and own sets, so their kind scores are read
// in-sample since it came (0.9482 -> 0.9940, own 0.8953 -> 0.9974); its
// cross-validated score is TestKindModelCV's.
var devFloor = map[string]float64{
	"opportunity accuracy": 1.00,
	"kind macro-F1":        0.99,
	"deadline precision":   0.99,
	"deadline recall":      0.99,
	"amount precision":     1.00,
	"amount recall":        1.00,
	"funder precision":     0.99,
	"funder recall":        1.00,
	"disciplines Jaccard":  0.88,
}

// TestDev scores the rules on the dev set (testdata/eval/dev), written
// independently from the same brief as the blind set but open to reading:
// the set to tune on. With -eval.v it names every case a field misses.
func TestDev(t *testing.T) {
	cases := loadLabelled(t, "dev")
	if len(cases) == 0 {
		t.Skip("no dev set under testdata/eval/dev")
	}
	scoreLabelled(t, cases, devFloor, *evalVerbose)
}

// ownFloor is the own set's last measured score, rounded down, in the
// order of blindMetricNames.
var ownFloor = floorsOf(0.99, 0.99, 0.99, 0.99, 0.97, 0.96, 0.99, 0.97, 0.87)

// floorsOf names floors given in the order of blindMetricNames.
func floorsOf(vs ...float64) map[string]float64 {
	m := make(map[string]float64, len(vs))
	for i, v := range vs {
		m[blindMetricNames[i]] = v
	}
	return m
}

// TestOwn scores the rules on the own set (testdata/eval/own): posts
// written for this package's tests, each against one of the failure groups
// found on unseen text (non-English calls, trap posts, kind cues, deadline
// and amount forms, funders named only by their name). It is a set to tune
// on, kept apart from the dev set so that the dev set's numbers stay
// comparable between rounds. With -eval.v it names every case a field
// misses.
func TestOwn(t *testing.T) {
	cases := loadLabelled(t, "own")
	if len(cases) < 40 {
		t.Fatalf("own set has %d cases, want at least 40", len(cases))
	}
	scoreLabelled(t, cases, ownFloor, *evalVerbose)
}

// scoreLabelled logs the table of metrics, overall and per language, and
// fails for every metric below its floor. verbose names the cases missed.
func scoreLabelled(t *testing.T, cases []blindCase, floor map[string]float64, verbose bool) {
	scoreLabelledUpper(t, cases, floor, verbose, false)
}

// scoreLabelledUpper is scoreLabelled, comparing amounts by their upper end
// alone when upperOnly is set.
func scoreLabelledUpper(t *testing.T, cases []blindCase, floor map[string]float64, verbose, upperOnly bool) {
	all, byLang := newBlindTally(), map[string]*blindTally{}
	all.upperOnly = upperOnly
	for _, c := range cases {
		o, _ := Extract(Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published})
		all.add(c, o)
		if byLang[c.Lang] == nil {
			byLang[c.Lang] = newBlindTally()
			byLang[c.Lang].upperOnly = upperOnly
		}
		byLang[c.Lang].add(c, o)
		if verbose {
			logMisses(t, c, o, upperOnly)
		}
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	header := fmt.Sprintf("%-22s %6s", "metric", "all")
	for _, l := range langs {
		header += fmt.Sprintf(" %6s", l)
	}
	t.Log(header)
	m := all.metrics()
	for _, name := range blindMetricNames {
		row := fmt.Sprintf("%-22s %6.2f", name, m[name])
		for _, l := range langs {
			row += fmt.Sprintf(" %6.2f", byLang[l].metrics()[name])
		}
		t.Log(row)
	}
	counts := fmt.Sprintf("%-22s %6d", "cases", all.n)
	for _, l := range langs {
		counts += fmt.Sprintf(" %6d", byLang[l].n)
	}
	t.Log(counts)
	totals := "totals"
	for _, name := range blindMetricNames[:len(blindMetricNames)-1] {
		totals += fmt.Sprintf(" %.4f", m[name])
	}
	t.Log(totals)
	for _, name := range blindMetricNames {
		if fl, ok := floor[name]; ok && m[name] < fl {
			t.Errorf("%s %.4f, below the floor %.2f", name, m[name], fl)
		}
	}
}

// logMisses names each field of one case that the rules got wrong, with
// amounts compared as the set's tally compares them.
func logMisses(t *testing.T, c blindCase, o scout.Opportunity, upperOnly bool) {
	l := c.Labels
	one := newBlindTally()
	one.upperOnly = upperOnly
	one.add(c, o)
	if one.oppRight == 0 || len(one.kindFP) > 0 {
		t.Logf("%s [%s] kind: got %q, want %q (opportunity %v)", c.ID, c.Lang, o.Kind, l.Kind, l.IsOpportunity)
	}
	if one.deadline.hit < max(one.deadline.got, one.deadline.want) {
		want := "none"
		if l.Deadline != nil {
			want = l.Deadline.Date + " " + derefOr(l.Deadline.Time) + " " + derefOr(l.Deadline.Zone)
		}
		t.Logf("%s [%s] deadline: got %v, want %s", c.ID, c.Lang, o.Deadline, want)
	}
	if one.amount.hit < max(one.amount.got, one.amount.want) {
		t.Logf("%s [%s] amount: got %d-%d %s (per recipient %v), want %+v", c.ID, c.Lang, o.AmountMin, o.AmountMax, o.Currency, o.Funding.PerRecipient, amountString(l.Amount))
	}
	if one.funder.hit < max(one.funder.got, one.funder.want) {
		t.Logf("%s [%s] funder: got %q, want %q", c.ID, c.Lang, o.Funder, derefOr(l.Funder))
	}
	if l.IsOpportunity && jaccard(o.Disciplines, l.Disciplines) < 1 {
		t.Logf("%s [%s] disciplines: got %v, want %v", c.ID, c.Lang, o.Disciplines, l.Disciplines)
	}
}

func derefOr(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func amountString(a *blindAmount) string {
	if a == nil {
		return "none"
	}
	lo := "-"
	if a.Min != nil {
		lo = fmt.Sprintf("%.0f", *a.Min)
	}
	return fmt.Sprintf("%s-%.0f %s", lo, a.Max, a.Currency)
}

// TestTrainSets scores the rules on each set of testdata/train: posts
// written as training data by people who saw neither the rules nor their
// other sets. The rules were never written beside them, but the models
// learn from them, so only their first reading (BENCHMARKS.md) and the
// cross-validated ones are unseen. Their labels leave min null for a
// single sum, so amounts are compared by their upper end.
func TestTrainSets(t *testing.T) {
	bySet := map[string][]blindCase{}
	for _, c := range loadTrainSets(t) {
		bySet[c.set] = append(bySet[c.set], c.blindCase)
	}
	sets := make([]string, 0, len(bySet))
	for s := range bySet {
		sets = append(sets, s)
	}
	sort.Strings(sets)
	for _, s := range []string{"train_a", "train_b", "train_c", "train_d"} {
		if n := len(bySet[s]); n < 200 {
			t.Errorf("training set %s has %d cases, want 200", s, n)
		}
	}
	for _, s := range sets {
		t.Run(s, func(t *testing.T) { scoreLabelledUpper(t, bySet[s], nil, *evalVerbose, true) })
	}
}
