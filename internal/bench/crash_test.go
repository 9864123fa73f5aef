package bench

import (
	"context"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestSIGKILLDuringIngestLosesAndDuplicatesNothing is the short crash test
// CI runs: it builds scout, kills `scout serve` four times while it ingests
// a rotating farm, and checks the database after each kill and at the end.
func TestSIGKILLDuringIngestLosesAndDuplicatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "scout")
	build := exec.Command("go", "build", "-o", bin, "github.com/scoutdev/scout/cmd/scout")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build scout: %v\n%s", err, out)
	}
	// A bound against a hang, not a speed check: on a loaded 2-core machine
	// the four runs and the last catch-up have taken over two minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Crash(ctx, CrashOptions{
		Binary: bin, Dir: dir, Kills: 4, Farm: Workload{Feeds: 100, Items: 20},
		MinUp: 300 * time.Millisecond, MaxUp: 1500 * time.Millisecond,
		Rand: rand.New(rand.NewPCG(1, 2)), Log: testWriter{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kills != 4 || rep.Final.Stored == 0 {
		t.Fatalf("report %+v", rep)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
