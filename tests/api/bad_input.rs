//! Bad input, tried: every answer is a clear 4xx or a GraphQL error with a code, the server
//! stays up, and the data is unchanged. A property test throws generated requests at the
//! handler within a bounded number of cases.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Backend, TestApp, api_test, body_json};

const STATE: &str =
    "{ dataset { version digest counts { sources actors claims relations facts } } }";

/// Sends `body` as JSON and returns the status and the answer.
async fn send(app: &TestApp, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json")
        .body(Body::from(body))
        .unwrap();
    let response = app.request(request).await;
    let status = response.status();
    (status, body_json(response).await)
}

/// Asserts the answer is a 4xx, or a GraphQL answer whose every error has a code.
fn assert_clear(status: StatusCode, body: &Value, what: &str) {
    assert!(!status.is_server_error(), "{what}: {status} {body:#}");
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no errors in {body:#}"));
    assert!(!errors.is_empty(), "{what}");
    for error in errors {
        assert!(
            error["extensions"]["code"].is_string(),
            "{what}: an error without a code: {error:#}"
        );
        assert!(
            !error["message"].as_str().unwrap_or("").is_empty(),
            "{what}"
        );
    }
}

api_test! {
    async fn bad_requests_get_clear_errors_and_change_nothing(app) {
        let before = app.query(STATE, json!({})).await;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("malformed JSON", b"{\"query\": ".to_vec()),
            ("a number for a body", b"42".to_vec()),
            ("a query that is not a string", json!({ "query": 42 }).to_string().into_bytes()),
            ("a variable of the wrong type", json!({ "query": "query($n: Int!) { actors(first: $n) { totalCount } }", "variables": { "n": "ten" } }).to_string().into_bytes()),
            ("a missing required variable", json!({ "query": "query($n: Int!) { actors(first: $n) { totalCount } }" }).to_string().into_bytes()),
            ("variables that are not an object", json!({ "query": "{ dataset { version } }", "variables": [1, 2] }).to_string().into_bytes()),
            ("an unknown operation", json!({ "query": "query A { dataset { version } }", "operationName": "B" }).to_string().into_bytes()),
            ("two operations and no name", json!({ "query": "query A { dataset { version } } query B { dataset { version } }" }).to_string().into_bytes()),
            ("a huge string", json!({ "query": "query($t: String) { claims(filter: { text: $t }) { totalCount } }", "variables": { "t": "x".repeat(50_000) } }).to_string().into_bytes()),
            ("cyclic fragments", json!({ "query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }" }).to_string().into_bytes()),
            ("a chain of fragments past the parser's recursion bound", json!({ "query": deep_fragments(70) }).to_string().into_bytes()),
            ("an invalid cursor", json!({ "query": "{ claims(after: \"%%%\") { totalCount } }" }).to_string().into_bytes()),
            ("an invalid ID", json!({ "query": "{ node(id: \"////\") { id } }" }).to_string().into_bytes()),
            ("an ID of another type", json!({ "query": "{ claim(id: \"QWN0b3I6a2ltLWpvbmctdW4\") { slug } }" }).to_string().into_bytes()),
            ("invalid UTF-8", vec![b'{', b'"', b'q', 0xff, 0xfe, b'"', b'}']),
            ("a mutation the schema does not have", json!({ "query": "mutation { deleteEverything }" }).to_string().into_bytes()),
            ("an unknown field", json!({ "query": "{ secrets }" }).to_string().into_bytes()),
        ];
        for (what, body) in cases {
            let (status, answer) = send(&app, body).await;
            assert_clear(status, &answer, what);
        }
        assert_eq!(app.query(STATE, json!({})).await, before, "the data is unchanged and the server answers");
    }
}

/// A query whose fragments nest `depth` deep.
fn deep_fragments(depth: usize) -> String {
    let mut document = String::from("{ ...F0 }");
    for level in 0..depth {
        document.push_str(&format!(
            " fragment F{level} on Query {{ ...F{} }}",
            level + 1
        ));
    }
    document.push_str(&format!(
        " fragment F{depth} on Query {{ dataset {{ version }} }}"
    ));
    document
}

/// `{ ...F0 }` where each of `levels` fragments spreads the next `width` times.
fn fan_out(levels: usize, width: usize) -> String {
    let mut document = String::from("{ ...F0 }");
    for level in 0..levels {
        let spreads = format!("...F{} ", level + 1).repeat(width);
        document.push_str(&format!(" fragment F{level} on Query {{ {spreads}}}"));
    }
    document.push_str(&format!(
        " fragment F{levels} on Query {{ dataset {{ version }} }}"
    ));
    document
}

/// A request body, from well-formed to garbage.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let documents = prop_oneof![
        Just("{ dataset { version } }".to_owned()),
        Just("{ actors(first: 3) { nodes { name } } }".to_owned()),
        "[{}()\\[\\]:!$@ .a-zA-Z0-9\"]{0,80}",
        "query \\{ [a-z]{1,12}(first: -?[0-9]{1,4}) \\{ [a-z]{1,8} \\} \\}",
        // Deeply nested list and object values, closed or not.
        (1usize..4_000, any::<bool>()).prop_map(|(levels, closed)| {
            let close = if closed {
                "]".repeat(levels)
            } else {
                String::new()
            };
            format!("{{ node(id: {}1{close}) {{ id }} }}", "[".repeat(levels))
        }),
        (1usize..3_000).prop_map(|levels| format!(
            "{{ actors(filter: {}1{}) {{ totalCount }} }}",
            "{a: ".repeat(levels),
            "}".repeat(levels)
        )),
        // Fragments that each spread the next several times.
        (1usize..60, 1usize..5).prop_map(|(levels, width)| fan_out(levels, width)),
    ];
    let json_bodies = (
        documents,
        proptest::option::of("[a-zA-Z]{0,8}"),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(|(query, operation, number)| {
            let mut body = json!({ "query": query });
            if let Some(operation) = operation {
                body["operationName"] = json!(operation);
            }
            if let Some(number) = number {
                body["variables"] = json!({ "n": number });
            }
            body.to_string().into_bytes()
        });
    prop_oneof![json_bodies, proptest::collection::vec(any::<u8>(), 0..200)]
}

#[test]
fn generated_requests_never_crash_the_handler_or_get_a_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(TestApp::spawn(Backend::Sqlite)).unwrap();
    const CONTENT_TYPES: [&str; 5] = [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/graphql",
        "",
    ];
    let config = ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(body in bodies(), content_type in proptest::sample::select(&CONTENT_TYPES[..]), get in any::<bool>())| {
        let request = if get {
            let query: String = body.iter().map(|&b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
            Request::get(format!("/graphql?query={query}")).body(Body::empty()).unwrap()
        } else {
            let mut request = Request::post("/graphql");
            if !content_type.is_empty() {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            request.body(Body::from(body)).unwrap()
        };
        let response = runtime.block_on(app.request(request));
        let status = response.status();
        prop_assert!(!status.is_server_error(), "status {}", status);
        let answer = runtime.block_on(body_json(response));
        prop_assert!(answer.get("errors").is_some() || answer.get("data").is_some(), "{}", answer);
    });
    let alive = runtime.block_on(app.query("{ dataset { version } }", json!({})));
    assert_eq!(alive["dataset"]["version"], 1);
}
