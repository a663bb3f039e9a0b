#!/usr/bin/env bash
# nkhr against the stack's own ceiling: `{ __typename }` against a bare async-graphql + axum
# `{ hello }` (benches/ceiling.rs), and nkhr's `304 Not Modified` against a static axum
# response of the same status and headers. Alternates wrk rounds between the two of each pair
# and prints the median req/s and their ratio. nkhr runs with its defaults (rate limiting,
# metrics and the response cache on), but for an anonymous budget the run cannot spend, and
# `{ __typename }` once more with the response cache off. The requests are anonymous, as the
# public's are: a request with an API key also looks the key up, so that a revoked key is
# refused from the next request (KEY=1 measures that path).
#
#   benches/ceiling.sh                       # 3 rounds of 10 s each, wrk -t1 -c16
#   ROUNDS=5 DURATION=20s benches/ceiling.sh
#
# Needs wrk. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
port="${PORT:-18690}"
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
bare="$(cargo bench --bench ceiling --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "ceiling" and m.get("executable"):
        print(m["executable"])')"
[ -x "$bare" ] || { echo "the ceiling server did not build" >&2; exit 1; }

database="sqlite://$work/bench.sqlite3?mode=rwc"
"$nkhr" --database-url "$database" --log warn migrate >/dev/null
key="$("$nkhr" --database-url "$database" --log warn api-key create --name ceiling --points-per-hour 1000000000000 2>/dev/null)"
budget="--anonymous-points-per-hour 1000000000000"
auth="X-Nothing: 0"
[ -n "${KEY:-}" ] && auth="Authorization: Bearer $key"

wait_for() {
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing answered at $1" >&2
  return 1
}
# One instance loads the dataset into the SQLite file before the second starts over it.
# shellcheck disable=SC2086
"$nkhr" --database-url "$database" --log warn serve --bind "127.0.0.1:$port" $budget &
servers+=($!)
wait_for "http://127.0.0.1:$port/readyz"
# shellcheck disable=SC2086
"$nkhr" --database-url "$database" --log warn serve --bind "127.0.0.1:$((port + 2))" --response-cache-bytes 0 $budget &
servers+=($!)
"$bare" "127.0.0.1:$((port + 1))" &
servers+=($!)
wait_for "http://127.0.0.1:$((port + 2))/readyz"
wait_for "http://127.0.0.1:$((port + 1))/static" || true
sleep 1

# The requests, each checked once before it is measured.
typename_url="http://127.0.0.1:$port/graphql?query=%7B__typename%7D"
etag="$(curl -fsS -D - -o /dev/null -H "$auth" "$typename_url" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')"
[ -n "$etag" ] || { echo "nkhr gave no ETag" >&2; exit 1; }
status="$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -H "if-none-match: $etag" "$typename_url")"
[ "$status" = 304 ] || { echo "nkhr answered $status, not 304, to its own ETag" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$((port + 1))/graphql" -H 'content-type: application/json' -d '{"query":"{ hello }"}' | grep -q world
curl -fsS "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "$auth" \
  -d '{"query":"{ __typename }"}' | grep -q Query

script() { # name method body [header...]
  local name="$1" method="$2" body="$3"
  shift 3
  {
    echo "wrk.method = \"$method\""
    [ -n "$body" ] && echo "wrk.body = '$body'" && echo 'wrk.headers["Content-Type"] = "application/json"'
    for h in "$@"; do echo "wrk.headers[\"${h%%:*}\"] = \"${h#*: }\""; done
    cat <<LUA
done = function(summary, latency, requests)
  local out = io.open("$work/$name.json", "w")
  out:write(string.format('{"requests": %d, "seconds": %f, "non2xx": %d}', summary.requests, summary.duration / 1e6, summary.errors.status))
  out:close()
end
LUA
  } >"$work/$name.lua"
}
script typename POST '{"query":"{ __typename }"}' "$auth"
script typename_nocache POST '{"query":"{ __typename }"}' "$auth"
script hello POST '{"query":"{ hello }"}'
script not_modified GET '' "$auth" "If-None-Match: ${etag//\"/\\\"}"
script static GET ''

measure() { # name url
  wrk -t1 -c"$connections" -d"$duration" -s "$work/$1.lua" "$2" >/dev/null
  python3 -c 'import json, sys; w = json.load(open(sys.argv[1])); print("%s,%.0f" % (sys.argv[2], w["requests"] / w["seconds"]))' "$work/$1.json" "$1" >>"$work/rounds.csv"
}
: >"$work/rounds.csv"
for _ in $(seq 1 "$rounds"); do
  measure typename "http://127.0.0.1:$port/graphql"
  measure hello "http://127.0.0.1:$((port + 1))/graphql"
  measure typename_nocache "http://127.0.0.1:$((port + 2))/graphql"
  measure not_modified "$typename_url"
  measure static "http://127.0.0.1:$((port + 1))/static"
done

python3 - "$work/rounds.csv" "$rounds" "$duration" "$connections" <<'PY'
import csv, statistics, sys
runs = {}
for name, rps in csv.reader(open(sys.argv[1])):
    runs.setdefault(name, []).append(float(rps))
m = {k: statistics.median(v) for k, v in runs.items()}
print(f"\nmedian of {sys.argv[2]} alternating rounds of {sys.argv[3]}, wrk -t1 -c{sys.argv[4]}, req/s\n")
print("| request | nkhr | ceiling | nkhr / ceiling |")
print("|---|---|---|---|")
print(f"| `{{ __typename }}` (defaults) vs bare `{{ hello }}` | {m['typename']:,.0f} | {m['hello']:,.0f} | {m['typename'] / m['hello']:.2f} |")
print(f"| `{{ __typename }}`, response cache off | {m['typename_nocache']:,.0f} | {m['hello']:,.0f} | {m['typename_nocache'] / m['hello']:.2f} |")
print(f"| `304 Not Modified` vs a static axum 304 | {m['not_modified']:,.0f} | {m['static']:,.0f} | {m['not_modified'] / m['static']:.2f} |")
PY
