//! The explorer at `/explore`: its page and documents served by the binary, its documents
//! answered by hash on SQLite and PostgreSQL, and a journalist's walk through it in headless
//! Chromium with every other host blocked.
//!
//! The browser test needs Debian's `chromium`, Node.js and `playwright-core` installed with npm
//! under `target/browser-deps` (or the folder `NKHR_BROWSER_DEPS` names); `.ci/run` installs
//! them. Without them it skips with a message, except under CI, where it fails. Its
//! screenshots are written to `target/browser/explore-<database>-<view>.png`.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use nkhr::http::explore::documents;
use serde_json::{Value, json};

use crate::harness::{api_test, body_json, body_text, database_test};

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// A request that names a document by its hash alone, as the explorer sends it.
fn by_hash(operation: &str, hash: &str, variables: Value) -> Request<Body> {
    let body = json!({
        "operationName": operation,
        "variables": variables,
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } },
    });
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// Variables for each of the explorer's documents, as the page sends them for the freeze.
fn example_variables(operation: &str, relation_id: &str) -> Value {
    let freeze = "us-state-department-grant-freeze";
    match operation {
        "ExploreOverview" => json!({ "best": 12 }),
        "ExploreSearch" => json!({ "query": "freeze", "first": 20 }),
        "ExploreEntity" | "ExploreEvidence" => json!({ "slug": freeze }),
        "ExploreGraph" => json!({ "slug": freeze, "depth": 2, "types": null, "entityKinds": null }),
        "ExploreRelation" => json!({ "id": relation_id }),
        "ExploreTimeline" => json!({ "slug": freeze, "first": 100 }),
        other => panic!("no example variables for {other}"),
    }
}

api_test! {
    async fn every_view_of_the_explorer_is_the_same_page_under_a_strict_content_policy(app) {
        for uri in [
            "/explore",
            "/explore/search?q=freeze",
            "/explore/entities/us-state-department-grant-freeze",
            "/explore/entities/us-state-department-grant-freeze/timeline",
            "/explore/entities/us-state-department-grant-freeze/evidence",
        ] {
            let response = app.request(get(uri)).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
            let policy = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
            assert!(policy.contains("default-src 'self'"), "{policy}");
            assert!(policy.contains("connect-src 'self'"), "{policy}");
            let html = body_text(response).await;
            assert!(html.contains(r#"<script type="module" src="/explore/assets/main.js">"#), "{html}");
        }
    }
}

api_test! {
    async fn the_page_loads_its_modules_and_the_vendored_graph_library_from_this_server(app) {
        let graph = body_text(app.request(get("/explore/assets/views/graph.js")).await).await;
        let library = graph
            .split('"')
            .find(|part| part.starts_with("/assets/vendor/cytoscape@"))
            .expect("graph.js imports the vendored Cytoscape.js");
        let response = app.request(get(library)).await;
        assert_eq!(response.status(), StatusCode::OK, "{library}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/javascript; charset=utf-8");

        let response = app.request(get("/explore/assets/explore.css")).await;
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(app.request(get("/explore/assets/missing.js")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.request(get("/explore/assets/index.html")).await.status(), StatusCode::NOT_FOUND);
    }
}

api_test! {
    async fn each_explorer_document_runs_by_its_hash_alone_and_costs_what_its_text_costs(app) {
        let hashes = body_json(app.request(get("/explore/documents.json")).await).await;
        let hashes = hashes.as_object().expect("a map of hashes by operation");
        assert_eq!(hashes.len(), documents().len());
        let relation = app
            .query(
                r#"{ relation(key: "us-state-department-grant-freeze/affects/citizens-alliance-for-north-korean-human-rights") { id } }"#,
                json!({}),
            )
            .await;
        let relation_id = relation["relation"]["id"].as_str().expect("the relation's ID");

        for document in documents() {
            assert_eq!(hashes[&document.name], document.hash.as_str());
            let variables = example_variables(&document.name, relation_id);
            let response = app.request(by_hash(&document.name, &document.hash, variables.clone())).await;
            assert_eq!(response.status(), StatusCode::OK, "{}", document.name);
            let cost = response.headers().get("ratelimit-cost").cloned();
            let answer = body_json(response).await;
            assert!(answer.get("errors").is_none(), "{}: {answer:#}", document.name);
            let data = answer["data"].as_object().expect("data");
            assert!(data.values().all(|value| !value.is_null()), "{}: {answer:#}", document.name);

            // What a GraphiQL user pays for the same operation, sent as text.
            let body = json!({ "query": document.text, "variables": variables, "operationName": document.name });
            let request = Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            let by_text = app.request(request).await;
            assert_eq!(by_text.headers().get("ratelimit-cost").cloned(), cost, "{}", document.name);
        }
    }
}

api_test! {
    async fn the_explorer_graph_of_the_freeze_reaches_the_citizens_alliance_with_its_quote(app) {
        let graph = documents().iter().find(|d| d.name == "ExploreGraph").expect("ExploreGraph");
        let data = app
            .query(&graph.text, json!({ "slug": "us-state-department-grant-freeze", "depth": 1 }))
            .await;
        let alliance = data["graph"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .find(|node| node["slug"] == "citizens-alliance-for-north-korean-human-rights")
            .expect("the Citizens' Alliance is drawn");
        let edge = data["graph"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .find(|edge| edge["target"] == alliance["id"])
            .expect("an edge leads to it");
        assert_eq!(edge["type"], "AFFECTS");

        let relation = documents().iter().find(|d| d.name == "ExploreRelation").expect("ExploreRelation");
        let data = app.query(&relation.text, json!({ "id": edge["id"] })).await;
        let quote = data["relation"]["evidence"][0]["quote"].as_str().expect("a quote");
        assert!(quote.contains("survival mode"), "{quote}");
    }
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|ci| !ci.is_empty() && ci != "false")
}

/// What the browser test needs and is missing, if anything.
fn missing(deps: &Path, chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !deps
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        missing.push(format!(
            "the npm package playwright-core under {}",
            deps.display()
        ));
    }
    if !chromium.exists() {
        missing.push(format!("Chromium at {}", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("Node.js (`node`)".to_owned());
    }
    missing
}

/// Starts `nkhr serve` over `database_url` on a free port and returns it with its address.
fn start_server(database_url: &str) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nkhr"))
        .args(["--log-format", "json", "--database-url", database_url])
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting nkhr serve");
    let stderr = child.stderr.take().expect("the server's log");
    let server = Server(child);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let address = serde_json::from_str::<Value>(&line)
                .ok()
                .and_then(|entry| entry["address"].as_str().map(str::to_owned));
            if let Some(address) = address {
                let _ = sender.send(address);
            }
        }
    });
    let address = receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("the server says where it listens within two minutes");
    (server, address)
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

database_test! {
    async fn a_journalist_explores_the_freeze_in_headless_chromium(database) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let deps = std::env::var_os("NKHR_BROWSER_DEPS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/browser-deps"));
        let chromium = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        let missing = missing(&deps, &chromium);
        if !missing.is_empty() {
            let message = format!("the browser test needs {}; `.ci/run` installs them", missing.join(", "));
            assert!(!in_ci(), "{message}");
            eprintln!("skipped: {message}");
            return;
        }
        let backend = if database.url.starts_with("postgres") { "postgres" } else { "sqlite" };
        let url = database.url.clone();
        let prefix = root.join(format!("target/browser/explore-{backend}-"));
        let report = tokio::task::spawn_blocking(move || {
            let (_server, address) = start_server(&url);
            Command::new("node")
                .arg(root.join("tests/browser/explore.cjs"))
                .arg(format!("http://{address}"))
                .arg(&prefix)
                .env("NODE_PATH", deps.join("node_modules"))
                .env("CHROMIUM", &chromium)
                .output()
                .expect("running the browser driver")
        })
        .await
        .expect("the browser driver ran");
        assert!(
            report.status.success(),
            "the browser driver failed: {}",
            String::from_utf8_lossy(&report.stderr)
        );
        let report: Value = serde_json::from_slice(&report.stdout).expect("the driver prints JSON");
        let steps = &report["steps"];
        assert_eq!(report["elsewhere"], json!([]), "the page asked another host for something");
        assert_eq!(report["consoleErrors"], json!([]), "the page logged errors");

        // The overview: counts, the chart of years, the best-connected entities.
        assert_eq!(steps["overview"]["heading"], "The dataset at a glance");
        assert!(strings(&steps["overview"]["best"]).contains(&"North Korea"), "{:#}", steps["overview"]);
        assert!(steps["overview"]["yearBars"].as_u64().unwrap_or_default() > 10);

        // The search for "freeze" finds the measure first.
        let freeze = "Freeze on U.S. State Department grants for aid organizations";
        let alliance = "Citizens’ Alliance for North Korean Human Rights";
        assert!(steps["search"]["url"].as_str().unwrap_or_default().ends_with("/explore/search?q=freeze"));
        assert_eq!(strings(&steps["search"]["hits"]).first(), Some(&freeze));

        // Its graph is drawn, with the Citizens' Alliance among its nodes.
        let graph = &steps["graph"];
        assert!(graph["url"].as_str().unwrap_or_default().ends_with("/explore/entities/us-state-department-grant-freeze"));
        assert_eq!(graph["heading"], freeze);
        assert_eq!(graph["editorsLabel"], "Editors’ description");
        let labels = strings(&graph["drawnLabels"]);
        assert!(labels.contains(&freeze) && labels.contains(&alliance), "{labels:?}");
        assert!(strings(&graph["drawnEdgeLabels"]).contains(&"affects"));
        assert!(graph["canvases"].as_u64().unwrap_or_default() > 0, "Cytoscape.js drew on a canvas");
        assert_eq!(graph["tableRows"].as_u64(), Some(strings(&graph["drawnEdgeLabels"]).len() as u64));

        // Clicking the edge to the Citizens' Alliance shows its quote, and puts it in the URL.
        let edge = &steps["edge"];
        assert!(edge["url"].as_str().unwrap_or_default().contains("edge="), "{edge:#}");
        assert!(edge["heading"].as_str().unwrap_or_default().contains(alliance), "{edge:#}");
        let quotes = strings(&edge["quotes"]);
        assert!(quotes.iter().any(|quote| quote.contains("Citizens’ Alliance for North Korean Human Rights") && quote.contains("survival mode")), "{quotes:?}");
        assert!(strings(&edge["citations"]).iter().all(|citation| citation.contains("A New Low for North Korean Human Rights")));

        // The timeline draws a year as a band and the month the claim ends in as a narrower one.
        let timeline = &steps["timeline"];
        assert!(timeline["url"].as_str().unwrap_or_default().ends_with("/timeline"));
        assert!(timeline["years"].as_u64().unwrap_or_default() >= 1, "{timeline:#}");
        assert!(timeline["months"].as_u64().unwrap_or_default() >= 1, "{timeline:#}");
        let rows = timeline["rows"].as_array().expect("the timeline's table");
        assert_eq!(
            rows.len() as u64,
            timeline["years"].as_u64().unwrap_or_default()
                + timeline["months"].as_u64().unwrap_or_default()
                + timeline["days"].as_u64().unwrap_or_default(),
            "one mark per row of the table"
        );

        // The evidence table, with a citation copied.
        let evidence = &steps["evidence"];
        assert_eq!(strings(&evidence["headings"]), ["Quote", "Certainty", "Asserted by", "Source", "Citation"]);
        assert!(evidence["rows"].as_u64().unwrap_or_default() >= 1);
        assert_eq!(evidence["copied"], "Copied");

        // Back goes to the timeline, then to the graph with the edge still chosen.
        assert!(steps["back"]["timeline"].as_str().unwrap_or_default().ends_with("/timeline"));
        assert_eq!(steps["back"]["graph"], edge["url"]);
        assert_eq!(steps["back"]["quotes"].as_u64(), Some(1));
        // The keyboard reaches evidence through the table.
        assert!(steps["keyboard"]["url"].as_str().unwrap_or_default().contains("edge="));

        // Every request was a persisted document sent by hash, one per view, each costing what
        // the same document costs sent as text from GraphiQL.
        let requests = report["requests"].as_array().expect("the requests");
        let operations: Vec<(&str, &str)> = requests
            .iter()
            .map(|r| (r["step"].as_str().unwrap_or_default(), r["operation"].as_str().unwrap_or_default()))
            .collect();
        assert_eq!(
            operations,
            [
                ("overview", "ExploreOverview"),
                ("search", "ExploreSearch"),
                ("graph", "ExploreEntity"),
                ("graph", "ExploreGraph"),
                ("edge", "ExploreRelation"),
                ("timeline", "ExploreTimeline"),
                ("evidence", "ExploreEvidence"),
                ("keyboard", "ExploreRelation"),
            ],
            "going back asks the API nothing again"
        );
        for request in requests {
            assert_eq!(request["method"], "POST");
            assert_eq!(request["status"], 200);
            assert_eq!(request["sentText"], false, "{request:#}");
            assert!(request["hash"].is_string(), "{request:#}");
            assert_eq!(request["cost"], request["textCost"], "{request:#}");
        }
        for view in ["overview", "search", "graph", "graph-edge", "timeline", "evidence"] {
            assert!(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/browser/explore-{backend}-{view}.png")).exists(), "{view}");
        }
    }
}
