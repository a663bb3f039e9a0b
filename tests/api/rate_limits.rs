//! Rate limits counted in query cost, per API key and per anonymous address.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use nkhr::{
    dataset::DatasetFiles,
    graphql::{Limits, rate_limit::RateLimitSettings},
    http::HttpSettings,
    store::api_keys,
};
use serde_json::{Value, json};

use crate::harness::{Backend, TEST_POINTS_PER_HOUR, TestApp, api_test, body_json};

const CHEAP: &str =
    "{ rateLimit { limit cost used remaining resetAt resetTime } dataset { version } }";

fn post(query: &str, key: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json");
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    request
        .body(Body::from(json!({ "query": query }).to_string()))
        .unwrap()
}

async fn app_with_budget(backend: Backend, anonymous_points: u64) -> Option<TestApp> {
    let http = HttpSettings {
        rate_limits: RateLimitSettings {
            anonymous_points,
            key_points: 1_000,
            ..RateLimitSettings::default()
        },
        ..HttpSettings::default()
    };
    TestApp::spawn_with(backend, &DatasetFiles::embedded(), Limits::default(), http).await
}

api_test! {
    async fn every_answer_says_what_it_cost_and_what_remains(app) {
        let response = app.request(post(CHEAP, None)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        let body: Value = body_json(response).await;
        let limit = &body["data"]["rateLimit"];
        assert_eq!(limit["limit"], TEST_POINTS_PER_HOUR);
        let cost = limit["cost"].as_u64().unwrap();
        assert!(cost >= 1);
        assert_eq!(limit["remaining"].as_u64().unwrap(), TEST_POINTS_PER_HOUR - limit["used"].as_u64().unwrap());
        assert_eq!(headers["ratelimit-limit"].to_str().unwrap(), TEST_POINTS_PER_HOUR.to_string());
        assert_eq!(headers["ratelimit-remaining"].to_str().unwrap(), limit["remaining"].to_string());
        assert_eq!(headers["ratelimit-cost"].to_str().unwrap(), cost.to_string());
        assert!(headers["ratelimit-reset"].to_str().unwrap().parse::<u64>().unwrap() <= 3600);
        let reset = chrono::DateTime::parse_from_rfc3339(limit["resetTime"].as_str().unwrap()).expect("resetTime is RFC 3339");
        assert!(reset > chrono::Utc::now() && reset <= chrono::Utc::now() + chrono::Duration::hours(1), "{reset}");
        assert_eq!(limit["resetAt"], limit["resetTime"], "the deprecated field answers as before");
    }
}

#[tokio::test]
async fn a_spent_budget_is_refused_with_429_and_retry_after() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = app_with_budget(backend, 12).await else {
            continue;
        };
        let mut statuses = Vec::new();
        let mut refused = None;
        for _ in 0..10 {
            let response = app.request(post(CHEAP, None)).await;
            statuses.push(response.status());
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                refused = Some(response);
                break;
            }
        }
        let refused = refused.unwrap_or_else(|| panic!("never refused: {statuses:?}"));
        assert!(
            refused.headers()[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                >= 1
        );
        assert!(
            refused.headers()["ratelimit-remaining"]
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                < 12
        );
        let body: Value = body_json(refused).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
        assert!(
            body.get("data").is_none(),
            "a refused request does not run: {body:#}"
        );
    }
}

#[tokio::test]
async fn an_api_key_has_a_budget_of_its_own() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = app_with_budget(backend, 12).await else {
            continue;
        };
        let key = api_keys::issue(&app.db, "partner", Some(5_000))
            .await
            .unwrap();
        while app.request(post(CHEAP, None)).await.status() != StatusCode::TOO_MANY_REQUESTS {}

        let response = app.request(post(CHEAP, Some(&key.secret))).await;

        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = body_json(response).await;
        assert_eq!(body["data"]["rateLimit"]["limit"], 5_000);
    }
}

#[tokio::test]
async fn an_api_key_may_also_come_in_x_api_key() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = app_with_budget(backend, 20_000).await else {
            continue;
        };
        let key = api_keys::issue(&app.db, "partner", None).await.unwrap();
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-api-key", &key.secret)
            .body(Body::from(json!({ "query": CHEAP }).to_string()))
            .unwrap();
        let body: Value = body_json(app.request(request).await).await;
        assert_eq!(
            body["data"]["rateLimit"]["limit"], 1_000,
            "keys without a budget get the default for keys"
        );
    }
}

api_test! {
    async fn an_unknown_api_key_is_refused_with_401(app) {
        let response = app.request(post(CHEAP, Some("nkhr_not-a-key"))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(body_json(response).await["errors"][0]["extensions"]["code"], "INVALID_API_KEY");
    }
}

api_test! {
    async fn a_revoked_api_key_is_refused(app) {
        let key = api_keys::issue(&app.db, "former partner", None).await.unwrap();
        assert!(api_keys::revoke(&app.db, key.id).await.unwrap());
        let response = app.request(post(CHEAP, Some(&key.secret))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}

api_test! {
    async fn api_keys_are_stored_hashed(app) {
        let key = api_keys::issue(&app.db, "partner", None).await.unwrap();
        let stored = api_keys::list(&app.db).await.unwrap().into_iter().find(|k| k.id == key.id).unwrap();
        assert_ne!(stored.key_hash, key.secret);
        assert!(!stored.key_hash.contains(&key.secret[5..15]));
        assert_eq!(stored.key_hash, api_keys::hash(&key.secret));
    }
}

#[tokio::test]
async fn anonymous_reads_work_when_rate_limiting_is_off() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let http = HttpSettings {
            rate_limits: RateLimitSettings {
                enabled: false,
                ..Default::default()
            },
            ..HttpSettings::default()
        };
        let Some(app) =
            TestApp::spawn_with(backend, &DatasetFiles::embedded(), Limits::default(), http).await
        else {
            continue;
        };
        let response = app.request(post(CHEAP, None)).await;
        assert!(response.headers().get("ratelimit-limit").is_none());
        let body: Value = body_json(response).await;
        assert_eq!(body["data"]["rateLimit"], Value::Null);
        assert_eq!(body["data"]["dataset"]["version"], 1);
    }
}
