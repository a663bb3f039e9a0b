// The GraphQL-over-HTTP conformance audit of the `graphql-http` npm package, run against the
// server at the URL given as the first argument. Prints one JSON object: how many audits were
// ok, and every one that was not, with its id, name, status and reason.
//
// The package is found under the folder NKHR_AUDIT_DEPS names (its node_modules).
const path = require("node:path");

const deps = path.resolve(process.env.NKHR_AUDIT_DEPS || "target/audit-deps");
const { auditServer } = require(path.join(deps, "node_modules", "graphql-http"));

(async () => {
  const url = process.argv[2];
  const results = await auditServer({ url });
  const failed = results
    .filter((result) => result.status !== "ok")
    .map((result) => ({
      id: result.id,
      name: result.name,
      status: result.status,
      reason: result.reason,
    }));
  console.log(JSON.stringify({ total: results.length, ok: results.length - failed.length, failed }));
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
