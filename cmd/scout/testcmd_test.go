package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMETestCommandIsWhatCIRuns checks the README's test command (the
// block marked <!-- ci -->): every line of it is a line .ci/run runs, so CI
// proves it on every change, and run over one small package it ends with the
// count of passed, failed and skipped tests that plain go test hides.
func TestREADMETestCommandIsWhatCIRuns(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := ciBlock(string(readme))
	if len(lines) == 0 {
		t.Fatal("README.md has no ```sh block marked <!-- ci -->: where is its test command?")
	}
	ci, err := os.ReadFile(filepath.Join("..", "..", ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]bool{}
	for _, l := range strings.Split(string(ci), "\n") {
		runs[strings.TrimSpace(l)] = true
	}
	for _, l := range lines {
		if !runs[l] {
			t.Errorf("the README's test command %q is not a line of .ci/run, so CI does not prove it", l)
		}
	}
	if lines[0] != "scripts/test.sh" {
		return // the run below knows this one command
	}
	for _, tool := range []string{"bash", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("README_TEST") == "require" {
				t.Fatalf("%s is needed to run the README's test command: %v", tool, err)
			}
			t.Skipf("skipping the README's test command: %s is not installed", tool)
		}
	}
	cmd := exec.Command("bash", "scripts/test.sh", "-run=TestSummaryNamesWhySkippedTestsSkipped", "./scripts/testsum")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/test.sh over ./scripts/testsum: %v\n%s", err, out)
	}
	for _, want := range []string{"ok  \tgithub.com/scoutdev/scout/scripts/testsum", "1 passed, 0 failed, 0 skipped"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("scripts/test.sh printed no %q:\n%s", want, out)
		}
	}
}

// ciBlock returns the commands of the ```sh block after <!-- ci -->.
func ciBlock(readme string) []string {
	var lines []string
	marked, in := false, false
	sc := bufio.NewScanner(strings.NewReader(readme))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case !in && l == "<!-- ci -->":
			marked = true
		case marked && !in && l == "```sh":
			in = true
		case in && l == "```":
			return lines
		case in && l != "" && !strings.HasPrefix(l, "#"):
			lines = append(lines, l)
		case !in:
			marked = false
		}
	}
	return nil
}

// TestREADMECISectionNamesWhatCIRuns checks that the README's CI section
// names every variable .ci/run exports, so that a new requirement in CI
// cannot go unmentioned there.
func TestREADMECISectionNamesWhatCIRuns(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## CI\n")
	if !ok {
		t.Fatal("README.md has no ## CI section")
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	ci, err := os.ReadFile(filepath.Join("..", "..", ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	exported := 0
	for _, l := range strings.Split(string(ci), "\n") {
		name, ok := strings.CutPrefix(strings.TrimSpace(l), "export ")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if name == "PATH" {
			continue
		}
		exported++
		if !strings.Contains(section, "`"+name) {
			t.Errorf(".ci/run exports %s, which the README's CI section does not name", name)
		}
	}
	if exported < 4 {
		t.Fatalf(".ci/run exports %d variables; has its form changed?", exported)
	}
	for _, step := range []string{"gofmt", "go vet", "staticcheck"} {
		if !strings.Contains(string(ci), step) || !strings.Contains(section, step) {
			t.Errorf("%s is not both in .ci/run and in the README's CI section", step)
		}
	}
}
