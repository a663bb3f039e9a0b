//! GraphiQL in the browser, opening on example queries a journalist can run at once.
//!
//! The page is our own, so it can open with tabs of example queries. Its scripts come from
//! one of two places: by default from the unpkg CDN, pinned to exact versions and checked
//! with subresource integrity; or, with `--graphiql-assets <node_modules>`, from this server
//! itself, so that GraphiQL works on an air-gapped network and no reader's visit is seen by
//! a third party. The examples cover the flagship question, a search, a timeline and a graph.

use std::{collections::HashMap, path::Path, sync::Arc};

use anyhow::Context;
use axum::{
    extract::{Path as UrlPath, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::AppState;

/// One asset of the page: where it lives in an npm `node_modules` folder, its name under
/// `/graphiql/assets/`, its unpkg URL and its subresource-integrity hash.
struct Asset {
    module_path: &'static str,
    name: &'static str,
    cdn: &'static str,
    integrity: &'static str,
    content_type: &'static str,
}

const ASSETS: [Asset; 4] = [
    Asset {
        module_path: "react/umd/react.production.min.js",
        name: "react.production.min.js",
        cdn: "https://unpkg.com/react@18.3.1/umd/react.production.min.js",
        integrity: "sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z",
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        module_path: "react-dom/umd/react-dom.production.min.js",
        name: "react-dom.production.min.js",
        cdn: "https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js",
        integrity: "sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1",
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        module_path: "graphiql/graphiql.min.js",
        name: "graphiql.min.js",
        cdn: "https://unpkg.com/graphiql@3.8.3/graphiql.min.js",
        integrity: "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        module_path: "graphiql/graphiql.min.css",
        name: "graphiql.min.css",
        cdn: "https://unpkg.com/graphiql@3.8.3/graphiql.min.css",
        integrity: "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
        content_type: "text/css; charset=utf-8",
    },
];

/// Where the page's scripts and stylesheet come from.
#[derive(Clone, Default)]
pub enum GraphiqlAssets {
    /// From unpkg, pinned and integrity-checked.
    #[default]
    Cdn,
    /// From this server, read at start-up from an npm `node_modules` folder.
    Local(Arc<HashMap<&'static str, Vec<u8>>>),
}

impl GraphiqlAssets {
    /// Reads the assets from a `node_modules` folder where `npm install graphiql@3.8.3
    /// react@18.3.1 react-dom@18.3.1` put them.
    pub fn from_node_modules(folder: &Path) -> anyhow::Result<Self> {
        let mut files = HashMap::new();
        for asset in &ASSETS {
            let path = folder.join(asset.module_path);
            let bytes = std::fs::read(&path)
                .with_context(|| format!("reading the GraphiQL asset {}", path.display()))?;
            files.insert(asset.name, bytes);
        }
        Ok(GraphiqlAssets::Local(Arc::new(files)))
    }

    fn tag(&self, asset: &Asset) -> String {
        let is_css = asset.name.ends_with(".css");
        match self {
            GraphiqlAssets::Cdn if is_css => format!(
                r#"<link rel="stylesheet" href="{}" integrity="{}" crossorigin="anonymous">"#,
                asset.cdn, asset.integrity
            ),
            GraphiqlAssets::Cdn => format!(
                r#"<script src="{}" integrity="{}" crossorigin="anonymous"></script>"#,
                asset.cdn, asset.integrity
            ),
            GraphiqlAssets::Local(_) if is_css => {
                format!(
                    r#"<link rel="stylesheet" href="/graphiql/assets/{}">"#,
                    asset.name
                )
            }
            GraphiqlAssets::Local(_) => {
                format!(r#"<script src="/graphiql/assets/{}"></script>"#, asset.name)
            }
        }
    }
}

/// An example query GraphiQL opens in a tab of its own.
pub struct Example {
    pub query: &'static str,
}

/// The flagship question: which organizations the U.S. funding freeze affected, each with
/// the quote and the source that say so.
pub const FLAGSHIP_QUERY: &str = r#"# Which organizations were affected by the U.S. funding freeze?
# Each one comes with the quote that says so and the source it is from.
query FundingFreeze {
  measure(slug: "us-state-department-grant-freeze") {
    name
    affected: relations(direction: OUTGOING, types: [AFFECTS]) {
      how: description
      organization: object {
        name
        ... on Actor {
          actorKind
        }
      }
      evidence {
        quote
        source {
          title
          authors {
            name
          }
          published {
            value
          }
        }
      }
    }
  }
}
"#;

/// A full-text search: claims, entities and sources that mention the buffer zone, best first,
/// each with a snippet whose matching words are marked.
pub const SEARCH_QUERY: &str = r#"# Full-text search over claims, entities and sources, best match first.
# Words are all required; "…" finds a phrase, OR takes either, -word leaves out, detain* is a prefix.
query Search {
  search(query: "\"buffer zone\" OR shoot*", first: 5) {
    totalCount
    edges {
      node {
        kind
        snippet
        node {
          ... on Claim { quote source { title } }
          ... on Measure { name start { value precision } }
          ... on Source { title }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"#;

/// A timeline: what happened in 2020, each date with its precision, and the counts per month.
pub const TIMELINE_QUERY: &str = r#"# What happened in 2020, in date order. A date known only to the year
# ("precision": "YEAR") sorts at the start of that year, before its days.
query Timeline2020 {
  timeline(filter: { from: "2020", to: "2020", kinds: [EVENT, MEASURE_START, LAW_ENACTED] }, first: 10) {
    totalCount
    nodes {
      kind
      date { value precision }
      label
    }
  }
  timelineCounts(filter: { from: "2020", to: "2020" }, interval: MONTH) {
    period
    precision
    count
  }
}
"#;

/// A graph: the entities two hops around the funding freeze, as nodes and edges.
pub const GRAPH_QUERY: &str = r#"# The entities two hops around the U.S. funding freeze, as nodes and edges
# that d3, Cytoscape.js or vis-network take as they are.
query FreezeGraph {
  graph(slug: "us-state-department-grant-freeze", depth: 2) {
    truncated
    nodes { id label kind depth }
    edges { source target type label evidenceCount }
  }
}
"#;

/// The examples the page opens with, the flagship first.
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
        query: r#"# The laws that impose the death penalty, with what the sources say about them.
query DeathPenaltyLaws {
  laws(first: 20) {
    nodes {
      name
      enacted { value precision }
      deathPenalty
      provisions { article summary evidence { quote } }
    }
  }
}
"#,
    },
    Example {
        query: r#"# Facts that more than one source supports, with each source's own words.
query Corroborated {
  facts(filter: { minSources: 2 }) {
    nodes {
      statement
      claims { quote source { title published { value } } }
    }
  }
}
"#,
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

/// `GET /graphiql/assets/{name}`: a local GraphiQL asset.
pub async fn asset(State(state): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let GraphiqlAssets::Local(files) = &state.settings.graphiql_assets else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match (
        ASSETS.iter().find(|asset| asset.name == name),
        files.get(name.as_str()),
    ) {
        (Some(asset), Some(bytes)) => {
            let mut response = bytes.clone().into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
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
