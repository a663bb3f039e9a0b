//! Browser assets vendored into the repository and embedded in the binary: GraphiQL and React
//! today, any page's scripts tomorrow.
//!
//! Each npm package lives in `src/http/assets/vendor/<package>@<version>/`, with the files the
//! pages load (paths as inside the package) and a `MANIFEST.json` naming the package, its
//! version, the tarball's URL and integrity, and the SHA-256 of every file. `vendor.sh` in the
//! same folder fetches a package with `npm pack` and rewrites its folder; nothing else writes
//! there. The binary embeds the whole tree with `include_dir!` and serves it at
//! `/assets/vendor/<package>@<version>/<file>`, so a page works on an air-gapped network and no
//! reader's visit is seen by a third party.
//!
//! Why vendored files rather than the alternatives: a build step that runs npm would make
//! every `cargo build` need Node.js and a registry, and a crate that bundles GraphiQL pins
//! whatever version its author chose and covers GraphiQL alone, not the other libraries our
//! pages use. A few megabytes in the repository, checked against their manifests by a unit
//! test, cost less than either.

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

/// The vendored packages, as the build found them.
static VENDOR: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/src/http/assets/vendor");

/// The URL path under which the vendored tree is served.
pub const VENDOR_PREFIX: &str = "/assets/vendor";

/// The bytes of a vendored file, by its path under the vendor folder
/// (`graphiql@3.8.3/graphiql.min.js`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    VENDOR.get_file(path).map(include_dir::File::contents)
}

/// The URL a page loads a vendored file from.
pub fn url(path: &str) -> String {
    format!("{VENDOR_PREFIX}/{path}")
}

/// The subresource-integrity value (`sha384-…`) of a vendored file, so that a page loading the
/// same file from a CDN is sure to get these very bytes.
pub fn integrity(path: &str) -> Option<String> {
    file(path).map(|bytes| {
        format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
        )
    })
}

/// The media type of a vendored file, from its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "text/plain; charset=utf-8",
    }
}

/// Each vendored file's strong ETag: its SHA-256, computed once.
static ETAGS: LazyLock<std::collections::HashMap<&'static str, String>> = LazyLock::new(|| {
    let mut etags = std::collections::HashMap::new();
    let mut stack = vec![&VENDOR];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(child) => stack.push(child),
                include_dir::DirEntry::File(file) => {
                    if let Some(path) = file.path().to_str() {
                        etags.insert(
                            path,
                            format!("\"{}\"", hex::encode(Sha256::digest(file.contents()))),
                        );
                    }
                }
            }
        }
    }
    etags
});

/// `GET /assets/vendor/{*path}`: a vendored file. The path names the package's version, so the
/// file never changes under its URL and browsers may keep it for a year.
pub async fn vendored(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let (Some(bytes), Some(etag)) = (file(&path), ETAGS.get(path.as_str())) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    let mut response = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        bytes.into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    /// A package folder's `MANIFEST.json`, as `vendor.sh` writes it.
    #[derive(Deserialize)]
    struct Manifest {
        package: String,
        version: String,
        tarball: String,
        integrity: String,
        files: BTreeMap<String, String>,
    }

    fn files_under(dir: &include_dir::Dir<'static>, found: &mut Vec<String>) {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(child) => files_under(child, found),
                include_dir::DirEntry::File(file) => {
                    found.push(file.path().to_string_lossy().into_owned());
                }
            }
        }
    }

    #[test]
    fn every_vendored_file_matches_its_manifest_and_every_file_is_listed() {
        let packages: Vec<_> = VENDOR.dirs().collect();
        assert!(!packages.is_empty(), "no vendored package was embedded");
        for package in packages {
            let folder = package.path().to_string_lossy().into_owned();
            let manifest = package
                .get_file(package.path().join("MANIFEST.json"))
                .unwrap_or_else(|| panic!("{folder} has no MANIFEST.json"));
            let manifest: Manifest = serde_json::from_slice(manifest.contents())
                .unwrap_or_else(|error| panic!("{folder}/MANIFEST.json: {error}"));
            assert_eq!(
                folder,
                format!(
                    "{}@{}",
                    manifest.package.replace('/', "+"),
                    manifest.version
                ),
                "the folder's name is the manifest's package and version"
            );
            assert!(
                manifest.integrity.starts_with("sha512-"),
                "{folder}: the tarball's integrity is a registry's sha512"
            );
            assert!(
                manifest.tarball.starts_with("https://"),
                "{folder}: the tarball's URL"
            );
            assert!(!manifest.files.is_empty(), "{folder} lists no file");

            let mut found = Vec::new();
            files_under(package, &mut found);
            let mut listed: Vec<String> = manifest
                .files
                .keys()
                .map(|file| format!("{folder}/{file}"))
                .collect();
            listed.push(format!("{folder}/MANIFEST.json"));
            found.sort();
            listed.sort();
            assert_eq!(
                found, listed,
                "{folder}: the files on disk are the manifest's"
            );

            for (name, sha256) in &manifest.files {
                let path = format!("{folder}/{name}");
                let bytes = file(&path).unwrap_or_else(|| panic!("{path} is not embedded"));
                assert_eq!(
                    &hex::encode(Sha256::digest(bytes)),
                    sha256,
                    "{path} is not the file its manifest names; run vendor.sh again"
                );
            }
        }
    }

    #[test]
    fn the_integrity_of_a_vendored_file_is_its_sha384() {
        // The published SRI value of graphiql@3.8.3/graphiql.min.js on unpkg.
        assert_eq!(
            integrity("graphiql@3.8.3/graphiql.min.js").as_deref(),
            Some("sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie")
        );
        assert_eq!(integrity("graphiql@3.8.3/missing.js"), None);
    }

    #[test]
    fn vendored_files_have_their_media_types() {
        assert_eq!(
            content_type("a@1/b.min.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("a@1/b.min.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a@1/LICENSE"), "text/plain; charset=utf-8");
    }
}
