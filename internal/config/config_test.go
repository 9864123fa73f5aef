package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || !c.SeedSources || c.LogLevel != slog.LevelInfo ||
		c.Interval != time.Hour || c.FetchMaxBytes != 10<<20 || c.LogFormat != "text" {
		t.Fatalf("defaults = %+v", c)
	}
	if c.DatabaseURL != "sqlite:"+filepath.Join("data", "scout.db") {
		t.Fatalf("database URL = %q, want the data directory's file", c.DatabaseURL)
	}
}

func TestEveryBadSettingIsReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"SCOUT_ADDR":         "nonsense",
		"SCOUT_LOG_LEVEL":    "loud",
		"SCOUT_SEED_SOURCES": "maybe",
		"SCOUT_WORKERS":      "0",
		"SCOUT_FETCH_ALLOW":  "10.0.0.0/8,not a cidr",
		"SCOUT_RATE_LIMIT":   "0",
	}))
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{"SCOUT_ADDR", `"nonsense"`, "SCOUT_LOG_LEVEL", "SCOUT_SEED_SOURCES", "SCOUT_WORKERS", "SCOUT_FETCH_ALLOW", "SCOUT_RATE_LIMIT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

func TestParseErrorsAndRelationErrorsAreReportedTogether(t *testing.T) {
	_, err := Load(env(map[string]string{
		"SCOUT_WORKERS":      "abc",
		"SCOUT_JWT_SECRET":   "short",
		"SCOUT_DATABASE_URL": "mysql://db",
		"SCOUT_INTERVAL":     "soon", // its relation to the other intervals is not checked
	}))
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{"SCOUT_WORKERS", "SCOUT_JWT_SECRET: must be at least 32 bytes", "SCOUT_DATABASE_URL", "SCOUT_INTERVAL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "SCOUT_MIN_INTERVAL (") {
		t.Errorf("a relation with an unparsed setting was checked:\n%v", err)
	}
}

func TestUnknownVariablesAreNamedWithTheClosestSetting(t *testing.T) {
	got := Unknown([]string{"SCOUT_FETCH_ALLOWED=127.0.0.1/32", "SCOUT_WORKERS=4", "SCOUT_JWT_SECRET_FILE=/run/s", "SCOUT_TEST_POSTGRES_URL=x",
		"SCOUT_REQUIRE_BROWSER=1", "SCOUT_REQUIRE_LINT=1", "HOME=/root", "SCOUT_ZZZZZZZZZZZZZZZZ=1"})
	want := []string{
		"SCOUT_FETCH_ALLOWED is not a Scout setting and is ignored: did you mean SCOUT_FETCH_ALLOW?",
		"SCOUT_ZZZZZZZZZZZZZZZZ is not a Scout setting and is ignored",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDatabaseURL(t *testing.T) {
	tests := []struct {
		name, in, engine, target, err string
	}{
		{"relative sqlite path", "sqlite:data/x.db", EngineSQLite, "data/x.db", ""},
		{"absolute sqlite URL", "sqlite:///var/lib/scout.db", EngineSQLite, "/var/lib/scout.db", ""},
		{"postgres", "postgres://u@h/db", EnginePostgres, "postgres://u@h/db", ""},
		{"unknown scheme", "mysql://h/db", "", "", `unknown scheme "mysql"`},
		{"no scheme", "scout.db", "", "", "no scheme"},
		{"empty path", "sqlite:", "", "", "names no file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, target, err := ParseDatabaseURL(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || e != tt.engine || target != tt.target {
				t.Fatalf("= %q, %q, %v", e, target, err)
			}
		})
	}
	if _, err := Load(env(map[string]string{"SCOUT_DATABASE_URL": "redis://x"})); err == nil || !strings.Contains(err.Error(), "SCOUT_DATABASE_URL") {
		t.Fatalf("unknown scheme through Load: %v", err)
	}
}

func TestSecretsFromFiles(t *testing.T) {
	f := filepath.Join(t.TempDir(), "secret")
	secret := strings.Repeat("s", 40)
	if err := os.WriteFile(f, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"SCOUT_JWT_SECRET_FILE": f}))
	if err != nil || c.JWTSecret != secret {
		t.Fatalf("secret from file = %q, %v", c.JWTSecret, err)
	}
	if strings.Contains(c.Dump(), secret) || !strings.Contains(c.Dump(), "SCOUT_JWT_SECRET=[redacted]") {
		t.Fatalf("dump leaks or hides the secret wrongly:\n%s", c.Dump())
	}
	_, err = Load(env(map[string]string{"SCOUT_JWT_SECRET_FILE": f, "SCOUT_JWT_SECRET": secret}))
	if err == nil || !strings.Contains(err.Error(), "both set") {
		t.Fatalf("both set: %v", err)
	}
	_, err = Load(env(map[string]string{"SCOUT_JWT_SECRET": "short"}))
	if err == nil || strings.Contains(err.Error(), "short") || !strings.Contains(err.Error(), "at least 32") {
		t.Fatalf("short secret: %v (the message must not echo the secret)", err)
	}
}

func TestIntervalsMustBeOrdered(t *testing.T) {
	_, err := Load(env(map[string]string{"SCOUT_MIN_INTERVAL": "2h", "SCOUT_INTERVAL": "1h"}))
	if err == nil || !strings.Contains(err.Error(), "SCOUT_MIN_INTERVAL") {
		t.Fatalf("err = %v", err)
	}
}

func TestItemsPerSource(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want int // -1: refused
	}{
		{"the default", nil, 2000},
		{"no cap", map[string]string{"SCOUT_MAX_ITEMS_PER_SOURCE": "0"}, 0},
		{"a cap equal to one fetch", map[string]string{"SCOUT_MAX_ITEMS_PER_SOURCE": "50", "SCOUT_MAX_ITEMS_PER_FEED": "50"}, 50},
		{"a cap below one fetch", map[string]string{"SCOUT_MAX_ITEMS_PER_SOURCE": "500"}, -1},
		{"a negative cap", map[string]string{"SCOUT_MAX_ITEMS_PER_SOURCE": "-1"}, -1},
		{"not a number", map[string]string{"SCOUT_MAX_ITEMS_PER_SOURCE": "lots"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if tt.want < 0 {
				if err == nil || !strings.Contains(err.Error(), "SCOUT_MAX_ITEMS_PER_SOURCE") {
					t.Fatalf("err = %v, want one naming SCOUT_MAX_ITEMS_PER_SOURCE", err)
				}
				return
			}
			if err != nil || c.MaxItemsPerSource != tt.want {
				t.Fatalf("items per source = %d, %v; want %d", c.MaxItemsPerSource, err, tt.want)
			}
		})
	}
}

func TestEventSettings(t *testing.T) {
	c, err := Load(env(map[string]string{}))
	if err != nil || c.NATSURL != "" || c.NATSStream != "SCOUT" || c.OutboxRetention != 168*time.Hour || c.ArchiveClosedAfter != 90 {
		t.Fatalf("event defaults = %q %q %s %d, %v", c.NATSURL, c.NATSStream, c.OutboxRetention, c.ArchiveClosedAfter, err)
	}
	tests := []struct{ name, key, value string }{
		{"a NATS URL of another scheme", "SCOUT_NATS_URL", "http://127.0.0.1:4222"},
		{"a stream name with a dot", "SCOUT_NATS_STREAM", "scout.events"},
		{"a subject prefix with a wildcard", "SCOUT_NATS_SUBJECT_PREFIX", "scout.*"},
		{"a subject prefix with an empty token", "SCOUT_NATS_SUBJECT_PREFIX", "acme..scout"},
		{"a subject prefix ending in a dot", "SCOUT_NATS_SUBJECT_PREFIX", "scout."},
		{"a retention shorter than an hour", "SCOUT_OUTBOX_RETENTION", "5m"},
		{"negative archive days", "SCOUT_ARCHIVE_CLOSED_AFTER", "-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(env(map[string]string{tt.key: tt.value})); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("err = %v, want one naming %s", err, tt.key)
			}
		})
	}
	if c, err := Load(env(map[string]string{"SCOUT_NATS_SUBJECT_PREFIX": "acme.scout-prod"})); err != nil || c.NATSSubjectPrefix != "acme.scout-prod" {
		t.Fatalf("a dotted subject prefix = %q, %v", c.NATSSubjectPrefix, err)
	}
	if c.NATSSubjectPrefix != "scout" {
		t.Fatalf("default subject prefix = %q, want scout", c.NATSSubjectPrefix)
	}
	c, err = Load(env(map[string]string{"SCOUT_NATS_URL": "nats://user:pw@127.0.0.1:4222"}))
	if err != nil || strings.Contains(c.Dump(), "pw@") {
		t.Fatalf("a NATS URL with a password must load and be redacted in the dump: %v", err)
	}
}

func TestStatsTTL(t *testing.T) {
	tests := []struct {
		name, value string
		want        time.Duration
		err         bool
	}{
		{"unset is 30 seconds", "", 30 * time.Second, false},
		{"zero disables the cache", "0s", 0, false},
		{"a minute", "1m", time.Minute, false},
		{"negative", "-1s", 0, true},
		{"above an hour", "2h", 0, true},
		{"not a duration", "soon", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]string{}
			if tt.value != "" {
				m["SCOUT_STATS_TTL"] = tt.value
			}
			c, err := Load(env(m))
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), "SCOUT_STATS_TTL") {
					t.Fatalf("err = %v, want one naming SCOUT_STATS_TTL", err)
				}
				return
			}
			if err != nil || c.StatsTTL != tt.want {
				t.Fatalf("StatsTTL = %s, %v; want %s", c.StatsTTL, err, tt.want)
			}
		})
	}
}

func TestLoginLimitsDefaultToTheAPIsValues(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.LoginBurst, c.LoginInterval, c.LoginAddressBurst, c.LoginAddressInterval,
		c.LoginAccountBurst, c.LoginAccountInterval, c.PasswordHashes}
	want := []any{5, 5 * time.Second, 10, 6 * time.Second, 20, time.Minute, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("login setting %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestBadLoginLimitsAreReportedAtOnce(t *testing.T) {
	bad := map[string]string{
		"SCOUT_LOGIN_BURST":            "0",
		"SCOUT_LOGIN_INTERVAL":         "often",
		"SCOUT_LOGIN_ADDRESS_BURST":    "-3",
		"SCOUT_LOGIN_ADDRESS_INTERVAL": "0s",
		"SCOUT_LOGIN_ACCOUNT_BURST":    "many",
		"SCOUT_LOGIN_ACCOUNT_INTERVAL": "48h",
		"SCOUT_PASSWORD_HASHES":        "0",
	}
	_, err := Load(env(bad))
	if err == nil {
		t.Fatal("bad login limits accepted")
	}
	for name, v := range bad {
		if !strings.Contains(err.Error(), name+`: invalid value "`+v+`"`) {
			t.Errorf("error does not name %s=%s:\n%v", name, v, err)
		}
	}
	c, err := Load(env(map[string]string{"SCOUT_LOGIN_ADDRESS_BURST": "3", "SCOUT_LOGIN_ACCOUNT_INTERVAL": "10m", "SCOUT_PASSWORD_HASHES": "4"}))
	if err != nil || c.LoginAddressBurst != 3 || c.LoginAccountInterval != 10*time.Minute || c.PasswordHashes != 4 {
		t.Fatalf("good login limits: %v %+v", err, c)
	}
}

// TestREADMEListsEverySetting keeps the README's configuration table in
// step with the settings: each variable is named there.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| `SCOUT_") {
			rows = append(rows, line)
		}
	}
	table := strings.Join(rows, "\n")
	var c Config
	for _, s := range settings(&c) {
		if !strings.Contains(table, "`"+s.env()+"`") {
			t.Errorf("README's configuration table does not list %s", s.env())
		}
	}
}
