package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// recordLabels are the labels of the record's fields in the labelled sets
// (dev, blind, record): the same JSON as blindLabels, read separately so
// that the older scorer stays as it is.
type recordLabels struct {
	Deadline   *blindDate `json:"deadline"`
	OtherDates []struct {
		Label string `json:"label"`
		Date  string `json:"date"`
	} `json:"other_dates"`
	AmountPeriod *struct {
		Period string `json:"period"`
		Count  int    `json:"count"`
	} `json:"amount_period"`
	Fee *struct {
		Amount   float64 `json:"amount"`
		Currency string  `json:"currency"`
	} `json:"fee"`
	TotalAvailable *struct {
		Amount   float64 `json:"amount"`
		Currency string  `json:"currency"`
	} `json:"total_available"`
	AwardCount *struct {
		Min *int `json:"min"`
		Max *int `json:"max"`
	} `json:"award_count"`
	InKind      any `json:"in_kind"`
	Eligibility *struct {
		ApplicantTypes []string `json:"applicant_types"`
		CareerStage    []string `json:"career_stage"`
		Students       *bool    `json:"students"`
		AgeMin         *int     `json:"age_min"`
		AgeMax         *int     `json:"age_max"`
		Countries      []string `json:"countries"`
		IdentityFocus  []string `json:"identity_focus"`
	} `json:"eligibility"`
}

// recordFieldNames are the record's fields as scored, in table order.
var recordFieldNames = []string{"deadline local", "deadline zone", "other dates", "fee", "total available", "award count",
	"period", "duration", "in kind", "applicant types", "career stages", "ages", "countries", "students", "identity focus"}

// recordFields turns an extraction and its labels into comparable strings
// per field; "" is "not stated". other dates are scored per date instead.
func recordFields(o scout.Opportunity, l recordLabels) (got, want map[string]string) {
	got, want = map[string]string{}, map[string]string{}
	if k := o.KeyDates.Deadline; k != nil {
		got["deadline local"] = strings.TrimSpace(k.Date + " " + k.Time[:min(len(k.Time), 5)])
		got["deadline zone"] = k.Zone
	}
	if d := l.Deadline; d != nil {
		want["deadline local"] = d.Date
		if d.Time != nil {
			want["deadline local"] += " " + *d.Time
		}
		if d.Zone != nil {
			want["deadline zone"] = *d.Zone
		}
	}
	f := o.Funding
	got["fee"], got["total available"] = moneyField(f.EntryFee), moneyField(f.TotalAvailable)
	if l.Fee != nil {
		want["fee"] = moneyField(&scout.Money{Amount: l.Fee.Amount, Currency: strings.ToUpper(l.Fee.Currency)})
	}
	if l.TotalAvailable != nil {
		want["total available"] = moneyField(&scout.Money{Amount: l.TotalAvailable.Amount, Currency: strings.ToUpper(l.TotalAvailable.Currency)})
	}
	if a := f.Awards; a != nil {
		got["award count"] = fmt.Sprint(a.Max)
	}
	if a := l.AwardCount; a != nil && a.Max != nil {
		want["award count"] = fmt.Sprint(*a.Max)
	}
	if f.Period != scout.PeriodUnstated && f.Period != scout.PeriodOnce {
		got["period"] = string(f.Period)
	}
	if f.Duration != nil {
		got["duration"] = fmt.Sprintf("%d %s", scout.PeriodsIn(f.Period, *f.Duration), f.Period)
	}
	if p := l.AmountPeriod; p != nil && p.Period != "" && p.Period != "once" {
		want["period"] = p.Period
		if p.Count > 0 {
			want["duration"] = fmt.Sprintf("%d %s", p.Count, p.Period)
		}
	}
	if f.InKind != nil {
		got["in kind"] = "yes"
	}
	if l.InKind != nil && l.InKind != "" {
		want["in kind"] = "yes"
	}
	c := o.Criteria
	got["applicant types"] = setField(mapTypes(c.ApplicantTypes))
	got["career stages"] = setField(c.CareerStages)
	got["ages"] = agesField(c.AgeMin, c.AgeMax)
	got["countries"] = setField(c.Countries)
	got["identity focus"] = setField(c.IdentityFocus)
	if c.Students {
		got["students"] = "yes"
	}
	if e := l.Eligibility; e != nil {
		want["applicant types"] = setField(e.ApplicantTypes)
		want["career stages"] = setField(e.CareerStage)
		lo, hi := 0, 0
		if e.AgeMin != nil {
			lo = *e.AgeMin
		}
		if e.AgeMax != nil {
			hi = *e.AgeMax
		}
		want["ages"] = agesField(lo, hi)
		want["countries"] = setField(e.Countries)
		want["identity focus"] = setField(e.IdentityFocus)
		if e.Students != nil && *e.Students {
			want["students"] = "yes"
		}
	}
	return got, want
}

func moneyField(m *scout.Money) string {
	switch {
	case m == nil:
		return ""
	case m.Amount == 0:
		return "free"
	}
	return fmt.Sprintf("%.2f %s", m.Amount, m.Currency)
}

func agesField(lo, hi int) string {
	if lo == 0 && hi == 0 {
		return ""
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

func mapTypes(ts []scout.ApplicantType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

func setField(xs []string) string {
	ys := make([]string, 0, len(xs))
	for _, x := range xs {
		x = strings.ToLower(x)
		if x == "organisation" {
			x = "organization"
		}
		ys = append(ys, x)
	}
	slices.Sort(ys)
	return strings.Join(slices.Compact(ys), ",")
}

// scoreRecord logs precision and recall per record field over cases; it
// names no case unless verbose.
func scoreRecord(t *testing.T, cases []labelledRecord, verbose bool) map[string]score {
	scores := map[string]score{}
	for _, c := range cases {
		o, _ := Extract(c.input)
		got, want := recordFields(o, c.labels)
		for _, f := range recordFieldNames {
			if f == "other dates" {
				continue
			}
			s := scores[f]
			if !s.add(got[f], want[f]) && verbose {
				t.Logf("%s %s: got %q, want %q", c.id, f, got[f], want[f])
			}
			scores[f] = s
		}
		s := scores["other dates"]
		var labelled []string
		for _, d := range c.labels.OtherDates {
			labelled = append(labelled, d.Date)
		}
		s.want += len(labelled)
		for _, k := range o.KeyDates.Other {
			s.got++
			if slices.Contains(labelled, k.Date) {
				s.hit++
			}
		}
		scores["other dates"] = s
	}
	t.Logf("%-16s %9s %9s %5s %5s %5s", "field", "precision", "recall", "hit", "got", "want")
	for _, f := range recordFieldNames {
		s := scores[f]
		t.Logf("%-16s %9.3f %9.3f %5d %5d %5d", f, s.precision(), s.recall(), s.hit, s.got, s.want)
	}
	return scores
}

// labelledRecord is one case of a labelled set, read for its record labels.
type labelledRecord struct {
	id     string
	input  Input
	labels recordLabels
}

// loadRecordCases reads every *.jsonl file under testdata/eval/<dir>.
func loadRecordCases(tb testing.TB, dir string) []labelledRecord {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "eval", dir, "*.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []labelledRecord
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		for n, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			var c struct {
				ID        string       `json:"id"`
				Published time.Time    `json:"pub"`
				Title     string       `json:"title"`
				Text      string       `json:"text"`
				Cats      []string     `json:"cats"`
				Labels    recordLabels `json:"labels"`
			}
			if err := json.Unmarshal(line, &c); err != nil {
				tb.Fatalf("%s line %d: %v", name, n+1, err)
			}
			out = append(out, labelledRecord{id: c.ID, labels: c.Labels,
				input: Input{Title: c.Title, Text: c.Text, Categories: c.Cats, PublishedAt: c.Published}})
		}
	}
	return out
}

// recordFloor holds the dev set's record scores when last measured, less a
// margin (precision, recall), so that rule work elsewhere may trade a
// little here but not lose a field.
var recordFloor = map[string][2]float64{
	"deadline local":  {0.85, 0.80},
	"deadline zone":   {0.48, 0.55}, // the dev labels leave out the zone a time's country gives (eighth round)
	"other dates":     {0.50, 0.70},
	"fee":             {0.90, 0.50},
	"total available": {0.95, 0.75},
	"award count":     {0.70, 0.12},
	"period":          {0.95, 0.35},
	"duration":        {0.95, 0.18},
	"applicant types": {0.30, 0.10},
	"ages":            {0.80, 0.35},
	"countries":       {0.85, 0.10},
}

// TestRecordOnDev scores the record's fields on the dev set, which is open
// to tuning; with -eval.v it names the misses.
func TestRecordOnDev(t *testing.T) {
	cases := loadRecordCases(t, "dev")
	if len(cases) == 0 {
		t.Skip("no dev set")
	}
	checkFloor(t, scoreRecord(t, cases, *evalVerbose), recordFloor)
}

// TestRecordOnBlind scores the record's fields on the frozen blind set, in
// aggregate only: it never names a case.
func TestRecordOnBlind(t *testing.T) {
	cases := loadRecordCases(t, "blind")
	if len(cases) == 0 {
		t.Skip("no blind set")
	}
	scoreRecord(t, cases, false)
}

func checkFloor(t *testing.T, scores map[string]score, floor map[string][2]float64) {
	t.Helper()
	for f, fl := range floor {
		if s := scores[f]; s.precision() < fl[0] || s.recall() < fl[1] {
			t.Errorf("%s: precision %.3f recall %.3f, below the floor %.2f/%.2f", f, s.precision(), s.recall(), fl[0], fl[1])
		}
	}
}
