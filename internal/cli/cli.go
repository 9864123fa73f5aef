package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/app"
	"github.com/scoutdev/scout/internal/config"
)

// Env is what a command may touch of its process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Lookup         func(string) (string, bool) // environment variables
	Environ        func() []string             // every KEY=value, to warn about unknown SCOUT_* names; nil: none
	ProgressEvery  time.Duration               // log progress this often when stderr is no terminal; 0: 5 s, < 0: every step
}

// Run runs the command line args with the process's environment and returns
// the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunEnv(ctx, args, Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Lookup: os.LookupEnv, Environ: os.Environ})
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, args []string, env Env) error
}

func commands() []command {
	return []command{
		{"serve", "[--addr A] [--data-dir D] [--database-url U]", "run the service: HTTP API, scheduler and fetchers", serve},
		{"migrate", "up|down|status", "apply, roll back or list database migrations", migrate},
		{"migrate-data", "--from sqlite:PATH --to postgres://URL", "copy an embedded installation into an empty PostgreSQL database", migrateData},
		{"user", "create --email E [--name N] [--admin] [--password-stdin]", "create a user (prints a generated password unless one is piped in)", user},
		{"apikey", "create --email E --scopes read,write,enrich,admin [--name N] [--ttl 720h]", "create an API key for a user (shown once)", apikey},
		{"refresh", "SOURCE_ID...", "make sources due now; says whether their host is saturated (a running server fetches them within a second otherwise)", refresh},
		{"source", "preview --kind html|json|grantsgov [--config JSON] URL", "read a source once without saving it and print what it would ingest", sourceCmd},
		{"opml", "import FILE [--owner E] [--public] [--report F] | export [--owner E]", "import or export sources as OPML 2.0", opmlCmd},
		{"config", "", "print the effective configuration, secrets redacted", printConfig},
		{"healthcheck", "[--url URL]", "exit 0 when the local server answers /readyz (for container health checks)", healthcheck},
		{"bench", "[-full] [-steady 60s] | -skew N | -verify -farm URL", "measure ingestion against a synthetic feed farm (BENCHMARKS.md)", benchCmd},
		{"version", "", "print the version", version},
	}
}

// synopsis is how command name is called, as scout --help, its own --help
// and its usage errors show it.
func synopsis(name string) string {
	for _, c := range commands() {
		if c.name == name {
			return strings.TrimSpace(name + " " + c.args)
		}
	}
	return name
}

// useErr is the usage error of a command called without what it needs.
func useErr(name string) error { return usageErr("use: scout %s", synopsis(name)) }

// RunEnv is Run with an explicit environment, for tests.
func RunEnv(ctx context.Context, args []string, env Env) int {
	if len(args) >= 2 && isHelp(args[0]) && !isHelp(args[1]) {
		args = []string{args[1], "--help"} // scout help serve
	}
	if len(args) == 0 || isHelp(args[0]) {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], env)
			return report(env.Stderr, c.name, err)
		}
	}
	fmt.Fprintf(env.Stderr, "scout: unknown command %q (run 'scout --help' for the list)\n", args[0])
	return 2
}

// errUsage marks errors in how a command was called; they exit with 2.
var errUsage = errors.New("usage")

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

func report(w io.Writer, cmd string, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(w, "scout %s: %s\n", cmd, strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	}
	fmt.Fprintf(w, "scout %s: %s\n", cmd, err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Scout collects funding opportunities for creators from feeds and serves them over an HTTP API.

Usage:
  scout <command> [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s\n  %-12s   %s\n", strings.TrimSpace(fmt.Sprintf("%-12s %s", c.name, c.args)), "", c.summary)
	}
	fmt.Fprintf(w, `
Flags shared by the commands that use the database:
  --addr ADDR            SCOUT_ADDR
  --data-dir DIR         SCOUT_DATA_DIR
  --database-url URL     SCOUT_DATABASE_URL

Environment (flags win over variables; secrets may also come from SCOUT_*_FILE):
%s
Run 'scout <command> --help' for the flags of one command.
`, config.Usage())
}

// commonFlags adds the flags that override configuration variables and
// returns the lookup that applies them over the environment.
func commonFlags(fs *flag.FlagSet, env Env) func() (config.Config, error) {
	over := map[string]*string{
		"SCOUT_ADDR":         fs.String("addr", "", "listen address (SCOUT_ADDR)"),
		"SCOUT_DATA_DIR":     fs.String("data-dir", "", "data directory (SCOUT_DATA_DIR)"),
		"SCOUT_DATABASE_URL": fs.String("database-url", "", "database URL (SCOUT_DATABASE_URL)"),
	}
	return func() (config.Config, error) {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		names := map[string]string{"SCOUT_ADDR": "addr", "SCOUT_DATA_DIR": "data-dir", "SCOUT_DATABASE_URL": "database-url"}
		c, err := config.Load(func(k string) (string, bool) {
			if p, ok := over[k]; ok && set[names[k]] {
				return *p, true
			}
			return env.Lookup(k)
		})
		warnUnknown(c, env)
		if err != nil {
			return c, fmt.Errorf("invalid configuration:\n%w", indent(err))
		}
		return c, nil
	}
}

// warnUnknown logs a warning for each SCOUT_* variable that is no setting.
func warnUnknown(c config.Config, env Env) {
	if env.Environ == nil {
		return
	}
	log := newLogger(c, env.Stderr)
	for _, w := range config.Unknown(env.Environ()) {
		log.Warn(w)
	}
}

func indent(err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i := range lines {
		lines[i] = "  " + lines[i]
	}
	return errors.New(strings.Join(lines, "\n"))
}

// newFlagSet returns a command's flag set. Its usage goes to standard
// output, for --help; parse reports a bad flag as one line instead of
// letting the flag package print it and the usage to stderr.
func newFlagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("scout "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cmd, _, _ := strings.Cut(name, " ")
	fs.Usage = func() {
		fs.SetOutput(env.Stdout)
		fmt.Fprintf(env.Stdout, "Usage: scout %s\n", synopsis(cmd))
		if hasFlags(fs) {
			fmt.Fprint(env.Stdout, "\nFlags:\n")
			fs.PrintDefaults()
		}
		fs.SetOutput(io.Discard)
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses flags wherever they stand, before or after the positional
// arguments (scout opml import FILE --public), up to a "--". -h and --help
// print the usage and return flag.ErrHelp; a bad flag is a usage error
// naming the command's --help.
func parse(fs *flag.FlagSet, args []string) error {
	printUsage := fs.Usage
	fs.Usage = func() {} // the flag package would print it on every error
	defer func() { fs.Usage = printUsage }()
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage()
				return err
			}
			return usageErr("%v (run '%s --help')", err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if dashes := len(args) - len(rest); dashes > 0 && args[dashes-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parse again with no flags so that fs.Args() holds the positional
	// arguments; values already set are kept.
	return fs.Parse(append([]string{"--"}, positional...))
}

// parseNoArgs parses a command that takes flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q (run '%s --help')", fs.Arg(0), fs.Name())
	}
	return nil
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// newLogger builds the process logger from the configuration.
func newLogger(c config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		opts.ReplaceAttr = millisecondDurations
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// millisecondDurations writes a duration as a number of milliseconds under
// a key ending in _ms (the log's convention, duration_ms), where the JSON
// handler would write nanoseconds.
func millisecondDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	key := a.Key
	if !strings.HasSuffix(key, "_ms") {
		key += "_ms"
	}
	return slog.Float64(key, float64(a.Value.Duration())/float64(time.Millisecond))
}

// openApp loads the configuration and opens (and, when configured, migrates)
// the store, for the one-shot commands; the caller closes it.
func openApp(ctx context.Context, load func() (config.Config, error), env Env) (*app.App, error) {
	cfg, err := load()
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, newLogger(cfg, env.Stderr))
}

// durationValue is a duration flag whose error says what a duration looks
// like: the flag package's own answers "parse error" to 30d.
type durationValue time.Duration

func (d *durationValue) String() string { return time.Duration(*d).String() }

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("must be a duration like 720h, 90m or 30s (hours are the longest unit: 30 days is 720h)")
	}
	*d = durationValue(v)
	return nil
}

// durationVar defines a duration flag; usage names its argument in
// backquotes, as the flag package prints it.
func durationVar(fs *flag.FlagSet, p *time.Duration, name string, def time.Duration, usage string) {
	*p = def
	fs.Var((*durationValue)(p), name, usage)
}
