//! The GraphQL-over-HTTP conformance audit of the `graphql-http` npm package (`auditServer`),
//! run against the service on a real port, on SQLite and PostgreSQL: every audit must be ok.
//!
//! It needs Node.js and `graphql-http` installed with npm under `target/audit-deps` (or the
//! folder `NKHR_AUDIT_DEPS` names); `.ci/run` installs it. Without them the test skips with a
//! message, except under CI, where it fails.

use std::{net::SocketAddr, path::PathBuf, process::Command};

use serde_json::Value;

use crate::harness::api_test;

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|ci| !ci.is_empty() && ci != "false")
}

/// The folder holding `node_modules/graphql-http`, or why the audit cannot run.
fn audit_deps() -> Result<PathBuf, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let deps = std::env::var_os("NKHR_AUDIT_DEPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/audit-deps"));
    if !deps.join("node_modules/graphql-http/package.json").exists() {
        return Err(format!(
            "the npm package graphql-http is not under {}",
            deps.display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("Node.js (`node`) is not installed".to_owned());
    }
    Ok(deps)
}

api_test! {
    async fn the_graphql_over_http_audit_passes_in_full(app) {
        let deps = match audit_deps() {
            Ok(deps) => deps,
            Err(missing) if in_ci() => panic!("CI must run the graphql-http audit: {missing}"),
            Err(missing) => {
                eprintln!("skipped the graphql-http audit: {missing}; `.ci/run` installs it");
                return;
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let service = app.router.clone().into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move { axum::serve(listener, service).await });
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/audit/graphql_http.cjs");
        let output = tokio::process::Command::new("node")
            .arg(script)
            .arg(format!("http://{address}/graphql"))
            .env("NKHR_AUDIT_DEPS", &deps)
            .output()
            .await
            .expect("running the audit");
        server.abort();
        assert!(output.status.success(), "the audit failed to run: {}", String::from_utf8_lossy(&output.stderr));
        let report: Value = serde_json::from_slice(&output.stdout).expect("the audit's report is JSON");
        assert_eq!(report["failed"], serde_json::json!([]), "audits not ok: {report:#}");
        assert!(report["ok"].as_u64().unwrap() >= 61, "{report:#}");
    }
}
