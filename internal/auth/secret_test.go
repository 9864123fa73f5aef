package auth_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

func TestLoadOrCreateSecretCreates0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jwt.secret")
	secret, err := auth.LoadOrCreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 64 {
		t.Errorf("len(secret) = %d, want 64", len(secret))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %#o, want 0600", perm)
	}
	again, err := auth.LoadOrCreateSecret(path)
	if err != nil || !bytes.Equal(again, secret) {
		t.Errorf("second load = %x, %v; want the same secret", again, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the secret", len(entries))
	}
}

func TestLoadOrCreateSecretConcurrentlyAgrees(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jwt.secret")
	secrets := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() {
			s, err := auth.LoadOrCreateSecret(path)
			if err != nil {
				t.Error(err)
			}
			secrets[i] = s
		})
	}
	wg.Wait()
	for i, s := range secrets {
		if !bytes.Equal(s, secrets[0]) {
			t.Errorf("caller %d got another secret", i)
		}
	}
}

func TestLoadOrCreateSecretRefuses(t *testing.T) {
	long := strings.Repeat("s", 40)
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"a world-readable file", long, 0o644, "chmod 600"},
		{"a group-readable file", long, 0o640, "chmod 600"},
		{"a group-writable file", long, 0o620, "chmod 600"},
		{"a short secret", "short", 0o600, "holds 5 bytes"},
		{"an empty file", "", 0o600, "holds 0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "jwt.secret")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := auth.LoadOrCreateSecret(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("LoadOrCreateSecret = %v, want an error naming %s and saying %q", err, path, tt.want)
			}
		})
	}
}

func TestLoadOrCreateSecretReadsAnOperatorsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jwt.secret")
	want := []byte(strings.Repeat("k", 32) + "\n")
	if err := os.WriteFile(path, want, 0o400); err != nil {
		t.Fatal(err)
	}
	got, err := auth.LoadOrCreateSecret(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("LoadOrCreateSecret = %q, %v; want the file's bytes", got, err)
	}
}

func TestLoadOrCreateSecretInAMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "jwt.secret")
	if _, err := auth.LoadOrCreateSecret(path); err == nil {
		t.Error("LoadOrCreateSecret in a missing directory succeeded")
	}
}

func TestSecretFromString(t *testing.T) {
	if _, err := auth.SecretFromString(strings.Repeat("x", 31)); !errors.Is(err, scout.ErrInvalid) {
		t.Errorf("SecretFromString(31 bytes) = %v, want ErrInvalid", err)
	}
	got, err := auth.SecretFromString(strings.Repeat("x", 32))
	if err != nil || len(got) != 32 {
		t.Errorf("SecretFromString(32 bytes) = %q, %v", got, err)
	}
}
