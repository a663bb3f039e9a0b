// A few helpers to build the page from data without ever parsing data as HTML.

/** An element: `h("a", { href: "/x", class: "y" }, "text", child…)`. `on*` attributes take functions. */
export function h(tag, attributes = {}, ...children) {
  const svg = SVG_TAGS.has(tag);
  const element = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG_TAGS = new Set(["svg", "g", "rect", "line", "circle", "text", "title", "path", "desc"]);

/** A link inside the explorer: the router follows it without reloading the page. */
export function link(href, ...children) {
  return h("a", { href, "data-nav": true }, ...children);
}

/**
 * A search snippet: the API marks matching words with <mark>…</mark> in otherwise plain
 * text. Only those marks become elements; everything else stays text.
 */
export function snippet(text) {
  const parts = [];
  const pattern = /<mark>(.*?)<\/mark>/gs;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index), h("mark", {}, match[1]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** A table from column headings and rows of cells; `caption` says what it shows. */
export function table(caption, headings, rows, attributes = {}) {
  return h(
    "table",
    attributes,
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))),
  );
}

/** Says `message` to screen readers without moving the focus. */
export function announce(message) {
  const live = document.getElementById("announce");
  if (live) live.textContent = message;
}
