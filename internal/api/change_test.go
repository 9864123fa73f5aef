package api

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scoutdev/scout/internal/event"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

type changesBody struct {
	Changes    []Change `json:"changes"`
	NextCursor string   `json:"next_cursor"`
	HasMore    bool     `json:"has_more"`
}

// writeConcurrently has writers create sources with an item each, half of
// them private to owner, half public, and closes done when they finish.
func writeConcurrently(e *env, owner int64, writers, each int) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				vis := scout.VisibilityPublic
				if i%2 == 0 {
					vis = scout.VisibilityPrivate
				}
				src := e.mustSource(owner, fmt.Sprintf("https://example.org/%d/%d", w, i), vis)
				e.mustItems(src, grantItem(fmt.Sprintf("g%d-%d", w, i), "Grant", time.Now()))
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	return done
}

// consume reads /v1/changes as cred from cursor until caught up, stopping
// and resuming from next_cursor after every small page.
func (e *env) consume(cred, cursor string) ([]int64, []Change, string) {
	e.t.Helper()
	var ids []int64
	var all []Change
	for {
		var page changesBody
		r := e.do(http.MethodGet, "/v1/changes?limit=5&cursor="+cursor, cred, nil)
		wantStatus(e.t, r, http.StatusOK, "changes")
		r.json(e.t, &page)
		for _, c := range page.Changes {
			ids = append(ids, c.ID)
		}
		all, cursor = append(all, page.Changes...), page.NextCursor
		if !page.HasMore {
			return ids, all, cursor
		}
	}
}

func TestChangesResumeExactlyOnceUnderConcurrentWriters(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	done := writeConcurrently(e, alice.ID, 4, 6)
	var got []int64
	var seen []Change
	cursor := ""
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		ids, changes, next := e.consume(alice.token, cursor)
		got, seen, cursor = append(got, ids...), append(seen, changes...), next
	}
	want, err := e.st.ListChanges(bg, store.Viewer{UserID: alice.ID}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs []int64
	for _, ev := range want.Events {
		wantIDs = append(wantIDs, ev.ID)
	}
	if diff := cmp.Diff(wantIDs, got); diff != "" || len(got) != 4*6*4 /* source, item, funder entity, opportunity created or sighted */ {
		t.Fatalf("alice's changes (-want +got), %d received:\n%s", len(got), diff)
	}
	if seen[0].Type != scout.EventSourceCreated || seen[0].Data["url"] == nil {
		t.Fatalf("first change = %+v", seen[0])
	}

	_, bobs, _ := e.consume(bob.token, "")
	for _, c := range bobs {
		src, err := e.st.GetSource(bg, c.SourceID)
		if err != nil || src.Visibility != scout.VisibilityPublic {
			t.Fatalf("bob sees a change of private source %d: %+v", c.SourceID, c)
		}
	}
	if len(bobs) != len(got)/2 {
		t.Fatalf("bob sees %d changes, want the %d of public sources", len(bobs), len(got)/2)
	}
}

func TestChangesTombstonesAndExpiredCursors(t *testing.T) {
	e := newEnv(t)
	u := e.mustUser("alice@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/feed", scout.VisibilityPrivate)
	if err := e.st.DeleteSource(bg, src.ID); err != nil {
		t.Fatal(err)
	}
	_, changes, cursor := e.consume(u.token, "")
	if len(changes) != 2 || !changes[1].Deleted || changes[1].Type != scout.EventSourceDeleted {
		t.Fatalf("changes = %+v, want a creation and a tombstone", changes)
	}
	e.mustSource(u.ID, "https://example.org/feed2", scout.VisibilityPrivate)
	if _, err := e.st.PruneEvents(bg, time.Now().Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	r := e.do(http.MethodGet, "/v1/changes?cursor="+cursor, u.token, nil)
	if r.status != http.StatusGone || r.problem(t).Type != problemBase+"cursor-expired" {
		t.Fatalf("a cursor before pruned changes: %d %s", r.status, r.raw)
	}
	if ids, _, _ := e.consume(u.token, ""); len(ids) != 0 {
		t.Fatalf("reading from the start after pruning everything = %v", ids)
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/changes?cursor=abc", u.token, nil), http.StatusBadRequest, "a cursor this server did not issue")
}

// sseEvent is one parsed server-sent event.
type sseEvent struct {
	id        int64
	typ, data string
}

// openSSE connects to /v1/events and returns a channel of events, closed
// when the stream ends, and a function that drops the connection.
func openSSE(t *testing.T, base, cred, lastID string) (<-chan sseEvent, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+cred)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 1000)
	go func() {
		defer close(out)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.typ != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id, _ = strconv.ParseInt(line[4:], 10, 64)
			case strings.HasPrefix(line, "event: "):
				ev.typ = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
	}()
	return out, cancel
}

func receive(t *testing.T, c <-chan sseEvent, n int) []int64 {
	t.Helper()
	var ids []int64
	timeout := time.After(10 * time.Second)
	for len(ids) < n {
		select {
		case ev, ok := <-c:
			if !ok {
				t.Fatalf("stream ended after %v", ids)
			}
			ids = append(ids, ev.id)
		case <-timeout:
			t.Fatalf("received %v, want %d events", ids, n)
		}
	}
	return ids
}

func TestEventStreamResumesWithLastEventID(t *testing.T) {
	bus := &event.Bus{}
	e := newEnv(t, func(o *Options) { o.Events = bus })
	e.h.heartbeat = 50 * time.Millisecond
	// A server with a write timeout far shorter than the test: the stream
	// must clear it.
	srv := httptest.NewUnstartedServer(e.h)
	srv.Config.WriteTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go (&event.Tail{Store: e.st, Bus: bus, Poll: 10 * time.Millisecond}).Run(ctx)

	alice, bob := e.mustUser("alice@example.org", false), e.mustUser("bob@example.org", false)
	src := e.mustSource(alice.ID, "https://example.org/a", scout.VisibilityPrivate)
	e.mustItems(src, plainItem("a1"), plainItem("a2"))
	all := func() []int64 {
		p, _ := e.st.ListChanges(bg, store.Viewer{UserID: alice.ID}, 0, 1000)
		var ids []int64
		for _, ev := range p.Events {
			ids = append(ids, ev.ID)
		}
		return ids
	}
	stream, drop := openSSE(t, srv.URL, alice.token, "0")
	first := receive(t, stream, 3) // the replay
	bobStream, dropBob := openSSE(t, srv.URL, bob.token, "0")
	defer dropBob()

	time.Sleep(500 * time.Millisecond) // past the server's write timeout
	e.mustItems(src, plainItem("a3"))
	live := receive(t, stream, 1)
	drop()

	e.mustItems(src, plainItem("a4"), plainItem("a5"))
	stream, drop = openSSE(t, srv.URL, alice.token, strconv.FormatInt(live[0], 10))
	defer drop()
	rest := receive(t, stream, 2)
	got := slices.Concat(first, live, rest)
	if diff := cmp.Diff(all(), got); diff != "" {
		t.Fatalf("events across a reconnect (-want +got):\n%s", diff)
	}
	select {
	case ev := <-bobStream:
		t.Fatalf("bob received alice's private change %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}
}

// plainItem is an item without entities: one change when stored.
func plainItem(guid string) scout.Item {
	it := grantItem(guid, guid, time.Now())
	it.Entities = nil
	it.Opportunity = scout.Opportunity{Kind: scout.KindNone} // one event per item: no sighting
	return it
}
