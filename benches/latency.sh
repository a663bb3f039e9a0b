#!/usr/bin/env bash
# Latency of a search, a timeline and a depth-2 graph query on the real dataset, measured with
# wrk against the release build. Loopback only; each run is bounded in time.
#
#   benches/latency.sh                 # SQLite, in a temporary folder
#   DATABASE_URL=postgres://… benches/latency.sh
#
# Needs wrk (`apt-get install -y wrk`). Prints wrk's latency distribution for each query.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-18088}"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-8}"
threads="${THREADS:-2}"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
database="${DATABASE_URL:-sqlite://$work/bench.sqlite3?mode=rwc}"
# Rate limiting is off here: this measures the queries, not the budget (see throughput.sh).
"${CARGO_TARGET_DIR:-target}/release/nkhr" --database-url "$database" --log warn serve --bind "127.0.0.1:$port" --no-rate-limit &
server=$!
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 1
done

query() {
  local name="$1" document="$2"
  printf '%s' "$document" | python3 -c 'import json, sys; print(json.dumps({"query": sys.stdin.read()}))' >"$work/$name.json"
  cat >"$work/$name.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/$name.json", "r")
wrk.body = f:read("*a")
f:close()
LUA
  echo "== $name"
  curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -d @"$work/$name.json" | head -c 200 || true
  echo
  wrk --latency -t"$threads" -c"$connections" -d"$duration" -s "$work/$name.lua" "http://127.0.0.1:$port/graphql"
}

query search '{ search(query: "border OR china", first: 20) { totalCount edges { node { kind snippet node { ... on Claim { slug quote } ... on Measure { slug name } ... on Actor { slug name } } } } } }'
query timeline '{ timeline(filter: { from: "2020", to: "2021" }, first: 50) { totalCount nodes { kind date { value precision } label } } }'
query graph '{ graph(slug: "us-state-department-grant-freeze", depth: 2) { nodes { id label kind depth } edges { source target type evidenceCount } } }'
