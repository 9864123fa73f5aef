package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files from the current rules")

// goldenRow is the full extraction of one evaluation text, as kept in
// testdata/golden/eval.golden: a change to any field shows in review.
type goldenRow struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	KindConf    float64  `json:"kind_conf"`
	Deadline    string   `json:"deadline,omitempty"`
	Opens       string   `json:"opens,omitempty"`
	Rolling     bool     `json:"rolling,omitempty"`
	Amount      []any    `json:"amount,omitempty"`
	Funder      string   `json:"funder,omitempty"`
	Location    string   `json:"location,omitempty"`
	Eligibility []string `json:"eligibility,omitempty"`
	Disciplines []string `json:"disciplines,omitempty"`
	Entities    []string `json:"entities,omitempty"`
	// The record beyond the facet: local dates, funding, eligibility.
	KeyDates []string           `json:"key_dates,omitempty"`
	Funding  *scout.Funding     `json:"funding,omitempty"`
	Criteria *scout.Eligibility `json:"criteria,omitempty"`
}

// keyDateRows renders key dates as "label date time zone" strings.
func keyDateRows(k scout.KeyDates) []string {
	var out []string
	row := func(d *scout.KeyDate) {
		out = append(out, strings.TrimSpace(strings.Join([]string{d.Label, d.Date, d.Time, d.Zone}, " ")))
	}
	if k.Opens != nil {
		row(k.Opens)
	}
	if k.Deadline != nil {
		row(k.Deadline)
	}
	for i := range k.Other {
		row(&k.Other[i])
	}
	return out
}

func TestGolden(t *testing.T) {
	cases := append(mustLoadEval(t, "cases.jsonl"), mustLoadEval(t, "holdout.jsonl")...)
	var buf bytes.Buffer
	for _, c := range cases {
		o, ents := Extract(c.input())
		r := goldenRow{ID: c.ID, Kind: string(o.Kind), KindConf: float64(int(o.KindConfidence*100)) / 100,
			Deadline: timeField(o.Deadline), Opens: timeField(o.OpensAt), Rolling: o.Rolling, Funder: o.Funder,
			Location: o.Location, Eligibility: o.Eligibility, Disciplines: o.Disciplines}
		if o.Currency != "" {
			r.Amount = []any{o.AmountMin, o.AmountMax, o.Currency}
		}
		r.KeyDates = keyDateRows(o.KeyDates)
		if o.Funding != (scout.Funding{}) {
			r.Funding = &o.Funding
		}
		if !o.Criteria.IsZero() {
			c := o.Criteria
			c.Spans = nil
			r.Criteria = &c
		}
		for _, e := range ents {
			r.Entities = append(r.Entities, string(e.Entity.Type)+":"+e.Role+":"+e.Entity.Key)
		}
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal %s: %v", c.ID, err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	path := filepath.Join("testdata", "golden", "eval.golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("extraction differs from %s (-want +got); run with -update if intended:\n%s", path, diff)
	}
}
