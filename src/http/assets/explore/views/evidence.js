// Every claim about an entity: the verbatim quote, how certain it is, who asserts it, the
// source, and its citation ready to copy.

import { query } from "../api.js";
import { h, table } from "../dom.js";
import { words, dateText } from "../vocabulary.js";
import { copyButton } from "../copy.js";

export async function evidenceView(entity) {
  const data = await query("ExploreEvidence", { slug: entity.slug });
  const claims = data.entity?.claims ?? [];
  if (!claims.length) {
    return { element: h("section", { class: "evidence-view" }, h("p", { class: "notice" }, `No claim is about ${entity.name} yet.`)) };
  }
  const element = h(
    "section",
    { class: "evidence-view", "aria-label": "Evidence" },
    table(
      `${claims.length} ${claims.length === 1 ? "claim" : "claims"} about ${entity.name}, each quoting its source verbatim`,
      ["Quote", "Certainty", "Asserted by", "Source", "Citation"],
      claims.map((claim) => [
        [
          h("blockquote", {}, h("p", {}, claim.quote)),
          h("p", { class: "meta" }, "In our words: ", claim.statement, claim.date ? ` (${dateText(claim.date)})` : ""),
        ],
        words(claim.certainty),
        [claim.assertedBy.map((actor) => actor.name).join(", "), claim.attributed ? h("span", { class: "meta" }, " (the source attributes it)") : ""],
        [h("a", { href: `/sources/${encodeURIComponent(claim.source.slug)}` }, claim.source.title), h("span", { class: "meta" }, ` ${claim.source.published.value}`)],
        [copyButton(claim.citation.text), " ", h("a", { href: claim.permalink }, "Permalink")],
      ]),
      { class: "evidence-table" },
    ),
  );
  return { element };
}
