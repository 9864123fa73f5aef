package storetest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testSourceKinds(t *testing.T, s store.Store, c *Clock) {
	u := mustUser(t, s, "kinds@example.org", false)
	cfg := json.RawMessage(`{"item":".listing article","title":"h2","link":"a[href]"}`)
	src, err := s.CreateSource(ctx, scout.Source{OwnerID: u.ID, Kind: scout.SourceHTML, URL: "https://arts.example/calls", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSource(ctx, src.ID)
	if err != nil || got.Kind != scout.SourceHTML || string(got.Config) != string(cfg) || got.PageHash != "" {
		t.Fatalf("stored html source = kind %q config %s hash %q, %v", got.Kind, got.Config, got.PageHash, err)
	}
	if _, err := s.CreateSource(ctx, scout.Source{OwnerID: u.ID, Kind: "ftp", URL: "https://arts.example/x"}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("unknown kind: err = %v, want ErrInvalid", err)
	}
	if _, err := s.CreateSource(ctx, scout.Source{OwnerID: u.ID, Kind: scout.SourceJSON, URL: "https://arts.example/y", Config: json.RawMessage(`{"items":`)}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("broken config JSON: err = %v, want ErrInvalid", err)
	}

	// A fetch records the page hash; a failed one keeps it; a later success replaces it.
	ok := func(hash string, class scout.ErrorClass) scout.Source {
		t.Helper()
		r := store.FetchResult{SourceID: src.ID, Log: scout.FetchLog{SourceID: src.ID, StartedAt: c.Now(), ErrorClass: class},
			PageHash: hash, NextFetchAt: c.Now().Add(1e9), Status: scout.SourceOK}
		if class != scout.ErrorNone {
			r.Status = scout.SourceFailing
		}
		if _, err := s.CompleteFetch(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetSource(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := ok("h1", scout.ErrorNone); got.PageHash != "h1" {
		t.Fatalf("page hash after a fetch = %q, want h1", got.PageHash)
	}
	if got := ok("", scout.ErrorTimeout); got.PageHash != "h1" {
		t.Fatalf("page hash after a failed fetch = %q, want h1 kept", got.PageHash)
	}
	if got := ok("h2", scout.ErrorNone); got.PageHash != "h2" || string(got.Config) != string(cfg) {
		t.Fatalf("after a second fetch: hash %q config %s", got.PageHash, got.Config)
	}
}
