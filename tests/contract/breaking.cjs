// The schema never breaks a client silently: schema/schema.graphql is compared with the last
// released SDL, schema/released.graphql, with graphql-js's findBreakingChanges, and any breaking
// change fails, with one exception the deprecation policy (README, "Evolving the schema")
// allows: removing a field, argument or enum value that the released SDL had deprecated with
// a reason naming its removal date ("… Removed after 2027-06-30.") once that date has passed.
// Deprecating is never breaking: a deprecated field keeps working.
//
// Before it judges the real schema, it checks itself on changes it must refuse and allow, so
// the check cannot quietly pass everything.
//
// Usage: node breaking.cjs <repository root>

const fs = require("fs");
const path = require("path");
const { buildSchema, findBreakingChanges, BreakingChangeType } = require("graphql");

const root = process.argv[2];
const today = new Date().toISOString().slice(0, 10);

// The date a deprecation reason names for the removal, if any.
function removalDate(reason) {
  const match = /Removed after (\d{4}-\d{2}-\d{2})/.exec(reason || "");
  return match ? match[1] : null;
}

// What the released schema says of the thing a breaking change removed: its deprecation
// reason, when the change is a removal and the thing was deprecated.
function deprecationOf(released, change) {
  if (change.type === BreakingChangeType.FIELD_REMOVED) {
    const [type, field] = change.description.replace(/ was removed\.$/, "").split(".");
    return released.getType(type)?.getFields?.()[field]?.deprecationReason;
  }
  if (change.type === BreakingChangeType.VALUE_REMOVED_FROM_ENUM) {
    const match = /^(\w+) was removed from enum type (\w+)\.$/.exec(change.description);
    if (!match) return undefined;
    return released.getType(match[2])?.getValue(match[1])?.deprecationReason;
  }
  if (change.type === BreakingChangeType.ARG_REMOVED) {
    const match = /^(\w+)\.(\w+) arg (\w+) was removed\.$/.exec(change.description);
    if (!match) return undefined;
    const field = released.getType(match[1])?.getFields?.()[match[2]];
    return field?.args.find((arg) => arg.name === match[3])?.deprecationReason;
  }
  return undefined;
}

// The SDL without its copies of the directives the GraphQL specification defines (@include,
// @skip, @deprecated, @specifiedBy, @oneOf): the server prints the ones it uses, but their
// definition is the specification's, which graphql-js supplies, and not part of the contract.
function withoutSpecifiedDirectives(sdl) {
  return sdl.replace(
    /(?:"""(?:(?!""")[\s\S])*"""\s*)?directive @(?:include|skip|deprecated|specifiedBy|oneOf)\b[^\n]*\n/g,
    ""
  );
}

// The breaking changes from `released` to `current` that the policy does not allow.
function refused(releasedSdl, currentSdl) {
  const released = buildSchema(withoutSpecifiedDirectives(releasedSdl));
  const current = buildSchema(withoutSpecifiedDirectives(currentSdl));
  return findBreakingChanges(released, current).filter((change) => {
    const date = removalDate(deprecationOf(released, change));
    return !(date && date < today);
  });
}

// The check on itself.
const base = `
type Query {
  "A field."
  kept: String
  old: Int @deprecated(reason: "Use \`kept\`. Removed after 2000-01-01.")
  notYet: Int @deprecated(reason: "Use \`kept\`. Removed after 2999-01-01.")
  kind: Kind
}
enum Kind { A B }
`;
const selfChecks = [
  ["removing a field", base.replace("kept: String", ""), 1],
  ["changing a field's type", base.replace("kept: String", "kept: Int"), 1],
  ["removing an enum value", base.replace("enum Kind { A B }", "enum Kind { A }"), 1],
  ["removing a field before its removal date", base.replace(/notYet.*\n/, ""), 1],
  ["removing a field after its removal date", base.replace(/old.*\n/, ""), 0],
  ["deprecating a field", base.replace("kept: String", 'kept: String @deprecated(reason: "Use `kind`.")'), 0],
  ["adding a field", base.replace("kept: String", "kept: String\n  added: Int"), 0],
];
for (const [what, changed, expected] of selfChecks) {
  const found = refused(base, changed).length;
  if (found !== expected) {
    console.error(`the breaking-change check is broken: ${what} gave ${found} refused change(s), not ${expected}`);
    process.exit(1);
  }
}

const released = fs.readFileSync(path.join(root, "schema/released.graphql"), "utf8");
const current = fs.readFileSync(path.join(root, "schema/schema.graphql"), "utf8");
const changes = refused(released, current);
for (const change of changes) console.error(`breaking: ${change.type}: ${change.description}`);
if (changes.length) {
  console.error(
    `${changes.length} breaking change(s) against schema/released.graphql: deprecate instead ` +
      `(README, "Evolving the schema"), or, for a new major release, say so in CHANGELOG.md ` +
      `and copy schema.graphql to released.graphql`
  );
  process.exit(1);
}
console.log("breaking changes: none against schema/released.graphql");
