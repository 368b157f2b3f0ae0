#!/usr/bin/env bash
# A bounded load test of the production server, on 127.0.0.1 only: gunicorn
# (scripts/serve-prod.sh) over a throwaway SQLite copy of the seed data and the
# 2017 results, then locust at a fixed rate for a fixed time on a mix of list,
# detail, filtered and search requests. Prints the summary and the p99; exits
# non-zero if any request failed.
#   LOAD_RATE      requests per second in all (default: 20)
#   LOAD_USERS     simulated clients sharing that rate (default: 10)
#   LOAD_DURATION  how long (default: 60s)
#   LOAD_PORT      the server's port on 127.0.0.1 (default: 8765)
#   LOAD_PROBE_LIMIT  1: keep production's per-address limits and, instead of
#                  locust, send requests from one address as fast as 10
#                  threads can for LOAD_DURATION seconds (default 60): prints how
#                  many got through (the limit, 60/min, holds across workers)
#   LOAD_WATCH_MEMORY  1: sample the server's memory (master and workers) every
#                  10 s and fail if it grew by more than LOAD_MAX_GROWTH percent
#                  (default: 20) between the end of the first minute and the
#                  end: the soak run (`make soak`: 10 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RATE=${LOAD_RATE:-20}
USERS=${LOAD_USERS:-10}
DURATION=${LOAD_DURATION:-60s}
PORT=${LOAD_PORT:-8765}
RESULTS=data/up-assembly-2017-eci

WORK=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/load.sqlite3"
export DJANGO_SECRET_KEY="load-test-only-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DJANGO_HTTPS=0 GUNICORN_BIND="127.0.0.1:$PORT"
if [ "${LOAD_PROBE_LIMIT:-0}" != 1 ]; then
  # All the load comes from one address: lift the per-address limits for this server only.
  export DJANGO_THROTTLE_ANON_BURST=1000000/min DJANGO_THROTTLE_ANON_SUSTAINED=100000000/day
fi

echo "== data: seeds and the 2017 results into $WORK/load.sqlite3"
$BIN/python manage.py load_seed_data --verbosity 0
$BIN/python manage.py import_results "$RESULTS/uttar-pradesh-2017.json" --election up-2017 \
  --party-map "$RESULTS/party-map.csv" --no-progress --verbosity 0

echo "== server: gunicorn on 127.0.0.1:$PORT (log: $WORK/server.log)"
scripts/serve-prod.sh >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 180); do
  if $BIN/python -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "http://127.0.0.1:$PORT/api/v1/health/" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then cat "$WORK/server.log"; echo "load test: the server did not start" >&2; exit 1; fi
  sleep 1
done

server_rss_kib() {  # the gunicorn master and its workers, in KiB
  local total=0 pid rss
  for pid in "$SERVER" $(pgrep -P "$SERVER" || true); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}
SAMPLER=""
if [ "${LOAD_WATCH_MEMORY:-0}" = 1 ]; then
  (while sleep 10; do echo "$SECONDS $(server_rss_kib)"; done) >"$WORK/rss.txt" &
  SAMPLER=$!
fi

if [ "${LOAD_PROBE_LIMIT:-0}" = 1 ]; then
  echo "== probe: one address, 10 threads, ${DURATION%s} s, against the production limits"
  probe_status=0
  $BIN/python - "http://127.0.0.1:$PORT/api/v1/parties/" "${DURATION%s}" <<'PY' || probe_status=$?
import sys, threading, time, urllib.error, urllib.request
from collections import Counter

url, seconds = sys.argv[1], float(sys.argv[2])
counts, lock, end = Counter(), threading.Lock(), time.monotonic() + seconds


def hammer():
    while time.monotonic() < end:
        try:
            status = urllib.request.urlopen(url, timeout=10).status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = "error"
        with lock:
            counts[status] += 1


threads = [threading.Thread(target=hammer) for _ in range(10)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
total = sum(counts.values())
print(f"probe: {total} requests in {seconds:.0f} s from one address: {counts[200]} answered 200, "
      f"{counts[429]} refused 429, others {total - counts[200] - counts[429]} "
      f"({counts[200] * 60 / seconds:.0f} a minute got through)")
sys.exit(0 if not (total - counts[200] - counts[429]) else 1)
PY
  exit $probe_status
fi

echo "== load: $RATE requests/s from $USERS users for $DURATION"
status=0
LOAD_USER_RATE=$(python3 -c "print($RATE / $USERS)") $BIN/locust -f scripts/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" --users "$USERS" --spawn-rate "$USERS" --run-time "$DURATION" \
  --stop-timeout 10 --only-summary --json-file "$WORK/stats" --loglevel WARNING || status=$?

$BIN/python - "$WORK/stats.json" <<'PY'
import json, sys
from collections import Counter


def percentile(times: Counter, fraction: float) -> int:
    """The response time (ms) under which ``fraction`` of the requests finished."""
    seen, wanted = 0, fraction * sum(times.values())
    for ms in sorted(times):
        seen += times[ms]
        if seen >= wanted:
            return ms
    return 0


def line(name, requests, failures, times):
    return f"{name:<32} {requests:>6} {failures:>6} {percentile(times, 0.5):>8} {percentile(times, 0.99):>8} {max(times, default=0):>8}"


entries = json.load(open(sys.argv[1]))
print(f"{'request':<32} {'count':>6} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
everything = Counter()
for entry in sorted(entries, key=lambda e: e["name"]):
    times = Counter({int(float(ms)): n for ms, n in entry["response_times"].items()})
    everything.update(times)
    print(line(entry["name"], entry["num_requests"], entry["num_failures"], times))
requests = sum(entry["num_requests"] for entry in entries)
failures = sum(entry["num_failures"] for entry in entries)
print(line("all", requests, failures, everything))
seconds = max(e["last_request_timestamp"] for e in entries) - min(e["start_time"] for e in entries)
print(f"load test: {requests} requests at {requests / seconds:.1f}/s, {failures} failed, "
      f"p50 {percentile(everything, 0.5)} ms, p99 {percentile(everything, 0.99)} ms")
sys.exit(1 if failures or not requests else 0)
PY
if [ -n "$SAMPLER" ]; then
  kill "$SAMPLER" 2>/dev/null || true
  $BIN/python - "$WORK/rss.txt" "${LOAD_MAX_GROWTH:-20}" <<'PY' || status=1
import sys

samples = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if line.strip()]
limit = float(sys.argv[2])
start = samples[0][0]
warm = [kib for t, kib in samples if t - start >= 60] or [samples[-1][1]]
first, last, peak = warm[0], samples[-1][1], max(kib for _, kib in samples)
growth = 100 * (last - first) / first
print(f"memory (master + workers): {samples[0][1] / 1024:.0f} MiB at the start, {first / 1024:.0f} MiB after "
      f"a minute, {last / 1024:.0f} MiB at the end ({growth:+.1f} %), peak {peak / 1024:.0f} MiB; "
      f"{len(samples)} samples")
if growth > limit:
    print(f"soak: memory grew by {growth:.1f} % after the first minute (limit {limit} %)")
    sys.exit(1)
PY
fi
exit $((status))
