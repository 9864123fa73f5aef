// Package grantsgov is the grantsgov kind of source: a preset of the json
// kind for the Grants.gov Search2 API (POST https://api.grants.gov/v1/api/search2),
// whose configuration holds the search filters. Each hit becomes an item
// whose opportunity is a grant with the agency as funder, the open and
// close dates as key dates, and, when the answer carries them, the award
// ceiling and floor, the estimated total funding and the expected number
// of awards, all with "feed" provenance.
package grantsgov

import (
	"context"
	"encoding/json"
	"strings"

	feeds "github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
	"github.com/scoutdev/scout/internal/source/jsonapi"
)

// SearchURL is the Search2 endpoint a grantsgov source is created with.
const SearchURL = "https://api.grants.gov/v1/api/search2"

// DetailURL is where a person reads an opportunity; {id} is its Grants.gov id.
const DetailURL = "https://www.grants.gov/search-results-detail/{id}"

// Config is the grantsgov kind's configuration: the Search2 filters, and
// whether they search the API or the daily XML extract.
type Config struct {
	Mode          string   `json:"mode,omitempty" enum:"search,extract" doc:"search (default): the Search2 API at the source's URL; extract: the daily XML extract of every opportunity at the source's URL (a .zip or the .xml), read as it arrives with the same filters applied, where {date} in the URL stands for the day's date (YYYYMMDD, UTC; the day before when the day's file is not out yet)"`
	Keyword       string   `json:"keyword,omitempty" maxLength:"200" doc:"words to search for, e.g. \"arts\""`
	Statuses      []string `json:"statuses,omitempty" maxItems:"4" enum:"forecasted,posted,closed,archived" doc:"default forecasted and posted"`
	Agencies      []string `json:"agencies,omitempty" maxItems:"50" doc:"agency codes, e.g. NEA, NEH"`
	Categories    []string `json:"categories,omitempty" maxItems:"30" doc:"funding category codes, e.g. AR (arts), HU (humanities)"`
	Eligibilities []string `json:"eligibilities,omitempty" maxItems:"30" doc:"eligibility codes, e.g. 21 (individuals), 12 (nonprofits)"`
	Rows          int      `json:"rows,omitempty" minimum:"1" maximum:"100" doc:"hits per answer; default 25"`
	MaxPages      int      `json:"max_pages,omitempty" minimum:"1" maximum:"20" doc:"answers read per fetch; default 5"`
	MaxItems      int      `json:"max_items,omitempty" minimum:"1" maximum:"5000" doc:"extract: the matching opportunities kept per read, the most recently updated; default 1000"`
}

// statuses are the opportunity statuses searched for.
func (c *Config) statuses() []string {
	if len(c.Statuses) == 0 {
		return []string{"forecasted", "posted"}
	}
	return c.Statuses
}

// Check checks the mode and the codes' shape (letters, digits, dashes).
func (c *Config) Check() error {
	if c.Mode != "" && c.Mode != "search" && c.Mode != "extract" {
		return scout.Invalid("config.mode", "must be search or extract")
	}
	for _, f := range []struct {
		name  string
		codes []string
	}{{"agencies", c.Agencies}, {"categories", c.Categories}, {"eligibilities", c.Eligibilities}} {
		for i, code := range f.codes {
			if code == "" || len(code) > 32 || strings.ContainsFunc(code, func(r rune) bool {
				return !(r == '-' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
			}) {
				return scout.Invalid("config."+f.name, "entry %d must be a code of letters, digits and dashes", i)
			}
		}
	}
	return nil
}

// json is the json kind's configuration the filters amount to.
func (c *Config) json() *jsonapi.Config {
	statuses := c.statuses()
	rows := c.Rows
	if rows <= 0 {
		rows = 25
	}
	body := map[string]any{"rows": rows, "keyword": c.Keyword, "oppStatuses": strings.Join(statuses, "|"),
		"agencies": strings.Join(c.Agencies, "|"), "fundingCategories": strings.Join(c.Categories, "|"),
		"eligibilities": strings.Join(c.Eligibilities, "|")}
	b, _ := json.Marshal(body)
	return &jsonapi.Config{
		Method: "POST", Body: b, Items: "$.data.oppHits[*]", LinkTemplate: DetailURL, DateLayout: "01/02/2006", Currency: "USD",
		Fields: jsonapi.Fields{ID: "$.id", Title: "$.title", Date: "$.openDate", Deadline: "$.closeDate", OpensAt: "$.openDate",
			Summary: "$.synopsis", Body: "$.description", Funder: "$['agencyName','agency']",
			AwardCeiling: "$.awardCeiling", AwardFloor: "$.awardFloor", TotalFunding: "$.estimatedFunding",
			AwardCount: "$.expectedNumberOfAwards", Categories: "$['number','cfdaList']"},
		Paging: &jsonapi.Paging{Mode: "offset", Param: "startRecordNum", Total: "$.data.hitCount", MaxPages: c.MaxPages},
	}
}

// Collector reads Grants.gov searches.
type Collector struct {
	Options feeds.Options
	// MaxXMLBytes bounds what a zipped extract inflates to;
	// DefaultMaxXMLBytes when zero.
	MaxXMLBytes int64
}

// Kind returns the grantsgov kind.
func Kind(opts feeds.Options) source.Kind {
	return source.Kind{Name: scout.SourceGrantsGov, NewConfig: func() source.Config { return &Config{} }, Collector: &Collector{Options: opts}}
}

// Collect runs the search and marks every hit a grant, as Grants.gov lists
// only grants and cooperative agreements.
func (c *Collector) Collect(ctx context.Context, src scout.Source, get source.Getter) (source.Result, error) {
	var cfg Config
	if err := source.Decode(src.Config, &cfg); err != nil {
		return source.Result{}, source.Errorf(scout.ErrorOther, "the source's configuration is invalid: %v", err)
	}
	if cfg.Mode == "extract" {
		return c.collectExtract(ctx, src, get, &cfg)
	}
	res, err := jsonapi.Read(ctx, src, get, cfg.json(), c.Options)
	if err != nil {
		return res, err
	}
	res.Title = "Grants.gov"
	if cfg.Keyword != "" {
		res.Title += ": " + cfg.Keyword
	}
	for i := range res.Items {
		o := &res.Items[i].Opportunity
		if o.Provenance == nil {
			o.Provenance = map[string]scout.Provenance{}
		}
		o.Kind, o.KindConfidence, o.Provenance["kind"] = scout.KindGrant, source.Stated.Confidence, source.Stated
	}
	return res, nil
}
