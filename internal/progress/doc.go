// Package progress reports how far long work has come as log lines an
// operator can read: how much is done of how much, how fast, and how long
// the rest will take, at most once per interval and once at the end. It is
// what a command writes where no terminal shows a bar (a pipe, a log
// collector), and what scout serve writes for its background backfills.
// It imports nothing of Scout.
package progress
