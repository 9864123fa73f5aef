package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

const goodPassword = "correct horse battery staple"

func TestHashPasswordRoundTrip(t *testing.T) {
	a := mustNew(t, nil)
	ctx := context.Background()
	hash, err := a.HashPassword(ctx, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want the argon2id PHC prefix with the default parameters", hash)
	}
	if parts := strings.Split(hash, "$"); len(parts) != 6 || len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Errorf("hash = %q, want a 16-byte salt and a 32-byte key in unpadded base64", hash)
	}
	if a.NeedsRehash(hash) {
		t.Error("NeedsRehash(fresh hash) = true")
	}
	again, err := a.HashPassword(ctx, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"the password", goodPassword, true},
		{"a wrong password", "correct horse battery stapler", false},
		{"a different case", strings.ToUpper(goodPassword), false},
		{"the empty password", "", false},
		{"the password with a very long tail", goodPassword + strings.Repeat("x", 300), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.VerifyPassword(ctx, hash, tt.pw)
			if err != nil || got != tt.want {
				t.Errorf("VerifyPassword = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestHashPasswordLengthRules(t *testing.T) {
	a := mustNew(t, nil)
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"11 characters", "abcdefghijk", false},
		{"12 characters", "abcdefghijkl", true},
		{"12 characters of 2 bytes each", strings.Repeat("é", 12), true},
		{"11 multi-byte characters of more than 12 bytes", strings.Repeat("é", 11), false},
		{"256 bytes", strings.Repeat("a", 256), true},
		{"257 bytes", strings.Repeat("a", 257), false},
		{"invalid UTF-8", "abcdefghijkl\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.HashPassword(context.Background(), tt.pw)
			if tt.ok {
				if err != nil {
					t.Fatalf("HashPassword: %v", err)
				}
				return
			}
			var fe *scout.FieldError
			if !errors.As(err, &fe) || fe.Field != "password" {
				t.Fatalf("HashPassword = %v, want a FieldError for password", err)
			}
		})
	}
}

func TestVerifyPasswordRejectsBadHashes(t *testing.T) {
	a := mustNew(t, nil)
	const salt, key = "c2NvdXQtdGVzdC1zYWx0", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tests := []struct{ name, hash string }{
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key},
		{"no leading dollar", "argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key},
		{"a missing part", "$argon2id$v=19$m=19456,t=2,p=1$" + salt},
		{"an extra part", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "$x"},
		{"4 GiB of memory", "$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + key},
		{"memory over 32 bits", "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + key},
		{"1000 passes", "$argon2id$v=19$m=19456,t=1000,p=1$" + salt + "$" + key},
		{"zero passes", "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key},
		{"255 lanes", "$argon2id$v=19$m=19456,t=2,p=255$" + salt + "$" + key},
		{"zero lanes", "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key},
		{"memory below 8 per lane", "$argon2id$v=19$m=7,t=1,p=1$" + salt + "$" + key},
		{"a negative parameter", "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key},
		{"parameters out of order", "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key},
		{"a missing parameter", "$argon2id$v=19$m=19456,t=2$" + salt + "$" + key},
		{"padded base64", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key},
		{"a short salt", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + key},
		{"a huge key", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + strings.Repeat("A", 200)},
		{"a short key", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAA"},
		{"url-safe base64", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + strings.Repeat("_", 43)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := a.VerifyPassword(context.Background(), tt.hash, goodPassword)
			if ok || !errors.Is(err, auth.ErrMalformedHash) {
				t.Errorf("VerifyPassword = %v, %v; want false, ErrMalformedHash", ok, err)
			}
			if !a.NeedsRehash(tt.hash) {
				t.Error("NeedsRehash = false, want true")
			}
		})
	}
}

func TestVerifyPasswordReadsParametersFromTheHash(t *testing.T) {
	a := mustNew(t, nil)
	// Made with m=1024,t=1,p=1: cheaper than today's default, still accepted.
	const old = "$argon2id$v=19$m=1024,t=1,p=1$c2NvdXQtdGVzdC1zYWx0$"
	hash := old + auth.ArgonKey(t, goodPassword, "scout-test-salt", 1024, 1, 1)
	ok, err := a.VerifyPassword(context.Background(), hash, goodPassword)
	if err != nil || !ok {
		t.Fatalf("VerifyPassword = %v, %v; want true, nil", ok, err)
	}
	if !a.NeedsRehash(hash) {
		t.Error("NeedsRehash(weaker hash) = false, want true")
	}
}

func TestVerifyDummy(t *testing.T) {
	a := mustNew(t, nil)
	ctx := context.Background()
	if err := a.VerifyDummy(ctx, goodPassword); err != nil {
		t.Fatalf("VerifyDummy: %v", err)
	}
	ok, err := a.VerifyPassword(ctx, "", goodPassword)
	if ok || err != nil {
		t.Errorf("VerifyPassword(empty hash) = %v, %v; want false, nil", ok, err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := a.VerifyDummy(canceled, goodPassword); !errors.Is(err, context.Canceled) {
		t.Errorf("VerifyDummy(canceled ctx) = %v, want context.Canceled", err)
	}
}

func TestHashPasswordConcurrently(t *testing.T) {
	a := mustNew(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			h, err := a.HashPassword(context.Background(), goodPassword)
			if err == nil {
				var ok bool
				ok, err = a.VerifyPassword(context.Background(), h, goodPassword)
				if !ok && err == nil {
					err = errors.New("round trip failed")
				}
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestHashPasswordWaitsForASlotUntilCtxEnds(t *testing.T) {
	a, err := auth.New(&memCreds{}, auth.Options{Secret: testSecret, MaxConcurrentHashes: 1})
	if err != nil {
		t.Fatal(err)
	}
	release := auth.HoldSlot(a)
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := a.HashPassword(ctx, goodPassword); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("HashPassword with every slot taken = %v, want context.DeadlineExceeded", err)
	}
	if _, err := a.VerifyPassword(ctx, "", goodPassword); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("VerifyPassword with every slot taken = %v, want context.DeadlineExceeded", err)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	a := mustNew(b, nil)
	ctx := context.Background()
	for b.Loop() {
		if _, err := a.HashPassword(ctx, goodPassword); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	a := mustNew(b, nil)
	ctx := context.Background()
	hash, err := a.HashPassword(ctx, goodPassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := a.VerifyPassword(ctx, hash, goodPassword); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func TestPasswordChecksBeyondTheQueueAreRefusedAtOnce(t *testing.T) {
	a, err := auth.New(&memCreds{}, auth.Options{Secret: testSecret, MaxConcurrentHashes: 1})
	if err != nil {
		t.Fatal(err)
	}
	release := auth.HoldSlot(a)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := auth.MaxWaiters(a)
	done := make(chan error, n)
	for range n {
		go func() { done <- a.VerifyDummy(ctx, goodPassword) }()
	}
	for auth.Waiting(a) < int64(n) {
		time.Sleep(time.Millisecond)
	}
	if err := a.VerifyDummy(ctx, goodPassword); !errors.Is(err, auth.ErrBusy) {
		t.Fatalf("a check beyond a full queue = %v, want ErrBusy", err)
	}
	release()
	for range n {
		if err := <-done; err != nil {
			t.Fatalf("a queued check = %v", err)
		}
	}
}
