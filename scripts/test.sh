#!/usr/bin/env bash
# The README's test command, then a count of the tests that passed, failed
# and were skipped, with why (e.g. no PostgreSQL or NATS server). Extra
# arguments go to go test: scripts/test.sh -short
set -uo pipefail
cd "$(dirname "$0")/.."
go test -race -json "$@" ./... | go run ./scripts/testsum
