package auth

import (
	"encoding/base64"
	"testing"

	"golang.org/x/crypto/argon2"
)

// HoldSlot takes one hashing slot of a and returns a func that gives it back.
func HoldSlot(a *Authenticator) func() {
	a.sem <- struct{}{}
	return a.release
}

// ArgonKey returns the base64 argon2id key of pw with the given parameters.
func ArgonKey(tb testing.TB, pw, salt string, m, t uint32, p uint8) string {
	tb.Helper()
	return base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte(pw), []byte(salt), t, m, p, 32))
}

// Waiting is how many calls wait for a hashing slot of a.
func Waiting(a *Authenticator) int64 { return a.waiting.Load() }

// MaxWaiters is how many calls may wait for a hashing slot of a.
func MaxWaiters(a *Authenticator) int { return maxWaitersPerSlot * cap(a.sem) }
