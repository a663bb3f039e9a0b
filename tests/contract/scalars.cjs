// Every custom scalar of the SDL says what it is with @specifiedBy, and graphql-codegen, set up
// as codegen.yml sets it up, gives each a real TypeScript type: no `any`, no `unknown`.
//
// Usage: node scalars.cjs <repository root> (after graphql-codegen wrote generated/types.ts)

const fs = require("fs");
const path = require("path");
const { buildSchema, isScalarType, isSpecifiedScalarType } = require("graphql");

const root = process.argv[2];
const schema = buildSchema(fs.readFileSync(path.join(root, "schema/schema.graphql"), "utf8"));
const custom = Object.values(schema.getTypeMap()).filter(
  (type) => isScalarType(type) && !isSpecifiedScalarType(type)
);
let failures = 0;
for (const scalar of custom) {
  if (!scalar.specifiedByURL) {
    console.error(`scalar ${scalar.name} has no @specifiedBy`);
    failures++;
  }
}

const generated = fs.readFileSync("generated/types.ts", "utf8");
const block = /export type Scalars = \{([\s\S]*?)\n\};/.exec(generated);
if (!block) {
  console.error("generated/types.ts has no Scalars type");
  process.exit(1);
}
for (const scalar of custom) {
  const line = new RegExp(`^\\s*${scalar.name}: \\{ input: (.*); output: (.*); \\}$`, "m").exec(block[1]);
  if (!line) {
    console.error(`generated/types.ts does not type the scalar ${scalar.name}`);
    failures++;
  } else if ([line[1], line[2]].some((type) => /\b(any|unknown)\b/.test(type))) {
    console.error(`generated/types.ts types the scalar ${scalar.name} as ${line[0].trim()}`);
    failures++;
  }
}
if (failures) process.exit(1);
console.log(`scalars: ${custom.map((s) => `${s.name} (${s.specifiedByURL})`).join(", ")}`);
