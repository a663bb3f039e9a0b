// An entity's timeline: its dated items on a time axis, each drawn as precisely as it is known.
// A date known only to the decade or the year is a band across its days (a decade, a year, or
// the part of it "early 2020" names), one known to the month a narrower band across the month,
// and one known to the day a point: the picture never claims more precision than the source
// gives.

import { query } from "../api.js";
import { h, link, table } from "../dom.js";
import { dateText, words, PRECISION_NAMES } from "../vocabulary.js";

/** The most items one timeline draws (the API's page size). */
const MOST_ITEMS = 100;

const DAY = 86400000;

const COLOURS = { Event: "#ff7f0e", Measure: "#d62728", Law: "#9467bd", Claim: "#6b6b6b" };

function subjectLink(item, entity) {
  const subject = item.subject;
  if (subject.__typename === "Claim") return h("a", { href: subject.permalink }, "the claim");
  if (subject.slug === entity.slug) return "this entity";
  return link(`/explore/entities/${encodeURIComponent(subject.slug)}/timeline`, words(subject.__typename));
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function picture(items, entity) {
  const start = Math.min(...items.map((item) => Date.parse(item.date.earliest)));
  const end = Math.max(...items.map((item) => Date.parse(item.date.latest) + DAY));
  const firstYear = new Date(start).getUTCFullYear();
  const lastYear = new Date(end - 1).getUTCFullYear();
  const from = Date.UTC(firstYear, 0, 1);
  const until = Date.UTC(lastYear + 1, 0, 1);
  const width = 960;
  const labels = 380;
  const right = 16;
  const top = 40;
  const row = 34;
  const height = top + items.length * row + 8;
  const x = (time) => labels + ((width - labels - right) * (time - from)) / (until - from);
  const years = lastYear - firstYear + 1;
  const step = Math.max(1, Math.ceil(years / 12));
  const ticks = [];
  for (let year = firstYear; year <= lastYear + 1; year += 1) {
    if ((year - firstYear) % step === 0 || year === lastYear + 1) ticks.push(year);
  }
  const monthTicks = years <= 2 ? Array.from({ length: years * 12 }, (_, i) => Date.UTC(firstYear, i, 1)) : [];
  return h(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      class: "chart timeline",
      role: "img",
      "aria-label": `${items.length} dated items about ${entity.name} from ${firstYear} to ${lastYear}, on a time axis. The same items are in the table below.`,
    },
    monthTicks.map((time) =>
      h(
        "g",
        {},
        h("line", { x1: x(time), x2: x(time), y1: top - 4, y2: height, class: "grid minor" }),
        h("text", { x: (x(time) + x(time + 28 * DAY)) / 2, y: top - 1, "text-anchor": "middle", class: "month" }, new Date(time).toLocaleString("en", { month: "short", timeZone: "UTC" })),
      ),
    ),
    ticks.map((year) =>
      h(
        "g",
        {},
        h("line", { x1: x(Date.UTC(year, 0, 1)), x2: x(Date.UTC(year, 0, 1)), y1: top - 34, y2: height, class: "grid" }),
        year <= lastYear ? h("text", { x: x(Date.UTC(year, 0, 1)) + 3, y: top - 22, class: "label" }, String(year)) : null,
      ),
    ),
    items.map((item, i) => {
      const y = top + i * row;
      const centre = y + row / 2;
      const colour = COLOURS[item.subject.__typename] ?? "#555";
      const a = Date.parse(item.date.earliest);
      const b = Date.parse(item.date.latest) + DAY;
      // A single day is a point; anything wider (an approximate day too) is a band over its days.
      const point = item.date.earliest === item.date.latest;
      const wide = item.date.precision === "YEAR" || item.date.precision === "DECADE";
      const mark =
        point
          ? h("circle", { cx: x(a + DAY / 2), cy: centre, r: 5, fill: colour, class: "mark day" })
          : h("rect", {
              x: x(a),
              y: centre - (wide ? 8 : 6),
              width: Math.max(2, x(b) - x(a)),
              height: wide ? 16 : 12,
              fill: colour,
              "fill-opacity": wide ? 0.3 : 0.6,
              stroke: colour,
              class: `mark ${item.date.precision.toLowerCase()}`,
            });
      return h(
        "g",
        { class: "item" },
        h("line", { x1: 0, x2: width, y1: y + row, y2: y + row, class: "row" }),
        h("text", { x: 0, y: centre - 3, class: "when" }, `${dateText(item.date)} · ${words(item.kind)}`),
        h("text", { x: 0, y: centre + 11, class: "what" }, truncate(item.label, 62)),
        mark,
        h("title", {}, `${dateText(item.date)} (${PRECISION_NAMES[item.date.precision]}): ${item.label}`),
      );
    }),
  );
}

export async function timelineView(entity) {
  const { timeline } = await query("ExploreTimeline", { slug: entity.slug, first: MOST_ITEMS });
  const items = timeline.nodes;
  if (!items.length) {
    return { element: h("section", { class: "timeline-view" }, h("p", { class: "notice" }, `Nothing about ${entity.name} is dated.`)) };
  }
  const element = h(
    "section",
    { class: "timeline-view", "aria-label": "Timeline" },
    h(
      "p",
      { class: "legend-text" },
      "Each date is drawn as precisely as its source gives it: ",
      h("span", { class: "key year" }), " a year-only date is a band across the year, ",
      h("span", { class: "key month" }), " a month a band across the month, ",
      h("span", { class: "key day" }), " a day a point.",
    ),
    timeline.totalCount > items.length ? h("p", { class: "notice" }, `The first ${items.length} of ${timeline.totalCount} items.`) : null,
    h("div", { class: "timeline-scroll" }, picture(items, entity)),
    h(
      "details",
      { class: "alternative", open: true },
      h("summary", {}, "The timeline as a table"),
      table(
        `${items.length} dated items about ${entity.name}`,
        ["Date", "Known to", "Kind", "What", "Read"],
        items.map((item) => [dateText(item.date), words(item.date.precision), words(item.kind), item.label, subjectLink(item, entity)]),
        { class: "timeline-table" },
      ),
    ),
  );
  return { element };
}
