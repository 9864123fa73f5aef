package progress

import (
	"context"
	"io"
	"log/slog"
	"time"
)

// Log reports one piece of work of a known total. It is not safe for
// concurrent use.
type Log struct {
	log         *slog.Logger
	msg, unit   string
	total       int64
	every       time.Duration
	now         func() time.Time
	start, last time.Time
}

// New starts reporting on total units of work (unit names them in the log
// keys: done_items, total_items). A line is written at most every every; 0
// means 5 s, a negative value a line on every step.
func New(log *slog.Logger, msg, unit string, total int64, every time.Duration) *Log {
	return NewAt(log, msg, unit, total, every, time.Now)
}

// NewAt is New with a clock, for tests.
func NewAt(log *slog.Logger, msg, unit string, total int64, every time.Duration, now func() time.Time) *Log {
	if every == 0 {
		every = 5 * time.Second
	}
	t := now()
	return &Log{log: log, msg: msg, unit: unit, total: total, every: every, now: now, start: t, last: t}
}

// Begin writes the first line: nothing done yet of the total.
func (l *Log) Begin(ctx context.Context, extra ...slog.Attr) {
	l.log.LogAttrs(ctx, slog.LevelInfo, l.msg, append(l.Attrs(0), extra...)...)
}

// Step records that done units are done and writes a line when the
// interval has passed since the last one. extra is added to the line.
func (l *Log) Step(ctx context.Context, done int64, extra ...slog.Attr) {
	if t := l.now(); l.every < 0 || t.Sub(l.last) >= l.every {
		l.last = t
		l.log.LogAttrs(ctx, slog.LevelInfo, l.msg, append(l.Attrs(done), extra...)...)
	}
}

// Done writes the last line: done units in the time since New.
func (l *Log) Done(ctx context.Context, msg string, done int64, extra ...slog.Attr) {
	took := l.now().Sub(l.start)
	attrs := []slog.Attr{slog.Int64("done_"+l.unit, done), slog.Duration("took", took.Round(time.Millisecond))}
	l.log.LogAttrs(ctx, slog.LevelInfo, msg, append(attrs, extra...)...)
}

// Attrs describes done units of the total: done and total, the percent,
// the rate so far per second and the estimated time left (eta; absent
// until the rate is known). A total <= 0 is unknown (a body sent without
// its length): only done and the rate are given.
func (l *Log) Attrs(done int64) []slog.Attr {
	attrs := []slog.Attr{slog.Int64("done_"+l.unit, done)}
	if l.total > 0 {
		attrs = append(attrs, slog.Int64("total_"+l.unit, l.total), slog.Int64("percent", min(100, done*100/l.total)))
	}
	elapsed := l.now().Sub(l.start)
	if done <= 0 || elapsed <= 0 {
		return attrs
	}
	rate := float64(done) / elapsed.Seconds()
	attrs = append(attrs, slog.Float64("per_second", float64(int64(rate*10))/10))
	if left := l.total - done; l.total > 0 && left > 0 {
		eta := time.Duration(float64(left) / rate * float64(time.Second))
		attrs = append(attrs, slog.Duration("eta", eta.Round(time.Second)))
	}
	return attrs
}

// Reader counts the bytes read through it, for progress by bytes.
type Reader struct {
	R io.Reader
	N int64 // bytes read so far
}

// Read reads from R and counts what it read.
func (c *Reader) Read(b []byte) (int, error) {
	n, err := c.R.Read(b)
	c.N += int64(n)
	return n, err
}
