// The graph around an entity, drawn with Cytoscape.js as a force-directed picture: nodes
// coloured by kind, edges labelled by relation type. A node opens its own page; an edge shows
// the quotes behind it beside the picture. The same nodes and edges are in tables below, and
// those tables are the keyboard's way to everything the picture does.

import { query } from "../api.js";
import { h, link, table, announce } from "../dom.js";
import { KINDS, KIND_ORDER, kindName, words, dateText } from "../vocabulary.js";
import { copyButton } from "../copy.js";

/** The vendored library, served by this server from the binary. */
const CYTOSCAPE = "/assets/vendor/cytoscape@3.35.0/dist/cytoscape.esm.min.mjs";

/** Relation types seen around each centre and depth, so filters can offer them again. */
const seenTypes = new Map();

function list(value) {
  return (value ?? "").split(",").map((v) => v.trim()).filter(Boolean);
}

/** The URL of a graph view with these settings. */
export function graphHref(slug, { depth = 1, types = [], kinds = [], edge = null } = {}) {
  const params = new URLSearchParams();
  if (depth !== 1) params.set("depth", String(depth));
  if (types.length) params.set("types", types.join(","));
  if (kinds.length) params.set("kinds", kinds.join(","));
  if (edge) params.set("edge", edge);
  const search = params.toString();
  return `/explore/entities/${encodeURIComponent(slug)}${search ? `?${search}` : ""}`;
}

function style() {
  return [
    {
      selector: "node",
      style: {
        "background-color": "data(colour)",
        label: "data(label)",
        "font-size": 10,
        "font-family": "system-ui, sans-serif",
        color: "#1a1a1a",
        "text-wrap": "wrap",
        "text-max-width": 120,
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.75,
        "text-background-padding": 1,
        width: 18,
        height: 18,
      },
    },
    { selector: "node[depth = 0]", style: { width: 30, height: 30, "border-width": 3, "border-color": "#1a1a1a", "font-weight": "bold", "font-size": 11 } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "line-color": "#9a9a9a",
        "target-arrow-color": "#9a9a9a",
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
        label: "data(label)",
        "font-size": 9,
        color: "#444",
        "text-rotation": "autorotate",
        "min-zoomed-font-size": 6,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": 1,
        "text-events": "yes",
      },
    },
    { selector: "edge:selected, edge.chosen", style: { width: 4, "line-color": "#111", "target-arrow-color": "#111", color: "#111", "font-weight": "bold", "z-index": 10 } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#111" } },
  ];
}

function filters(entity, settings, offered, context) {
  const go = (changes) => context.navigate(graphHref(entity.slug, { ...settings, edge: null, ...changes }));
  const toggle = (values, value, on) => (on ? [...values, value] : values.filter((v) => v !== value));
  const depth = h(
    "select",
    { id: "depth", onchange: (event) => go({ depth: Number(event.target.value) }) },
    [1, 2, 3].map((d) => h("option", { value: d, selected: d === settings.depth }, d === 1 ? "1 hop" : `${d} hops`)),
  );
  return h(
    "form",
    { class: "filters", onsubmit: (event) => event.preventDefault() },
    h("p", {}, h("label", { for: "depth" }, "Depth "), depth),
    h(
      "fieldset",
      {},
      h("legend", {}, "Relation types"),
      offered.map((type) =>
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", name: "types", value: type, checked: settings.types.includes(type), onchange: (event) => go({ types: toggle(settings.types, type, event.target.checked) }) }),
          ` ${words(type)}`,
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Entity kinds"),
      KIND_ORDER.map((kind) =>
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", name: "kinds", value: kind, checked: settings.kinds.includes(kind), onchange: (event) => go({ kinds: toggle(settings.kinds, kind, event.target.checked) }) }),
          h("span", { class: "swatch", style: `background:${KINDS[kind].colour}`, "aria-hidden": "true" }),
          ` ${KINDS[kind].name}`,
        ),
      ),
    ),
    settings.types.length || settings.kinds.length
      ? h("p", {}, h("button", { type: "button", onclick: () => go({ types: [], kinds: [] }) }, "Clear the filters"))
      : h("p", { class: "meta" }, "No filter: every relation and kind is drawn. Ticking one draws only those."),
  );
}

function evidenceItem(claim) {
  return h(
    "li",
    { class: "claim" },
    h("blockquote", {}, h("p", {}, claim.quote)),
    h(
      "p",
      { class: "meta" },
      words(claim.certainty),
      claim.assertedBy.length ? ` · asserted by ${claim.assertedBy.map((a) => a.name).join(", ")}` : "",
      " · ",
      h("a", { href: `/sources/${encodeURIComponent(claim.source.slug)}` }, claim.source.title),
      ` (${claim.source.published.value})`,
    ),
    h("p", { class: "citation" }, claim.citation.text),
    h("p", {}, copyButton(claim.citation.text), " ", h("a", { href: claim.permalink }, "The claim’s page")),
  );
}

async function showRelation(panel, id, context) {
  if (!id) {
    panel.replaceChildren(
      h("h2", { tabindex: -1 }, "Evidence"),
      h("p", {}, "Select an edge in the picture, or press “Evidence” in the table of relations below, to read the quotes that support it."),
    );
    return null;
  }
  panel.replaceChildren(h("h2", {}, "Evidence"), h("p", { class: "status" }, "Loading the evidence…"));
  const { relation } = await query("ExploreRelation", { id });
  if (!context.current()) return null;
  if (!relation) {
    panel.replaceChildren(h("h2", { tabindex: -1 }, "Evidence"), h("p", { role: "alert" }, "This relation is not in the dataset."));
    return panel.querySelector("h2");
  }
  const when = [relation.start && `from ${dateText(relation.start)}`, relation.end && `until ${dateText(relation.end)}`].filter(Boolean).join(" ");
  panel.replaceChildren(
    h("h2", { tabindex: -1 }, link(`/explore/entities/${encodeURIComponent(relation.subject.slug)}`, relation.subject.name), ` ${words(relation.type)} `, link(`/explore/entities/${encodeURIComponent(relation.object.slug)}`, relation.object.name)),
    relation.description ? h("p", {}, relation.description) : null,
    h("p", { class: "meta" }, `Certainty: ${words(relation.certainty)}`, when ? ` · ${when}` : "", ` · ${relation.evidence.length} ${relation.evidence.length === 1 ? "claim" : "claims"}`),
    h("ol", { class: "evidence-list" }, relation.evidence.map(evidenceItem)),
  );
  announce(`Evidence for ${relation.subject.name} ${words(relation.type)} ${relation.object.name}`);
  return panel.querySelector("h2");
}

export async function graphView(entity, params, context) {
  const settings = {
    depth: Math.min(3, Math.max(1, Number(params.get("depth")) || 1)),
    types: list(params.get("types")),
    kinds: list(params.get("kinds")),
  };
  const { graph } = await query("ExploreGraph", {
    slug: entity.slug,
    depth: settings.depth,
    types: settings.types.length ? settings.types : null,
    entityKinds: settings.kinds.length ? settings.kinds : null,
  });
  const seenKey = `${entity.slug}|${settings.depth}`;
  const seen = seenTypes.get(seenKey) ?? new Set();
  graph.edges.forEach((edge) => seen.add(edge.type));
  settings.types.forEach((type) => seen.add(type));
  seenTypes.set(seenKey, seen);
  const offered = [...seen].sort();

  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const canvas = h("div", {
    class: "canvas",
    style: `height:${Math.min(860, Math.max(480, 300 + graph.nodes.length * 14))}px`,
    role: "img",
    "aria-label": `A graph of ${graph.nodes.length} entities and ${graph.edges.length} relations around ${entity.name}, ${settings.depth} ${settings.depth === 1 ? "hop" : "hops"} deep. The same entities and relations are in the tables below.`,
  });
  const panel = h("aside", { class: "panel", "aria-live": "polite" });
  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Colours" },
    KIND_ORDER.map((kind) => h("li", {}, h("span", { class: "swatch", style: `background:${KINDS[kind].colour}`, "aria-hidden": "true" }), KINDS[kind].name)),
  );
  const nodesTable = table(
    `The ${graph.nodes.length} entities drawn`,
    ["Entity", "Kind", "Hops from the centre"],
    graph.nodes.map((node) => [node.depth === 0 ? h("strong", {}, node.label) : link(graphHref(node.slug, { ...settings }), node.label), kindName(node.kind, node.actorKind), String(node.depth)]),
    { class: "nodes" },
  );
  const edgesTable = table(
    `The ${graph.edges.length} relations drawn`,
    ["From", "Relation", "To", "What the sources say", "Evidence"],
    graph.edges.map((edge) => [
      byId.get(edge.source)?.label ?? "",
      words(edge.type),
      byId.get(edge.target)?.label ?? "",
      edge.label ?? "",
      h(
        "button",
        { type: "button", class: "show-evidence", dataset: { edge: edge.id }, onclick: () => context.navigate(graphHref(entity.slug, { ...settings, edge: edge.id })) },
        `Evidence (${edge.evidenceCount})`,
      ),
    ]),
    { class: "edges" },
  );
  const element = h(
    "section",
    { class: "graph-view", "aria-label": "Graph" },
    filters(entity, settings, offered, context),
    graph.truncated ? h("p", { class: "notice" }, "The graph is larger than the API draws at once; only its closest entities are shown. Lower the depth or filter to see the rest.") : null,
    graph.edges.length === 0 ? h("p", { class: "notice" }, "Nothing is related to this entity with these filters.") : null,
    h("div", { class: "graph-area" }, h("div", { class: "picture" }, canvas, legend), panel),
    h("details", { class: "alternative", open: true }, h("summary", {}, "The graph as tables"), edgesTable, nodesTable),
  );

  let cy = null;
  async function drawn() {
    const cytoscape = (await import(CYTOSCAPE)).default;
    if (!context.current()) return;
    cy = cytoscape({
      container: canvas,
      elements: [
        ...graph.nodes.map((node) => ({ group: "nodes", data: { id: node.id, slug: node.slug, label: node.label, kind: node.kind, depth: node.depth, colour: KINDS[node.kind]?.colour ?? "#777" } })),
        ...graph.edges.map((edge) => ({ group: "edges", data: { id: edge.id, source: edge.source, target: edge.target, type: edge.type, label: words(edge.type) } })),
      ],
      style: style(),
      layout: { name: "cose", animate: false, randomize: true, nodeRepulsion: () => 40000, idealEdgeLength: () => 90, gravity: 0.6, numIter: 2500, padding: 24, nodeDimensionsIncludeLabels: true },
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    cy.on("tap", "node", (event) => {
      const slug = event.target.data("slug");
      if (slug !== entity.slug) context.navigate(graphHref(slug, { ...settings }));
    });
    cy.on("tap", "edge", (event) => context.navigate(graphHref(entity.slug, { ...settings, edge: event.target.id() })));
    cy.on("mouseover", "node, edge", () => (canvas.style.cursor = "pointer"));
    cy.on("mouseout", "node, edge", () => (canvas.style.cursor = ""));
    // For scripts and tests: the drawn graph, and a sign that it is drawn.
    window.explorerGraph = cy;
    canvas.dataset.drawn = String(cy.nodes().length);
  }

  async function update(next, now = context) {
    const edge = next.get("edge");
    if (cy) {
      cy.elements().removeClass("chosen");
      if (edge) cy.getElementById(edge).addClass("chosen");
    }
    edgesTable.querySelectorAll("tr").forEach((row) => row.classList.toggle("chosen", !!edge && row.querySelector(`[data-edge="${CSS.escape(edge)}"]`) !== null));
    return showRelation(panel, edge, now);
  }

  return { element, drawn, update };
}
