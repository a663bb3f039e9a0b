// Every field name that members of a union (or implementations of an interface) share has
// one type, so a client can select it in fragments on several members at once: graphql-js
// refuses `... on Claim { start } ... on Event { start }` when one is an `Int!` and the other
// a `PartialDate`. A deprecated field is left out (it stays until its removal date, and its
// replacement has no conflict), but it must name its removal date.
//
// Usage: node shapes.cjs <repository root>

const fs = require("fs");
const path = require("path");
const { buildSchema, isUnionType, isInterfaceType } = require("graphql");

const root = process.argv[2];
const schema = buildSchema(fs.readFileSync(path.join(root, "schema/schema.graphql"), "utf8"));

let failures = 0;
let groups = 0;
for (const type of Object.values(schema.getTypeMap())) {
  if (type.name.startsWith("__")) continue;
  let members;
  if (isUnionType(type)) members = type.getTypes();
  else if (isInterfaceType(type)) members = schema.getPossibleTypes(type);
  else continue;
  groups++;
  const seen = new Map();
  for (const member of members) {
    for (const field of Object.values(member.getFields())) {
      if (field.deprecationReason) {
        if (!/Removed after \d{4}-\d{2}-\d{2}/.test(field.deprecationReason)) {
          console.error(`${member.name}.${field.name} is deprecated without "Removed after <date>"`);
          failures++;
        }
        continue;
      }
      const shape = String(field.type);
      const other = seen.get(field.name);
      if (!other) seen.set(field.name, { member: member.name, shape });
      else if (other.shape !== shape) {
        console.error(
          `${type.name}: ${other.member}.${field.name} is ${other.shape} but ${member.name}.${field.name} is ${shape}`
        );
        failures++;
      }
    }
  }
}
if (groups === 0) {
  console.error("the SDL has no union or interface: the walk is broken");
  process.exit(1);
}
if (failures) process.exit(1);
console.log(`shapes: every shared field of ${groups} unions and interfaces has one type`);
