//! Every limit of the API, crossed once: each answers with a clear error and a stable code.

use std::time::Duration;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use nkhr::{
    dataset::DatasetFiles,
    graphql::Limits,
    http::{DocumentLimits, HttpSettings},
};
use serde_json::{Value, json};

use crate::harness::{Backend, TestApp, api_test, body_json};

async fn app_with(backend: Backend, limits: Limits, http: HttpSettings) -> Option<TestApp> {
    TestApp::spawn_with(backend, &DatasetFiles::embedded(), limits, http).await
}

/// Posts `query` and returns the status and the first error's code.
async fn refused(app: &TestApp, query: &str) -> (StatusCode, String) {
    let (status, body) = app.post_graphql(query, json!({})).await;
    let code = body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body:#}"))
        .to_owned();
    (status, code)
}

api_test! {
    async fn a_document_over_the_size_limit_is_refused(app) {
        let padding = format!("# {}\n", "x".repeat(40 * 1024));
        let (status, code) = refused(&app, &format!("{padding}{{ dataset {{ version }} }}")).await;
        assert_eq!((status, code.as_str()), (StatusCode::BAD_REQUEST, "DOCUMENT_TOO_LARGE"));
    }
}

api_test! {
    async fn a_document_with_too_many_tokens_is_refused(app) {
        let fields = "x ".repeat(6_000);
        let (status, code) = refused(&app, &format!("{{ dataset {{ {fields} }} }}")).await;
        assert_eq!((status, code.as_str()), (StatusCode::BAD_REQUEST, "TOO_MANY_TOKENS"));
    }
}

api_test! {
    async fn a_document_with_too_many_aliases_is_refused(app) {
        let aliases: Vec<String> = (0..31).map(|i| format!("a{i}: dataset {{ version }}")).collect();
        let (status, code) = refused(&app, &format!("{{ {} }}", aliases.join(" "))).await;
        assert_eq!((status, code.as_str()), (StatusCode::BAD_REQUEST, "TOO_MANY_ALIASES"));
        let within: Vec<String> = (0..30).map(|i| format!("a{i}: dataset {{ version }}")).collect();
        app.query(&format!("{{ {} }}", within.join(" ")), json!({})).await;
    }
}

api_test! {
    async fn a_document_with_too_many_directives_is_refused(app) {
        let fields = |n: usize| "version @include(if: true) ".repeat(n);
        let (status, code) = refused(&app, &format!("{{ dataset {{ {} }} }}", fields(21))).await;
        assert_eq!((status, code.as_str()), (StatusCode::BAD_REQUEST, "TOO_MANY_DIRECTIVES"));
        app.query(&format!("{{ dataset {{ {} }} }}", fields(20)), json!({})).await;
    }
}

api_test! {
    async fn the_cost_of_a_query_grows_with_the_page_sizes_it_asks_for(app) {
        let cost = |first: u32| format!("{{ rateLimit {{ cost }} claims(first: {first}) {{ nodes {{ about {{ name }} }} }} }}");
        let small = app.query(&cost(10), json!({})).await["rateLimit"]["cost"].as_u64().expect("a cost");
        let large = app.query(&cost(100), json!({})).await["rateLimit"]["cost"].as_u64().expect("a cost");
        assert!(large >= 9 * small, "a page ten times larger costs about ten times more: {small} vs {large}");
    }
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_cancelled_with_a_code() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let http = HttpSettings {
            request_timeout: Duration::ZERO,
            ..HttpSettings::default()
        };
        let Some(app) = app_with(backend, Limits::default(), http).await else {
            continue;
        };
        let (status, body) = app
            .post_graphql(
                "{ claims(first: 100) { nodes { quote source { title } } } }",
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["errors"][0]["extensions"]["code"], "REQUEST_TIMEOUT");
    }
}

#[tokio::test]
async fn postgresql_cancels_a_statement_over_the_statement_timeout() {
    let Some(database) = crate::harness::TestDatabase::create(Backend::Postgres).await else {
        eprintln!("skipped: {} is not set", crate::harness::POSTGRES_URL_VAR);
        return;
    };
    let mut settings = nkhr::store::DatabaseSettings::new(database.url.clone());
    settings.statement_timeout = Duration::from_millis(100);
    let db = nkhr::store::connect(&settings).await.unwrap();
    let started = std::time::Instant::now();
    let result = sea_orm::ConnectionTrait::execute_unprepared(&db, "SELECT pg_sleep(2)").await;
    assert!(result.is_err(), "the statement should have been cancelled");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "cancelled after {:?}",
        started.elapsed()
    );
}

api_test! {
    async fn field_suggestions_are_off(app) {
        let (status, body) = app.post_graphql("{ datasett { version } }", json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(!message.to_lowercase().contains("did you mean"), "{message}");
    }
}

api_test! {
    async fn introspection_is_on_by_default(app) {
        let data = app.query("{ __schema { queryType { name } } }", json!({})).await;
        assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    }
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let limits = Limits {
            introspection: false,
            ..Limits::default()
        };
        let Some(app) = app_with(backend, limits, HttpSettings::default()).await else {
            continue;
        };
        let data = app
            .query(
                "{ __schema { queryType { name } } __type(name: \"Claim\") { name } }",
                json!({}),
            )
            .await;
        assert_eq!(
            data,
            json!({ "__schema": null, "__type": null }),
            "the schema is not described"
        );
        app.query("{ dataset { version } }", json!({})).await;
    }
}

#[tokio::test]
async fn the_document_limits_are_settings() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let http = HttpSettings {
            documents: DocumentLimits {
                max_aliases: 1,
                ..DocumentLimits::default()
            },
            ..HttpSettings::default()
        };
        let Some(app) = app_with(backend, Limits::default(), http).await else {
            continue;
        };
        let (status, code) =
            refused(&app, "{ a: dataset { version } b: dataset { version } }").await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "TOO_MANY_ALIASES")
        );
    }
}

api_test! {
    async fn limits_refused_under_application_json_answer_200_with_the_code(app) {
        let aliases: Vec<String> = (0..31).map(|i| format!("a{i}: dataset {{ version }}")).collect();
        let body = json!({ "query": format!("{{ {} }}", aliases.join(" ")) }).to_string();
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap();
        let response = app.request(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = body_json(response).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "TOO_MANY_ALIASES");
        assert!(body.get("data").is_none());
    }
}
