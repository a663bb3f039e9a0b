#!/usr/bin/env bash
# What floods and slow clients do to the release build with its default limits (SQLite): the
# server's resident memory before, during and after each attack, whether the attack's
# connections are closed when the limits say, and how long an ordinary request takes meanwhile.
#
#   benches/flood.sh
#   CONNECTIONS=2000 SLOW=400 HOLD=20 PORT=18111 benches/flood.sh
#
# Attacks, one after the other:
#   idle connections  CONNECTIONS sockets opened at once and held HOLD seconds, sending nothing
#   slow headers      SLOW sockets sending one header line every 10 s (never finishing)
#   slow bodies       SLOW sockets sending headers with a large Content-Length, then a byte a second
#   output flood      the nested relations → evidence → source text query with six aliases, anonymous
#   idle, spread      CONNECTIONS idle sockets again, from 32 loopback addresses (127.0.1.1–32)
#
# The attacks come from 127.0.0.1 (the spread one from 127.0.1.x); the ordinary request
# made meanwhile comes from 127.0.0.2, as another client would.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-18111}"
connections="${CONNECTIONS:-2000}"
slow="${SLOW:-400}"
hold="${HOLD:-20}"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo build --release --quiet
nkhr="${CARGO_TARGET_DIR:-target}/release/nkhr"
"$nkhr" --database-url "sqlite://$work/bench.sqlite3?mode=rwc" --log warn serve --bind "127.0.0.1:$port" &
server=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 1
done

python3 - "$server" "$port" "$connections" "$slow" "$hold" <<'PY'
import asyncio, json, sys, time

pid, port, connections, slow, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

FLAGSHIP = open("src/http/examples/funding-freeze.graphql").read()

async def request(body, timeout=30, source="127.0.0.1"):
    """One POST /graphql on a new connection: (status, bytes of body, seconds)."""
    started = time.monotonic()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), timeout)
    data = json.dumps(body).encode()
    writer.write(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Accept: application/graphql-response+json\r\nConnection: close\r\n"
                 + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout)
    writer.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    body = answer.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in answer else b""
    return status, len(body), time.monotonic() - started, body

async def probe():
    """The flagship from an ordinary client while the attack runs: status and milliseconds."""
    try:
        status, _, seconds, _ = await request({"query": FLAGSHIP}, timeout=15, source="127.0.0.2")
        return f"{status} in {seconds * 1000:.0f} ms"
    except Exception as error:
        return f"failed ({type(error).__name__})"

async def still_open(sockets):
    """How many of `sockets` the server holds open without answering (a refused one has its
    503 to read, a closed one is at its end)."""
    open_ = 0
    for reader, writer in sockets:
        if reader.at_eof():
            continue
        try:
            await asyncio.wait_for(reader.read(1), 0.01)
        except asyncio.TimeoutError:
            open_ += 1
        except Exception:
            pass
    return open_

async def open_many(count, sources=("127.0.0.1",)):
    async def one(i):
        try:
            source = sources[i % len(sources)]
            return await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), 10)
        except Exception:
            return None
    return [s for s in await asyncio.gather(*(one(i) for i in range(count))) if s]

def close(sockets):
    for _, writer in sockets:
        writer.close()

rows = []

async def idle(sources=("127.0.0.1",), name="idle connections"):
    before = rss_mb()
    sockets = await open_many(connections, sources)
    await asyncio.sleep(1)
    during, probe_answer = rss_mb(), await probe()
    refused = await still_open(sockets)
    await asyncio.sleep(max(0, hold - 1))
    left = await still_open(sockets)
    late = await probe()
    close(sockets)
    await asyncio.sleep(5)
    rows.append((f"{connections} {name}, {hold} s", before, during, rss_mb(),
                 f"{len(sockets)} connected, {refused} open after 1 s, {left} after {hold} s",
                 f"{probe_answer}; after {hold} s {late}"))

async def idle_spread():
    await idle(tuple(f"127.0.1.{i}" for i in range(1, 33)), "idle, from 32 addresses")

async def slow_headers():
    before = rss_mb()
    sockets = await open_many(slow)
    for _, writer in sockets:
        writer.write(b"GET /healthz HTTP/1.1\r\n")
    started = time.monotonic()
    probe_answer = None
    while time.monotonic() - started < 25:
        await asyncio.sleep(5)
        for _, writer in sockets:
            try:
                writer.write(b"X-Slow: 1\r\n")
            except Exception:
                pass
        probe_answer = probe_answer or await probe()
    during, left = rss_mb(), await still_open(sockets)
    close(sockets)
    await asyncio.sleep(5)
    rows.append((f"{slow} clients, a header line every 5 s", before, during, rss_mb(),
                 f"{left} of {len(sockets)} still open after 25 s", probe_answer))

async def slow_bodies():
    before = rss_mb()
    sockets = await open_many(slow)
    for _, writer in sockets:
        writer.write(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 30000\r\n\r\n{")
    started = time.monotonic()
    probe_answer = None
    while time.monotonic() - started < 25:
        await asyncio.sleep(1)
        for _, writer in sockets:
            try:
                writer.write(b" ")
            except Exception:
                pass
        probe_answer = probe_answer or await probe()
    during, left = rss_mb(), await still_open(sockets)
    close(sockets)
    await asyncio.sleep(5)
    rows.append((f"{slow} clients, a body byte a second", before, during, rss_mb(),
                 f"{left} of {len(sockets)} still open after 25 s", probe_answer))

async def output_flood():
    nested = ("actors(first:100){nodes{relations{subject{...on Actor{relations{object{...on Actor"
              "{relations{evidence{source{text}}}}}}}}}}}")
    query = "{ " + " ".join(f"a{i}: {nested}" for i in range(6)) + " }"
    before = rss_mb()
    answers = await asyncio.gather(*(request({"query": query}) for _ in range(2)))
    during, probe_answer = rss_mb(), await probe()
    await asyncio.sleep(2)
    codes = []
    for status, size, seconds, body in answers:
        try:
            code = json.loads(body)["errors"][0]["extensions"]["code"]
        except Exception:
            code = "answered"
        codes.append(f"{status} {code}, {size} B in {seconds * 1000:.0f} ms")
    rows.append(("output flood, two at once", before, during, rss_mb(), "; ".join(codes), probe_answer))

async def main():
    for attack in (idle, slow_headers, slow_bodies, output_flood, idle_spread):
        await attack()
    print(f"{'attack':42} {'RSS before':>10} {'during':>8} {'after':>8}  what happened | an ordinary request meanwhile")
    for name, before, during, after, what, probe_answer in rows:
        print(f"{name:42} {before:8.1f}MB {during:6.1f}MB {after:6.1f}MB  {what} | {probe_answer}")

asyncio.run(main())
PY
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null && echo "the server is still up"
