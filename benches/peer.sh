#!/usr/bin/env bash
# nkhr beside a query compiler: PostGraphile v4 over the same PostgreSQL tables nkhr loaded,
# answering the flagship question ("which organizations did the funding freeze affect, with the
# quote and source of each?"). Checks that both answers carry the same facts, then alternates
# wrk rounds between the two and prints req/s, p50/p99 and CPU per request (the server's own
# CPU plus PostgreSQL's backends, read from /proc) with their ratio.
#
#   benches/peer.sh                          # 3 rounds of 10 s each, wrk -t1 -c16
#   ROUNDS=5 DURATION=20s benches/peer.sh
#   NKHR_FLAGS="--no-rate-limit" benches/peer.sh   # nkhr with other settings
#
# Needs wrk, psql, node/npm (PostGraphile 4.14.1 and @graphile-contrib/pg-simplify-inflector are
# installed into the git-ignored target/peer-deps) and PostgreSQL at $POSTGRES_URL. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

postgres_url="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
port_nkhr="${PORT:-18680}"
port_peer=$((port_nkhr + 1))
database="nkhr_peer"
database_url="${postgres_url%/*}/$database"
work="$(mktemp -d)"
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${NKHR_BIN:-}" ]; then
  nkhr="$NKHR_BIN"
else
  cargo build --release --quiet
  nkhr="${CARGO_TARGET_DIR:-target}/release/nkhr"
fi
deps="${CARGO_TARGET_DIR:-target}/peer-deps"
if ! [ -x "$deps/node_modules/.bin/postgraphile" ]; then
  mkdir -p "$deps"
  npm install --no-audit --no-fund --prefix "$deps" \
    postgraphile@4.14.1 @graphile-contrib/pg-simplify-inflector@6.1.0 >/dev/null
fi

psql "$postgres_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
psql "$postgres_url" -qc "CREATE DATABASE $database" >/dev/null
"$nkhr" --database-url "$database_url" --log warn seed >/dev/null
key="$("$nkhr" --database-url "$database_url" --log warn api-key create --name peer-bench --points-per-hour 1000000000000 2>/dev/null)"

wait_for() { # url [curl arguments]
  local url="$1"
  shift
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$@" "$url" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing answered at $1" >&2
  return 1
}

# shellcheck disable=SC2086
"$nkhr" --database-url "$database_url" --log warn serve --bind "127.0.0.1:$port_nkhr" ${NKHR_FLAGS:-} &
nkhr_pid=$!
servers+=("$nkhr_pid")
"$deps/node_modules/.bin/postgraphile" -c "$database_url" --schema public \
  --append-plugins @graphile-contrib/pg-simplify-inflector \
  --host 127.0.0.1 --port "$port_peer" --disable-graphiql --disable-query-log >/dev/null 2>&1 &
peer_pid=$!
servers+=("$peer_pid")
wait_for "http://127.0.0.1:$port_nkhr/readyz"
wait_for "http://127.0.0.1:$port_peer/graphql" -H 'content-type: application/json' -d '{"query":"{__typename}"}'
sleep 1

# The flagship query, from the GraphiQL examples (src/http/examples), and PostGraphile's spelling of the same question.
cp src/http/examples/funding-freeze.graphql "$work/nkhr.graphql"
cat >"$work/peer.graphql" <<'GRAPHQL'
query FundingFreeze {
  entity(slug: "us-state-department-grant-freeze") {
    name
    affected: relationsBySubjectSlug(condition: {relationType: "affects"}) {
      nodes {
        how: description
        organization: entityByObjectSlug { name actorKind }
        evidence: relationEvidencesByRelationKey(orderBy: POSITION_ASC) {
          nodes {
            claim: claimByClaimSlug {
              quote
              source: sourceBySourceSlug {
                title
                published
                authors: sourceActorsBySourceSlug(condition: {role: "author"}, orderBy: POSITION_ASC) {
                  nodes { actor: entityByActorSlug { name } }
                }
              }
            }
          }
        }
      }
    }
  }
}
GRAPHQL
for who in nkhr peer; do
  python3 -c 'import json, sys; print(json.dumps({"query": open(sys.argv[1]).read()}))' \
    "$work/$who.graphql" >"$work/$who.json"
done
curl -fsS "http://127.0.0.1:$port_nkhr/graphql" -H 'content-type: application/json' \
  -H "authorization: Bearer $key" -d @"$work/nkhr.json" >"$work/nkhr.answer"
curl -fsS "http://127.0.0.1:$port_peer/graphql" -H 'content-type: application/json' \
  -d @"$work/peer.json" >"$work/peer.answer"

# Same facts: the same (organization, quote, source title, authors) tuples, whatever the order.
python3 - "$work/nkhr.answer" "$work/peer.answer" <<'PY'
import json, sys
nkhr = json.load(open(sys.argv[1]))["data"]["measure"]
peer = json.load(open(sys.argv[2]))["data"]["entity"]
def facts_nkhr():
    for r in nkhr["affected"]:
        for e in r["evidence"]:
            yield (r["organization"]["name"], r["how"], e["quote"], e["source"]["title"],
                   e["source"]["published"]["value"], tuple(a["name"] for a in e["source"]["authors"]))
def facts_peer():
    for r in peer["affected"]["nodes"]:
        for e in r["evidence"]["nodes"]:
            c = e["claim"]
            yield (r["organization"]["name"], r["how"], c["quote"], c["source"]["title"],
                   c["source"]["published"], tuple(a["actor"]["name"] for a in c["source"]["authors"]["nodes"]))
a, b = sorted(facts_nkhr()), sorted(facts_peer())
if a != b or not a:
    sys.exit(f"the answers differ:\n nkhr: {a}\n peer: {b}")
print(f"both answers carry the same {len(a)} facts", file=sys.stderr)
PY

# wrk reports its own percentiles as JSON through a done() hook.
for who in nkhr peer; do
  auth=""
  [ "$who" = nkhr ] && auth="wrk.headers[\"Authorization\"] = \"Bearer $key\""
  cat >"$work/$who.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
$auth
local f = io.open("$work/$who.json", "r")
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local out = io.open("$work/$who.wrk.json", "w")
  out:write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p99": %f}',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  out:close()
end
LUA
done

# CPU seconds used so far by a process, and by every PostgreSQL server process.
ticks="$(getconf CLK_TCK)"
cpu_of() { awk -v t="$ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }
cpu_postgres() {
  local total=0 pid
  for pid in $(pgrep -x postgres || true); do
    total="$(awk -v t="$ticks" -v s="$total" '{ printf "%.3f", s + ($14 + $15) / t }' "/proc/$pid/stat" 2>/dev/null || echo "$total")"
  done
  echo "$total"
}
# postgraphile runs as a node child of the launcher's process group: count the whole group.
cpu_group() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total="$(awk -v t="$ticks" -v s="$total" '{ printf "%.3f", s + ($14 + $15) / t }' "/proc/$pid/stat" 2>/dev/null || echo "$total")"
  done
  echo "$total"
}

echo "round,server,req_per_s,p50_ms,p99_ms,errors,cpu_ms_per_request" >"$work/rounds.csv"
for round in $(seq 1 "$rounds"); do
  for who in nkhr peer; do
    if [ "$who" = nkhr ]; then pid="$nkhr_pid"; port="$port_nkhr"; else pid="$peer_pid"; port="$port_peer"; fi
    before_server="$(cpu_group "$pid")"
    before_pg="$(cpu_postgres)"
    wrk -t1 -c"$connections" -d"$duration" -s "$work/$who.lua" "http://127.0.0.1:$port/graphql" >/dev/null
    after_server="$(cpu_group "$pid")"
    after_pg="$(cpu_postgres)"
    python3 - "$work/$who.wrk.json" "$round" "$who" "$before_server" "$after_server" "$before_pg" "$after_pg" >>"$work/rounds.csv" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
round_, who = sys.argv[2], sys.argv[3]
bs, as_, bp, ap = map(float, sys.argv[4:8])
cpu = ((as_ - bs) + (ap - bp)) * 1000 / max(w["requests"], 1)
print(f"{round_},{who},{w['requests'] / w['seconds']:.0f},{w['p50']:.2f},{w['p99']:.2f},{w['errors']},{cpu:.3f}")
PY
  done
done

python3 - "$work/rounds.csv" "$rounds" "$duration" "$connections" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"\nflagship query, {sys.argv[2]} alternating rounds of {sys.argv[3]}, wrk -t1 -c{sys.argv[4]}\n")
print("| round | server | req/s | p50 ms | p99 ms | errors | CPU ms/request |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['round']} | {r['server']} | {r['req_per_s']} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} | {r['cpu_ms_per_request']} |")
def median(who, field):
    return statistics.median(float(r[field]) for r in rows if r["server"] == who)
print("\n| median | nkhr | PostGraphile | nkhr / PostGraphile |")
print("|---|---|---|---|")
for field, label in [("req_per_s", "req/s"), ("p50_ms", "p50 ms"), ("p99_ms", "p99 ms"), ("cpu_ms_per_request", "CPU ms/request")]:
    a, b = median("nkhr", field), median("peer", field)
    print(f"| {label} | {a:g} | {b:g} | {a / b:.2f} |")
PY
