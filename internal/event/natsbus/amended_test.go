package natsbus_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/event/natsbus"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// deadlineItem is a grant closing on the local date given, 23:59 Pacific.
func deadlineItem(date string, at time.Time) scout.Item {
	it := scout.Item{GUID: "g", Title: "Grant", URL: "https://example.org/g", ContentText: "Closes " + date, ContentHash: date, PublishedAt: at}
	k := &scout.KeyDate{Label: scout.DateDeadline, Date: date, Time: "23:59", Zone: "America/Los_Angeles", At: at.AddDate(0, 1, 0)}
	it.Opportunity = scout.Opportunity{Kind: scout.KindGrant, Deadline: k.At, KeyDates: scout.KeyDates{Deadline: k}, Extractor: "rules/1"}
	return it
}

func TestAmendmentsAreRelayedWithTheirChanges(t *testing.T) {
	for name, mk := range map[string]func(t *testing.T) store.Store{
		"sqlite":   func(t *testing.T) store.Store { return testdb.SQLite(t, nil) },
		"postgres": func(t *testing.T) store.Store { return testdb.Postgres(t, nil) },
	} {
		t.Run(name, func(t *testing.T) { testAmendmentsRelayed(t, mk(t)) })
	}
}

func testAmendmentsRelayed(t *testing.T, st store.Store) {
	ctx := context.Background()
	p := open(t)
	src, err := st.CreateSource(ctx, scout.Source{URL: "https://example.org/feed", Kind: scout.SourceFeed, Visibility: scout.VisibilityPublic, Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, it := range []scout.Item{deadlineItem("2027-03-03", pub), deadlineItem("2027-03-17", pub.AddDate(0, 0, 14))} {
		if _, err := st.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: []scout.Item{it}, NextFetchAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	relay := event.NewRelay(event.RelayOptions{Store: st, Publisher: p, Batch: 100})
	if _, err := relay.Step(ctx); err != nil {
		t.Fatal(err)
	}
	prefix := strings.TrimSuffix(p.Subject(scout.Event{Type: "x"}), "x")
	s, err := p.JetStream().Stream(ctx, p.Stream())
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.GetLastMsgForSubject(ctx, prefix+scout.EventOpportunityAmended)
	if err != nil {
		t.Fatalf("no %s message on the stream: %v", scout.EventOpportunityAmended, err)
	}
	var env natsbus.Envelope
	if err := json.Unmarshal(m.Data, &env); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Version int64          `json:"version"`
		Changes []scout.Change `json:"changes"`
	}
	if err := json.Unmarshal(env.Payload, &body); err != nil {
		t.Fatalf("payload %s: %v", env.Payload, err)
	}
	var deadline *scout.Change
	for i := range body.Changes {
		if body.Changes[i].Field == "deadline" {
			deadline = &body.Changes[i]
		}
	}
	if env.Type != scout.EventOpportunityAmended || body.Version != 2 || deadline == nil ||
		!strings.Contains(string(deadline.Old), "2027-03-03") || !strings.Contains(string(deadline.New), "2027-03-17") {
		t.Fatalf("amended message %s, payload %s: want version 2 with the deadline 2027-03-03 → 2027-03-17", m.Data, env.Payload)
	}
}
