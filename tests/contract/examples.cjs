// Every GraphQL example a reader is shown validates against the SDL with graphql-js, uses no
// deprecated field or argument (an example teaches what to write), and so passes the validator
// validator Apollo Client, Relay's compiler and graphql-codegen run: the README's ```graphql
// blocks, the GraphiQL page's example tabs (src/http/examples/*.graphql) and the explorer's
// documents (src/http/assets/explore/documents/*.graphql). async-graphql
// skips some of the spec's rules (overlapping fields of union members among them), so a
// document the server runs can still break a client's typed build; this catches it.
//
// Usage: node examples.cjs <repository root>

const fs = require("fs");
const path = require("path");
const { buildSchema, parse, specifiedRules, validate, NoDeprecatedCustomRule, Source } = require("graphql");

const root = process.argv[2];
const schema = buildSchema(fs.readFileSync(path.join(root, "schema/schema.graphql"), "utf8"));

const examples = [];
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8").split("\n");
for (let line = 0; line < readme.length; line++) {
  if (readme[line].trim() !== "```graphql") continue;
  const start = line + 1;
  let end = start;
  while (end < readme.length && readme[end].trim() !== "```") end++;
  examples.push({ name: `README.md:${start + 1}`, text: readme.slice(start, end).join("\n") });
  line = end;
}
for (const folder of ["src/http/examples", "src/http/assets/explore/documents"]) {
  for (const file of fs.readdirSync(path.join(root, folder)).sort()) {
    examples.push({ name: `${folder}/${file}`, text: fs.readFileSync(path.join(root, folder, file), "utf8") });
  }
}

let failures = 0;
for (const example of examples) {
  let errors;
  try {
    errors = validate(schema, parse(new Source(example.text, example.name)), [...specifiedRules, NoDeprecatedCustomRule]);
  } catch (error) {
    errors = [error];
  }
  for (const error of errors) {
    failures++;
    const where = error.locations ? error.locations.map((l) => `${l.line}:${l.column}`).join(", ") : "";
    console.error(`${example.name} ${where}: ${error.message}`);
  }
}
if (examples.filter((e) => e.name.startsWith("README")).length === 0) {
  console.error("README.md has no ```graphql example: the extraction is broken");
  process.exit(1);
}
if (failures) {
  console.error(`${failures} validation error(s) in ${examples.length} examples`);
  process.exit(1);
}
console.log(`examples: ${examples.length} documents valid against schema/schema.graphql`);
