//! GraphiQL in a real browser on an air-gapped network: the server runs as a process of its
//! own with its default settings, so GraphiQL's scripts come from the binary; headless
//! Chromium, refused every host but the server, opens the page, reads the example tabs, runs
//! the flagship and search examples, reads the answers off the page, and opens the docs
//! explorer on `Query`. Screenshots land in `target/browser/`.
//!
//! It needs Debian's `chromium`, Node.js, and `playwright-core` installed with npm under
//! `target/browser-deps` (or the folder `NKHR_BROWSER_DEPS` names); `.ci/run` installs them.
//! Without them the test skips with a message, except under CI, where it fails.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::Value;

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

/// What the test needs and is missing, if anything.
fn missing(deps: &Path, chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    for package in ["playwright-core"] {
        if !deps
            .join("node_modules")
            .join(package)
            .join("package.json")
            .exists()
        {
            missing.push(format!(
                "the npm package {package} under {}",
                deps.display()
            ));
        }
    }
    if !chromium.exists() {
        missing.push(format!("Chromium at {}", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("Node.js (`node`)".to_owned());
    }
    missing
}

/// Starts `nkhr serve` on a free port, with GraphiQL's assets as by default, and returns it
/// with the address it listens on.
fn start_server(database: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nkhr"))
        .args(["--log-format", "json", "--database-url"])
        .arg(format!("sqlite://{}?mode=rwc", database.display()))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env_remove("NKHR_GRAPHIQL_ASSETS")
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

#[test]
fn graphiql_runs_offline_with_its_examples_and_docs_in_headless_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let deps = std::env::var_os("NKHR_BROWSER_DEPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/browser-deps"));
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let missing = missing(&deps, &chromium);
    if !missing.is_empty() {
        let message = format!(
            "the browser test needs {}; `.ci/run` installs them",
            missing.join(", ")
        );
        assert!(!in_ci(), "{message}");
        eprintln!("skipped: {message}");
        return;
    }
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (_server, address) = start_server(&folder.path().join("browser.sqlite3"));
    let screenshot = root.join("target/browser/graphiql.png");

    let output = Command::new("node")
        .arg(root.join("tests/browser/graphiql.cjs"))
        .arg(format!("http://{address}/"))
        .arg(&screenshot)
        .env("NODE_PATH", deps.join("node_modules"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("running the browser driver");

    assert!(
        output.status.success(),
        "the browser driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("the driver prints JSON");
    assert_eq!(report["title"], "nkhr — GraphiQL");
    assert_eq!(
        report["elsewhere"],
        serde_json::json!([]),
        "the page asked another host for something"
    );
    let tabs: Vec<String> = nkhr::http::graphiql::EXAMPLES
        .iter()
        .map(|example| operation_name(example.query))
        .collect();
    assert_eq!(
        report["tabs"],
        serde_json::json!(tabs),
        "the page opens one tab per example, named after its operation"
    );
    let flagship: Value =
        serde_json::from_str(report["flagship"].as_str().expect("the flagship answer"))
            .expect("the answer on the page is JSON");
    let organizations: Vec<&str> = flagship["data"]["measure"]["affected"]
        .as_array()
        .expect("the organizations the freeze affected")
        .iter()
        .filter_map(|relation| relation["organization"]["name"].as_str())
        .collect();
    assert!(
        organizations.contains(&"Citizens’ Alliance for North Korean Human Rights"),
        "{organizations:?}"
    );
    let search: Value = serde_json::from_str(report["search"].as_str().expect("the search answer"))
        .expect("the search answer on the page is JSON");
    assert!(
        search["data"]["search"]["totalCount"]
            .as_u64()
            .unwrap_or_default()
            > 0,
        "{search:#}"
    );
    assert_eq!(report["docs"]["title"], "Query", "{:#}", report["docs"]);
    let fields: Vec<&str> = report["docs"]["fields"]
        .as_array()
        .expect("the docs explorer lists Query's fields")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in ["measure", "search", "timeline", "graph", "node"] {
        assert!(
            fields.contains(&field),
            "the docs for Query list {field}: {fields:?}"
        );
    }
    for shot in ["graphiql.png", "graphiql-search.png", "graphiql-docs.png"] {
        assert!(root.join("target/browser").join(shot).exists(), "{shot}");
    }
}

/// The name of a document's operation: the word after `query`.
fn operation_name(document: &str) -> String {
    document
        .lines()
        .find_map(|line| line.strip_prefix("query "))
        .and_then(|rest| rest.split([' ', '(', '{']).next())
        .expect("every example names its operation")
        .to_owned()
}
