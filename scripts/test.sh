#!/usr/bin/env bash
# The README's test command, and what .ci/run runs: the tests with the race
# detector, then a count of the tests that passed, failed and were skipped,
# with why (e.g. no PostgreSQL or NATS server), which plain go test hides.
# Arguments starting with ./ name packages (default ./...); the others go to
# go test, e.g. scripts/test.sh -short or scripts/test.sh -run TestX ./internal/api
# (give flag values as -flag=value).
set -uo pipefail
cd "$(dirname "$0")/.."
flags=() pkgs=()
for a in "$@"; do
  case $a in
  ./*) pkgs+=("$a") ;;
  *) flags+=("$a") ;;
  esac
done
go test -race -timeout 10m -json "${flags[@]}" "${pkgs[@]:-./...}" | go run ./scripts/testsum
