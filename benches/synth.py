#!/usr/bin/env python3
"""Writes a synthetic nkhr dataset of N claims that `nkhr check` accepts.

    python3 benches/synth.py 100000 /tmp/synth-100k

writes the dataset folder `/tmp/synth-100k/seeds` and, beside it, `/tmp/synth-100k/bench.json`:
what the benchmark looks up (the hub, a typical entity, a common and a rare search word).

The scale benchmark (`benches/scale.sh`) measures how each operation's cost grows with the data;
it needs data of the real dataset's shape at any size, and this writes it. Nothing here runs in
the product: it is a bench tool, deterministic (the same N and seed write the same bytes).

The shape, per N claims:
- N/100 sources (at least one), each a generated text of sentences; every claim quotes one
  whole sentence of its source verbatim, so no quote is ambiguous;
- N/10 entities of every kind (actors, laws, measures, events, recommendations), chosen by the
  claims with Zipf-like popularity, and one hub actor that about one claim in twenty is about;
- about 2N/3 relations (a repeated pair of ends is a relation once per type), each backed by a claim about both of its ends;
- dates of mixed precision (year, month, day), never after the source's publication;
- N/100 facts, each stated by claims of two different sources.

The generated sentences avoid the words the loader's rules react to (hedges, attributions,
words relative to the text's time), so every claim can be `stated`. Each sentence carries one
"common" word (`border`, in about every third sentence) and rare words (a per-claim token), so
search can be measured at both ends.
"""

import hashlib
import json
import os
import random
import sys

KINDS = ["actor", "law", "measure", "event", "recommendation"]
ACTOR_KINDS = [
    "state", "government", "government_body", "legislature", "intergovernmental_organization",
    "un_body", "ngo", "media", "academic_institution", "think_tank", "person", "armed_forces",
    "population", "office",
]
RELATION_TYPES = [
    "affects", "imposed_by", "funds", "part_of", "member_of", "established_by", "convened_by",
    "leads", "addressed_to", "authored_by", "met_with", "targets", "supports", "worked_with",
]
CLAIM_KINDS = ["fact", "fact", "fact", "assessment", "recommendation", "prediction"]
SYLLABLES = [
    "ka", "ri", "mun", "so", "pyo", "han", "gil", "dong", "sae", "ro", "jin", "mi", "tae",
    "yeon", "cha", "bu", "hwa", "seok", "nam", "ok", "pil", "gyu", "rye", "som",
]
VERBS = [
    "restricted", "documented", "monitored", "reported on", "funded", "closed", "opened",
    "investigated", "recorded", "supported", "questioned", "reviewed", "extended", "limited",
]
OBJECTS = [
    "the border crossings", "food distribution", "the labour camps", "the markets",
    "travel permits", "the detention centres", "radio broadcasts", "the aid shipments",
    "public trials", "the smuggling routes", "the testimony archive", "the school curriculum",
]


def name(rng, words):
    """A pronounceable made-up name of `words` words."""
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(words)
    )


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def partial_date(rng, latest_year):
    """A date of mixed precision no later than `latest_year`-12-28."""
    year = rng.randint(1950, latest_year - 1)
    precision = rng.random()
    if precision < 0.45:
        return f"{year}"
    month = rng.randint(1, 12)
    if precision < 0.75:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


class Zipf:
    """Draws indexes 0..n-1 with probability falling like 1/(i+1)^s."""

    def __init__(self, rng, n, s=1.07):
        self.rng = rng
        weights = [1.0 / (i + 1) ** s for i in range(n)]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.total = total
        # Popularity is shuffled so that popular entities are not all the low slugs.
        self.order = list(range(n))
        rng.shuffle(self.order)

    def draw(self):
        import bisect

        x = self.rng.random() * self.total
        return self.order[min(bisect.bisect_left(self.cumulative, x), len(self.order) - 1)]


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: synth.py N FOLDER [SEED]")
    n = int(sys.argv[1])
    folder = sys.argv[2]
    out = os.path.join(folder, "seeds")
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261202
    rng = random.Random(seed)
    os.makedirs(os.path.join(out, "sources"), exist_ok=True)
    os.makedirs(os.path.join(out, "claims"), exist_ok=True)

    per_kind = max(5, n // 10)
    source_count = max(1, n // 100)
    entity_slugs = {kind: [f"synth-{kind}-{i}" for i in range(per_kind)] for kind in KINDS}
    all_entities = [(kind, slug) for kind in KINDS for slug in entity_slugs[kind]]
    hub = entity_slugs["actor"][0]
    popularity = Zipf(rng, len(all_entities))

    # Sources, each with its authors among the actors and a publication date.
    sources = []
    for i in range(source_count):
        year = rng.randint(2000, 2025)
        sources.append({
            "slug": f"synth-source-{i}",
            "year": year,
            "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "author": entity_slugs["actor"][1 + i % (per_kind - 1)],
            "title": f"Synthetic report {i}: {name(rng, 2)}",
        })

    # Claims: one sentence each, grouped by source.
    facts = [f"synth-fact-{i}" for i in range(max(1, n // 100))]
    fact_of_claim = {}
    for f, fact in enumerate(facts):
        # Two claims of two different sources state each fact (when there are two sources).
        first = (f * 97) % n
        second = (first + max(1, n // source_count) * (1 if source_count > 1 else 0) + 1) % n
        fact_of_claim[first] = fact
        fact_of_claim[second] = fact
    relation_keys = set()
    names = {}
    claims_by_source = [[] for _ in range(source_count)]
    relations_by_source = [[] for _ in range(source_count)]
    sentences_by_source = [[] for _ in range(source_count)]
    for c in range(n):
        s = c % source_count
        source = sources[s]
        about = []
        while len(about) < 2:
            kind, slug = all_entities[popularity.draw()]
            if slug not in about:
                about.append(slug)
        if c % 20 == 0 and hub not in about:
            about[0] = hub
        for slug in about:
            if slug not in names:
                names[slug] = name(random.Random(slug), 2)
        common = " along the border" if c % 3 == 0 else ""
        sentence = (
            f"{names[about[0]]} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{common} with "
            f"{names[about[1]]}, as entry q{c}x{rng.randint(0, 999)} of this report shows."
        )
        sentences_by_source[s].append(sentence)
        claim = {
            "slug": f"synth-claim-{c}",
            "source": source["slug"],
            "quote": sentence,
            "about": about,
            "kind": rng.choice(CLAIM_KINDS),
        }
        roll = rng.random()
        if roll < 0.6:
            claim["date"] = partial_date(rng, source["year"])
            if roll < 0.15:
                claim["until"] = str(source["year"])
        if c in fact_of_claim:
            claim["fact"] = fact_of_claim[c]
        claims_by_source[s].append(claim)
        if c % 3 != 2:
            # A popular pair may already have this type: try a few others before giving up.
            for _ in range(4):
                relation_type = rng.choice(RELATION_TYPES)
                key = f"{about[0]}/{relation_type}/{about[1]}"
                if key not in relation_keys:
                    break
            if key not in relation_keys:
                relation_keys.add(key)
                relation = {
                    "subject": about[0],
                    "type": relation_type,
                    "object": about[1],
                    "evidence": [claim["slug"]],
                }
                if rng.random() < 0.3:
                    relation["start"] = partial_date(rng, source["year"])
                relations_by_source[s].append(relation)

    for slug in (slug for kind in KINDS for slug in entity_slugs[kind]):
        names.setdefault(slug, name(random.Random(slug), 2))

    source_lines = ["# Synthetic sources, written by benches/synth.py.\n"]
    for s, source in enumerate(sources):
        text = " ".join(sentences_by_source[s]) + "\n" if sentences_by_source[s] else "Empty.\n"
        path = f"sources/{source['slug']}.txt"
        data = text.encode("utf-8")
        with open(os.path.join(out, path), "wb") as f:
            f.write(data)
        source_lines.append(
            "\n[[source]]\n"
            f"slug = {toml_string(source['slug'])}\n"
            f"title = {toml_string(source['title'])}\n"
            f"file = {toml_string(path)}\n"
            f"sha256 = \"{hashlib.sha256(data).hexdigest()}\"\n"
            f"authors = [{toml_string(source['author'])}]\n"
            f"published = \"{source['published']}\"\n"
            "kind = \"report\"\n"
            "language = \"en\"\n"
        )
    with open(os.path.join(out, "sources.toml"), "w", encoding="utf-8") as f:
        f.write("".join(source_lines))

    with open(os.path.join(out, "entities.toml"), "w", encoding="utf-8") as f:
        f.write("# Synthetic entities, written by benches/synth.py.\n")
        for i, slug in enumerate(entity_slugs["actor"]):
            kind = "state" if slug == hub else ACTOR_KINDS[i % len(ACTOR_KINDS)]
            f.write(
                f"\n[[actor]]\nslug = \"{slug}\"\nname = {toml_string(names[slug])}\n"
                f"description = \"A synthetic actor.\"\nkind = \"{kind}\"\n"
            )
        for i, slug in enumerate(entity_slugs["law"]):
            f.write(
                f"\n[[law]]\nslug = \"{slug}\"\nname = {toml_string('Law on ' + names[slug])}\n"
                f"description = \"A synthetic law.\"\n"
                f"jurisdiction = \"{entity_slugs['actor'][i % per_kind]}\"\n"
                f"enacted = \"{1950 + i % 70}\"\n"
            )
        statuses = ["in_effect", "ended", "reimposed", "unknown"]
        for i, slug in enumerate(entity_slugs["measure"]):
            f.write(
                f"\n[[measure]]\nslug = \"{slug}\"\nname = {toml_string('Measure ' + names[slug])}\n"
                f"description = \"A synthetic measure.\"\nstart = \"{1960 + i % 60}\"\n"
                f"status = \"{statuses[i % 4]}\"\n"
            )
        for i, slug in enumerate(entity_slugs["event"]):
            month = 1 + i % 12
            f.write(
                f"\n[[event]]\nslug = \"{slug}\"\nname = {toml_string('Event ' + names[slug])}\n"
                f"description = \"A synthetic event.\"\nstart = \"{1960 + i % 60}-{month:02d}\"\n"
            )
        for i, slug in enumerate(entity_slugs["recommendation"]):
            f.write(
                f"\n[[recommendation]]\nslug = \"{slug}\"\n"
                f"name = {toml_string('Recommendation ' + names[slug])}\n"
                f"description = \"A synthetic recommendation.\"\n"
                f"source = \"{sources[i % source_count]['slug']}\"\n"
            )

    with open(os.path.join(out, "facts.toml"), "w", encoding="utf-8") as f:
        f.write("# Synthetic facts, written by benches/synth.py.\n")
        stated = set(fact_of_claim.values())
        for fact in facts:
            if fact in stated:
                f.write(f"\n[[fact]]\nslug = \"{fact}\"\nstatement = \"A synthetic fact.\"\n")

    for s, source in enumerate(sources):
        lines = [f"# Claims of {source['slug']}, written by benches/synth.py.\n"]
        for claim in claims_by_source[s]:
            lines.append(
                "\n[[claim]]\n"
                f"slug = \"{claim['slug']}\"\n"
                f"source = \"{claim['source']}\"\n"
                f"quote = {toml_string(claim['quote'])}\n"
                f"statement = {toml_string(claim['quote'])}\n"
                f"about = [{', '.join(toml_string(a) for a in claim['about'])}]\n"
                "certainty = \"stated\"\n"
                f"kind = \"{claim['kind']}\"\n"
            )
            for field in ("date", "until", "fact"):
                if field in claim:
                    lines.append(f"{field} = \"{claim[field]}\"\n")
        for relation in relations_by_source[s]:
            lines.append(
                "\n[[relation]]\n"
                f"subject = \"{relation['subject']}\"\n"
                f"type = \"{relation['type']}\"\n"
                f"object = \"{relation['object']}\"\n"
                f"evidence = [\"{relation['evidence'][0]}\"]\n"
            )
            if "start" in relation:
                lines.append(f"start = \"{relation['start']}\"\n")
        with open(os.path.join(out, "claims", f"{source['slug']}.toml"), "w", encoding="utf-8") as f:
            f.write("".join(lines))

    relations = sum(len(r) for r in relations_by_source)
    # What the scale benchmark looks up: the hub, and a typical entity (degree nearest 12).
    degree = {}
    for source_relations in relations_by_source:
        for relation in source_relations:
            for end in (relation["subject"], relation["object"]):
                degree[end] = degree.get(end, 0) + 1
    typical = min(
        (slug for slug in degree if slug != hub), key=lambda slug: (abs(degree[slug] - 12), slug)
    )
    rare = claims_by_source[0][0]["quote"].split("entry ")[1].split(" ")[0]
    with open(os.path.join(folder, "bench.json"), "w", encoding="utf-8") as f:
        json.dump({
            "hub": hub, "hub_degree": degree.get(hub, 0), "typical": typical,
            "typical_degree": degree[typical], "common_word": "border", "rare_word": rare,
            "claims": n,
        }, f, indent=1)
    print(
        f"wrote {out}: {source_count} sources, {per_kind * len(KINDS)} entities, {n} claims, "
        f"{relations} relations, {len(set(fact_of_claim.values()))} facts"
    )


if __name__ == "__main__":
    main()
