#!/usr/bin/env python3
"""Measures one running nkhr server: the p50 of each read the scale benchmark compares.

    python3 benches/scale.py http://127.0.0.1:18600 real            > real.json
    python3 benches/scale.py http://127.0.0.1:18601 /tmp/synth/bench.json > synth.json

`benches/scale.sh` starts the servers and calls this once per dataset. Requests go one at a
time over one keep-alive connection, so a p50 is the server's own latency, not a queue's. Every
answer is checked (no `errors`, the expected shape), so a fast wrong answer cannot pass.
"""

import http.client
import json
import statistics
import sys
import time
import urllib.parse

# What to look up in the built-in dataset: its best-connected entity and a typical one.
REAL = {
    "hub": "dprk",
    "typical": "us-state-department-grant-freeze",
    "common_word": "korea",
    "rare_word": "landmines",
}

LOOKUP = """query Lookup($slug: String!) {
  entity(slug: $slug) {
    name
    relations {
      type
      subject { name }
      object { name }
      evidence { quote source { title } }
    }
  }
}"""

CLAIMS = """query Claims($after: String) {
  claims(filter: {certainties: [STATED], from: "1900"}, first: 20, after: $after) {
    totalCount
    nodes { slug quote }
    pageInfo { endCursor hasNextPage }
  }
}"""

SEARCH = """query Search($q: String!) {
  search(query: $q, first: 20) { totalCount edges { node { snippet } } }
}"""

TIMELINE = """query Timeline($from: IsoDate) {
  timeline(filter: {from: $from}, first: 20) { totalCount nodes { label date { value precision } } }
}"""

COUNTS = """{ timelineCounts(interval: YEAR) { period count } }"""

GRAPH = """query Graph($slug: String!) {
  graph(slug: $slug, depth: 2) { nodes { id label } edges { source target type } truncated }
}"""

AGGREGATES = """{ aggregates {
  entitiesByKind { kind count } claimsByCertainty { certainty count }
  claimsByYear { year count } relationsByType { type count }
} }"""

DATASET_GRAPH = """{ datasetGraph { nodes { id } edges { source target } truncated } }"""

FEED = """{ changes(first: 100) { edges { cursor } pageInfo { hasNextPage } } }"""


class Client:
    def __init__(self, base):
        url = urllib.parse.urlparse(base)
        self.host, self.port = url.hostname, url.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def post(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        self.connection.request(
            "POST", "/graphql", body,
            {"Content-Type": "application/json", "Accept": "application/json"},
        )
        response = self.connection.getresponse()
        data = json.loads(response.read())
        if response.status != 200 or data.get("errors"):
            raise RuntimeError(f"{query.split('(')[0][:40]}: {response.status} {data.get('errors')}")
        return data["data"]

    def get(self, path):
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        size = 0
        while True:
            chunk = response.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return size


def p50(client, runs, query, variables=None, check=None):
    """The median time of `runs` sequential runs of `query`, in milliseconds."""
    client.post(query, variables)  # warm caches and connections once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = client.post(query, variables)
        times.append((time.perf_counter() - start) * 1000)
        if check:
            check(data)
    return round(statistics.median(times), 2)


def has_schema_field(client, name):
    data = client.post('{ __type(name: "Query") { fields { name } } }')
    return any(f["name"] == name for f in data["__type"]["fields"])


def main():
    base, profile = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    params = REAL if profile == "real" else json.load(open(profile))
    client = Client(base)
    results = {}

    def nonempty_relations(data):
        assert data["entity"] and data["entity"]["relations"], "lookup found no relations"

    results["lookup with relations + evidence, typical entity"] = p50(
        client, runs, LOOKUP, {"slug": params["typical"]}, nonempty_relations)
    results["lookup with relations + evidence, hub entity"] = p50(
        client, max(3, runs // 3), LOOKUP, {"slug": params["hub"]}, nonempty_relations)

    results["claims page 1 with a filter"] = p50(client, runs, CLAIMS)
    # Walk to page 50 (or the last page of a small dataset) once, then time that page.
    after, page = None, 1
    while page < 50:
        data = client.post(CLAIMS, {"after": after})["claims"]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after, page = data["pageInfo"]["endCursor"], page + 1
    results[f"claims page 50 by cursor (page {page} here)"] = p50(client, runs, CLAIMS, {"after": after})

    def hits(data):
        assert data["search"]["totalCount"] > 0, "search found nothing"

    results["search, common word"] = p50(client, runs, SEARCH, {"q": params["common_word"]}, hits)
    results["search, rare word"] = p50(client, runs, SEARCH, {"q": params["rare_word"]}, hits)
    results["timeline page 1 with totalCount"] = p50(client, runs, TIMELINE, {"from": None})
    results["timeline, a page from 2005"] = p50(client, runs, TIMELINE, {"from": "2005"})
    results["timelineCounts by year"] = p50(client, runs, COUNTS)
    results["graph depth 2 around the hub"] = p50(client, max(3, runs // 3), GRAPH, {"slug": params["hub"]})
    results["aggregates"] = p50(client, max(3, runs // 3), AGGREGATES)
    results["datasetGraph"] = p50(client, max(3, runs // 3), DATASET_GRAPH)
    if has_schema_field(client, "changes"):
        results["change feed, first 100"] = p50(client, runs, FEED)

    start = time.perf_counter()
    size = client.get("/export/claims.csv")
    seconds = time.perf_counter() - start
    results["export claims.csv MB/s"] = round(size / 1e6 / seconds, 1)
    results["export claims.csv MB"] = round(size / 1e6, 1)
    json.dump(results, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
