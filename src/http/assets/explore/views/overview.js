// The overview at /explore: what the dataset holds, when its items are dated, and where to
// start reading.

import { query } from "../api.js";
import { h, link } from "../dom.js";
import { barList, yearBars } from "../charts.js";
import { KINDS, KIND_ORDER, kindName, words } from "../vocabulary.js";

/** How many best-connected entities the overview lists. */
const BEST_CONNECTED = 12;

export async function overview() {
  const data = await query("ExploreOverview", { best: BEST_CONNECTED });
  const { dataset, aggregates, timelineCounts, datasetGraph } = data;
  const kinds = [...aggregates.entitiesByKind].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const years = timelineCounts.map((bucket) => ({ year: Number(bucket.period.slice(0, 4)), count: bucket.count }));
  const relationTypes = [...aggregates.relationsByType].sort((a, b) => b.count - a.count);

  const element = h(
    "section",
    { class: "overview" },
    h("h1", { tabindex: -1 }, "The dataset at a glance"),
    h(
      "p",
      { class: "lede" },
      `Version ${dataset.version}: ${dataset.counts.claims} claims quoted from ${dataset.counts.sources} sources, `,
      `${dataset.counts.relations} relations between ${kinds.reduce((sum, k) => sum + k.count, 0)} entities. `,
      "Search above, or open one of the best-connected entities below.",
    ),
    h(
      "div",
      { class: "grid" },
      barList(
        "Entities by kind",
        kinds.map((k) => ({ label: KINDS[k.kind]?.name ?? words(k.kind), value: k.count, colour: KINDS[k.kind]?.colour })),
        ["Kind", "Entities"],
      ),
      h(
        "section",
        { class: "best", "aria-labelledby": "best-heading" },
        h("h2", { id: "best-heading" }, "Best-connected entities"),
        h(
          "ol",
          {},
          datasetGraph.nodes.map((node) =>
            h(
              "li",
              {},
              h("span", { class: "swatch", style: `background:${KINDS[node.kind]?.colour}`, "aria-hidden": "true" }),
              link(`/explore/entities/${encodeURIComponent(node.slug)}`, node.label),
              h("span", { class: "meta" }, ` ${kindName(node.kind, node.actorKind)} · ${node.entity.relations.length} relations`),
            ),
          ),
        ),
      ),
    ),
    yearBars("Timeline items per year (events, measures, laws and dated claims)", years),
    barList(
      "Relations by type",
      relationTypes.map((r) => ({ label: words(r.type), value: r.count })),
      ["Relation type", "Relations"],
    ),
    h(
      "p",
      { class: "meta" },
      `Loaded ${new Date(dataset.loadedTime).toLocaleString("en")}. Every number here comes from the public API: `,
      h("code", {}, "aggregates"),
      ", ",
      h("code", {}, "timelineCounts"),
      " and ",
      h("code", {}, "datasetGraph"),
      ".",
    ),
  );
  return { title: "Overview", name: "overview", element };
}
