package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func mustQueue(tb testing.TB, s store.Store, host string, now time.Time) store.HostQueue {
	tb.Helper()
	q, err := s.HostQueue(ctx, host, now)
	if err != nil {
		tb.Fatalf("queue of %s: %v", host, err)
	}
	return q
}

func mustMove(tb testing.TB, s store.Store, id int64, u string) scout.Source {
	tb.Helper()
	src, err := s.UpdateSource(ctx, id, store.SourceUpdate{URL: &u})
	if err != nil {
		tb.Fatalf("move source %d to %s: %v", id, u, err)
	}
	return src
}

func testSourceMoves(t *testing.T, s store.Store, c *Clock) {
	u := mustUser(t, s, "alice@example.org", false)
	src := mustAdd(t, s, scout.Source{OwnerID: u.ID, URL: "https://old.example/feed"}, true)
	mustFetch(t, s, src) // stores the validator "v1"; next fetch in an hour
	c.Advance(time.Minute)
	moved := mustMove(t, s, src.ID, "https://NEW.example:443/feed")
	if moved.URL != "https://NEW.example:443/feed" || moved.Host != "new.example" || moved.ETag != "" || !moved.NextFetchAt.Equal(c.Now()) {
		t.Fatalf("moved = url %q host %q etag %q next %s; want the new URL and host, no validator, due now", moved.URL, moved.Host, moved.ETag, moved.NextFetchAt)
	}
	if q := mustQueue(t, s, "new.example", c.Now()); q.Due != 1 || q.Urgent != 1 {
		t.Fatalf("new host's queue = %+v, want the moved source due first", q)
	}
	if q := mustQueue(t, s, "old.example", c.Now()); q.Due != 0 {
		t.Fatalf("old host's queue = %+v, want it empty", q)
	}
	if got := mustAdd(t, s, scout.Source{OwnerID: u.ID, URL: "https://new.example/feed"}, false); got.ID != src.ID {
		t.Fatalf("adding the new URL found source %d, want the moved %d", got.ID, src.ID)
	}
	other := mustAdd(t, s, scout.Source{OwnerID: u.ID, URL: "https://old.example/feed"}, true)
	bad := "https://new.example/feed#again"
	if _, err := s.UpdateSource(ctx, other.ID, store.SourceUpdate{URL: &bad}); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("moving onto a source the owner has: err = %v, want ErrConflict", err)
	}
	bad = "ftp://new.example/feed"
	if _, err := s.UpdateSource(ctx, other.ID, store.SourceUpdate{URL: &bad}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("moving to an ftp URL: err = %v, want ErrInvalid", err)
	}
	if err := s.DeleteSource(ctx, other.ID); err != nil {
		t.Fatal(err)
	}

	// A move while the old URL is being fetched: the slot stays with the
	// host being fetched until that fetch completes, and the fetch's
	// validators and redirect are not kept for the new URL.
	hp := store.HostPolicy{Concurrency: 1}
	claimed, err := s.ClaimDueSources(ctx, c.Now(), 10, time.Minute, hp)
	if err != nil || len(claimed) != 1 || claimed[0].ID != src.ID {
		t.Fatalf("claim = %+v, %v; want the moved source", claimed, err)
	}
	during := mustMove(t, s, src.ID, "https://third.example/feed")
	if during.Host != "new.example" || mustQueue(t, s, "new.example", c.Now()).InFlight != 1 || mustQueue(t, s, "third.example", c.Now()).InFlight != 0 {
		t.Fatalf("during the fetch: host %q; want the fetch counted on new.example", during.Host)
	}
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, From: claimed[0].URL, URL: "https://elsewhere.example/feed",
		ETag: `"stale"`, NextFetchAt: c.Now().Add(time.Hour), Interval: time.Hour, Status: scout.SourceRetired,
		Log: scout.FetchLog{StatusCode: 410, ErrorClass: scout.ErrorHTTP, Error: "gone"}}); err != nil {
		t.Fatal(err)
	}
	after, err := s.GetSource(ctx, src.ID)
	if err != nil || after.URL != "https://third.example/feed" || after.Host != "third.example" || after.ETag != "" ||
		after.Status == scout.SourceRetired || after.NextFetchAt.After(c.Now()) {
		t.Fatalf("after the old URL's fetch = %+v, %v; want the new URL on its host, no validator, not retired, due now", after, err)
	}
	if q := mustQueue(t, s, "third.example", c.Now()); q.Due != 1 || q.InFlight != 0 {
		t.Fatalf("third host's queue = %+v, want the source due", q)
	}

	// A permanent redirect moves the source, its host and its identity.
	c.Advance(time.Minute)
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, From: after.URL, URL: "https://Moved.example/feed",
		ETag: `"m1"`, NextFetchAt: c.Now().Add(time.Hour), Interval: time.Hour, Log: scout.FetchLog{StatusCode: 200}}); err != nil {
		t.Fatal(err)
	}
	redirected, _ := s.GetSource(ctx, src.ID)
	if redirected.URL != "https://Moved.example/feed" || redirected.Host != "moved.example" || redirected.ETag != `"m1"` {
		t.Fatalf("after a permanent redirect = url %q host %q etag %q", redirected.URL, redirected.Host, redirected.ETag)
	}
	if q := mustQueue(t, s, "moved.example", c.Now().Add(2*time.Hour)); q.Due != 1 {
		t.Fatalf("redirect target's queue = %+v, want the source", q)
	}
	if got := mustAdd(t, s, scout.Source{OwnerID: u.ID, URL: "https://moved.example/feed"}, false); got.ID != src.ID {
		t.Fatalf("adding the redirect target found %d, want %d", got.ID, src.ID)
	}
	// A redirect onto another source of the owner is not followed.
	taken := mustAdd(t, s, scout.Source{OwnerID: u.ID, URL: "https://taken.example/feed"}, true)
	if _, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, From: redirected.URL, URL: "https://TAKEN.example/feed",
		NextFetchAt: c.Now().Add(time.Hour), Interval: time.Hour, Log: scout.FetchLog{StatusCode: 200}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetSource(ctx, src.ID); got.URL != redirected.URL || got.Host != "moved.example" || taken.Host != "taken.example" {
		t.Fatalf("after a redirect onto source %d: url %q host %q; want them unchanged", taken.ID, got.URL, got.Host)
	}
}
