package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scoutdev/scout/internal/config"
)

func TestASecondServeOnOneDataDirectoryIsRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	_, _, stop := start(t, cfg)

	second, err := New(context.Background(), cfg, quiet())
	if err == nil {
		second.closeStore()
		t.Fatal("a second server on the same data directory started")
	}
	if msg := err.Error(); !strings.Contains(msg, "another scout serve is already using the data directory") ||
		strings.Contains(msg, "\n") {
		t.Fatalf("refusal is not the one readable line it should be: %q", msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "scout.lock")); err != nil {
		t.Fatalf("lock file: %v", err)
	}

	if err := stop(); err != nil {
		t.Fatalf("first server: %v", err)
	}
	third, err := New(context.Background(), cfg, quiet())
	if err != nil {
		t.Fatalf("the directory stays locked after its server stopped: %v", err)
	}
	third.closeStore()
}

func TestTheLockIsReleasedWhenStartingFails(t *testing.T) {
	dir := t.TempDir()
	// A directory where the database file should be makes opening it fail
	// after the lock was taken.
	cfg := testConfig(t, dir)
	if err := os.Mkdir(filepath.Join(dir, "scout.db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if a, err := New(context.Background(), cfg, quiet()); err == nil {
		a.closeStore()
		t.Fatal("the store opened on a directory")
	}
	release, err := lockDataDir(cfg)
	if err != nil {
		t.Fatalf("a failed start kept the lock: %v", err)
	}
	release()
}

// On PostgreSQL nothing else creates the data directory, so the generated
// JWT secret must: a fresh `scout serve` with only SCOUT_DATABASE_URL set
// failed with "open data/.scout-secret-…: no such file or directory".
func TestTheGeneratedSecretCreatesTheDataDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	a := &App{cfg: config.Config{DataDir: dir}}
	secret, err := a.cfgSecret()
	if err != nil || len(secret) < 32 {
		t.Fatalf("cfgSecret = %d bytes, %v", len(secret), err)
	}
	again, err := a.cfgSecret()
	if err != nil || string(again) != string(secret) {
		t.Fatalf("a second read gave another secret (%v)", err)
	}
	if info, err := os.Stat(filepath.Join(dir, "jwt-secret")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v", info, err)
	}
}
