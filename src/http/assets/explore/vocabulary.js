// How the API's enum values read on the page, and the colour each entity kind is drawn in.

/** Each entity kind's colour (chosen to stay apart for common colour blindness) and name. */
export const KINDS = {
  ACTOR: { colour: "#1f77b4", name: "Actor" },
  LAW: { colour: "#9467bd", name: "Law" },
  MEASURE: { colour: "#d62728", name: "Measure" },
  EVENT: { colour: "#ff7f0e", name: "Event" },
  RECOMMENDATION: { colour: "#2ca02c", name: "Recommendation" },
};

export const KIND_ORDER = ["ACTOR", "LAW", "MEASURE", "EVENT", "RECOMMENDATION"];

/** `IMPOSED_BY` → "imposed by", `UN_BODY` → "UN body". */
export function words(value) {
  if (!value) return "";
  const text = value.toLowerCase().replaceAll("_", " ");
  return text.replace(/\b(un|ngo|dprk|us)\b/g, (word) => word.toUpperCase());
}

/** A kind's name, with an actor's own kind when it has one: "Actor · NGO". */
export function kindName(kind, actorKind) {
  const name = KINDS[kind]?.name ?? words(kind);
  return actorKind ? `${name} · ${words(actorKind)}` : name;
}

/**
 * A partial date as text with its precision: "2025" (year), "March 2025" (month), "26 March 2025";
 * a decade, a part of a year or an approximate date in the dataset's words: "the 1990s",
 * "early 2020", "about 1995".
 */
export function dateText(date) {
  if (!date) return "";
  if (!/^\d{4}(-\d{2}){0,2}$/.test(date.value)) {
    const approximate = date.value.endsWith("~");
    const text = approximate ? date.value.slice(0, -1) : date.value;
    const decade = /^\d{4}s$/.test(text);
    return `${approximate ? "about " : ""}${decade ? "the " : ""}${text}`;
  }
  const [year, month, day] = date.value.split("-").map(Number);
  const monthName = (m) => new Date(Date.UTC(2000, m - 1, 1)).toLocaleString("en", { month: "long", timeZone: "UTC" });
  switch (date.precision) {
    case "DAY":
      return `${day} ${monthName(month)} ${year}`;
    case "MONTH":
      return `${monthName(month)} ${year}`;
    default:
      return String(year);
  }
}

export const PRECISION_NAMES = {
  DECADE: "known to the decade",
  YEAR: "known to the year",
  MONTH: "known to the month",
  DAY: "known to the day",
};
