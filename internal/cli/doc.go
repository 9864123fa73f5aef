// Package cli is Scout's command line: one flag.FlagSet per subcommand,
// flags overriding SCOUT_* variables, exit codes 0 (done), 1 (failed) and
// 2 (wrong usage), and one readable line per error on stderr.
//
// It imports config, app, scout (scope names) and bench (scout bench);
// nothing imports it but cmd/scout.
package cli
