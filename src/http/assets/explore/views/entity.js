// An entity's page: its name, kind and the editors' description, and three views of it: the
// graph around it, its timeline and the evidence about it. The page's header stays while the
// views change, and the graph stays drawn while only the selected edge changes.

import { query } from "../api.js";
import { h, link } from "../dom.js";
import { KINDS, kindName, dateText, words } from "../vocabulary.js";
import { graphView } from "./graph.js";
import { timelineView } from "./timeline.js";
import { evidenceView } from "./evidence.js";

const VIEWS = [
  ["graph", "Graph", graphView],
  ["timeline", "Timeline", timelineView],
  ["evidence", "Evidence", evidenceView],
];

/** What is on screen: the entity, its article, and the view drawn in it. */
let shown = null;

export function entityHref(slug, view = "graph") {
  const base = `/explore/entities/${encodeURIComponent(slug)}`;
  return view === "graph" ? base : `${base}/${view}`;
}

function facts(entity) {
  const parts = [];
  if (entity.status) parts.push(`status: ${words(entity.status)}`);
  if (entity.start) parts.push(`from ${dateText(entity.start)}`);
  if (entity.end) parts.push(`until ${dateText(entity.end)}`);
  if (entity.enacted) parts.push(`enacted ${dateText(entity.enacted)}`);
  if (entity.deathPenalty) parts.push("provides for the death penalty");
  return parts;
}

function header(entity) {
  const colour = KINDS[entity.kind]?.colour;
  return h(
    "header",
    { class: "entity-header" },
    h("p", { class: "kind" }, h("span", { class: "swatch", style: `background:${colour}`, "aria-hidden": "true" }), kindName(entity.kind, entity.actorKind), facts(entity).length ? ` · ${facts(entity).join(" · ")}` : ""),
    h("h1", { tabindex: -1 }, entity.name),
    entity.aliases.length ? h("p", { class: "aliases" }, "Also: ", entity.aliases.join("; ")) : null,
    entity.jurisdiction ? h("p", { class: "meta" }, "Jurisdiction: ", link(entityHref(entity.jurisdiction.slug), entity.jurisdiction.name)) : null,
    entity.source ? h("p", { class: "meta" }, "Made in: ", h("a", { href: `/sources/${encodeURIComponent(entity.source.slug)}` }, entity.source.title)) : null,
    h(
      "section",
      { class: "description", "aria-labelledby": "description-heading" },
      h("h2", { id: "description-heading" }, "Editors’ description"),
      h("p", {}, entity.description),
      h("p", { class: "meta" }, "Written by the dataset’s editors, not quoted from a source. The quotes are under Evidence."),
    ),
  );
}

function tabs(slug, view) {
  return h(
    "nav",
    { class: "tabs", "aria-label": "Views of this entity" },
    VIEWS.map(([name, label]) => {
      const a = link(entityHref(slug, name), label);
      if (name === view) a.setAttribute("aria-current", "page");
      return a;
    }),
  );
}

export async function entityPage(main, slug, view, params, context) {
  if (!shown || shown.slug !== slug || !main.contains(shown.article)) {
    const { entity } = await query("ExploreEntity", { slug });
    if (!context.current()) return null;
    if (!entity) {
      shown = null;
      return {
        title: "Not found",
        element: h("section", {}, h("h1", { tabindex: -1 }, "No such entity"), h("p", {}, `The dataset has no entity with the slug “${slug}”.`)),
      };
    }
    const body = h("div", { class: "view" });
    const article = h("article", { class: "entity", dataset: { slug } }, header(entity), h("div", { class: "tabs-slot" }), body);
    shown = { slug, entity, article, body, view: null };
  }
  const [, label, build] = VIEWS.find(([name]) => name === view);
  const title = `${shown.entity.name} · ${label}`;
  shown.article.querySelector(".tabs-slot").replaceChildren(tabs(slug, view));
  const key = view === "graph" ? graphKey(params) : view;
  if (shown.view && shown.view.key === key) {
    const focus = await shown.view.update?.(params, context);
    return { title, name: view, element: shown.article, focus };
  }
  const built = await build(shown.entity, params, context);
  if (!context.current()) return null;
  shown.view = { key, ...built };
  shown.body.replaceChildren(built.element);
  return {
    title,
    name: view,
    element: shown.article,
    drawn: async () => {
      await built.drawn?.();
      await built.update?.(params, context);
    },
  };
}

function graphKey(params) {
  return ["graph", params.get("depth") ?? "1", params.get("types") ?? "", params.get("kinds") ?? ""].join("|");
}
