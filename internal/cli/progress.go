package cli

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	progresslog "github.com/scoutdev/scout/internal/progress"
)

// progress tells how far a long command has come: a bar redrawn in place
// when stderr is a terminal, otherwise (a pipe, a log collector) a log line
// every few seconds, so that nothing is drawn where nobody watches.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar // nil: log lines instead
	lines *progresslog.Log         // done and total, rate and time left
	what  string
}

// newProgress starts a progress report on total units of work.
func newProgress(env Env, log *slog.Logger, what, unit string, total int64) *progress {
	p := &progress{what: what, lines: progresslog.New(log, what, unit, total, env.ProgressEvery)}
	if f, ok := env.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(env.Stderr), progressbar.OptionSetDescription(what),
			progressbar.OptionShowBytes(unit == "bytes"), progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(), progressbar.OptionFullWidth())
	}
	return p
}

// Set records how much is done, with a word on what was done so far.
func (p *progress) Set(ctx context.Context, done int64, detail string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(p.what + ": " + detail)
		_ = p.bar.Set64(done)
		return
	}
	p.lines.Step(ctx, done, slog.String("so_far", detail))
}

// Finish clears the bar; the command then prints its own summary.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
