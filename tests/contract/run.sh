#!/usr/bin/env bash
# The public contract, held with the tools clients use (README, "The contract checks"):
#   1. every README and GraphiQL example validates with graphql-js against the SDL;
#   2. graphql-codegen generates TypeScript from the SDL and operations.graphql (typed
#      operations over every union and interface), and `tsc --strict` type-checks usage.ts
#      against it;
#   3. every field name members of a union or interface share has one type, and every
#      custom scalar has @specifiedBy and a real TypeScript type;
#   4. the SDL has no breaking change against the last released one, schema/released.graphql,
#      other than the removals the deprecation policy allows.
# The npm packages are pinned in package-lock.json and installed with `npm ci` into the
# git-ignored target/contract, where the checks also run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tests/contract"
work="$root/target/contract"

mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || ! [ -d "$work/node_modules" ]; then
  echo "installing the contract checks' npm packages into target/contract"
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
cp "$here"/*.cjs "$here"/*.ts "$here/operations.graphql" "$here/codegen.yml" "$here/tsconfig.json" "$work/"
rm -rf "$work/generated"
cd "$work"

node examples.cjs "$root"
node shapes.cjs "$root"
node_modules/.bin/graphql-codegen --config codegen.yml --silent
node scalars.cjs "$root"
node_modules/.bin/tsc -p tsconfig.json
echo "typescript: generated/types.ts and usage.ts type-check"
node breaking.cjs "$root"
