//! Metrics, request IDs and logs.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::json;

use crate::harness::{api_test, body_text};

api_test! {
    async fn metrics_count_requests_by_operation_and_outcome(app) {
        app.query("query MetricsProbe { dataset { version } }", json!({})).await;
        app.post_graphql("query MetricsBroken { noSuchField }", json!({})).await;

        let response = app.request(Request::get("/metrics").header(header::AUTHORIZATION, format!("Bearer {}", crate::harness::TEST_METRICS_TOKEN)).body(Body::empty()).unwrap()).await;

        assert_eq!(response.status(), StatusCode::OK);
        let text = body_text(response).await;
        let counted = |operation: &str, outcome: &str| {
            text.lines().any(|line| {
                line.starts_with("nkhr_graphql_requests_total")
                    && line.contains(&format!("operation=\"{operation}\""))
                    && line.contains(&format!("outcome=\"{outcome}\""))
            })
        };
        assert!(counted("MetricsProbe", "ok"), "{text}");
        assert!(counted("(unvalidated)", "request_error"), "{text}");
        assert!(!text.contains("MetricsBroken"), "a name that did not validate is no label: {text}");
        assert!(text.contains("nkhr_graphql_request_duration_seconds_bucket{operation=\"MetricsProbe\""), "{text}");
        assert!(text.contains("nkhr_db_pool_connections{state=\"idle\"}"), "{text}");
    }
}

api_test! {
    async fn every_response_carries_a_request_id(app) {
        let response = app.request(Request::get("/healthz").body(Body::empty()).unwrap()).await;
        let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_eq!(id.len(), 36, "a UUID: {id}");

        let given = Request::get("/healthz").header("x-request-id", "trace-me-42").body(Body::empty()).unwrap();
        assert_eq!(app.request(given).await.headers()["x-request-id"], "trace-me-42");

        let (status, _) = app.post_graphql("{ dataset { version } }", json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let post = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("{}"))
            .unwrap();
        assert!(app.request(post).await.headers().contains_key("x-request-id"), "errors carry it too");
    }
}
