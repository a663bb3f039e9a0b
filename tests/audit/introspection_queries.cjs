// Writes the introspection queries of graphql-js's `getIntrospectionQuery`, with its options
// off (the default) and all on, to tests/fixtures/introspection/. The API tests send them.
// `experimentalDirectiveDeprecation` is left out: it asks for `__Directive.isDeprecated`, which
// no published version of the introspection schema has.
//
//   NKHR_AUDIT_DEPS=target/audit-deps node tests/audit/introspection_queries.cjs
const fs = require("node:fs");
const path = require("node:path");

const deps = path.resolve(process.env.NKHR_AUDIT_DEPS || "target/audit-deps");
const { getIntrospectionQuery } = require(path.join(deps, "node_modules", "graphql"));
const out = path.join(__dirname, "..", "fixtures", "introspection");
const every = {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
};
fs.writeFileSync(path.join(out, "graphql-js-default.graphql"), getIntrospectionQuery());
fs.writeFileSync(path.join(out, "graphql-js-every-option.graphql"), getIntrospectionQuery(every));
fs.writeFileSync(
  path.join(out, "graphql-js-type-depth-20.graphql"),
  getIntrospectionQuery({ ...every, typeDepth: 20 }),
);
