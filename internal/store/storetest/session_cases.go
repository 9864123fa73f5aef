package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

func testSessions(t *testing.T, s store.Store, clock *Clock) {
	u := mustUser(t, s, "ada@example.org", false)
	other := mustUser(t, s, "bob@example.org", false)
	exp := clock.Now().Add(time.Hour)
	ss, err := s.CreateSession(ctx, scout.Session{UserID: u.ID, TokenID: "t1", UserAgent: "curl/8", Address: "192.0.2.1", ExpiresAt: exp})
	if err != nil || ss.ID == 0 || ss.TokenID != "t1" || ss.UserAgent != "curl/8" || !ss.Active(clock.Now()) || !ss.ExpiresAt.Equal(exp) {
		t.Fatalf("create = %+v, %v", ss, err)
	}
	if _, err := s.CreateSession(ctx, scout.Session{UserID: u.ID}); !errors.Is(err, scout.ErrInvalid) {
		t.Fatalf("session without a token id: %v", err)
	}
	clock.Advance(time.Minute)
	if err := s.RotateSession(ctx, ss.ID, "t1", "t2", exp.Add(time.Minute)); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	got, err := s.GetSession(ctx, ss.ID)
	if err != nil || got.TokenID != "t2" || !got.LastUsedAt.Equal(clock.Now()) || !got.ExpiresAt.Equal(exp.Add(time.Minute)) {
		t.Fatalf("after rotation = %+v, %v", got, err)
	}
	if err := s.RotateSession(ctx, ss.ID, "t1", "t3", exp); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("rotating from a used token id: %v, want ErrConflict", err)
	}
	if err := s.RotateSession(ctx, ss.ID+100, "t2", "t3", exp); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("rotating a missing session: %v, want ErrNotFound", err)
	}

	// Of concurrent rotations from the same token id, exactly one wins.
	var wg sync.WaitGroup
	wins := make(chan int, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.RotateSession(ctx, ss.ID, "t2", "c"+string(rune('a'+i)), exp) == nil {
				wins <- i
			}
		}()
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Fatalf("%d concurrent rotations from one token id succeeded, want 1", n)
	}

	second, err := s.CreateSession(ctx, scout.Session{UserID: u.ID, TokenID: "x", ExpiresAt: exp})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := s.ListSessions(ctx, u.ID); err != nil || len(list) != 2 || list[0].ID != second.ID {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if err := s.RevokeSession(ctx, other.ID, ss.ID, "revoked"); !errors.Is(err, scout.ErrNotFound) {
		t.Fatalf("revoking another user's session: %v, want ErrNotFound", err)
	}
	if err := s.RevokeSession(ctx, u.ID, ss.ID, "logout"); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeSession(ctx, 0, ss.ID, "revoked"); err != nil {
		t.Fatalf("revoking again (as an admin): %v", err)
	}
	got, _ = s.GetSession(ctx, ss.ID)
	if got.Active(clock.Now()) || got.RevokeReason != "logout" {
		t.Fatalf("revoked session = %+v", got)
	}
	if err := s.RotateSession(ctx, ss.ID, got.TokenID, "z", exp); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("rotating a revoked session: %v, want ErrConflict", err)
	}
	if n, err := s.RevokeUserSessions(ctx, u.ID, "reuse"); err != nil || n != 1 {
		t.Fatalf("revoke all = %d, %v", n, err)
	}
	if list, _ := s.ListSessions(ctx, u.ID); len(list) != 0 {
		t.Fatalf("sessions after revoking all = %+v", list)
	}
	// Expired sessions are neither listed nor rotated.
	third, _ := s.CreateSession(ctx, scout.Session{UserID: other.ID, TokenID: "e", ExpiresAt: clock.Now().Add(time.Minute)})
	clock.Advance(2 * time.Minute)
	if list, _ := s.ListSessions(ctx, other.ID); len(list) != 0 {
		t.Fatalf("expired session listed: %+v", list)
	}
	if err := s.RotateSession(ctx, third.ID, "e", "f", clock.Now().Add(time.Hour)); !errors.Is(err, scout.ErrConflict) {
		t.Fatalf("rotating an expired session: %v, want ErrConflict", err)
	}
}
