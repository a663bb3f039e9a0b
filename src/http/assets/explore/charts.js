// Small SVG charts, each with the same numbers as a table beside it for those who cannot see
// the picture.

import { h, table } from "./dom.js";

/**
 * Horizontal bars: one per `{ label, value, colour?, href? }`, longest value full width.
 * Returns a figure holding the picture and, in a details element, its table.
 */
export function barList(caption, bars, headings = ["What", "How many"]) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const row = 22;
  const labelWidth = 190;
  const width = 560;
  const svg = h(
    "svg",
    { viewBox: `0 0 ${width} ${bars.length * row + 4}`, class: "chart bars", role: "img", "aria-label": caption },
    bars.map((bar, i) => {
      const length = ((width - labelWidth - 50) * bar.value) / max;
      return h(
        "g",
        { transform: `translate(0 ${i * row + 2})` },
        h("text", { x: labelWidth - 8, y: 15, "text-anchor": "end", class: "label" }, bar.label),
        h("rect", { x: labelWidth, y: 3, width: Math.max(1, length), height: row - 7, fill: bar.colour ?? "#4c78a8" }),
        h("text", { x: labelWidth + length + 6, y: 15, class: "value" }, String(bar.value)),
        h("title", {}, `${bar.label}: ${bar.value}`),
      );
    }),
  );
  return figure(caption, svg, table(caption, headings, bars.map((bar) => [bar.label, String(bar.value)])));
}

/**
 * Vertical bars on a continuous year axis: a year with nothing gets no bar but keeps its
 * place, so gaps in time look like gaps.
 */
export function yearBars(caption, counts) {
  const years = counts.map((c) => c.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  const max = Math.max(1, ...counts.map((c) => c.count));
  const width = 720;
  const height = 210;
  const left = 34;
  const bottom = 26;
  const slot = (width - left - 6) / (last - first + 1);
  const top = 12;
  const y = (value) => top + (height - bottom - top) * (1 - value / max);
  const ticks = [0, Math.round(max / 2), max];
  const step = Math.max(1, Math.ceil((last - first + 1) / 12));
  const svg = h(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": caption },
    ticks.map((tick) =>
      h("g", {}, h("line", { x1: left, x2: width, y1: y(tick), y2: y(tick), class: "grid" }), h("text", { x: left - 4, y: y(tick) + 4, "text-anchor": "end", class: "value" }, String(tick))),
    ),
    counts.map((c) => {
      const x = left + (c.year - first) * slot;
      return h(
        "g",
        {},
        h("rect", { x: x + 1, y: y(c.count), width: Math.max(1, slot - 2), height: height - bottom - y(c.count), fill: "#4c78a8" }),
        h("title", {}, `${c.year}: ${c.count}`),
      );
    }),
    Array.from({ length: last - first + 1 }, (_, i) => first + i)
      .filter((year) => (year - first) % step === 0 || year === last)
      .map((year) => h("text", { x: left + (year - first + 0.5) * slot, y: height - 8, "text-anchor": "middle", class: "label" }, String(year))),
  );
  return figure(caption, svg, table(caption, ["Year", "Items"], counts.map((c) => [String(c.year), String(c.count)])));
}

function figure(caption, picture, alternative) {
  return h(
    "figure",
    { class: "figure" },
    h("figcaption", {}, caption),
    picture,
    h("details", { class: "alternative" }, h("summary", {}, "The same as a table"), alternative),
  );
}
