package progress

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// clock is a time that the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func lines(b *bytes.Buffer) []string { return strings.Split(strings.TrimSpace(b.String()), "\n") }
func textLog(b *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

func TestLogSaysHowMuchHowFastAndHowLongLeftAtMostOncePerInterval(t *testing.T) {
	var b bytes.Buffer
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := NewAt(textLog(&b), "recomputing records", "items", 1000, 5*time.Second, c.now)
	ctx := context.Background()
	c.add(time.Second)
	p.Step(ctx, 100) // before the interval: nothing
	c.add(4 * time.Second)
	p.Step(ctx, 250, slog.Int("batch", 2))
	c.add(time.Second)
	p.Step(ctx, 300) // one second after the last line: nothing
	c.add(15 * time.Second)
	p.Step(ctx, 1000)
	p.Done(ctx, "recomputed records", 1000)
	want := []string{
		`level=INFO msg="recomputing records" done_items=250 total_items=1000 percent=25 per_second=50 eta=15s batch=2`,
		`level=INFO msg="recomputing records" done_items=1000 total_items=1000 percent=100 per_second=47.6`,
		`level=INFO msg="recomputed records" done_items=1000 took=21s`,
	}
	if got := lines(&b); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLogWithANegativeIntervalWritesEveryStepAndOfAnUnknownTotalOnlyTheRate(t *testing.T) {
	var b bytes.Buffer
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := NewAt(textLog(&b), "copying", "rows", 0, -1, c.now)
	p.Step(context.Background(), 0)
	c.add(2 * time.Second)
	p.Step(context.Background(), 10)
	want := []string{
		`level=INFO msg=copying done_rows=0`,
		`level=INFO msg=copying done_rows=10 per_second=5`,
	}
	if got := lines(&b); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReaderCountsTheBytesReadThroughIt(t *testing.T) {
	r := &Reader{R: strings.NewReader("twelve bytes")}
	if b, err := io.ReadAll(r); err != nil || string(b) != "twelve bytes" || r.N != 12 {
		t.Fatalf("read %q, %v; counted %d", b, err, r.N)
	}
}
