package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

var ctx = context.Background()

func mustUser(tb testing.TB, s store.Store, email string, admin bool) scout.User {
	tb.Helper()
	u, err := s.CreateUser(ctx, scout.User{Email: email, Name: email, Admin: admin})
	if err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return u
}

func mustSource(tb testing.TB, s store.Store, owner int64, url string, vis scout.Visibility, tags ...string) scout.Source {
	tb.Helper()
	src, err := s.CreateSource(ctx, scout.Source{OwnerID: owner, URL: url, Visibility: vis, Tags: tags, Title: url})
	if err != nil {
		tb.Fatalf("create source %s: %v", url, err)
	}
	return src
}

// item builds a normalized item as the pipeline would.
func item(guid, title string, published time.Time) scout.Item {
	it := scout.Item{GUID: guid, Title: title, URL: "https://example.org/" + guid, Summary: title + " summary",
		ContentText: title + " body text", ContentHTML: "<p>" + title + "</p>", PublishedAt: published}
	it.ContentHash = hash(it)
	return it
}

func hash(it scout.Item) string {
	sum := sha256.Sum256([]byte(it.Title + "\x00" + it.URL + "\x00" + it.ContentText))
	return hex.EncodeToString(sum[:])
}

func mustFetch(tb testing.TB, s store.Store, src scout.Source, items ...scout.Item) scout.FetchLog {
	tb.Helper()
	log, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: items, ETag: `"v1"`,
		NextFetchAt: T0.Add(time.Hour), Interval: time.Hour, Log: scout.FetchLog{StatusCode: 200}})
	if err != nil {
		tb.Fatalf("complete fetch: %v", err)
	}
	return log
}

func itemsOf(tb testing.TB, s store.Store, f store.ItemFilter) []scout.Item {
	tb.Helper()
	var all []scout.Item
	for {
		p, err := s.ListItems(ctx, f)
		if err != nil {
			tb.Fatalf("list items: %v", err)
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all
		}
		f.Cursor = p.Next
	}
}

func titles(items []scout.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

func admin() store.Viewer { return store.Viewer{Admin: true} }

func manyItems(n int, prefix string, start time.Time) []scout.Item {
	out := make([]scout.Item, n)
	for i := range out {
		out[i] = item(fmt.Sprintf("%s-%d", prefix, i), fmt.Sprintf("%s item %d", prefix, i), start.Add(time.Duration(i)*time.Minute))
	}
	return out
}

// FollowChanges consumes the change stream as a syncing client does: it
// reads pages of the given size after cursor, resuming from each page's
// cursor, until done is closed and the stream has nothing more. It returns
// every change it saw, in the order it saw them. It reports read errors
// with tb.Error, so it may run in its own goroutine.
func FollowChanges(tb testing.TB, s store.Store, cursor int64, page int, done <-chan struct{}) []scout.Event {
	var got []scout.Event
	read := func() (more bool, ok bool) {
		p, err := s.ListChanges(ctx, admin(), cursor, page)
		if err != nil {
			tb.Error(err)
			return false, false
		}
		got, cursor = append(got, p.Events...), p.Next
		return p.More || len(p.Events) > 0, true
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
			if _, ok := read(); !ok {
				return got
			}
		}
	}
	for {
		if more, ok := read(); !more || !ok {
			return got
		}
	}
}
