package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSummaryNamesWhySkippedTestsSkipped(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"output","Package":"x/pg","Test":"TestA","Output":"    a_test.go:12: PostgreSQL tests skipped: SCOUT_TEST_POSTGRES_URL is not set\n"}`,
		`{"Action":"skip","Package":"x/pg","Test":"TestA"}`,
		`{"Action":"output","Package":"x/pg","Test":"TestB","Output":"    b_test.go:9: PostgreSQL tests skipped: SCOUT_TEST_POSTGRES_URL is not set\n"}`,
		`{"Action":"skip","Package":"x/pg","Test":"TestB"}`,
		`{"Action":"output","Package":"x/a","Test":"TestC","Output":"    c_test.go:3: boom\n"}`,
		`{"Action":"fail","Package":"x/a","Test":"TestC"}`,
		`{"Action":"pass","Package":"x/a","Test":"TestD"}`,
		`{"Action":"output","Package":"x/a","Output":"FAIL\tx/a\t0.2s\n"}`,
	}, "\n")
	var out bytes.Buffer
	if code := summarize(strings.NewReader(in), &out); code != 1 {
		t.Errorf("exit %d with a failure", code)
	}
	for _, want := range []string{"c_test.go:3: boom", "FAIL\tx/a", "1 passed, 1 failed, 2 skipped",
		"2 skipped: PostgreSQL tests skipped: SCOUT_TEST_POSTGRES_URL is not set (e.g. x/pg TestA)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

// A package that times out ends without a fail event for the test it was
// running; that test counts as failed and its panic is shown.
func TestSummaryShowsTheTestATimeoutStopped(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"x/api","Test":"TestSlow"}`,
		`{"Action":"output","Package":"x/api","Test":"TestSlow","Output":"panic: test timed out after 8m0s\n"}`,
		`{"Action":"output","Package":"x/api","Test":"TestSlow","Output":"\trunning tests:\n\t\tTestSlow (8m0s)\n"}`,
		`{"Action":"pass","Package":"x/api","Test":"TestFast"}`,
		`{"Action":"output","Package":"x/api","Output":"FAIL\tx/api\t480.6s\n"}`,
		`{"Action":"fail","Package":"x/api"}`,
	}, "\n")
	var out bytes.Buffer
	if code := summarize(strings.NewReader(in), &out); code != 1 {
		t.Errorf("exit %d with a timed-out package", code)
	}
	for _, want := range []string{"did not finish: x/api TestSlow", "panic: test timed out after 8m0s", "TestSlow (8m0s)", "1 passed, 1 failed, 0 skipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}
