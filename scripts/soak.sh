#!/usr/bin/env bash
# soak.sh: run `scout serve` against a rotating feed farm with failing
# endpoints mixed in (500s, hangs, 404s) and sample its RSS, goroutines and
# open files every minute; they must plateau. Usage: scripts/soak.sh
# [DURATION_SECONDS] (default 3600). Prints one CSV line per sample and a
# verdict comparing the last third of the run with the middle third.
set -euo pipefail
DURATION=${1:-3600}
FEEDS=${FEEDS:-500}
FAILING=${FAILING:-30}
FARM_PORT=${FARM_PORT:-18092}
SCOUT_PORT=${SCOUT_PORT:-18093}
FARM=http://127.0.0.1:$FARM_PORT
WORK=$(mktemp -d /tmp/scout-soak.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; echo "work dir: $WORK"' EXIT
cd "$(dirname "$0")/.."
go build -o "$WORK/scout" ./cmd/scout
go build -o "$WORK/feedfarm" ./cmd/feedfarm
# Each feed gains an item every 30 s; each source is fetched every minute.
"$WORK/feedfarm" -addr 127.0.0.1:$FARM_PORT -feeds "$FEEDS" -items 20 -rotate-every 30s -rotate-count 1 \
  -failing "$FAILING" -hang-for 2m >"$WORK/farm.log" 2>&1 &
sleep 1
export SCOUT_DATA_DIR=$WORK/data SCOUT_SEED_SOURCES=false SCOUT_LOG_LEVEL=error \
  SCOUT_FETCH_ALLOW=127.0.0.1/32 SCOUT_FETCH_HOST_INTERVAL=0s SCOUT_FETCH_PER_HOST=16 \
  SCOUT_FETCH_CONCURRENCY=16 SCOUT_WORKERS=16 SCOUT_FETCH_TIMEOUT=10s \
  SCOUT_INTERVAL=1m SCOUT_MIN_INTERVAL=1m SCOUT_MAX_INTERVAL=2m SCOUT_ADDR=127.0.0.1:$SCOUT_PORT
mkdir -p "$SCOUT_DATA_DIR"
curl -fsS "$FARM/opml" >"$WORK/farm.opml"
"$WORK/scout" migrate up >/dev/null
"$WORK/scout" opml import --public "$WORK/farm.opml"
"$WORK/scout" serve >"$WORK/serve.log" 2>&1 &
pid=$!
sleep 2
goroutines() {
  curl -fsS "http://127.0.0.1:$SCOUT_PORT/metrics" 2>/dev/null | awk '/^go_goroutines /{print $2; f=1} END{if(!f) print "n/a"}'
}
echo "minute,rss_kib,goroutines,threads,open_files,farm_requests,items_served"
samples=$((DURATION / 60))
for m in $(seq 0 "$samples"); do
  rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status)
  thr=$(awk '/^Threads/{print $2}' /proc/$pid/status)
  fds=$(ls /proc/$pid/fd | wc -l)
  stats=$(curl -fsS "$FARM/stats")
  req=$(echo "$stats" | sed 's/.*"requests":\([0-9]*\).*/\1/')
  served=$(echo "$stats" | sed 's/.*"items_served":\([0-9]*\).*/\1/')
  echo "$m,$rss,$(goroutines),$thr,$fds,$req,$served" | tee -a "$WORK/samples.csv"
  [ "$m" -lt "$samples" ] && sleep 60
done
kill -TERM "$pid"; wait "$pid" || true
"$WORK/scout" bench -verify -partial -farm "$FARM" || true
# Plateau: the last third's peak may not exceed the middle third's by more than 10 % (+2 MiB, +20 goroutines, +10 files).
awk -F, -v n="$samples" '
  { row[$1] = $0; rss[$1] = $2; g[$1] = $3; fd[$1] = $5 }
  END {
    a = int(n / 3); b = int(2 * n / 3)
    for (i = a; i < b; i++) { if (rss[i] > mr) mr = rss[i]; if (g[i] > mg) mg = g[i]; if (fd[i] > mf) mf = fd[i] }
    for (i = b; i <= n; i++) { if (rss[i] > lr) lr = rss[i]; if (g[i] > lg) lg = g[i]; if (fd[i] > lf) lf = fd[i] }
    ok = (lr <= mr * 1.1 + 2048) && (lg <= mg * 1.1 + 20) && (lf <= mf + 10)
    printf "middle third peak: rss %d KiB, goroutines %s, files %d; last third peak: rss %d KiB, goroutines %s, files %d: %s\n", mr, mg, mf, lr, lg, lf, ok ? "PLATEAU" : "STILL GROWING"
    exit ok ? 0 : 1
  }' "$WORK/samples.csv"
