#!/usr/bin/env bash
# crash.sh: SIGKILL `scout serve` at random points while it ingests a
# rotating feed farm, N times (default 20), restarting it each time; after
# every kill check PRAGMA integrity_check and that no item is duplicated or
# invented; at the end let one run catch up and check that nothing the farm
# served was lost. Usage: scripts/crash.sh [N]. Needs Go and curl.
set -euo pipefail
N=${1:-20}
FEEDS=${FEEDS:-300}
PORT=${PORT:-18091}
FARM=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/scout-crash.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; echo "work dir: $WORK"' EXIT
cd "$(dirname "$0")/.."
go build -o "$WORK/scout" ./cmd/scout
go build -o "$WORK/feedfarm" ./cmd/feedfarm
"$WORK/feedfarm" -addr 127.0.0.1:$PORT -feeds "$FEEDS" -items 20 -rotate-every 2s -rotate-count 1 -keep 200 >"$WORK/farm.log" 2>&1 &
sleep 1
export SCOUT_DATA_DIR=$WORK/data SCOUT_SEED_SOURCES=false SCOUT_LOG_LEVEL=warn \
  SCOUT_FETCH_ALLOW=127.0.0.1/32 SCOUT_FETCH_HOST_INTERVAL=0s SCOUT_FETCH_PER_HOST=8 \
  SCOUT_FETCH_CONCURRENCY=8 SCOUT_WORKERS=8 SCOUT_FETCH_TIMEOUT=5s SCOUT_LEASE=10s \
  SCOUT_ADDR=127.0.0.1:0
mkdir -p "$SCOUT_DATA_DIR"
curl -fsS "$FARM/opml" >"$WORK/farm.opml"
"$WORK/scout" migrate up >/dev/null
"$WORK/scout" opml import --public "$WORK/farm.opml"
for i in $(seq 1 "$N"); do
  "$WORK/scout" serve >>"$WORK/serve.log" 2>&1 &
  pid=$!
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + 2.2 * r / 32768 }')"
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  printf 'kill %2d: ' "$i"
  "$WORK/scout" bench -verify -partial -make-due -farm "$FARM"
done
curl -fsS -X POST "$FARM/freeze"
"$WORK/scout" serve >>"$WORK/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  sleep 2
  if "$WORK/scout" bench -verify -make-due -farm "$FARM" >/dev/null 2>&1; then break; fi
done
kill -TERM "$pid"; wait "$pid" || true
printf 'final:   '
"$WORK/scout" bench -verify -farm "$FARM"
echo "crash test passed: $N kills"
