#!/usr/bin/env bash
# Throughput and latency of the flagship query with the defaults (rate limiting, metrics and
# the response cache on), with the response cache off, then with all three off, measured with
# wrk on loopback against the release build.
#
#   benches/throughput.sh                  # SQLite, in a temporary folder
#   DATABASE_URL=postgres://… benches/throughput.sh
#
# With limits on, the requests present an API key whose budget the run cannot spend, so every
# request is counted and charged but none is refused: the run measures the cost of counting.
# Needs wrk (`apt-get install -y wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-18089}"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-8}"
threads="${THREADS:-2}"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
nkhr="${CARGO_TARGET_DIR:-target}/release/nkhr"
database="${DATABASE_URL:-sqlite://$work/bench.sqlite3?mode=rwc}"
"$nkhr" --database-url "$database" --log warn migrate >/dev/null
key="$("$nkhr" --database-url "$database" --log warn api-key create --name bench --points-per-hour 1000000000000 2>/dev/null)"

"$nkhr" schema >/dev/null
flagship="$(cat src/http/examples/funding-freeze.graphql)"
[ -n "$flagship" ] || { echo "the flagship example is missing" >&2; exit 1; }
printf '%s' "$flagship" | python3 -c 'import json, sys; print(json.dumps({"query": sys.stdin.read()}))' >"$work/flagship.json"
cat >"$work/flagship.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
local f = io.open("$work/flagship.json", "r")
wrk.body = f:read("*a")
f:close()
LUA

run() {
  local label="$1"
  shift
  "$nkhr" --database-url "$database" --log warn serve --bind "127.0.0.1:$port" "$@" &
  server=$!
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 1
  done
  echo "== $label"
  curl -fsS "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $key" \
    -d @"$work/flagship.json" -D - -o /dev/null | grep -i '^ratelimit-' || true
  wrk --latency -t"$threads" -c"$connections" -d"$duration" -s "$work/flagship.lua" "http://127.0.0.1:$port/graphql"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

run "the defaults: rate limiting, metrics and the response cache on"
run "the response cache off" --response-cache-bytes 0
run "rate limiting, metrics and the response cache off" --no-rate-limit --no-metrics --response-cache-bytes 0
