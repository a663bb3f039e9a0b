//! What an anonymous client might send to bring the server down, sent: each attack gets its
//! coded refusal, in bounded time, and another client is answered meanwhile.
//!
//! The time bounds here are generous (CI machines are shared and slow); the speed targets
//! themselves are measured in `benches/attacks.sh`.

use std::time::{Duration, Instant};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::harness::{TestApp, api_test, body_json};

/// A query any client might send, answered while an attack is under way.
const BYSTANDER: &str = "{ actor(slug: \"kim-jong-un\") { name } }";

/// How long a refusal may take here, at worst, on a loaded machine.
const REFUSED_WITHIN: Duration = Duration::from_secs(2);

fn post(body: &Value) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(query: &str) -> Request<Body> {
    let mut uri = String::from("/graphql?query=");
    for byte in query.bytes() {
        if byte.is_ascii_alphanumeric() {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Request::get(uri)
        .header(header::ACCEPT, "application/graphql-response+json")
        .body(Body::empty())
        .unwrap()
}

/// Sends `attack` three times at once alongside a bystander's query; asserts every attack is
/// refused with 400 and `code` within the bound, and the bystander is answered.
async fn refused_while_others_are_answered(app: &TestApp, attack: Request<Body>, code: &str) {
    let (parts, body) = attack.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let send = || {
        let request = Request::from_parts(parts.clone(), Body::from(body.clone()));
        async move {
            let started = Instant::now();
            let response = app.request(request).await;
            let status = response.status();
            (status, body_json(response).await, started.elapsed())
        }
    };
    let bystander = async {
        let started = Instant::now();
        let data = app.query(BYSTANDER, json!({})).await;
        (data, started.elapsed())
    };
    let ((a, b, c), (data, bystander_took)) =
        tokio::join!(async { tokio::join!(send(), send(), send()) }, bystander);
    for (status, answer, took) in [a, b, c] {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer:#}");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], code,
            "{answer:#}"
        );
        assert!(
            answer.get("data").is_none(),
            "a refused request has no data"
        );
        assert!(took < REFUSED_WITHIN, "refused after {took:?}");
    }
    assert_eq!(data["actor"]["name"], "Kim Jong-un");
    assert!(
        bystander_took < REFUSED_WITHIN,
        "the bystander waited {bystander_took:?}"
    );
}

/// `{ node(id: [[[…1…]]]) { id } }` with `levels` brackets.
fn nested_list(levels: usize) -> String {
    format!(
        "{{ node(id: {}1{}) {{ id }} }}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

/// `{ actors(filter: {a: {a: …}}) { totalCount } }` with `levels` objects.
fn nested_object(levels: usize) -> String {
    format!(
        "{{ actors(filter: {}1{}) {{ totalCount }} }}",
        "{a: ".repeat(levels),
        "}".repeat(levels)
    )
}

/// `{ ...F0 }` where each of `levels` fragments spreads the next twice.
pub fn fragment_fan_out(levels: usize) -> String {
    let mut document = String::from("{ ...F0 }");
    for level in 0..levels {
        let next = level + 1;
        document.push_str(&format!(
            " fragment F{level} on Query {{ ...F{next} ...F{next} }}"
        ));
    }
    document.push_str(&format!(
        " fragment F{levels} on Query {{ dataset {{ version }} }}"
    ));
    document
}

api_test! {
    async fn a_list_value_nested_1600_deep_is_refused_by_post_and_get(app) {
        let attack = nested_list(1_600);
        refused_while_others_are_answered(&app, post(&json!({ "query": attack })), "QUERY_TOO_DEEP").await;
        refused_while_others_are_answered(&app, get(&attack), "QUERY_TOO_DEEP").await;
    }
}

api_test! {
    async fn values_nested_up_to_the_token_limit_are_refused_however_deep(app) {
        for levels in [65, 1_501, 1_537, 2_400, 6_000] {
            refused_while_others_are_answered(&app, post(&json!({ "query": nested_list(levels) })), "QUERY_TOO_DEEP").await;
            refused_while_others_are_answered(&app, post(&json!({ "query": nested_object(levels) })), "QUERY_TOO_DEEP").await;
        }
        let types = format!("query($v: {}Int{}) {{ dataset {{ version }} }}", "[".repeat(2_000), "]".repeat(2_000));
        refused_while_others_are_answered(&app, post(&json!({ "query": types })), "QUERY_TOO_DEEP").await;
    }
}

api_test! {
    async fn values_nested_within_the_limit_are_validated_as_usual(app) {
        let (status, body) = app.post_graphql(&nested_list(60), json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    }
}

api_test! {
    async fn fragments_that_fan_out_to_two_to_the_thirty_spreads_are_refused_before_validation(app) {
        let attack = fragment_fan_out(30);
        assert!(attack.len() < 1_600, "the attack is small: {} bytes", attack.len());
        refused_while_others_are_answered(&app, post(&json!({ "query": attack })), "TOO_MANY_SELECTIONS").await;
        refused_while_others_are_answered(&app, get(&attack), "TOO_MANY_SELECTIONS").await;
        // As many fragments as the token limit allows, and the health check still answers.
        refused_while_others_are_answered(&app, post(&json!({ "query": fragment_fan_out(300) })), "TOO_MANY_SELECTIONS").await;
    }
}

api_test! {
    async fn fragments_that_expand_within_the_limit_still_run(app) {
        let data = app.query(&fragment_fan_out(8), json!({})).await;
        assert!(data["dataset"]["version"].is_number());
    }
}

/// The introspection queries of graphql-js and graphql-core, written by the scripts in
/// `tests/audit/`.
const INTROSPECTION_QUERIES: [(&str, &str); 5] = [
    (
        "graphql-js, default options",
        include_str!("../fixtures/introspection/graphql-js-default.graphql"),
    ),
    (
        "graphql-js, every option",
        include_str!("../fixtures/introspection/graphql-js-every-option.graphql"),
    ),
    (
        "graphql-js, every option and typeDepth 20",
        include_str!("../fixtures/introspection/graphql-js-type-depth-20.graphql"),
    ),
    (
        "graphql-core, default options",
        include_str!("../fixtures/introspection/graphql-core-default.graphql"),
    ),
    (
        "graphql-core, every option",
        include_str!("../fixtures/introspection/graphql-core-every-option.graphql"),
    ),
];

api_test! {
    async fn the_standard_introspection_queries_pass_the_default_limits(app) {
        for (what, query) in INTROSPECTION_QUERIES {
            let (status, body) = app.post_graphql(query, json!({})).await;
            assert_eq!(status, StatusCode::OK, "{what}: {body:#}");
            assert!(body.get("errors").is_none(), "{what}: {body:#}");
            assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query", "{what}");
            assert!(body["data"]["__schema"]["types"].as_array().is_some_and(|t| t.len() > 20), "{what}");
        }
    }
}

api_test! {
    async fn introspection_is_bounded_on_its_own(app) {
        let mut type_ref = String::from("name");
        for _ in 0..40 {
            type_ref = format!("ofType {{ {type_ref} }}");
        }
        let deep = format!("{{ __type(name: \"Claim\") {{ {type_ref} }} }}");
        let (status, body) = app.post_graphql(&deep, json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("introspection"));
    }
}

api_test! {
    async fn introspection_does_not_lift_the_depth_limit_of_data(app) {
        let mut deep = String::from("name");
        for _ in 0..6 {
            deep = format!("relations {{ subject {{ {deep} }} }}");
        }
        let query = format!("{{ __schema {{ queryType {{ name }} }} actor(slug: \"kim-jong-un\") {{ {deep} }} }}");
        let (status, body) = app.post_graphql(&query, json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP");
    }
}

api_test! {
    async fn a_nul_character_in_any_string_argument_is_an_invalid_argument_on_both_engines(app) {
        let cases = [
            (r#"{ actor(slug: "kim\u0000jong-un") { name } }"#, json!({})),
            (r#"{ claims(filter: { text: "freeze\u0000" }) { totalCount } }"#, json!({})),
            ("query($t: String!) { search(query: $t) { totalCount } }", json!({ "t": "grant\u{0}freeze" })),
            ("query($s: [ID!]!) { nodes(ids: $s) { id } }", json!({ "s": ["a", "\u{0}"] })),
        ];
        for (query, variables) in cases {
            let (status, body) = app.post_graphql(query, variables).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body:#}");
            assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_ARGUMENT", "{query}: {body:#}");
        }
        assert_eq!(app.query(BYSTANDER, json!({})).await["actor"]["name"], "Kim Jong-un");
    }
}

api_test! {
    async fn malformed_credentials_get_401_with_a_code_not_anonymous_service(app) {
        let cases: [(&str, &[u8]); 5] = [
            ("authorization", b"Token nkhr_abc"),
            ("authorization", b"Bearer"),
            ("authorization", b"Bearer\tnkhr_abc"),
            ("authorization", b"Basic dXNlcjpwYXNz"),
            ("x-api-key", "nkhr_\u{e9}t\u{e9}".as_bytes()),
        ];
        for (name, value) in cases {
            let request = Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .header(name, axum::http::HeaderValue::from_bytes(value).unwrap())
                .body(Body::from(json!({ "query": BYSTANDER }).to_string()))
                .unwrap();
            let response = app.request(request).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}: {value:?}");
            assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
            let body = body_json(response).await;
            assert_eq!(body["errors"][0]["extensions"]["code"], "MALFORMED_CREDENTIALS", "{body:#}");
        }
    }
}

api_test! {
    async fn a_revoked_key_is_refused_from_the_very_next_request(app) {
        let key = nkhr::store::api_keys::issue(&app.db, "partner", None).await.unwrap();
        let keyed = |key: &str| {
            Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .body(Body::from(json!({ "query": BYSTANDER }).to_string()))
                .unwrap()
        };
        assert_eq!(app.request(keyed(&key.secret)).await.status(), StatusCode::OK);
        assert!(nkhr::store::api_keys::revoke(&app.db, key.id).await.unwrap());
        assert_eq!(app.request(keyed(&key.secret)).await.status(), StatusCode::UNAUTHORIZED);
    }
}

api_test! {
    async fn metrics_need_their_token(app) {
        let response = app.request(Request::get("/metrics").body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(body_json(response).await["errors"][0]["extensions"]["code"], "UNAUTHORIZED");
        let wrong = Request::get("/metrics").header(header::AUTHORIZATION, "Bearer guess").body(Body::empty()).unwrap();
        assert_eq!(app.request(wrong).await.status(), StatusCode::UNAUTHORIZED);
    }
}

api_test! {
    async fn a_request_id_that_is_long_or_unsafe_is_replaced(app) {
        for unsafe_id in ["x".repeat(65), "forged\u{1b}[31m".to_owned(), "a b".to_owned(), "a\"b".to_owned()] {
            let Ok(value) = axum::http::HeaderValue::from_str(&unsafe_id) else { continue };
            let request = Request::get("/healthz").header("x-request-id", value).body(Body::empty()).unwrap();
            let answered = app.request(request).await.headers()["x-request-id"].to_str().unwrap().to_owned();
            assert_ne!(answered, unsafe_id);
            assert_eq!(answered.len(), 36, "a fresh UUID: {answered}");
        }
        let request = Request::get("/healthz").header("x-request-id", "trace-me.42:a_b").body(Body::empty()).unwrap();
        assert_eq!(app.request(request).await.headers()["x-request-id"], "trace-me.42:a_b");
    }
}

mod budgets {
    use std::net::SocketAddr;

    use axum::extract::ConnectInfo;
    use nkhr::{
        dataset::DatasetFiles,
        graphql::{Limits, rate_limit::RateLimitSettings},
        http::{HttpSettings, caller::ForwardedFor},
    };

    use super::*;
    use crate::harness::Backend;

    async fn app(backend: Backend, points: u64, forwarded_for: ForwardedFor) -> Option<TestApp> {
        let http = HttpSettings {
            rate_limits: RateLimitSettings {
                anonymous_points: points,
                ..RateLimitSettings::default()
            },
            forwarded_for,
            ..HttpSettings::default()
        };
        TestApp::spawn_with(backend, &DatasetFiles::embedded(), Limits::default(), http).await
    }

    fn from(peer: &str, request: &mut Request<Body>) {
        request
            .extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
    }

    const CHEAP: &str = "{ dataset { version } }";

    fn cheap() -> Request<Body> {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "query": CHEAP }).to_string()))
            .unwrap()
    }

    #[tokio::test]
    async fn forged_forwarded_for_entries_do_not_make_new_callers() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let trusting = ForwardedFor {
                trusted: true,
                proxies: vec![],
            };
            // The cheap query costs 2 points: the budget pays for 25 of them.
            let Some(app) = app(backend, 50, trusting).await else {
                continue;
            };
            let mut served = 0;
            for i in 0..60 {
                let mut request = cheap();
                request.headers_mut().insert(
                    "x-forwarded-for",
                    format!("10.1.{i}.1, 127.0.0.1").parse().unwrap(),
                );
                from("127.0.0.1:4000", &mut request);
                served += usize::from(app.request(request).await.status() == StatusCode::OK);
            }
            assert_eq!(served, 25, "{served} of 60 served over a budget for 25");
        }
    }

    #[tokio::test]
    async fn ipv4_mapped_and_same_64_addresses_are_one_caller() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            // A budget for one cheap query (2 points) per caller.
            let Some(app) = app(backend, 2, ForwardedFor::default()).await else {
                continue;
            };
            for (peer, expected) in [
                ("192.0.2.1:1", StatusCode::OK),
                ("[::ffff:192.0.2.1]:1", StatusCode::TOO_MANY_REQUESTS),
                ("[2001:db8:1:2::1]:1", StatusCode::OK),
                ("[2001:db8:1:2:ffff::9]:1", StatusCode::TOO_MANY_REQUESTS),
                ("[2001:db8:1:3::1]:1", StatusCode::OK),
            ] {
                let mut request = cheap();
                from(peer, &mut request);
                assert_eq!(app.request(request).await.status(), expected, "{peer}");
            }
        }
    }

    #[tokio::test]
    async fn failed_key_lookups_are_charged_to_the_address_and_stop_reaching_the_database() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let Some(app) = app(backend, 100, ForwardedFor::default()).await else {
                continue;
            };
            let guess = |i: usize| {
                let mut request = cheap();
                request.headers_mut().insert(
                    header::AUTHORIZATION,
                    format!("Bearer nkhr_guess{i}").parse().unwrap(),
                );
                from("198.51.100.7:1", &mut request);
                request
            };
            let mut statuses = Vec::new();
            for i in 0..50 {
                statuses.push(app.request(guess(i)).await.status());
            }
            let limit = nkhr::http::caller::MAX_FAILED_LOOKUPS as usize;
            assert!(
                statuses[..limit]
                    .iter()
                    .all(|s| *s == StatusCode::UNAUTHORIZED),
                "{statuses:?}"
            );
            assert!(
                statuses[limit..]
                    .iter()
                    .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
                "{statuses:?}"
            );
            let started = Instant::now();
            let response = app.request(guess(99)).await;
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(response.headers().contains_key(header::RETRY_AFTER));
            assert_eq!(
                body_json(response).await["errors"][0]["extensions"]["code"],
                "RATE_LIMITED"
            );
            assert!(started.elapsed() < REFUSED_WITHIN);
            // The failures were charged to the address's own budget too.
            let mut anonymous = cheap();
            from("198.51.100.7:1", &mut anonymous);
            assert_eq!(
                app.request(anonymous).await.status(),
                StatusCode::TOO_MANY_REQUESTS
            );
            // Another address is still answered.
            let mut other = cheap();
            from("198.51.100.8:1", &mut other);
            assert_eq!(app.request(other).await.status(), StatusCode::OK);
        }
    }

    #[tokio::test]
    async fn exports_and_permalink_pages_are_charged_by_what_they_send() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let Some(app) = app(backend, 60, ForwardedFor::default()).await else {
                continue;
            };
            let export = || {
                let mut request = Request::get("/export/claims.csv")
                    .body(Body::empty())
                    .unwrap();
                from("203.0.113.5:1", &mut request);
                request
            };
            let response = app.request(export()).await;
            assert_eq!(response.status(), StatusCode::OK);
            let sent = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
                .len();
            assert!(
                sent > 60 * 1024,
                "the claims export is larger than the budget: {sent} bytes"
            );
            let refused = app.request(export()).await;
            assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(refused.headers().contains_key(header::RETRY_AFTER));
            let mut page = Request::get("/sources/fahy-2025-a-new-low")
                .body(Body::empty())
                .unwrap();
            from("203.0.113.5:1", &mut page);
            assert_eq!(
                app.request(page).await.status(),
                StatusCode::TOO_MANY_REQUESTS
            );
            let mut elsewhere = cheap();
            from("203.0.113.6:1", &mut elsewhere);
            assert_eq!(app.request(elsewhere).await.status(), StatusCode::OK);
        }
    }
}

/// The query of six aliases that returned 478 MB: relations three deep, each with the full
/// text of every source.
fn output_flood() -> String {
    let one = "actors(first: 100) { nodes { relations { subject { ... on Actor { relations { object { ... on Actor { relations { evidence { source { text } } } } } } } } } } }";
    format!(
        "{{ {} }}",
        (0..6)
            .map(|i| format!("a{i}: {one}"))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

api_test! {
    async fn a_query_that_could_return_hundreds_of_megabytes_is_refused_before_it_runs(app) {
        refused_while_others_are_answered(&app, post(&json!({ "query": output_flood() })), "QUERY_TOO_COMPLEX").await;
        // The same nesting through the `Entity` interface, with no fragment, costs alike.
        let through_interface = "{ actors(first: 100) { nodes { relations { subject { relations { object { relations { evidence { quote } } } } } } } } }";
        refused_while_others_are_answered(&app, post(&json!({ "query": through_interface })), "QUERY_TOO_COMPLEX").await;
    }
}

api_test! {
    async fn only_the_operation_that_runs_is_charged(app) {
        let document = "query Cheap { rateLimit { cost } dataset { version } } \
                        query Dear { claims(first: 100) { nodes { about { relations { key } } } } }";
        let response = app.request(post(&json!({ "query": document, "operationName": "Cheap" }))).await;
        let answer = body_json(response).await;
        assert!(answer["data"]["rateLimit"]["cost"].as_u64().unwrap() < 10, "{answer:#}");
    }
}

api_test! {
    async fn nested_lists_take_first_and_refuse_more_than_a_hundred(app) {
        let data = app.query(r#"{ actor(slug: "dprk") { relations(first: 2) { key } claims(first: 3) { slug } } }"#, json!({})).await;
        assert_eq!(data["actor"]["relations"].as_array().unwrap().len(), 2);
        assert_eq!(data["actor"]["claims"].as_array().unwrap().len(), 3);
        let code = app.error_code(r#"{ actor(slug: "dprk") { relations(first: 101) { key } } }"#, json!({})).await;
        assert_eq!(code, "PAGE_SIZE_EXCEEDED");
    }
}

api_test! {
    async fn a_source_text_is_charged_by_its_size(app) {
        let cheap = app.query("{ rateLimit { used } }", json!({})).await["rateLimit"]["used"].as_u64().unwrap();
        let text = app.query("{ sources(first: 2) { nodes { text } } }", json!({})).await;
        let bytes: u64 = text["sources"]["nodes"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().len() as u64).sum();
        let after = app.query("{ rateLimit { used } }", json!({})).await["rateLimit"]["used"].as_u64().unwrap();
        // The texts' points (one per 100 bytes) on top of the two small queries' own cost.
        assert!(after - cheap >= bytes / 100, "charged {} for {bytes} bytes", after - cheap);
    }
}
