package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/scoutdev/scout/internal/scout"
)

// Password length limits. The minimum counts characters, the maximum bytes.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 256
)

// argonParams are the cost parameters of one argon2id hash.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
}

// defaultArgon is the cost of new hashes: 19 MiB, two passes, one lane.
var defaultArgon = argonParams{memory: 19 * 1024, time: 2, threads: 1}

const (
	saltBytes = 16
	keyBytes  = 32

	// Bounds on parameters read back from a stored hash. A tampered or corrupt
	// row must not make one login allocate gigabytes or spin for minutes.
	maxArgonMemory  = 256 * 1024 // KiB
	maxArgonTime    = 10
	maxArgonThreads = 16
	minSaltBytes    = 8
	maxSaltBytes    = 64
	minKeyBytes     = 16
	maxKeyBytes     = 64
)

// The dummy salt and key stand in for a stored hash whose password nobody
// knows. Verifying against them costs what a real verification costs, so "no
// such user" cannot be told apart from "wrong password" by timing.
var (
	dummySalt = []byte("scout-dummy-salt")
	dummyKey  = []byte("no password hashes to this value")
)

// ErrMalformedHash means a stored password hash is not an argon2id PHC string
// Scout can verify, or its parameters are outside the accepted bounds.
var ErrMalformedHash = errors.New("malformed password hash")

// phc is a parsed argon2id PHC string.
type phc struct {
	params argonParams
	salt   []byte
	key    []byte
}

// HashPassword checks pw against the length rules and returns its argon2id hash
// as a PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, with salt and
// key in unpadded standard base64. It waits for a free hashing slot, and
// returns ctx's error if ctx ends first. A password that breaks the rules
// yields a scout.FieldError for "password".
func (a *Authenticator) HashPassword(ctx context.Context, pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: read salt: %w", err)
	}
	if err := a.acquire(ctx); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	p := a.argon
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, keyBytes)
	a.release()
	return encodePHC(phc{params: p, salt: salt, key: key}), nil
}

// VerifyPassword reports whether pw matches hash, a PHC string made by
// HashPassword. The cost parameters are read from hash, within fixed bounds;
// a hash outside them, or not an argon2id PHC string, yields ErrMalformedHash.
// An empty hash (an unknown user, or an account that only uses API keys) is
// checked against a dummy hash and reports false, taking as long as a real
// check. The comparison is constant-time. It waits for a free hashing slot,
// and returns ctx's error if ctx ends first.
func (a *Authenticator) VerifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	if hash == "" {
		return false, a.VerifyDummy(ctx, pw)
	}
	h, err := parsePHC(hash)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	return a.verify(ctx, h, pw)
}

// VerifyDummy spends the time of one password check against a hash no
// password matches. Call it when the user named at login does not exist, so
// the response takes as long as for a wrong password. It returns only ctx's
// error.
func (a *Authenticator) VerifyDummy(ctx context.Context, pw string) error {
	_, err := a.verify(ctx, phc{params: a.argon, salt: dummySalt, key: dummyKey}, pw)
	return err
}

// NeedsRehash reports whether hash was made with parameters other than the
// current ones (or cannot be parsed), so that a login that just verified the
// password should store a fresh hash.
func (a *Authenticator) NeedsRehash(hash string) bool {
	h, err := parsePHC(hash)
	return err != nil || h.params != a.argon || len(h.salt) != saltBytes || len(h.key) != keyBytes
}

// ValidatePassword checks the length rules for a new password: at least
// MinPasswordLength characters and at most MaxPasswordBytes bytes of valid
// UTF-8. It returns a scout.FieldError for "password".
func ValidatePassword(pw string) error {
	if len(pw) > MaxPasswordBytes {
		return scout.Invalid("password", "must be at most %d bytes", MaxPasswordBytes)
	}
	if !utf8.ValidString(pw) {
		return scout.Invalid("password", "must be valid UTF-8")
	}
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return scout.Invalid("password", "must be at least %d characters", MinPasswordLength)
	}
	return nil
}

// verify hashes pw with h's parameters and salt and compares in constant time.
// Passwords longer than MaxPasswordBytes never match; they are still hashed
// (truncated) so that the time taken does not depend on the length.
func (a *Authenticator) verify(ctx context.Context, h phc, pw string) (bool, error) {
	tooLong := len(pw) > MaxPasswordBytes
	if tooLong {
		pw = pw[:MaxPasswordBytes]
	}
	if err := a.acquire(ctx); err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	p := h.params
	key := argon2.IDKey([]byte(pw), h.salt, p.time, p.memory, p.threads, uint32(len(h.key)))
	a.release()
	return subtle.ConstantTimeCompare(key, h.key) == 1 && !tooLong, nil
}

// encodePHC formats h as a PHC string.
func encodePHC(h phc) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.memory, h.params.time, h.params.threads,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// parsePHC parses an argon2id PHC string and checks its parameters against
// the bounds above.
func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, fmt.Errorf("%w: not an argon2id PHC string", ErrMalformedHash)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, parts[2])
	}
	params, err := parseParams(parts[3])
	if err != nil {
		return phc{}, err
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < minSaltBytes || len(salt) > maxSaltBytes {
		return phc{}, fmt.Errorf("%w: salt must be %d to %d bytes of base64", ErrMalformedHash, minSaltBytes, maxSaltBytes)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < minKeyBytes || len(key) > maxKeyBytes {
		return phc{}, fmt.Errorf("%w: key must be %d to %d bytes of base64", ErrMalformedHash, minKeyBytes, maxKeyBytes)
	}
	return phc{params: params, salt: salt, key: key}, nil
}

// parseParams parses "m=<KiB>,t=<passes>,p=<lanes>" in that order.
func parseParams(s string) (argonParams, error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return argonParams{}, fmt.Errorf("%w: parameters must be m=,t=,p=", ErrMalformedHash)
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(fields[i], name)
		v, err := strconv.ParseUint(digits, 10, 32)
		if !ok || err != nil {
			return argonParams{}, fmt.Errorf("%w: parameter %d must be %sN", ErrMalformedHash, i+1, name)
		}
		vals[i] = v
	}
	m, t, p := vals[0], vals[1], vals[2]
	switch {
	case p < 1 || p > maxArgonThreads:
		return argonParams{}, fmt.Errorf("%w: p=%d outside 1..%d", ErrMalformedHash, p, maxArgonThreads)
	case t < 1 || t > maxArgonTime:
		return argonParams{}, fmt.Errorf("%w: t=%d outside 1..%d", ErrMalformedHash, t, maxArgonTime)
	case m < 8*p || m > maxArgonMemory:
		return argonParams{}, fmt.Errorf("%w: m=%d outside %d..%d", ErrMalformedHash, m, 8*p, maxArgonMemory)
	}
	return argonParams{memory: uint32(m), time: uint32(t), threads: uint8(p)}, nil
}
