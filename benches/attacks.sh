#!/usr/bin/env bash
# How long the worst documents an anonymous client can send take to refuse, against the
# release build on SQLite: each is sent REPEAT times (POST) and the slowest answer is reported
# with its status and code. The target is 50 ms for every document up to the body limit.
#
#   benches/attacks.sh
#   REPEAT=50 PORT=18101 benches/attacks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-18101}"
repeat="${REPEAT:-20}"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
nkhr="${CARGO_TARGET_DIR:-target}/release/nkhr"
database="sqlite://$work/bench.sqlite3?mode=rwc"
"$nkhr" --database-url "$database" --log warn serve --bind "127.0.0.1:$port" --no-rate-limit &
server=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 1
done

# Each document is written as a JSON request body by Python, so the bodies are exact.
python3 - "$work" <<'PY'
import json, pathlib, sys
work = pathlib.Path(sys.argv[1])
def fan_out(levels, width):
    parts = ["{ ...F0 }"]
    for i in range(levels):
        parts.append(f"fragment F{i} on Query {{ {(f'...F{i+1} ' * width)}}}")
    parts.append(f"fragment F{levels} on Query {{ dataset {{ version }} }}")
    return " ".join(parts)
documents = {
    "list nested 1,600 deep": "{ node(id: " + "[" * 1600 + "1" + "]" * 1600 + ") { id } }",
    "list nested to the size limit (16,000 deep)": "{ node(id: " + "[" * 16000 + "1" + "]" * 16000 + ") { id } }",
    "unclosed brackets to the size limit": "{ node(id: " + "[" * 32700 + ") { id } }",
    "object nested to the size limit": "{ actors(filter: " + "{a: " * 6500 + "1" + "}" * 6500 + ") { totalCount } }",
    "fragments fanning out 2^30": fan_out(30, 2),
    "fragments fanning out 4^300 (the token limit)": fan_out(300, 4)[:32000],
    "5,000 fields, no fragments": "{ " + "dataset { version } " * 1240 + "}",
    "tokens past the limit": "{ " + "a " * 16000 + "}",
    "a string of 32 KB": '{ claims(filter: { text: "' + "x" * 32000 + '" }) { totalCount } }',
}
bodies = {name: json.dumps({"query": q}) for name, q in documents.items()}
bodies["variables nested 20,000 deep"] = '{"query":"query($v: Int) { dataset { version } }","variables":{"v":' + "[" * 20000 + "]" * 20000 + "}}"
for i, (name, body) in enumerate(bodies.items()):
    (work / f"{i:02}.json").write_text(body)
    (work / f"{i:02}.name").write_text(name)
PY

printf '%-48s %8s %6s  %s\n' "document" "slowest" "status" "code"
for body in "$work"/*.json; do
  name="$(cat "${body%.json}.name")"
  slowest=0
  for _ in $(seq 1 "$repeat"); do
    took="$(curl -s -o "$work/answer" -w '%{http_code} %{time_total}' "http://127.0.0.1:$port/graphql" \
      -H 'content-type: application/json' -H 'accept: application/graphql-response+json' --data-binary @"$body")"
    status="${took% *}"
    seconds="${took#* }"
    slowest="$(python3 -c "print(max($slowest, $seconds))")"
  done
  code="$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(a["errors"][0]["extensions"]["code"] if "errors" in a else "answered")' "$work/answer" 2>/dev/null || echo '?')"
  printf '%-48s %6.1fms %6s  %s\n' "$name" "$(python3 -c "print($slowest*1000)")" "$status" "$code"
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null && echo "the server is still up"
