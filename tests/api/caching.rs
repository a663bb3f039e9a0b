//! Caching by dataset version, persisted queries and the allow-list.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use nkhr::{
    dataset::{self, DatasetFiles},
    graphql::Limits,
    http::{HttpSettings, persisted},
    server,
};
use serde_json::{Value, json};

use crate::harness::{Backend, TestApp, api_test, body_json, tiny_dataset};

fn get(query: &str, extensions: Option<&Value>, if_none_match: Option<&str>) -> Request<Body> {
    let mut uri = format!("/graphql?query={}", urlencode(query));
    if let Some(extensions) = extensions {
        uri = format!("/graphql?extensions={}", urlencode(&extensions.to_string()));
    }
    let mut request = Request::get(uri).header(header::ACCEPT, "application/graphql-response+json");
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    request.body(Body::empty()).unwrap()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const QUERY: &str = "{ actor(slug: \"kim-jong-un\") { name } }";

api_test! {
    async fn a_get_answer_carries_an_etag_and_a_repeat_gets_304(app) {
        let first = app.request(get(QUERY, None, None)).await;
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert!(first.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));

        let repeat = app.request(get(QUERY, None, Some(&etag))).await;

        assert_eq!(repeat.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(repeat.headers()[header::ETAG], etag.as_str());
        let other = app.request(get("{ actor(slug: \"donald-trump\") { name } }", None, Some(&etag))).await;
        assert_eq!(other.status(), StatusCode::OK, "another query has another tag");
    }
}

api_test! {
    async fn a_new_dataset_version_changes_the_etag(app) {
        let before = app.request(get(QUERY, None, None)).await.headers()[header::ETAG].to_str().unwrap().to_owned();
        nkhr::store::sync::sync(&app.db, &dataset::load(&tiny_dataset()).unwrap()).await.unwrap();
        // A fresh service over the same database reads the new version at once.
        let fresh = nkhr::http::router(server::state(app.db.clone(), &Limits::default(), HttpSettings::default()));
        let response = tower::ServiceExt::oneshot(fresh, get(QUERY, None, Some(&before))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "the old tag no longer matches");
        assert_ne!(response.headers()[header::ETAG].to_str().unwrap(), before);
    }
}

api_test! {
    async fn a_post_answer_is_not_cached(app) {
        let (status, _) = app.post_graphql(QUERY, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "query": QUERY }).to_string()))
            .unwrap();
        assert!(app.request(request).await.headers().get(header::ETAG).is_none());
    }
}

api_test! {
    async fn a_persisted_query_runs_by_its_hash_once_the_server_has_seen_it(app) {
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": persisted::hash(QUERY) } });

        let unknown = body_json(app.request(get("", Some(&extension), None)).await).await;
        assert_eq!(unknown["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

        let registration = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "query": QUERY, "extensions": extension }).to_string()))
            .unwrap();
        assert_eq!(body_json(app.request(registration).await).await["data"]["actor"]["name"], "Kim Jong-un");

        let by_hash = app.request(get("", Some(&extension), None)).await;
        assert_eq!(by_hash.status(), StatusCode::OK);
        assert_eq!(body_json(by_hash).await["data"]["actor"]["name"], "Kim Jong-un");
    }
}

#[tokio::test]
async fn the_allow_list_runs_only_known_operations() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let folder = tempfile::tempdir().unwrap();
        let manifest = folder.path().join("allow.json");
        std::fs::write(
            &manifest,
            json!({ persisted::hash(QUERY): QUERY }).to_string(),
        )
        .unwrap();
        let http = HttpSettings {
            persisted: std::sync::Arc::new(
                persisted::PersistedQueries::allow_list(&manifest).unwrap(),
            ),
            ..HttpSettings::default()
        };
        let Some(app) =
            TestApp::spawn_with(backend, &DatasetFiles::embedded(), Limits::default(), http).await
        else {
            continue;
        };

        assert_eq!(
            app.query(QUERY, json!({})).await["actor"]["name"],
            "Kim Jong-un"
        );
        let extension =
            json!({ "persistedQuery": { "version": 1, "sha256Hash": persisted::hash(QUERY) } });
        let by_hash = app.request(get("", Some(&extension), None)).await;
        assert_eq!(
            by_hash.status(),
            StatusCode::OK,
            "allow-listed documents run by hash without registering"
        );

        let (status, body) = app.post_graphql("{ dataset { version } }", json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "OPERATION_NOT_ALLOWED"
        );
    }
}

#[test]
fn an_allow_list_whose_key_is_not_its_documents_hash_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let manifest = folder.path().join("allow.json");
    std::fs::write(&manifest, json!({ "0000": QUERY }).to_string()).unwrap();
    assert!(persisted::PersistedQueries::allow_list(&manifest).is_err());
}

// ---------------------------------------------------------------------------------------
// The response cache

/// The service with the response cache on, as `nkhr serve` runs by default, and a budget of
/// `points` an hour for anonymous callers.
async fn with_response_cache(backend: Backend, points: u64) -> Option<TestApp> {
    let http = HttpSettings {
        rate_limits: nkhr::graphql::rate_limit::RateLimitSettings {
            anonymous_points: points,
            ..Default::default()
        },
        metrics_token: Some(crate::harness::TEST_METRICS_TOKEN.to_owned()),
        ..HttpSettings::default()
    };
    TestApp::spawn_with(backend, &DatasetFiles::embedded(), Limits::default(), http).await
}

fn post(query: &str, variables: Value) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json")
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))
        .unwrap()
}

/// Sends `request`, and says what it answered, how many SQL statements it ran, and what it
/// was charged and left.
async fn send(app: &TestApp, request: Request<Body>) -> (StatusCode, String, usize, u64, u64) {
    app.statements.store(0, std::sync::atomic::Ordering::SeqCst);
    let response = app.request(request).await;
    let statements = app.statements.load(std::sync::atomic::Ordering::SeqCst);
    let number = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(u64::MAX)
    };
    let (cost, remaining) = (number("ratelimit-cost"), number("ratelimit-remaining"));
    let status = response.status();
    let body = crate::harness::body_text(response).await;
    (status, body, statements, cost, remaining)
}

const FACTS: &str = "query Facts($first: Int) { facts(first: $first) { nodes { slug statement claims { quote } } } }";

#[tokio::test]
async fn the_same_request_at_the_same_version_is_answered_from_memory_and_charged_as_when_it_ran() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = with_response_cache(backend, 1_000_000).await else {
            continue;
        };
        let (status, first, ran, cost, left) = send(&app, post(FACTS, json!({ "first": 3 }))).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert!(ran > 0, "the first request runs its SQL");
        assert!(cost > 1 && cost < u64::MAX, "{cost}");

        let (status, again, ran, cost_again, left_again) =
            send(&app, post(FACTS, json!({ "first": 3 }))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, first, "the same answer");
        assert_eq!(ran, 0, "answered from memory, without SQL");
        assert_eq!(cost_again, cost, "charged what the query cost when it ran");
        assert_eq!(left_again, left - cost);

        // Other variables, or the same document written otherwise, are other requests.
        let (_, other, ran, _, _) = send(&app, post(FACTS, json!({ "first": 2 }))).await;
        assert_ne!(other, first);
        assert!(ran > 0);
        let spaced = FACTS.replace("{ slug", "{  slug");
        let (_, _, ran, _, _) = send(&app, post(&spaced, json!({ "first": 3 }))).await;
        assert!(ran > 0);

        // An answer that reports the caller's own budget is never kept.
        let own = "{ rateLimit { remaining } }";
        let (_, a, _, _, _) = send(&app, post(own, json!({}))).await;
        let (_, b, _, _, _) = send(&app, post(own, json!({}))).await;
        assert_ne!(a, b, "each answer says what remains after it");

        let metrics = app
            .request(
                Request::get("/metrics")
                    .header(
                        header::AUTHORIZATION,
                        format!("Bearer {}", crate::harness::TEST_METRICS_TOKEN),
                    )
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let metrics = crate::harness::body_text(metrics).await;
        assert!(
            metrics.contains("nkhr_response_cache_total{result=\"hit\"}"),
            "{metrics}"
        );
        assert!(metrics.contains("nkhr_response_cache_total{result=\"miss\"}"));
    }
}

#[tokio::test]
async fn a_kept_answer_is_refused_to_a_caller_whose_budget_is_spent() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = with_response_cache(backend, 400).await else {
            continue;
        };
        let mut answered = 0;
        let mut from_memory = 0;
        let mut charged = 0;
        let mut refused = None;
        for _ in 0..400 {
            let (status, body, ran, cost, _) = send(&app, post(FACTS, json!({ "first": 3 }))).await;
            if status == StatusCode::OK {
                answered += 1;
                from_memory += usize::from(ran == 0);
                charged += cost;
            } else {
                refused = Some((status, body));
                break;
            }
        }
        assert!(
            answered >= 2 && from_memory == answered - 1,
            "{answered} answers, {from_memory} from memory"
        );
        assert!(charged <= 400, "{charged} points charged of 400");
        let (status, body) = refused.expect("the budget runs out");
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    }
}

#[tokio::test]
async fn a_new_dataset_version_is_answered_anew() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = with_response_cache(backend, 1_000_000).await else {
            continue;
        };
        let query = "{ actor(slug: \"kim-jong-un\") { name } }";
        let (_, before, _, _, _) = send(&app, post(query, json!({}))).await;
        assert!(before.contains("\"Kim Jong-un\""), "{before}");
        let edited = crate::living::seeds_edited(&[(
            "actors.toml",
            "name = \"Kim Jong-un\"\n",
            "name = \"Kim Jong Un\"\n",
        )]);
        crate::living::reimport(&app, &edited).await;
        // The version is read again once the one read last is older than a few seconds.
        tokio::time::sleep(std::time::Duration::from_millis(5_500)).await;
        let (_, after, ran, _, _) = send(&app, post(query, json!({}))).await;
        assert!(after.contains("\"Kim Jong Un\""), "{after}");
        assert!(ran > 0);
    }
}
