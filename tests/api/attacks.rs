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
