package fetch

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestAReservedHostSlotIsNotWaitedForAgain: with one slot per host, a Get
// whose scheduler reserved the host runs beside another Get holding the
// client's slot, and its duration leaves out no network time while an
// unreserved Get's duration leaves out its wait for the slot.
func TestAReservedHostSlotIsNotWaitedForAgain(t *testing.T) {
	release := make(chan struct{})
	var inFlight, peak atomic.Int32
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
		}
		if r.URL.Path == "/hold" {
			<-release
		}
		w.Write([]byte("ok"))
	})
	c := mustClient(t, Options{PerHostConcurrency: 1, PerHostInterval: -1, Allow: []string{hostPort(srv)}})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/hold"}); err != nil {
			t.Error(err)
		}
	}()
	for inFlight.Load() == 0 { // the first Get holds the host's only client slot
		if t.Failed() {
			t.FailNow()
		}
		runtime.Gosched()
	}
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/now", HostReserved: true})
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() != 2 {
		t.Fatalf("peak of %d requests in flight, want 2: the reserved Get waited for the client's host slot", peak.Load())
	}
	if resp.Duration <= 0 {
		t.Fatalf("duration %v, want the network time", resp.Duration)
	}
	close(release)
	wg.Wait()
}
