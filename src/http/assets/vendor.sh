#!/usr/bin/env bash
# Vendors files of one npm package into the repository, where the binary embeds them.
#
# Usage: src/http/assets/vendor.sh <package> <version> <file>...
#   e.g. src/http/assets/vendor.sh graphiql 3.8.3 graphiql.min.js graphiql.min.css LICENSE
#
# It fetches the package's tarball with `npm pack` (so through whatever registry npm is set up
# for), checks it against the integrity the registry publishes, and rewrites
# src/http/assets/vendor/<package>@<version>/ with the named files (paths as inside the
# package) and a MANIFEST.json saying where they came from: the package, its version, the
# tarball's URL and integrity, and the SHA-256 of each file. A unit test checks every embedded
# file against its manifest, so a hand-edited or half-copied file fails the build's tests.
# Only this script needs npm; `cargo build` never does.
set -euo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: $0 <package> <version> <file>..." >&2
  exit 2
fi
package="$1"
version="$2"
shift 2

here="$(cd "$(dirname "$0")" && pwd)"
# A scoped package (@scope/name) keeps its scope in the folder's name, with the slash replaced.
folder="$here/vendor/${package//\//+}@$version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetching $package@$version with npm pack"
(cd "$work" && npm pack --silent --json "$package@$version" >pack.json)
tarball="$work/$(node -e 'console.log(require(process.argv[1])[0].filename)' "$work/pack.json")"
integrity="$(node -e 'console.log(require(process.argv[1])[0].integrity)' "$work/pack.json")"
published="$(npm view --silent "$package@$version" dist.integrity)"
resolved="$(npm view --silent "$package@$version" dist.tarball)"
if [ "$integrity" != "$published" ]; then
  echo "the tarball's integrity $integrity is not the registry's $published" >&2
  exit 1
fi
license="$(npm view --silent "$package@$version" license)"

mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
for file in "$@"; do
  if ! [ -f "$work/unpacked/package/$file" ]; then
    echo "$package@$version has no file $file" >&2
    exit 1
  fi
done

rm -rf "$folder"
mkdir -p "$folder"
for file in "$@"; do
  mkdir -p "$folder/$(dirname "$file")"
  cp "$work/unpacked/package/$file" "$folder/$file"
done

node - "$folder" "$package" "$version" "$resolved" "$integrity" "$license" "$@" <<'JS'
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const [folder, name, version, tarball, integrity, license, ...files] = process.argv.slice(2);
const sha256 = {};
for (const file of [...files].sort()) {
  sha256[file] = crypto.createHash("sha256").update(fs.readFileSync(path.join(folder, file))).digest("hex");
}
const manifest = { package: name, version, license, tarball, integrity, files: sha256 };
fs.writeFileSync(path.join(folder, "MANIFEST.json"), JSON.stringify(manifest, null, 2) + "\n");
JS
echo "wrote $folder"
