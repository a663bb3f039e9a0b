// A search: the API's full-text search, best hit first, each hit linked to where it is read.

import { query } from "../api.js";
import { h, link, snippet } from "../dom.js";
import { kindName, words } from "../vocabulary.js";

/** Hits a page of results shows; "More results" asks for the next page. */
const PAGE_SIZE = 20;

function entityHref(slug) {
  return `/explore/entities/${encodeURIComponent(slug)}`;
}

function hitItem(hit) {
  const node = hit.node;
  let heading;
  let extra = null;
  switch (node.__typename) {
    case "Claim":
      heading = h("a", { href: node.permalink }, node.statement);
      extra = h(
        "p",
        { class: "meta" },
        `Claim in “${node.source.title}”`,
        node.about.length ? " · about " : "",
        node.about.map((entity, i) => [i ? ", " : "", link(entityHref(entity.slug), entity.name)]),
      );
      break;
    case "Source":
      heading = h("a", { href: `/sources/${encodeURIComponent(node.slug)}` }, node.title);
      extra = h("p", { class: "meta" }, `Source, published ${node.published.value}`);
      break;
    default:
      heading = link(entityHref(node.slug), node.name);
      extra = h("p", { class: "meta" }, kindName(node.__typename.toUpperCase(), node.actorKind));
  }
  return h(
    "li",
    { class: "hit" },
    h("span", { class: `badge kind-${hit.kind.toLowerCase()}` }, words(hit.kind)),
    h("h2", {}, heading),
    h("p", { class: "snippet" }, snippet(hit.snippet), h("span", { class: "meta" }, ` (${hit.snippetField})`)),
    extra,
  );
}

export async function search(params) {
  const q = (params.get("q") ?? "").trim();
  if (!q) {
    return { title: "Search", name: "search", element: h("section", {}, h("h1", { tabindex: -1 }, "Search"), h("p", {}, "Type words to look for above.")) };
  }
  const data = await query("ExploreSearch", { query: q, first: PAGE_SIZE });
  const list = h("ol", { class: "hits" }, data.search.nodes.map(hitItem));
  const more = h("button", { type: "button", class: "more" }, "More results");
  let page = data.search.pageInfo;
  more.hidden = !page.hasNextPage;
  more.addEventListener("click", async () => {
    more.disabled = true;
    const next = await query("ExploreSearch", { query: q, first: PAGE_SIZE, after: page.endCursor });
    const first = list.children.length;
    list.append(...next.search.nodes.map(hitItem));
    page = next.search.pageInfo;
    more.hidden = !page.hasNextPage;
    more.disabled = false;
    list.children[first]?.querySelector("a")?.focus();
  });
  const element = h(
    "section",
    { class: "search-results" },
    h("h1", { tabindex: -1 }, `Search: ${q}`),
    h("p", { class: "lede" }, `${data.search.totalCount} ${data.search.totalCount === 1 ? "hit" : "hits"}, best match first.`),
    list,
    more,
  );
  return { title: `Search: ${q}`, name: "search", element };
}
