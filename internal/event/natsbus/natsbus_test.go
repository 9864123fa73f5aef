package natsbus_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/event/natsbus"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// natsEnv names the variable that points these tests at a NATS server
// with JetStream enabled.
const natsEnv = "SCOUT_TEST_NATS_URL"

// natsURL returns the test server's URL. With natsEnv unset it tries the
// local default and skips when nothing answers; with it set, an
// unreachable server fails the test, so CI cannot pass without NATS.
func natsURL(t testing.TB) string {
	t.Helper()
	url, set := os.LookupEnv(natsEnv)
	if url == "" {
		url = nats.DefaultURL
	}
	nc, err := nats.Connect(url, nats.Timeout(2*time.Second))
	if err != nil {
		if !set {
			t.Skipf("NATS tests skipped: no server at %s (set %s to require one): %v", url, natsEnv, err)
		}
		t.Fatalf("NATS at %s is unreachable (%s is set, so the NATS tests must run): %v", url, natsEnv, err)
	}
	nc.Close()
	return url
}

// open returns a publisher on a stream and subject prefix of its own,
// deleted when the test ends.
func open(t testing.TB) *natsbus.Publisher {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	suffix := hex.EncodeToString(b)
	ctx := context.Background()
	p, err := natsbus.Open(ctx, natsbus.Options{URL: natsURL(t), Stream: "SCOUT_TEST_" + strings.ToUpper(suffix), Prefix: "scouttest" + suffix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = p.JetStream().DeleteStream(context.Background(), "SCOUT_TEST_"+strings.ToUpper(suffix))
		p.Close()
	})
	return p
}

type message struct {
	Subject, MsgID string
	ID             int64
	Type           string
}

// messages reads every message of the publisher's stream.
func messages(t *testing.T, p *natsbus.Publisher, stream string) []message {
	t.Helper()
	ctx := context.Background()
	s, err := p.JetStream().Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []message
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		var env natsbus.Envelope
		if err := json.Unmarshal(m.Data, &env); err != nil {
			t.Fatal(err)
		}
		out = append(out, message{Subject: m.Subject, MsgID: m.Header.Get(jetstream.MsgIDHeader), ID: env.ID, Type: env.Type})
	}
	return out
}

// fill writes a source with two items and a failing fetch: source.created,
// item.created ×2, source.failed.
func fill(t *testing.T, st store.Store) []scout.Event {
	t.Helper()
	ctx := context.Background()
	src, err := st.CreateSource(ctx, scout.Source{URL: "https://example.org/feed", Kind: scout.SourceFeed, Visibility: scout.VisibilityPublic, Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	items := []scout.Item{{GUID: "a", Title: "A", ContentHash: "a", PublishedAt: time.Now()}, {GUID: "b", Title: "B", ContentHash: "b", PublishedAt: time.Now()}}
	if _, err := st.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: items, NextFetchAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, NextFetchAt: time.Now(),
		Log: scout.FetchLog{ErrorClass: scout.ErrorHTTP, Error: "500"}, Status: scout.SourceFailing}); err != nil {
		t.Fatal(err)
	}
	evs, err := st.ListEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestRelayPublishesEveryRowWithSubjectAndMsgID(t *testing.T) {
	st := testdb.SQLite(t, nil)
	p := open(t)
	evs := fill(t, st)
	relay := event.NewRelay(event.RelayOptions{Store: st, Publisher: p, Batch: 10})
	if n, err := relay.Step(context.Background()); err != nil || n != len(evs) {
		t.Fatalf("relay step = %d, %v; want %d", n, err, len(evs))
	}
	if n, _ := relay.Step(context.Background()); n != 0 {
		t.Fatalf("a second step relayed %d rows again", n)
	}
	prefix := strings.TrimSuffix(p.Subject(scout.Event{Type: "x"}), "x")
	var want []message
	for _, e := range evs {
		want = append(want, message{Subject: prefix + e.Type, MsgID: fmt.Sprint(e.ID), ID: e.ID, Type: e.Type})
	}
	got := messages(t, p, p.Stream())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("stream contents (-want +got):\n%s", diff)
	}
	if got[len(got)-1].Subject != prefix+"source.failed" || got[1].Subject != prefix+"item.created" {
		t.Fatalf("subjects = %+v", got)
	}
}

func TestPublishFailureLeavesRowsUnrelayedAndTheyGoOutLater(t *testing.T) {
	st := testdb.SQLite(t, nil)
	p := open(t)
	name := p.Stream()
	evs := fill(t, st)
	ctx := context.Background()
	if err := p.JetStream().DeleteStream(ctx, name); err != nil { // the broker loses its stream: publishes fail
		t.Fatal(err)
	}
	relay := event.NewRelay(event.RelayOptions{Store: st, Publisher: p, Batch: 10})
	if n, err := relay.Step(ctx); err == nil || n != 0 {
		t.Fatalf("relay without a stream = %d, %v; want 0 and an error", n, err)
	}
	if err := p.EnsureStream(ctx); err != nil { // as on restart
		t.Fatal(err)
	}
	// A row published but not marked (a crash between ack and commit) is
	// sent again: JetStream keeps one copy.
	if _, err := p.Publish(ctx, evs[:1]); err != nil {
		t.Fatal(err)
	}
	if n, err := relay.Step(ctx); err != nil || n != len(evs) {
		t.Fatalf("relay after recovery = %d, %v", n, err)
	}
	got := messages(t, p, name)
	if len(got) != len(evs) {
		t.Fatalf("stream holds %d messages, want %d (the redelivered one de-duplicated)", len(got), len(evs))
	}
	for i, m := range got {
		if m.ID != evs[i].ID {
			t.Fatalf("message %d is event %d, want %d: order lost", i, m.ID, evs[i].ID)
		}
	}
}

// crashing publishes part of a batch and then fails as a process killed
// before it could mark anything relayed would.
type crashing struct {
	p    *natsbus.Publisher
	sent int
}

func (c *crashing) Publish(ctx context.Context, evs []scout.Event) (int, error) {
	n := min(c.sent, len(evs))
	if _, err := c.p.Publish(ctx, evs[:n]); err != nil {
		return 0, err
	}
	return 0, errors.New("killed before marking the batch relayed")
}

func TestRelayKilledMidBatchLosesNothingAndDuplicatesNothing(t *testing.T) {
	st := testdb.SQLite(t, nil)
	p := open(t)
	evs := fill(t, st)
	ctx := context.Background()
	dying := event.NewRelay(event.RelayOptions{Store: st, Publisher: &crashing{p: p, sent: 3}, Batch: 10})
	if n, err := dying.Step(ctx); err == nil || n != 0 {
		t.Fatalf("dying relay = %d, %v", n, err)
	}
	restarted := event.NewRelay(event.RelayOptions{Store: st, Publisher: p, Batch: 2})
	for {
		n, err := restarted.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	got := messages(t, p, p.Stream())
	var ids []int64
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	var want []int64
	for _, e := range evs {
		want = append(want, e.ID)
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("stream after a crash and restart (-want +got):\n%s", diff)
	}
}
