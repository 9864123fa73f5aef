package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/postgres"
	"github.com/scoutdev/scout/internal/testdb"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestImportMovesAnEmbeddedInstallation(t *testing.T) {
	now := func() time.Time { return t0 }
	pg := testdb.Postgres(t, now) // first, so a missing server skips before any work
	lite := testdb.SQLite(t, now)
	owner := fill(t, lite)

	told := map[string][2]int64{}
	counts, err := pg.Import(ctx, lite.R, func(table string, copied, total int64) { told[table] = [2]int64{copied, total} })
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, c := range counts {
		if c.Source != c.Target || c.Repaired != 0 {
			t.Errorf("%s: %+v", c.Table, c)
		}
		if told[c.Table] != [2]int64{c.Source, c.Source} {
			t.Errorf("%s: progress last said %v of %d rows", c.Table, told[c.Table], c.Source)
		}
	}
	for _, c := range counts {
		if c.Table == "match_keys" && c.Source == 0 {
			t.Errorf("no match keys to copy: the test does not show that a table without rowid is copied")
		}
	}
	if !hasRows(counts, "items", 7) || !hasRows(counts, "sighting_departures", 1) || !hasRows(counts, "meta", 1) || !hasRows(counts, "preferences", 1) || !hasRows(counts, "closing_notices", 3) {
		t.Fatalf("counts do not show the filled tables: %+v", counts)
	}
	for _, v := range []store.Viewer{{Admin: true}, {UserID: owner}, {UserID: owner + 100}} {
		compare(t, lite, pg, v)
	}
	// The record and its amendment arrived, not merely the same nothing on both sides.
	free, err := pg.ListItems(ctx, store.ItemFilter{Viewer: store.Viewer{Admin: true}, Fee: store.FeeFree})
	if err != nil || len(free.Items) != 1 || free.Items[0].ID != 6 || free.Items[0].Opportunity.KeyDates.Deadline == nil ||
		free.Items[0].Opportunity.KeyDates.Deadline.Zone != "Europe/London" || free.Items[0].Opportunity.Funding.PerRecipient == nil {
		t.Fatalf("free items on postgres = %+v, %v; want the fellowship (id 6) with its local deadline and award", free.Items, err)
	}
	if as, err := pg.ListAmendments(ctx, 6, 0); err != nil || len(as) != 1 || as[0].Version != 2 {
		t.Fatalf("amendments on postgres = %+v, %v; want the deadline's move at version 2", as, err)
	}
	if _, err := pg.Import(ctx, lite.R, nil); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second import into a filled database: err = %v, want a refusal", err)
	}
	// The sequences continue after the copied ids.
	u, err := pg.CreateUser(ctx, scout.User{Email: "new@example.org"})
	if err != nil || u.ID <= owner {
		t.Fatalf("create user after import: id %d, err %v", u.ID, err)
	}
	if n, err := pg.SeedSources(ctx, []scout.Source{{Kind: scout.SourceFeed, URL: "https://seed.example.org/feed", Visibility: scout.VisibilityPublic}}); n != 0 || err != nil {
		t.Fatalf("seed after import created %d sources (err %v): the seeded mark was not moved", n, err)
	}
}

func hasRows(counts []postgres.TableCount, table string, n int64) bool {
	for _, c := range counts {
		if c.Table == table {
			return c.Target == n
		}
	}
	return false
}

// fill writes an installation through the store API and returns the id of
// the user who owns the private source.
func fill(t *testing.T, s store.Store) int64 {
	t.Helper()
	admin, err := s.CreateUser(ctx, scout.User{Email: "admin@example.org", Admin: true, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, scout.User{Email: "ana@example.org", FeedToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIKey(ctx, scout.APIKey{UserID: admin.ID, Name: "ai", Prefix: "sk_1", Hash: []byte{1, 2, 3},
		Scopes: []scout.Scope{scout.ScopeRead}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedSources(ctx, []scout.Source{{Kind: scout.SourceFeed, URL: "https://seed.example.org/feed", Visibility: scout.VisibilityPublic}}); err != nil {
		t.Fatal(err)
	}
	pub := mustCreate(t, s, scout.Source{URL: "https://a.example.org/feed", Visibility: scout.VisibilityPublic, Tags: []string{"film", "arts"}})
	priv := mustCreate(t, s, scout.Source{OwnerID: u.ID, URL: "https://b.example.org/feed", Visibility: scout.VisibilityPrivate})
	gone := mustCreate(t, s, scout.Source{URL: "https://c.example.org/feed", Visibility: scout.VisibilityPublic})
	deadline := t0.AddDate(0, 2, 0)
	items := []scout.Item{
		newItem("1", "Documentary film grant", 0, deadline, scout.KindGrant),
		newItem("2", "Music residency in Berlin", 1, time.Time{}, scout.KindResidency),
		newItem("3", "Film festival news", 2, deadline.AddDate(0, 0, -3), ""),
		newItem("4", "Grant for documentary photography", 3, time.Time{}, scout.KindGrant),
	}
	complete(t, s, pub, items...)
	complete(t, s, priv, newItem("5", "Private film commission", 4, deadline, scout.KindCommission))
	// An item with the whole record, amended once: its local deadline moves.
	rec := recordItem(deadline.AddDate(0, 6, 0), "2026-11-02")
	complete(t, s, pub, rec)
	rec = recordItem(deadline.AddDate(0, 6, 14), "2026-11-16")
	rec.ContentHash += "-v2"
	complete(t, s, pub, rec)
	page, err := s.ListItems(ctx, store.ItemFilter{Viewer: store.Viewer{Admin: true}, Query: "residency"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("find the residency: %v %v", page.Items, err)
	}
	if _, err := s.PutEnrichment(ctx, scout.Enrichment{ItemID: page.Items[0].ID, Enricher: "ai", Data: json.RawMessage(`{"score":1}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutPreferences(ctx, u.ID, store.Preferences{Kinds: []scout.Kind{scout.KindGrant}, Keywords: []string{"film"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NoteClosing(ctx, t0, 90*24*time.Hour, 100); err != nil {
		t.Fatal(err)
	}
	// A deleted source's sighting leaves a departure behind.
	complete(t, s, gone, newItem("7", "Gone source's dance commission", 6, deadline, scout.KindCommission))
	if err := s.DeleteSource(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// recordItem is a free fellowship with a local deadline, a periodic award
// and eligibility, closing at 17:00 in Edinburgh on date.
func recordItem(at time.Time, date string) scout.Item {
	it := newItem("6", "Edinburgh fellowship", 5, at, scout.KindFellowship)
	it.Opportunity.KeyDates.Deadline = &scout.KeyDate{Label: scout.DateDeadline, Date: date, Time: "17:00", Zone: "Europe/London", At: at}
	it.Opportunity.Funding = scout.Funding{Period: scout.PeriodMonth, Duration: &scout.Duration{Count: 6, Unit: scout.PeriodMonth},
		PerRecipient: &scout.MoneyRange{Min: 6000, Max: 30000, Currency: "USD"}, EntryFee: &scout.Money{Amount: 0},
		TotalAvailable: &scout.Money{Amount: 90000, Currency: "USD"}}
	it.Opportunity.Criteria = scout.Eligibility{ApplicantTypes: []scout.ApplicantType{scout.ApplicantIndividual}, Countries: []string{"GB-SCT"}}
	it.Opportunity.Extractor = "rules/1"
	return it
}

func mustCreate(t *testing.T, s store.Store, src scout.Source) scout.Source {
	t.Helper()
	out, err := s.CreateSource(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func newItem(guid, title string, minute int, deadline time.Time, kind scout.Kind) scout.Item {
	it := scout.Item{GUID: guid, Title: title, URL: "https://example.org/" + guid, Summary: title + " summary",
		ContentText: title + " body", PublishedAt: t0.Add(time.Duration(minute) * time.Minute), ContentHash: "h" + guid,
		Categories: []string{"arts"}}
	it.Opportunity = scout.Opportunity{Kind: kind, KindConfidence: 0.75, Deadline: deadline, AmountMin: 1000, AmountMax: 5000,
		Currency: "USD", Funder: "Arts Council", Provenance: map[string]scout.Provenance{"deadline": {Source: "rules/1", Confidence: 0.9}}}
	it.Entities = []scout.ItemEntity{{Entity: scout.Entity{Type: scout.EntityOrganization, Name: "Arts Council"}, Role: "funder", Confidence: 0.5}}
	return it
}

func complete(t *testing.T, s store.Store, src scout.Source, items ...scout.Item) {
	t.Helper()
	_, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: items, ETag: `"e"`, Interval: time.Hour,
		NextFetchAt: t0.Add(time.Hour), Log: scout.FetchLog{StatusCode: 200, Bytes: 1234, Duration: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
}

// compare reads the same lists from both stores as v and wants equal answers.
func compare(t *testing.T, a, b store.Store, v store.Viewer) {
	t.Helper()
	reads := map[string]func(store.Store) (any, error){
		"items":       func(s store.Store) (any, error) { return s.ListItems(ctx, store.ItemFilter{Viewer: v}) },
		"search film": func(s store.Store) (any, error) { return s.ListItems(ctx, store.ItemFilter{Viewer: v, Query: "film"}) },
		"search phrase": func(s store.Store) (any, error) {
			return s.ListItems(ctx, store.ItemFilter{Viewer: v, Query: `"film grant" OR residency`})
		},
		"by deadline": func(s store.Store) (any, error) {
			return s.ListItems(ctx, store.ItemFilter{Viewer: v, Sort: store.SortDeadline})
		},
		"grants by tag": func(s store.Store) (any, error) {
			return s.ListItems(ctx, store.ItemFilter{Viewer: v, Kind: scout.KindGrant, Tag: "film"})
		},
		"sources":         func(s store.Store) (any, error) { return s.ListSources(ctx, store.SourceFilter{Viewer: v}) },
		"users":           func(s store.Store) (any, error) { return s.ListUsers(ctx, store.PageRequest{}) },
		"events":          func(s store.Store) (any, error) { return s.ListEvents(ctx, 0, 1000) },
		"fetches":         func(s store.Store) (any, error) { return s.ListFetches(ctx, 2, 10) },
		"entities":        func(s store.Store) (any, error) { return s.ListEntities(ctx, store.EntityFilter{Prefix: "arts"}) },
		"item with links": func(s store.Store) (any, error) { return s.GetItem(ctx, 1) },
		"enrichments":     func(s store.Store) (any, error) { return s.ListEnrichments(ctx, 2) },
		"stats":           func(s store.Store) (any, error) { return s.Stats(ctx, v, t0) },
		"preferences":     func(s store.Store) (any, error) { return s.GetPreferences(ctx, v.UserID) },
		"free to enter": func(s store.Store) (any, error) {
			return s.ListItems(ctx, store.ItemFilter{Viewer: v, Fee: store.FeeFree, Country: "GB", Applicant: scout.ApplicantIndividual})
		},
		"amendments":    func(s store.Store) (any, error) { return s.ListAmendments(ctx, 6, 0) },
		"opportunities": func(s store.Store) (any, error) { return s.ListModifiedOpportunities(ctx, v, 0, 50, true) },
	}
	for name, read := range reads {
		want, err := read(a)
		if err != nil {
			t.Fatalf("%s on sqlite: %v", name, err)
		}
		got, err := read(b)
		if err != nil {
			t.Fatalf("%s on postgres: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s as %+v differs (-sqlite +postgres):\n%s", name, v, diff)
		}
	}
}
