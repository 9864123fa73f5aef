// Package bench is Scout's load harness: it serves a synthetic feed farm
// (package feedfarm) on loopback, runs the real pipeline against it and
// reports what it costs, as a Markdown table (`scout bench`).
//
// Phases, per workload and engine: the floor (the same fetches and a parse,
// storing nothing), a cold ingest into a fresh database, a warm refresh
// (every feed answers 304), the extra Sections (the API under load plugs in
// here, see Section), and a correctness check of the stored items against
// the farm's ground truth. A steady-state phase measures the lag from an
// item appearing on a rotating farm to its being stored. Verify checks a
// database against a farm in another process (for scripts/crash.sh), and
// Crash runs the SIGKILL crash test.
//
// Timed assertions do not belong in tests: figures go in BENCHMARKS.md.
// The package may import app, config and the store engines, because it
// stands where cli does: outside the service, driving it.
package bench
