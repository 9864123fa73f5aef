package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/config"
	"github.com/scoutdev/scout/internal/store"
)

func testConfig(t *testing.T, dir string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) (string, bool) {
		switch k {
		case "SCOUT_DATA_DIR":
			return dir, true
		case "SCOUT_ADDR":
			return "127.0.0.1:0", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// start runs an app until the test ends and returns its base URL.
func start(t *testing.T, cfg config.Config) (*App, string, func() error) {
	t.Helper()
	a, err := New(context.Background(), cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return after its context ended")
			return nil
		}
	}
	return a, "http://" + a.Addr().String(), stop
}

func TestServeAnswersHealthAndReadinessThenStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	a, base, stop := start(t, testConfig(t, dir))
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	page, err := a.Store.ListSources(context.Background(), store.SourceFilter{Viewer: store.Viewer{Admin: true}})
	if err != nil || len(page.Items) != len(DefaultSources()) {
		t.Fatalf("seeded %d sources, %v", len(page.Items), err)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := a.Store.Ping(context.Background()); err == nil {
		t.Fatal("store still open after shutdown")
	}

	// A second start on the same data directory finds the schema current
	// and does not seed again.
	b, _, stop2 := start(t, testConfig(t, dir))
	page, err = b.Store.ListSources(context.Background(), store.SourceFilter{Viewer: store.Viewer{Admin: true}})
	if err != nil || len(page.Items) != len(DefaultSources()) {
		t.Fatalf("after restart: %d sources, %v", len(page.Items), err)
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

func TestSeedingCanBeTurnedOff(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.SeedSources = false
	a, _, stop := start(t, cfg)
	page, err := a.Store.ListSources(context.Background(), store.SourceFilter{Viewer: store.Viewer{Admin: true}})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("seeding off: %d sources, %v", len(page.Items), err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultSourcesAreValid(t *testing.T) {
	for _, s := range DefaultSources() {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.URL, err)
		}
	}
}
