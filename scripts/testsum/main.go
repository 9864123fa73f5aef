// Command testsum reads `go test -json` on standard input and prints what
// plain `go test` prints (a line per package, the output of failures), then
// how many tests passed, failed and skipped, and why the skipped ones were:
// plain `go test ./...` hides skips, such as the PostgreSQL and NATS tests
// when no server is there. scripts/test.sh runs it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// skipReason strips the file:line prefix of a t.Skip message.
var skipReason = regexp.MustCompile(`^\s+[\w./-]+\.go:\d+: `)

func main() {
	os.Exit(summarize(os.Stdin, os.Stdout))
}

func summarize(in io.Reader, out io.Writer) int {
	outputs := map[string][]string{} // package/test → its lines, until it ends
	reasons := map[string][]string{} // skip reason → tests
	var passed, failed, skipped int
	code := 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			fmt.Fprintln(out, sc.Text()) // a build error, as go test prints it
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if e.Test == "" && (strings.HasPrefix(e.Output, "ok") || strings.HasPrefix(e.Output, "FAIL") || strings.HasPrefix(e.Output, "?")) {
				fmt.Fprint(out, e.Output)
			} else {
				outputs[key] = append(outputs[key], e.Output)
			}
		case "pass":
			if e.Test != "" {
				passed++
			}
			delete(outputs, key)
		case "fail":
			code = 1
			if e.Test != "" {
				failed++
			} else {
				// A package that fails as a whole (a timeout, a panic, os.Exit)
				// leaves the tests it was running without an end: they failed,
				// and their output (the panic and its stacks) says why.
				failed += unfinished(out, outputs, e.Package)
			}
			fmt.Fprint(out, strings.Join(outputs[key], ""))
			delete(outputs, key)
		case "skip":
			if e.Test != "" {
				skipped++
				reason := "(no reason given)"
				for _, l := range outputs[key] {
					if skipReason.MatchString(l) {
						reason = strings.TrimSpace(skipReason.ReplaceAllString(l, ""))
					}
				}
				reasons[reason] = append(reasons[reason], strings.TrimPrefix(e.Package, "github.com/scoutdev/scout/")+" "+e.Test)
			}
			delete(outputs, key)
		}
	}
	fmt.Fprintf(out, "\n%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	var keys []string
	for r := range reasons {
		keys = append(keys, r)
	}
	sort.Slice(keys, func(i, j int) bool { return len(reasons[keys[i]]) > len(reasons[keys[j]]) })
	for _, r := range keys {
		tests := reasons[r]
		fmt.Fprintf(out, "  %d skipped: %s (e.g. %s)\n", len(tests), r, tests[0])
	}
	return code
}

// maxUnfinishedLines bounds what is printed of a test that never ended: a
// timeout's goroutine dump can run to thousands of lines, and its head (the
// panic, the running tests, the test's own stack) is what says why.
const maxUnfinishedLines = 200

// unfinished prints the output of pkg's tests that started but never ended,
// drops it, and returns how many there were.
func unfinished(out io.Writer, outputs map[string][]string, pkg string) int {
	var keys []string
	for k := range outputs {
		if test, ok := strings.CutPrefix(k, pkg+" "); ok && test != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		lines := outputs[k]
		fmt.Fprintf(out, "--- did not finish: %s\n", k)
		if len(lines) > maxUnfinishedLines {
			fmt.Fprint(out, strings.Join(lines[:maxUnfinishedLines], ""))
			fmt.Fprintf(out, "… %d more lines\n", len(lines)-maxUnfinishedLines)
		} else {
			fmt.Fprint(out, strings.Join(lines, ""))
		}
		delete(outputs, k)
	}
	return len(keys)
}
