// The explorer's router: every view is a URL under /explore, drawn from the URL alone, so a
// view can be shared, reloaded, and left and found again with the back button.
//
//   /explore                                   the dataset's overview
//   /explore/search?q=freeze                   a search
//   /explore/entities/<slug>[/graph]           an entity's graph (?depth=1..3&types=…&kinds=…&edge=<relation id>)
//   /explore/entities/<slug>/timeline          its dated items on a time axis
//   /explore/entities/<slug>/evidence          every claim about it

import { h } from "./dom.js";
import { overview } from "./views/overview.js";
import { search } from "./views/search.js";
import { entityPage } from "./views/entity.js";

let renders = 0;

/** Goes to `href` inside the explorer, as a new entry in the history. */
export function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  render({ moved: true });
}

async function render({ moved = false } = {}) {
  const token = ++renders;
  const current = () => token === renders;
  const url = new URL(location.href);
  const path = url.pathname.replace(/\/+$/, "") || "/explore";
  const main = document.getElementById("main");
  const input = document.getElementById("q");
  input.value = path === "/explore/search" ? url.searchParams.get("q") ?? "" : input.value;
  let view;
  try {
    const entity = path.match(/^\/explore\/entities\/([^/]+)(?:\/(graph|timeline|evidence))?$/);
    if (path === "/explore") view = await overview({ current });
    else if (path === "/explore/search") view = await search(url.searchParams, { current });
    else if (entity) view = await entityPage(main, decodeURIComponent(entity[1]), entity[2] ?? "graph", url.searchParams, { current, navigate });
    else view = { title: "Not found", element: h("section", {}, h("h1", {}, "No such page"), h("p", {}, "The explorer has no view at this address.")) };
  } catch (error) {
    if (!current()) return;
    console.error(error);
    view = {
      title: "Error",
      element: h("section", { class: "error" }, h("h1", {}, "Something went wrong"), h("p", { role: "alert" }, error.message)),
    };
  }
  if (!current() || !view) return;
  document.title = `${view.title} — nkhr explorer`;
  if (view.element && view.element.parentNode !== main) main.replaceChildren(view.element);
  view.drawn?.();
  // After a move, the keyboard and screen readers start at the new view's heading.
  if (moved) (view.focus ?? main.querySelector("h1") ?? main).focus?.({ preventScroll: false });
  document.body.dataset.view = view.name ?? "";
}

// Links inside the explorer change the view without reloading the page.
document.addEventListener("click", (event) => {
  const anchor = event.target.closest?.("a[data-nav]");
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute("href"));
});

document.querySelector("form.search").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get("q").trim();
  if (q) navigate(`/explore/search?q=${encodeURIComponent(q)}`);
});

window.addEventListener("popstate", () => render({ moved: true }));
render();
