package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/config"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, envVars map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunEnv(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Lookup: func(k string) (string, bool) { v, ok := envVars[k]; return v, ok },
		Environ: func() []string {
			var kv []string
			for k, v := range envVars {
				kv = append(kv, k+"="+v)
			}
			return kv
		},
	})
	return result{code, out.String(), errb.String()}
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_LOG_LEVEL": "error"}
	corrupt := filepath.Join(dir, "corrupt.db")
	if err := os.WriteFile(corrupt, []byte("this is not a database, just text that is long enough to be read"), 0o600); err != nil {
		t.Fatal(err)
	}
	opmlFile := filepath.Join(dir, "feeds.opml")
	if err := os.WriteFile(opmlFile, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Arts"><outline text="A" type="rss" xmlUrl="https://a.example/feed"/><outline text="Bad" xmlUrl="ftp://b.example/feed"/></outline>
</body></opml>`), 0o600); err != nil {
		t.Fatal(err)
	}
	ownFile := filepath.Join(dir, "own.opml")
	if err := os.WriteFile(ownFile, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="C" type="rss" xmlUrl="https://c.example/feed"/><outline text="Bad" xmlUrl="ftp://b.example/feed"/>
</body></opml>`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      map[string]string
		stdin    string
		args     []string
		code     int
		out, err string // substrings expected
	}{
		{"help lists the commands and variables", env, "", []string{"--help"}, 0, "SCOUT_DATABASE_URL", ""},
		{"no command is a usage error", env, "", nil, 2, "Commands:", ""},
		{"an unknown command is a usage error", env, "", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"version prints the version", env, "", []string{"version"}, 0, "scout dev", ""},
		{"config redacts secrets", map[string]string{"SCOUT_JWT_SECRET": strings.Repeat("x", 40)}, "", []string{"config"}, 0, "SCOUT_JWT_SECRET=[redacted]", ""},
		{"flags override variables", env, "", []string{"config", "--addr", "127.0.0.1:9999"}, 0, "SCOUT_ADDR=127.0.0.1:9999", ""},
		{"every bad setting is named", map[string]string{"SCOUT_WORKERS": "x", "SCOUT_LOG_FORMAT": "xml"}, "", []string{"serve"}, 1, "", "SCOUT_LOG_FORMAT"},
		{"an unknown database scheme is one clear error", env, "", []string{"serve", "--database-url", "mysql://db"}, 1, "", `unknown scheme "mysql"`},
		{"a corrupt database file is one clear error", env, "", []string{"migrate", "up", "--database-url", "sqlite:" + corrupt}, 1, "", "not a valid SQLite database"},
		{"migrate up", env, "", []string{"migrate", "up"}, 0, "up to date", ""},
		{"migrate status lists applied migrations", env, "", []string{"migrate", "status"}, 0, "00001_init.sql", ""},
		{"migrate needs an action", env, "", []string{"migrate"}, 2, "", "missing up, down or status"},
		{"user create with a piped password", env, "correct horse battery staple\n", []string{"user", "create", "--email", "Admin@Example.org", "--admin", "--password-stdin"}, 0, "created admin admin@example.org", ""},
		{"user create twice conflicts", env, "correct horse battery staple\n", []string{"user", "create", "--email", "admin@example.org", "--password-stdin"}, 1, "", "conflict"},
		{"user create generates a password", env, "", []string{"user", "create", "--email", "b@example.org"}, 0, "password: ", ""},
		{"a short password is refused", env, "short\n", []string{"user", "create", "--email", "c@example.org", "--password-stdin"}, 1, "", "password"},
		{"user create needs an e-mail", env, "", []string{"user", "create"}, 2, "", "--email is required"},
		{"apikey create prints the key once", env, "", []string{"apikey", "create", "--email", "admin@example.org", "--scopes", "read,enrich", "--name", "ai"}, 0, "sk_", ""},
		{"apikey admin scope needs an admin", env, "", []string{"apikey", "create", "--email", "b@example.org", "--scopes", "admin"}, 1, "", "admin scope"},
		{"apikey rejects unknown scopes", env, "", []string{"apikey", "create", "--email", "b@example.org", "--scopes", "root"}, 2, "", `unknown scope "root"`},
		{"opml import creates sources and reports rejects", env, "", []string{"opml", "import", opmlFile}, 0, "imported 1 sources, 0 already present, 1 rejected", ""},
		{"opml import twice finds them present", env, "", []string{"opml", "import", opmlFile}, 0, "imported 0 sources, 1 already present", ""},
		{"opml export writes the sources", env, "", []string{"opml", "export"}, 0, `xmlUrl="https://a.example/feed"`, ""},
		{"opml import of a missing file fails clearly", env, "", []string{"opml", "import", filepath.Join(dir, "nope.opml")}, 1, "", "no such file"},
		{"refresh makes a source due", env, "", []string{"refresh", "1"}, 0, "source 1 is due now, at the head of host a.example's queue: it starts at the next claim\n", ""},
		{"refresh of a missing source fails", env, "", []string{"refresh", "999"}, 1, "", "not found"},
		{"refresh needs ids", env, "", []string{"refresh", "abc"}, 2, "", `"abc" is not a source id`},
		{"an unknown flag is a usage error", env, "", []string{"serve", "--bogus"}, 2, "", "bogus"},
		{"a user importing public feeds finds them present", env, "", []string{"opml", "import", opmlFile, "--owner", "admin@example.org"}, 0, "imported 0 sources, 1 already present, 1 rejected", ""},
		{"flags may follow the file", env, "", []string{"opml", "import", ownFile, "--owner", "admin@example.org", "--public"}, 0, "imported 1 sources, 0 already present, 1 rejected", ""},
		{"flags may follow the action", env, "", []string{"migrate", "status", "--data-dir", dir}, 0, "00001_init.sql", ""},
		{"flags may follow the ids", env, "", []string{"refresh", "1", "--data-dir", dir}, 0, "source 1 is due now", ""},
		{"after -- everything is an argument", env, "", []string{"refresh", "--", "-1"}, 2, "", `"-1" is not a source id`},
		{"serve refuses a stray argument", env, "", []string{"serve", "now"}, 2, "", `unexpected argument "now"`},
		{"a misspelled variable is named with the closest setting", map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_FETCH_ALLOWED": "10.0.0.0/8"}, "", []string{"config"}, 0, "SCOUT_FETCH_ALLOW=\n", "did you mean SCOUT_FETCH_ALLOW?"},
		{"every invalid setting at once", map[string]string{"SCOUT_WORKERS": "abc", "SCOUT_JWT_SECRET": "short"}, "", []string{"config"}, 1, "", "SCOUT_JWT_SECRET: must be at least 32 bytes"},
		{"scout help CMD is CMD --help", env, "", []string{"help", "migrate"}, 0, "Usage: scout migrate up|down|status", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.env, tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
				t.Fatalf("stderr shows a crash:\n%s", r.stderr)
			}
		})
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	env := map[string]string{"SCOUT_DATA_DIR": t.TempDir()}
	for _, c := range commands() {
		for _, flag := range []string{"--help", "-h"} {
			t.Run(c.name+" "+flag+" prints its usage and succeeds", func(t *testing.T) {
				r := run(t, env, "", c.name, flag)
				if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: scout "+c.name) || r.stderr != "" {
					t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
				}
			})
		}
	}
}

func TestABadFlagIsReportedOnce(t *testing.T) {
	for _, args := range [][]string{{"serve", "--bogus"}, {"opml", "import", "x.opml", "--bogus"}, {"user", "create", "--bogus"}, {"migrate", "up", "--bogus"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := run(t, nil, "", args...)
			if r.code != 2 || strings.Count(r.stderr, "bogus") != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "--help") {
				t.Fatalf("exit %d, stderr %q: want one line naming the flag and --help", r.code, r.stderr)
			}
		})
	}
}

func TestHealthcheckHelpShowsOneDefault(t *testing.T) {
	r := run(t, nil, "", "healthcheck", "--help")
	if n := strings.Count(r.stdout, "default"); n != 1 {
		t.Fatalf("%d defaults in\n%s", n, r.stdout)
	}
}

func TestJSONLogsWriteDurationsAsMilliseconds(t *testing.T) {
	var b bytes.Buffer
	log := newLogger(config.Config{LogFormat: "json"}, &b)
	log.Info("shutting down", slog.Duration("timeout", 15*time.Second), slog.Duration("wait_ms", 1500*time.Microsecond))
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["timeout_ms"] != 15000.0 || got["wait_ms"] != 1.5 || got["timeout"] != nil {
		t.Fatalf("log line %s", b.String())
	}
}

func TestOPMLImportStreamsListsOverTheOldLimitWithProgressAndAReport(t *testing.T) {
	dir := t.TempDir()
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0"?><opml version="2.0"><body>`)
	// The file import once refused more than 5,000 feeds. All but n of these
	// are refused before they reach the database, to keep the test quick.
	const n, refused = 100, 5000
	for i := range n {
		fmt.Fprintf(&doc, `<outline text="Feed %d" xmlUrl="https://f%d.example.org/feed"/>`, i, i)
	}
	for i := range refused {
		fmt.Fprintf(&doc, `<outline text="Bad %d" xmlUrl="ftp://bad.example.org/%d"/>`, i, i)
	}
	doc.WriteString(`</body></opml>`)
	file, report := filepath.Join(dir, "big.opml"), filepath.Join(dir, "report.tsv")
	if err := os.WriteFile(file, []byte(doc.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_SEED_SOURCES": "false"}
	var out, errb bytes.Buffer
	code := RunEnv(context.Background(), []string{"opml", "import", file, "--report", report}, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, ProgressEvery: -1,
		Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
	})
	if code != 0 || !strings.Contains(out.String(), fmt.Sprintf("imported %d sources, 0 already present, %d rejected", n, refused)) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %.2000s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), `msg="opml import" done_bytes=`) || !strings.Contains(errb.String(), fmt.Sprintf("so_far=\"%d created", n)) {
		t.Errorf("no progress in the log when stderr is no terminal:\n%.2000s", errb.String())
	}
	if !regexp.MustCompile(`msg="opml import" done_bytes=\d+ total_bytes=\d+ percent=\d+ per_second=[\d.]+ eta=\S+ so_far=`).MatchString(errb.String()) {
		t.Errorf("no progress line with the rate and time left:\n%.2000s", errb.String())
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != n+refused || !strings.HasPrefix(lines[0], "created\thttps://f0.example.org/feed") || !strings.HasPrefix(lines[n], "rejected\tftp://bad.example.org/0\t") {
		t.Errorf("report of %d lines: first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}

// TestREADMEListsTheCommandsAsHelpDoes checks the README's table of
// commands against the synopses scout --help, each command's --help and its
// usage errors print: the same commands, called the same way.
func TestREADMEListsTheCommandsAsHelpDoes(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Commands\n")
	if !ok {
		t.Fatal("README.md has no ## Commands section")
	}
	_, table, _ := strings.Cut(section, "\n```\n")
	table, _, _ = strings.Cut(table, "\n```")
	listed := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		// scout, the name in 12 columns, then the arguments, then after
		// three spaces or more the summary.
		const argsAt = len("scout ") + 13
		if !strings.HasPrefix(line, "scout ") {
			t.Fatalf("README.md's command table has a line not starting with scout: %q", line)
		}
		name, _, _ := strings.Cut(line[len("scout "):], " ")
		args := ""
		if len(line) > argsAt && line[argsAt] != ' ' {
			args, _, _ = strings.Cut(line[argsAt:], "   ")
		}
		listed[name] = strings.TrimSpace(name + " " + args)
	}
	help := run(t, nil, "", "--help").stdout
	for _, c := range commands() {
		want := synopsis(c.name)
		if got, ok := listed[c.name]; !ok || got != want {
			t.Errorf("README.md lists %s as %q, scout --help as %q", c.name, got, want)
		}
		delete(listed, c.name)
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(strings.TrimSpace(fmt.Sprintf("%-12s %s", c.name, c.args))) + `$`).MatchString(help) {
			t.Errorf("scout --help does not show %q", want)
		}
		if r := run(t, map[string]string{"SCOUT_DATA_DIR": t.TempDir()}, "", c.name, "--help"); !strings.HasPrefix(r.stdout, "Usage: scout "+want+"\n") {
			t.Errorf("scout %s --help begins %q, want Usage: scout %s", c.name, strings.SplitN(r.stdout, "\n", 2)[0], want)
		}
	}
	for name := range listed {
		t.Errorf("README.md lists %s, which is no command", name)
	}
}

func TestWrongUsageExitsTwoBeforeOpeningTheDatabase(t *testing.T) {
	for _, args := range [][]string{{"migrate", "sideways"}, {"migrate", "up", "extra"}, {"migrate"},
		{"source", "preview", "--kind", "rss", "http://127.0.0.1/feed"}, {"source", "preview", "--config", "{", "http://127.0.0.1/feed"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			r := run(t, map[string]string{"SCOUT_DATA_DIR": dir}, "", args...)
			if r.code != 2 || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q: want 2 and one line", r.code, r.stderr)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("wrong usage created the data directory (%v)", err)
			}
		})
	}
}

func TestADurationFlagSaysWhatADurationLooksLike(t *testing.T) {
	for _, args := range [][]string{{"apikey", "create", "--email", "a@example.org", "--ttl", "30d"}, {"bench", "-steady", "1d"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := run(t, map[string]string{"SCOUT_DATA_DIR": t.TempDir()}, "", args...)
			if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "30 days is 720h") {
				t.Fatalf("exit %d, stderr %q: want 2 and one line saying what a duration looks like", r.code, r.stderr)
			}
		})
	}
	if r := run(t, nil, "", "bench", "--help"); !strings.Contains(r.stdout, "-api-duration duration") || !strings.Contains(r.stdout, "(default 10s)") {
		t.Fatalf("bench --help no longer shows a duration flag's argument and default:\n%s", r.stdout)
	}
}

func TestSourcePreviewOpensNoDatabase(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Calls</title>
<item><title>Poetry fellowship</title><link>http://calls.example/1</link><guid>1</guid><description>A fellowship of $20,000. Deadline: 1 June 2031.</description></item>
</channel></rss>`)
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "data")
	r := run(t, map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_FETCH_ALLOW": strings.TrimPrefix(srv.URL, "http://")}, "", "source", "preview", srv.URL+"/feed.xml")
	if r.code != 0 || !strings.Contains(r.stdout, "1 items from 1 pages") || !strings.Contains(r.stdout, "deadline 2031-06-01; up to 20000 USD") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a preview, which saves nothing, created the data directory (%v)", err)
	}
}

func TestUserErrorsSayWhatIsWrongInWords(t *testing.T) {
	env := map[string]string{"SCOUT_DATA_DIR": t.TempDir()}
	if r := run(t, env, "correct horse battery staple\n", "user", "create", "--email", "ada@example.org", "--password-stdin"); r.code != 0 {
		t.Fatalf("create: exit %d, %s", r.code, r.stderr)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"user", "create", "--email", "Ada@Example.org"}, "scout user: conflict: a user with the e-mail ada@example.org exists already\n"},
		{[]string{"apikey", "create", "--email", "bob@example.org", "--scopes", "read"}, "scout apikey: no user has the e-mail bob@example.org (scout user create adds one)\n"},
		{[]string{"opml", "export", "--owner", "bob@example.org"}, "scout opml: no user has the e-mail bob@example.org (scout user create adds one)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if r := run(t, env, "", tt.args...); r.code != 1 || r.stderr != tt.want {
				t.Fatalf("exit %d, stderr %q; want 1, %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestOPMLFilesCarrySourcesOfEveryKind imports a list holding a feed and
// sources of other kinds with scout opml import, exports it with scout opml
// export into another installation, and finds the kinds and
// configurations intact; an outline whose configuration its kind refuses
// is rejected, naming the field.
func TestOPMLFilesCarrySourcesOfEveryKind(t *testing.T) {
	doc := `<?xml version="1.0"?><opml version="2.0" xmlns:scout="https://github.com/scoutdev/scout/opml"><body>
<outline text="Feed" xmlUrl="https://arts.example/feed.xml"/>
<outline text="Calls" type="link" url="https://arts.example/calls" scout:kind="html" scout:config='{"item":"article","link":"a@href"}'/>
<outline text="Funds" type="link" url="https://api.arts.example/funds" scout:kind="json" scout:config='{"items":"$.results[*]"}'/>
<outline text="Extract" type="link" url="https://grants.example/x{date}.zip" scout:kind="grantsgov" scout:config='{"mode":"extract"}'/>
<outline text="Bad" type="link" url="https://arts.example/bad" scout:kind="html" scout:config='{"title":"h2"}'/>
</body></opml>`
	opmlRun := func(dir string, stdin string, args ...string) (string, string) {
		t.Helper()
		vars := map[string]string{"SCOUT_DATA_DIR": dir, "SCOUT_SEED_SOURCES": "false"}
		var out, errb bytes.Buffer
		code := RunEnv(context.Background(), append([]string{"opml"}, args...), Env{
			Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, ProgressEvery: -1,
			Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		})
		if code != 0 {
			t.Fatalf("opml %v: exit %d\n%s\n%s", args, code, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}
	one, two := t.TempDir(), t.TempDir()
	file, report := filepath.Join(one, "in.opml"), filepath.Join(one, "report.tsv")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := opmlRun(one, "", "import", file, "--report", report)
	if !strings.Contains(out, "imported 4 sources, 0 already present, 1 rejected") {
		t.Fatalf("import: %s", out)
	}
	if b, _ := os.ReadFile(report); !strings.Contains(string(b), "config.item") {
		t.Errorf("the rejected outline's report does not name the field:\n%s", b)
	}
	export, _ := opmlRun(one, "", "export")
	for _, want := range []string{`scout:kind="html"`, `scout:kind="json"`, `scout:kind="grantsgov"`, `url="https://grants.example/x{date}.zip"`, `xmlUrl="https://arts.example/feed.xml"`} {
		if !strings.Contains(export, want) {
			t.Errorf("export lacks %s:\n%s", want, export)
		}
	}
	file2 := filepath.Join(two, "again.opml")
	if err := os.WriteFile(file2, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _ := opmlRun(two, "", "import", file2); !strings.Contains(out, "imported 4 sources, 0 already present, 0 rejected") {
		t.Fatalf("import of the export: %s", out)
	}
	if again, _ := opmlRun(two, "", "export"); stripDate(again) != stripDate(export) {
		t.Errorf("the second installation exports\n%s\nthe first\n%s", again, export)
	}
}

func stripDate(s string) string {
	return regexp.MustCompile(`<dateCreated>[^<]*</dateCreated>`).ReplaceAllString(s, "")
}
