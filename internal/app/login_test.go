package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The login limits and the hashing bound come from the settings: with
// SCOUT_LOGIN_ADDRESS_BURST=2 the third login from one address (each for
// another e-mail) is refused, and SCOUT_PASSWORD_HASHES sizes the
// authenticator's hashing slots.
func TestLoginLimitsComeFromTheSettings(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.LoginAddressBurst, cfg.PasswordHashes = 2, 3
	a, base, stop := start(t, cfg)
	defer stop()
	var got []int
	for i := range 3 {
		body := `{"email":"nobody` + strconv.Itoa(i) + `@example.org","password":"not the password"}`
		resp, err := http.Post(base+"/v1/auth/token", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got = append(got, resp.StatusCode)
	}
	if got[0] != http.StatusUnauthorized || got[1] != http.StatusUnauthorized || got[2] != http.StatusTooManyRequests {
		t.Fatalf("three logins from one address with SCOUT_LOGIN_ADDRESS_BURST=2: %v", got)
	}
	au, err := a.Authenticator()
	if err != nil {
		t.Fatal(err)
	}
	if n := au.HashSlots(); n != 3 {
		t.Fatalf("hashing slots = %d, want SCOUT_PASSWORD_HASHES=3", n)
	}
}
