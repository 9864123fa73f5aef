package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
)

// opportunity is a fixture item with an opportunity facet.
func opportunity(guid, title string, kind scout.Kind, deadlineDays float64, amount int64, loc string, disc ...string) scout.Item {
	now := time.Now().UTC()
	it := scout.Item{GUID: guid, URL: "https://example.org/" + guid, Title: title, Summary: title + ".", ContentText: title,
		PublishedAt: now.Add(-time.Hour), ContentHash: guid}
	it.Opportunity = scout.Opportunity{Kind: kind, AmountMax: amount, Currency: "USD", Location: loc, Disciplines: disc, Extractor: "rules/1"}
	if deadlineDays != 0 {
		it.Opportunity.Deadline = now.Add(time.Duration(deadlineDays * float64(24*time.Hour))).Truncate(time.Second)
	}
	return it
}

// digestFixture stores a fixed data set in one public source: three items
// the preferences below select, and one for each reason to leave one out.
func digestFixture(e *env) {
	src := e.mustSource(0, "https://example.org/digest-feed", scout.VisibilityPublic)
	e.mustItems(src,
		opportunity("soon", "Film grant closing soon", scout.KindGrant, 3, 10000, "Toronto, Canada", "film"),
		opportunity("later", "Film fellowship later", scout.KindFellowship, 60, 50000, "", "film"),
		opportunity("anywhere", "Film grant anywhere", scout.KindGrant, 30, 5000, ""),
		opportunity("music", "Music and film grant", scout.KindGrant, 5, 20000, "", "music"),
		opportunity("fee", "Film grant with an entry fee", scout.KindGrant, 10, 10000, ""),
		opportunity("closed", "Closed film grant", scout.KindGrant, -1, 10000, ""),
		opportunity("news", "Film news", scout.KindNone, 0, 0, ""),
		opportunity("small", "Small film grant", scout.KindGrant, 7, 100, ""),
		opportunity("residency", "Film residency", scout.KindResidency, 7, 10000, ""),
		opportunity("france", "Film grant in France", scout.KindGrant, 4, 10000, "Paris, France", "film"),
		opportunity("painting", "Painting grant", scout.KindGrant, 4, 10000, ""),
	)
}

var filmPrefs = PreferencesBody{Kinds: []string{"grant", "fellowship"}, Disciplines: []string{"Film"}, Keywords: []string{"film"},
	Excluded: []string{"entry fee"}, MinAmount: 1000, Locations: []string{"canada"}, DigestFrequency: "daily"}

type digestBody struct {
	Since  time.Time `json:"since"`
	Cursor string    `json:"cursor"`
	Items  []struct {
		Item struct {
			Title string `json:"title"`
		} `json:"item"`
		Score, Match, Urgency, Amount float64
	} `json:"items"`
}

func (d digestBody) titles() []string {
	var out []string
	for _, it := range d.Items {
		out = append(out, it.Item.Title)
	}
	return out
}

func TestDigestRanksAndFiltersByPreferences(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("reader@example.org", false)
	digestFixture(e)
	wantStatus(t, e.do(http.MethodPut, "/v1/me/preferences", u.token, filmPrefs), http.StatusOK, "put preferences")
	var got digestBody
	r := e.do(http.MethodGet, "/v1/digest", u.token, nil)
	wantStatus(t, r, http.StatusOK, "digest")
	r.json(t, &got)
	want := []string{"Film grant closing soon", "Film fellowship later", "Film grant anywhere"}
	if diff := cmp.Diff(want, got.titles()); diff != "" {
		t.Fatalf("digest (-want +got):\n%s", diff)
	}
	// 0.45·1 + 0.35/(1+3/14) + 0.20·log10(10001)/6
	if s := got.Items[0].Score; s < 0.87 || s > 0.873 || got.Items[0].Match != 1 {
		t.Fatalf("top score = %+v, want about 0.8716 with a full match", got.Items[0])
	}
	if got.Items[2].Match < 0.666 || got.Items[2].Match > 0.667 {
		t.Fatalf("an item naming neither discipline nor location matches %v, want 2/3", got.Items[2].Match)
	}

	wantStatus(t, e.do(http.MethodPost, "/v1/digest/read", u.token, map[string]string{"cursor": got.Cursor}), http.StatusNoContent, "mark read")
	var after digestBody
	e.do(http.MethodGet, "/v1/digest", u.token, nil).json(t, &after)
	if len(after.Items) != 0 {
		t.Fatalf("digest after marking it read = %v, want nothing new", after.titles())
	}
	since := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	e.do(http.MethodGet, "/v1/digest?since="+since, u.token, nil).json(t, &after)
	if len(after.Items) != 3 {
		t.Fatalf("digest since an hour ago = %v, want the three again", after.titles())
	}
}

func TestDigestInputsAreValidated(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("reader@example.org", false)
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		want   int
		field  string
	}{
		{"an unknown kind", http.MethodPut, "/v1/me/preferences", map[string]any{"kinds": []string{"lottery"}}, 422, "body.kinds[0]"},
		{"a keyword that is only an exclusion", http.MethodPut, "/v1/me/preferences", map[string]any{"keywords": []string{"-fee"}}, 422, "body.keywords[0]"},
		{"a negative amount", http.MethodPut, "/v1/me/preferences", map[string]any{"min_amount": -1}, 422, "body.min_amount"},
		{"a forged digest cursor", http.MethodPost, "/v1/digest/read", map[string]string{"cursor": "bm90IGEgY3Vyc29y"}, 422, "body.cursor"},
		{"no credentials", http.MethodGet, "/v1/digest", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := u.token
			if tt.want == 401 {
				cred = ""
			}
			r := e.do(tt.method, tt.path, cred, tt.body)
			wantStatus(t, r, tt.want, tt.name)
			if p := r.problem(t); tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Location != tt.field) {
				t.Fatalf("problem %+v, want an error at %s", p, tt.field)
			}
		})
	}
	var p Preferences
	e.do(http.MethodGet, "/v1/me/preferences", u.token, nil).json(t, &p)
	if p.DigestFrequency != "weekly" || p.Version != 0 || p.Kinds == nil {
		t.Fatalf("default preferences = %+v", p)
	}
}

func TestPreferencesRoundTrip(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("reader@example.org", false)
	in := filmPrefs
	in.DeadlineHorizonDays = 45
	var out Preferences
	e.do(http.MethodPut, "/v1/me/preferences", u.token, in).json(t, &out)
	if diff := cmp.Diff(in, out.PreferencesBody); diff != "" || out.Version != 1 {
		t.Fatalf("stored preferences (-want +got):\n%s (version %d)", diff, out.Version)
	}
	other := e.mustUser("other@example.org", false)
	var theirs Preferences
	e.do(http.MethodGet, "/v1/me/preferences", other.token, nil).json(t, &theirs)
	if strings.Join(theirs.Keywords, "") != "" {
		t.Fatalf("another user sees preferences %+v", theirs)
	}
}
