#!/usr/bin/env bash
# How each operation's cost grows with the data: generates a synthetic dataset of N claims,
# imports it, serves it beside the built-in dataset, and prints one table per database of
# `operation | real dataset p50 ms | N p50 ms | ratio`, with import time and memory, the time to
# import one changed claim, export throughput and the server's memory.
#
#   benches/scale.sh 100000                  # SQLite, and PostgreSQL when it answers
#   BACKENDS=sqlite benches/scale.sh 10000
#   RUNS=30 benches/scale.sh 1000000
#   NKHR_BIN=target/debug/nkhr BACKENDS=sqlite benches/scale.sh 1000   # a quick try of the script
#
# Needs python3 and, for PostgreSQL, psql and a server at $POSTGRES_URL (trust auth). Not run
# by CI: it builds a release binary and takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-100000}"
runs="${RUNS:-15}"
backends="${BACKENDS:-sqlite postgres}"
postgres_url="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port_real="${PORT:-18600}"
port_synth=$((port_real + 1))
work="$(mktemp -d)"
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# NKHR_BIN measures a binary built elsewhere; by default this checkout's release build.
if [ -n "${NKHR_BIN:-}" ]; then
  nkhr="$NKHR_BIN"
else
  cargo build --release --quiet
  nkhr="${CARGO_TARGET_DIR:-target}/release/nkhr"
fi

echo "generating $n claims" >&2
python3 benches/synth.py "$n" "$work/synth" >&2
seeds="$work/synth/seeds"

# Runs a command and prints "<seconds> <peak RSS in MB>" of it.
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" \
    || { cat "$work/stderr" >&2; return 1; }
  awk '{ printf "%.1f %.0f\n", $1, $2 / 1024 }' "$work/time"
}

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

serve() { # url port [--seeds dir]
  local url="$1" port="$2"
  shift 2
  "$nkhr" --database-url "$url" --log warn "$@" serve --bind "127.0.0.1:$port" --no-rate-limit \
    --request-timeout-ms 60000 >/dev/null 2>"$work/serve-$port.log" &
  local pid=$!
  servers+=("$pid")
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve-$port.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$pid"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

for backend in $backends; do
  case "$backend" in
    sqlite)
      real_url="sqlite://$work/real.sqlite3?mode=rwc"
      synth_url="sqlite://$work/synth.sqlite3?mode=rwc"
      ;;
    postgres)
      if ! psql "$postgres_url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
        echo "PostgreSQL at $postgres_url does not answer; skipping it" >&2
        continue
      fi
      for db in nkhr_scale_real nkhr_scale_synth; do
        psql "$postgres_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
        psql "$postgres_url" -qc "CREATE DATABASE $db" >/dev/null
      done
      real_url="${postgres_url%/*}/nkhr_scale_real"
      synth_url="${postgres_url%/*}/nkhr_scale_synth"
      ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  echo "== $backend: importing" >&2
  "$nkhr" --database-url "$real_url" --log warn seed >/dev/null
  read -r import_s import_mb < <(measure "$nkhr" --database-url "$synth_url" --log warn --seeds "$seeds" seed)

  real_pid="$(serve "$real_url" "$port_real")"
  synth_pid="$(serve "$synth_url" "$port_synth" --seeds "$seeds")"
  rss_start="$(rss_mb "$synth_pid")"
  echo "== $backend: measuring" >&2
  python3 benches/scale.py "http://127.0.0.1:$port_real" real "$runs" >"$work/real.json"
  python3 benches/scale.py "http://127.0.0.1:$port_synth" "$work/synth/bench.json" "$runs" >"$work/synth.json"
  rss_after="$(rss_mb "$synth_pid")"
  stop "$real_pid"
  stop "$synth_pid"

  # One changed claim: a statement edited in the files, imported again.
  file="$(ls "$seeds"/claims/*.toml | head -n 1)"
  python3 - "$file" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
marker = "\nstatement = \""
i = text.index(marker) + len(marker)
open(path, "w", encoding="utf-8").write(text[:i] + "Edited: " + text[i:])
PY
  read -r change_s change_mb < <(measure "$nkhr" --database-url "$synth_url" --log warn --seeds "$seeds" seed)
  python3 - "$file" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace("Edited: ", "", 1))
PY

  echo
  echo "### $backend, $n claims ($runs sequential runs per read, p50)"
  echo
  python3 - "$work/real.json" "$work/synth.json" "$n" <<'PY'
import json, sys
real, synth, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
print(f"| operation | real dataset p50 ms | {int(n):,} claims p50 ms | ratio |")
print("|---|---|---|---|")
for name, value in synth.items():
    if name.startswith("export"):
        continue
    base = real.get(name)
    if base is None:  # the page-50 row names the page it reached
        base = next((v for k, v in real.items() if k.split(" (")[0] == name.split(" (")[0]), None)
    ratio = f"{value / base:.1f}" if base else "–"
    print(f"| {name} | {base} | {value} | {ratio} |")
print(f"| export claims.csv (MB/s) | {real['export claims.csv MB/s']} | {synth['export claims.csv MB/s']} ({synth['export claims.csv MB']} MB) | |")
PY
  echo "| import of $n claims | | ${import_s} s = $(python3 -c "print(f'{$n / max($import_s, 0.01):,.0f}')") claims/s, peak RSS ${import_mb} MB | |"
  echo "| one changed claim, imported again | | ${change_s} s, peak RSS ${change_mb} MB | |"
  echo "| server RSS after start → after the reads | | ${rss_start} MB → ${rss_after} MB | |"
done
