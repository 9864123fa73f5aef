package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/cli"
	"github.com/scoutdev/scout/internal/feedfarm"
	"github.com/scoutdev/scout/internal/testdb"
)

// runAs is set when the README test runs this test binary in place of a
// command the README names (go run ./cmd/scout, go run ./cmd/feedfarm).
const runAs = "README_TEST_RUN"

func TestMain(m *testing.M) {
	var run func(context.Context, []string) int
	switch os.Getenv(runAs) {
	case "scout":
		run = func(ctx context.Context, args []string) int { return cli.Run(ctx, args, os.Stdout, os.Stderr) }
	case "feedfarm":
		run = func(ctx context.Context, args []string) int { return feedfarm.Main(ctx, args, os.Stdout, os.Stderr) }
	default:
		os.Exit(m.Run())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// The README's own addresses, which the test replaces by free ports: the
// walkthrough reaches nothing but Scout and the farm, so nothing else is
// replaced.
const (
	readmeScout = "127.0.0.1:8080"
	readmeFarm  = "127.0.0.1:8090"
)

// TestREADMEWalkthrough runs the README's walkthrough blocks as a newcomer
// pastes them (see "How the README is tested" in README.md) and checks each
// command's exit status and the output the README shows.
func TestREADMEWalkthrough(t *testing.T) { walkthrough(t) }

// TestREADMEWalkthroughOnPostgreSQL runs the same walkthrough with every
// command pointed at an empty PostgreSQL database, as the README's
// PostgreSQL section does with SCOUT_DATABASE_URL: both engines must give
// what the README shows.
func TestREADMEWalkthroughOnPostgreSQL(t *testing.T) {
	walkthrough(t, "SCOUT_DATABASE_URL="+testdb.PostgresURL(t))
}

// walkthrough runs the README's walkthrough with env added to the
// environment of its shell.
func walkthrough(t *testing.T, env ...string) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("README_TEST") == "require" {
				t.Fatalf("%s is needed to run the README's walkthrough: %v", tool, err)
			}
			t.Skipf("skipping the README walkthrough: %s is not installed", tool)
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	scoutAddr, farmAddr := freeAddr(t), freeAddr(t)
	text := strings.NewReplacer(readmeScout, scoutAddr, readmeFarm, farmAddr).Replace(string(readme))
	steps, err := parseWalkthrough(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 10 {
		t.Fatalf("found %d walkthrough commands in README.md; are the <!-- walkthrough --> markers gone?", len(steps))
	}
	work := t.TempDir()
	out := filepath.Join(work, ".out")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script(steps, out))
	cmd.Dir = work
	// The base URLs: Scout's through its setting, the farm's through its flag.
	cmd.Env = append(cleanEnv(), "README_TEST_BIN="+self, "README_TEST_FARM="+farmAddr, "SCOUT_ADDR="+scoutAddr, "HOME="+work,
		"SCOUT_SEED_SOURCES=false") // the seeded feeds are public: a test reaches loopback only
	cmd.Env = append(cmd.Env, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	shellOut, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("the walkthrough's shell failed: %v\n%s", err, shellOut)
	}
	// Each background command leads a process group of its own, which
	// outlives a shell killed at the timeout: stop what is left of them.
	for i, st := range steps {
		if pid, err := os.ReadFile(filepath.Join(out, strconv.Itoa(i)+".pid")); st.background && err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil && n > 1 {
				_ = syscall.Kill(-n, syscall.SIGKILL)
			}
		}
	}
	for i, st := range steps {
		if msg := st.check(out, i); msg != "" {
			t.Fatalf("README.md line %d: %s\n%s\n\nThe background commands wrote:\n%s", st.line, msg, st.text, backgroundOutput(steps, out))
		}
	}
}

// backgroundOutput is what the background commands wrote, for a failure.
func backgroundOutput(steps []step, out string) string {
	var b strings.Builder
	for i, st := range steps {
		if st.background {
			o, _ := os.ReadFile(filepath.Join(out, strconv.Itoa(i)+".out"))
			fmt.Fprintf(&b, "--- %s\n%s\n", st.text, o)
		}
	}
	return b.String()
}

// step is one command of a walkthrough block and what the README says of it.
type step struct {
	line       int      // in README.md
	text       string   // the command, continuation lines included
	background bool     // started in the background, stopped at the end
	want       []string // #> lines: patterns its output must contain, … for any text
}

// parseWalkthrough returns the commands of the marked sh blocks in order.
func parseWalkthrough(readme string) ([]step, error) {
	var steps []step
	mode, inBlock, cont := "", false, false
	sc := bufio.NewScanner(strings.NewReader(readme))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case !inBlock && (trimmed == "<!-- walkthrough -->" || trimmed == "<!-- walkthrough: background -->"):
			mode = trimmed
			continue
		case !inBlock && mode != "" && strings.HasPrefix(trimmed, "```"):
			if trimmed != "```sh" {
				return nil, fmt.Errorf("line %d: a walkthrough block must be a ```sh block", n)
			}
			inBlock = true
			continue
		case !inBlock:
			mode = ""
			continue
		case trimmed == "```":
			inBlock, mode, cont = false, "", false
			continue
		}
		if cont {
			steps[len(steps)-1].text += "\n" + line
			cont = strings.HasSuffix(line, "\\") || open(steps[len(steps)-1].text)
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "#>"):
			if len(steps) == 0 {
				return nil, fmt.Errorf("line %d: #> before any command", n)
			}
			steps[len(steps)-1].want = append(steps[len(steps)-1].want, strings.TrimSpace(trimmed[2:]))
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		default:
			steps = append(steps, step{line: n, text: line, background: mode == "<!-- walkthrough: background -->"})
			cont = strings.HasSuffix(line, "\\") || open(line)
		}
	}
	if inBlock {
		return nil, fmt.Errorf("a walkthrough block is not closed")
	}
	return steps, sc.Err()
}

// open reports whether a command goes on: a for, while or until loop whose
// done has not come yet.
func open(text string) bool {
	first := strings.Fields(text)
	if len(first) == 0 {
		return false
	}
	switch first[0] {
	case "for", "while", "until", "if":
		last := strings.TrimSpace(text[strings.LastIndexByte(text, '\n')+1:])
		return !strings.HasPrefix(last, "done") && !strings.HasPrefix(last, "fi") && !strings.Contains(last, "; done") && !strings.Contains(last, "; fi")
	}
	return false
}

// script is the bash program that runs the steps: each foreground command
// in the shell itself (so its variables stay), with its output and exit
// status in files; it stops at the first failure. Background commands get
// their own process group, stopped with SIGTERM at the end.
func script(steps []step, out string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `set -m
out=%q
go() {
  local as
  case "$1 $2" in
  "run ./cmd/scout") as=scout ;;
  "run ./cmd/feedfarm") as=feedfarm; set -- "$1" "$2" -addr "$README_TEST_FARM" "${@:3}" ;;
  *) echo "the README test runs go run ./cmd/scout and go run ./cmd/feedfarm only, not: go $*" >&2; return 127 ;;
  esac
  shift 2
  # In the background the command becomes the job itself, so that SIGTERM
  # reaches it and wait sees its exit status.
  if [ -n "$in_background" ]; then exec env README_TEST_RUN=$as "$README_TEST_BIN" "$@"; fi
  README_TEST_RUN=$as "$README_TEST_BIN" "$@"
}
bg=()
stop() {
  for p in "${bg[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
  for p in "${bg[@]}"; do wait "$p"; echo $? > "$out/$p.rc"; done
}
trap stop EXIT
`, out)
	for i, st := range steps {
		if st.background {
			fmt.Fprintf(&b, "{\nin_background=1\n%s\n} > \"$out/%d.out\" 2>&1 < /dev/null &\nbg+=($!); echo $! > \"$out/%d.pid\"\n", st.text, i, i)
			continue
		}
		fmt.Fprintf(&b, "{\n%s\n} > \"$out/%d.out\" 2>&1 < /dev/null\nrc=$?; echo $rc > \"$out/%d.rc\"; [ $rc = 0 ] || exit 0\n", st.text, i, i)
	}
	return b.String()
}

// check compares what step i did with what the README says.
func (st step) check(out string, i int) string {
	rcFile := filepath.Join(out, strconv.Itoa(i)+".rc")
	if st.background {
		pid, err := os.ReadFile(filepath.Join(out, strconv.Itoa(i)+".pid"))
		if err != nil {
			return "the command was not reached"
		}
		rcFile = filepath.Join(out, strings.TrimSpace(string(pid))+".rc")
	}
	output, _ := os.ReadFile(filepath.Join(out, strconv.Itoa(i)+".out"))
	rc, err := os.ReadFile(rcFile)
	switch {
	case err != nil:
		return "the command was not reached"
	case strings.TrimSpace(string(rc)) != "0":
		return fmt.Sprintf("the command exited with status %s; its output:\n%s", strings.TrimSpace(string(rc)), output)
	}
	for _, w := range st.want {
		if !containsPattern(string(output), w) {
			return fmt.Sprintf("the output has no line matching %q; it is:\n%s", w, output)
		}
	}
	return ""
}

// containsPattern reports whether a line of output holds pattern's pieces
// (split at …) in order.
func containsPattern(output, pattern string) bool {
	pieces := strings.Split(pattern, "…")
	for _, line := range strings.Split(output, "\n") {
		rest, ok := line, true
		for _, p := range pieces {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// cleanEnv is the environment without Scout's settings, so that the
// walkthrough sees the defaults a newcomer has.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SCOUT_") {
			env = append(env, kv)
		}
	}
	return env
}

func FuzzParseWalkthrough(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "walkthrough-seed.md"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Fuzz(func(t *testing.T, doc string) {
		steps, err := parseWalkthrough(doc)
		if err != nil {
			return
		}
		last := 0
		for _, st := range steps {
			if st.line <= last || strings.TrimSpace(st.text) == "" {
				t.Fatalf("step %+v after line %d", st, last)
			}
			last = st.line
		}
	})
}

func TestParseWalkthrough(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "walkthrough-seed.md"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := parseWalkthrough(string(seed))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range steps {
		got = append(got, fmt.Sprintf("%d %t %q %q", st.line, st.background, st.text, st.want))
	}
	want := []string{
		`5 true "server --port 1" ["listening…"]`,
		"11 false \"echo a \\\\\\n  b\" [\"a b\"]",
		"14 false \"for i in 1 2; do\\n  echo $i\\ndone\" [\"1\" \"2\"]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("steps\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
