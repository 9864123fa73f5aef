package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/scoutdev/scout/internal/scout"
)

const (
	// MinSecretBytes is the shortest JWT signing secret accepted: HS256 keys
	// shorter than the hash output weaken it.
	MinSecretBytes = 32
	// newSecretBytes is the size of a secret Scout generates itself.
	newSecretBytes = 64
	// maxSecretFileBytes bounds how much of a secret file is read.
	maxSecretFileBytes = 64 << 10
)

// LoadOrCreateSecret returns the signing secret stored at path, creating the
// file with 64 random bytes and mode 0600 when it does not exist. The file's
// bytes are the secret, unchanged. An existing file is refused when group or
// others may read it (mode & 0077 != 0), since anyone who reads the secret can
// mint tokens for any user, or when it holds fewer than MinSecretBytes bytes.
// Creation is atomic: the secret is written to a temporary file in the same
// directory and then linked into place, which fails if the path exists; so
// replicas starting at once on a shared volume all end up with one secret, and
// no reader ever sees a half-written file.
func LoadOrCreateSecret(path string) ([]byte, error) {
	secret, err := readSecret(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return secret, err
	}
	if err := createSecret(path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Read back what is now in place: ours, or a concurrent creator's.
	return readSecret(path)
}

// SecretFromString checks a configured secret and returns its bytes. It must
// have at least MinSecretBytes bytes; otherwise it returns a
// scout.FieldError for "secret".
func SecretFromString(s string) ([]byte, error) {
	if len(s) < MinSecretBytes {
		return nil, scout.Invalid("secret", "must be at least %d bytes, got %d", MinSecretBytes, len(s))
	}
	return []byte(s), nil
}

// readSecret reads and checks an existing secret file. The mode is taken from
// the open file, so that it describes the file actually read.
func readSecret(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read secret %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read secret %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("read secret %s: not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("read secret %s: mode %#o lets group or others read it; run chmod 600 %s", path, perm, path)
	}
	secret, err := io.ReadAll(io.LimitReader(f, maxSecretFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read secret %s: %w", path, err)
	}
	if len(secret) < MinSecretBytes || len(secret) > maxSecretFileBytes {
		return nil, fmt.Errorf("read secret %s: holds %d bytes, want %d to %d", path, len(secret), MinSecretBytes, maxSecretFileBytes)
	}
	return secret, nil
}

// createSecret writes a fresh secret to path, failing with fs.ErrExist if the
// path exists.
func createSecret(path string) error {
	secret := make([]byte, newSecretBytes)
	if _, err := rand.Read(secret); err != nil {
		return fmt.Errorf("create secret %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".scout-secret-*") // mode 0600
	if err != nil {
		return fmt.Errorf("create secret %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := writeAndClose(tmp, secret); err != nil {
		return fmt.Errorf("create secret %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// Some file systems have no hard links: fall back to an exclusive create.
		return createSecretExcl(path, secret)
	}
	return nil
}

// createSecretExcl creates path with O_EXCL and writes secret to it, removing
// the file again if the write fails.
func createSecretExcl(path string, secret []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("create secret %s: %w", path, err)
	}
	if err := writeAndClose(f, secret); err != nil {
		os.Remove(path)
		return fmt.Errorf("create secret %s: %w", path, err)
	}
	return nil
}

// writeAndClose writes b to f, flushes it to disk and closes f.
func writeAndClose(f *os.File, b []byte) error {
	_, err := f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
