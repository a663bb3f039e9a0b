//! GraphiQL in the browser, opening on example queries a journalist can run at once.
//!
//! The page is our own, so it can open with tabs of example queries. Its scripts come, by
//! default, from the binary itself: GraphiQL and React are vendored (see [`super::assets`]),
//! so GraphiQL works on an air-gapped network or behind a proxy that blocks CDNs, and no
//! reader's visit is seen by a third party. `--graphiql-assets cdn` loads the same files from
//! unpkg instead, checked with subresource integrity computed from the vendored bytes;
//! `--graphiql-assets <node_modules>` serves them from an npm folder. The examples cover the
//! flagship question, a search, a timeline and a graph.

use std::{collections::HashMap, path::Path, sync::Arc};

use anyhow::Context;
use axum::{
    extract::{Path as UrlPath, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::{AppState, assets};

/// One file the page loads: its npm package, the package's version and its path inside it.
struct Asset {
    package: &'static str,
    version: &'static str,
    file: &'static str,
}

impl Asset {
    /// Its path under the vendor folder, `graphiql@3.8.3/graphiql.min.js`.
    fn vendored(&self) -> String {
        format!("{}@{}/{}", self.package, self.version, self.file)
    }

    /// Its name under `/graphiql/assets/` when served from a `node_modules` folder.
    fn name(&self) -> &'static str {
        self.file.rsplit('/').next().unwrap_or(self.file)
    }

    fn is_css(&self) -> bool {
        self.file.ends_with(".css")
    }
}

/// The files of the page, in the order it loads them. The versions are the vendored ones.
const ASSETS: [Asset; 4] = [
    Asset {
        package: "react",
        version: "18.3.1",
        file: "umd/react.production.min.js",
    },
    Asset {
        package: "react-dom",
        version: "18.3.1",
        file: "umd/react-dom.production.min.js",
    },
    Asset {
        package: "graphiql",
        version: "3.8.3",
        file: "graphiql.min.js",
    },
    Asset {
        package: "graphiql",
        version: "3.8.3",
        file: "graphiql.min.css",
    },
];

/// Where the page's scripts and stylesheet come from.
#[derive(Clone, Default)]
pub enum GraphiqlAssets {
    /// From this server, out of the files embedded in the binary.
    #[default]
    Embedded,
    /// From unpkg, pinned and checked against the vendored files' hashes.
    Cdn,
    /// From this server, read at start-up from an npm `node_modules` folder.
    Local(Arc<HashMap<&'static str, Vec<u8>>>),
}

impl GraphiqlAssets {
    /// Reads `--graphiql-assets`: `embedded`, `cdn`, or the path of a `node_modules` folder.
    pub fn from_option(option: &str) -> anyhow::Result<Self> {
        match option {
            "embedded" => Ok(GraphiqlAssets::Embedded),
            "cdn" => Ok(GraphiqlAssets::Cdn),
            folder => Self::from_node_modules(Path::new(folder)),
        }
    }

    /// Reads the assets from a `node_modules` folder where `npm install graphiql@3.8.3
    /// react@18.3.1 react-dom@18.3.1` put them.
    pub fn from_node_modules(folder: &Path) -> anyhow::Result<Self> {
        let mut files = HashMap::new();
        for asset in &ASSETS {
            let path = folder.join(asset.package).join(asset.file);
            let bytes = std::fs::read(&path)
                .with_context(|| format!("reading the GraphiQL asset {}", path.display()))?;
            files.insert(asset.name(), bytes);
        }
        Ok(GraphiqlAssets::Local(Arc::new(files)))
    }

    fn tag(&self, asset: &Asset) -> String {
        let (href, integrity) = match self {
            GraphiqlAssets::Embedded => (assets::url(&asset.vendored()), None),
            GraphiqlAssets::Cdn => (
                format!("https://unpkg.com/{}", asset.vendored()),
                assets::integrity(&asset.vendored()),
            ),
            GraphiqlAssets::Local(_) => (format!("/graphiql/assets/{}", asset.name()), None),
        };
        let integrity = integrity
            .map(|value| format!(r#" integrity="{value}" crossorigin="anonymous""#))
            .unwrap_or_default();
        if asset.is_css() {
            format!(r#"<link rel="stylesheet" href="{href}"{integrity}>"#)
        } else {
            format!(r#"<script src="{href}"{integrity}></script>"#)
        }
    }
}

/// An example query GraphiQL opens in a tab of its own.
pub struct Example {
    pub query: &'static str,
}

/// The flagship question: which organizations the U.S. funding freeze affected, each with
/// the quote and the source that say so.
pub const FLAGSHIP_QUERY: &str = include_str!("examples/funding-freeze.graphql");

/// A full-text search: claims, entities and sources that mention the buffer zone, best first,
/// each with a snippet whose matching words are marked.
pub const SEARCH_QUERY: &str = include_str!("examples/search.graphql");

/// A timeline: what happened in 2020, each date with its precision, and the counts per month.
pub const TIMELINE_QUERY: &str = include_str!("examples/timeline-2020.graphql");

/// A graph: the entities two hops around the funding freeze, as nodes and edges.
pub const GRAPH_QUERY: &str = include_str!("examples/freeze-graph.graphql");

/// The examples the page opens with, the flagship first. Each is a file under
/// `src/http/examples/`, so that the contract checks (`tests/contract/`) validate the very
/// documents the page opens with against the SDL, with graphql-js.
pub const EXAMPLES: &[Example] = &[
    Example {
        query: FLAGSHIP_QUERY,
    },
    Example {
        query: SEARCH_QUERY,
    },
    Example {
        query: TIMELINE_QUERY,
    },
    Example { query: GRAPH_QUERY },
    Example {
        query: include_str!("examples/death-penalty-laws.graphql"),
    },
    Example {
        query: include_str!("examples/corroborated.graphql"),
    },
];

fn page(assets: &GraphiqlAssets) -> String {
    let tabs: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|example| serde_json::json!({ "query": example.query }))
        .collect();
    // `</` is escaped so no example can close the script element early.
    let tabs = serde_json::to_string(&tabs)
        .unwrap_or_else(|_| "[]".to_owned())
        .replace("</", "<\\/");
    let tags: Vec<String> = ASSETS.iter().map(|asset| assets.tag(asset)).collect();
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nkhr — GraphiQL</title>
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
{tags}
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script>
  const tabs = {tabs};
  const send = GraphiQL.createFetcher({{ url: "/graphql" }});
  // GraphiQL keeps the operation name of the tab it leaves until the query is edited, so the
  // first run of another example tab would ask for an operation its document lacks. Send the
  // name only when the document defines it.
  const fetcher = (params, options) => {{
    const name = params.operationName;
    const defined = name && new RegExp("\\b(query|mutation|subscription)\\s+" + name + "\\b").test(params.query);
    return send(defined ? params : {{ ...params, operationName: undefined }}, options);
  }};
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher,
      defaultTabs: tabs,
      defaultQuery: tabs[0].query,
      defaultEditorToolsVisibility: false,
      shouldPersistHeaders: false,
    }})
  );
</script>
</body>
</html>
"#,
        tags = tags.join("\n"),
    )
}

/// `GET /` and `GET /graphiql`: the GraphiQL page.
pub async fn graphiql(State(state): State<AppState>) -> Html<String> {
    Html(page(&state.settings.graphiql_assets))
}

/// `GET /graphiql/assets/{name}`: an asset read from a `node_modules` folder.
pub async fn asset(State(state): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let GraphiqlAssets::Local(files) = &state.settings.graphiql_assets else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match (
        ASSETS.iter().find(|asset| asset.name() == name),
        files.get(name.as_str()),
    ) {
        (Some(asset), Some(bytes)) => {
            let mut response = bytes.clone().into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(if asset.is_css() {
                    "text/css; charset=utf-8"
                } else {
                    "text/javascript; charset=utf-8"
                }),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            response
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_loads_is_vendored() {
        for asset in &ASSETS {
            assert!(
                assets::file(&asset.vendored()).is_some(),
                "{} is not vendored",
                asset.vendored()
            );
        }
    }

    #[test]
    fn every_example_file_is_a_tab_of_the_page() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/examples");
        let mut files = 0;
        for entry in std::fs::read_dir(&folder).expect("the examples' folder") {
            let text = std::fs::read_to_string(entry.expect("an example").path())
                .expect("an example's text");
            assert!(
                EXAMPLES.iter().any(|example| example.query == text),
                "{text}"
            );
            files += 1;
        }
        assert_eq!(files, EXAMPLES.len());
    }

    #[test]
    fn the_default_page_loads_nothing_from_another_host() {
        let page = page(&GraphiqlAssets::default());
        assert!(!page.contains("https://"), "{page}");
        assert!(
            page.contains(
                r#"<script src="/assets/vendor/graphiql@3.8.3/graphiql.min.js"></script>"#
            )
        );
    }

    #[test]
    fn the_cdn_page_checks_each_file_against_the_vendored_bytes() {
        let page = page(&GraphiqlAssets::Cdn);
        for asset in &ASSETS {
            let integrity = assets::integrity(&asset.vendored()).unwrap_or_default();
            assert!(
                page.contains(&format!(
                    r#"https://unpkg.com/{}" integrity="{integrity}""#,
                    asset.vendored()
                )),
                "{page}"
            );
        }
    }
}
