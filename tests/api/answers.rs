//! Answers are shaped as the GraphQL specification says: fields in the order they were asked
//! for, a failed field `null` with its error beside it (and a failed non-null field making its
//! nearest nullable parent `null`), and `{}` for a union or interface member that no
//! fragment selects from, nullable or not, while a record that does not exist stays `null`.

use axum::{
    body::Body,
    http::{Request, header},
};
use serde_json::{Value, json};

use crate::harness::{api_test, body_text};

const FREEZE: &str = "fahy-2025-grant-freeze-survival-mode";

/// The raw text of the answer to `query`, sent with POST, or with GET when `get` is set.
async fn answer_text(app: &crate::harness::TestApp, query: &str, get: bool) -> String {
    let request = if get {
        let encoded: String = url_encode(query);
        Request::get(format!("/graphql?query={encoded}"))
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::empty())
            .unwrap()
    } else {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::from(json!({ "query": query }).to_string()))
            .unwrap()
    };
    body_text(app.request(request).await).await
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Where each of `keys` first appears in `text`, as a JSON key.
fn positions(text: &str, keys: &[&str]) -> Vec<usize> {
    keys.iter()
        .map(|key| {
            text.find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("no key {key} in {text}"))
        })
        .collect()
}

api_test! {
    async fn fields_come_back_in_the_order_they_were_asked_for(app) {
        for get in [false, true] {
            let query = format!(r#"query {{ dataset {{ version digest }} claim(slug: "{FREEZE}") {{ statement slug certainty quoteSpan {{ end start }} }} }}"#);
            let text = answer_text(&app, &query, get).await;
            let found = positions(&text, &["dataset", "version", "digest", "claim", "statement", "slug", "certainty", "quoteSpan", "end", "start"]);
            assert!(found.windows(2).all(|pair| pair[0] < pair[1]), "request order (GET: {get}): {text}");

            let reversed = format!(r#"query {{ claim(slug: "{FREEZE}") {{ certainty slug }} ...Version }} fragment Version on Query {{ dataset {{ digest version }} }}"#);
            let text = answer_text(&app, &reversed, get).await;
            let found = positions(&text, &["claim", "certainty", "slug", "dataset", "digest", "version"]);
            assert!(found.windows(2).all(|pair| pair[0] < pair[1]), "request order with a fragment (GET: {get}): {text}");
        }
    }
}

api_test! {
    async fn a_failed_nullable_field_is_null_in_data_beside_its_error(app) {
        let (_, body) = app.post_graphql(&format!(r#"{{ found: claim(slug: "{FREEZE}") {{ slug }} broken: claim(id: "not-an-id") {{ slug }} }}"#), json!({})).await;

        assert_eq!(body["data"]["found"]["slug"], FREEZE);
        assert!(body["data"].as_object().unwrap().contains_key("broken"), "the failed field is there: {body}");
        assert_eq!(body["data"]["broken"], Value::Null);
        assert_eq!(body["errors"][0]["path"], json!(["broken"]));
        assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_ID");
    }
}

api_test! {
    async fn a_failed_non_null_root_field_makes_data_null(app) {
        let (_, body) = app.post_graphql("{ dataset { version } claims(first: 1000) { totalCount } }", json!({})).await;

        assert_eq!(body["data"], Value::Null, "claims is non-null, so data is null: {body}");
        assert_eq!(body["errors"][0]["path"], json!(["claims"]));
        assert_eq!(body["errors"][0]["extensions"]["code"], "PAGE_SIZE_EXCEEDED");
    }
}

api_test! {
    async fn a_union_member_no_fragment_selects_from_is_an_empty_object(app) {
        let data = app.query(r#"{ search(query: "border", kinds: [CLAIM], first: 3) { nodes { node { ... on Actor { slug } } } } }"#, json!({})).await;

        let nodes = data["search"]["nodes"].as_array().unwrap();
        assert!(!nodes.is_empty());
        for node in nodes {
            assert_eq!(node["node"], json!({}), "a claim selected only on Actor: {data}");
        }
    }
}

api_test! {
    async fn a_nullable_interface_member_no_fragment_selects_from_is_an_empty_object_and_a_missing_record_null(app) {
        let claim = nkhr::store::identity::global_id("Claim:fahy-2025-only-63-defectors");
        let missing = nkhr::store::identity::global_id("Claim:no-such-claim");
        let query = r#"query ($claim: ID!, $missing: ID!) {
          selected: node(id: $claim) { ... on Actor { slug } }
          absent: node(id: $missing) { ... on Actor { slug } }
          both: nodes(ids: [$claim, $missing]) { ... on Actor { slug } }
          named: node(id: $claim) { ... on Claim { slug } }
        }"#;

        let (_, body) = app.post_graphql(query, json!({ "claim": claim, "missing": missing })).await;

        assert_eq!(body["errors"], Value::Null, "{body}");
        assert_eq!(body["data"], json!({
            "selected": {},
            "absent": null,
            "both": [{}, null],
            "named": { "slug": "fahy-2025-only-63-defectors" },
        }), "the added __typename never reaches the client");
    }
}

api_test! {
    async fn telling_empty_members_from_missing_ones_costs_nothing(app) {
        let cost = |query: &'static str| {
            let app = &app;
            async move {
                let request = Request::post("/graphql")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(json!({ "query": query }).to_string()))
                    .unwrap();
                let response = app.request(request).await;
                response.headers()["ratelimit-cost"].to_str().unwrap().parse::<u64>().unwrap()
            }
        };

        // An interface field and an object field, each with one field selected below.
        let through_interface = cost(r#"{ node(id: "Q2xhaW06eA") { id } }"#).await;
        let through_object = cost(r#"{ claim(slug: "x") { id } }"#).await;

        assert_eq!(through_interface, 2, "the field and its `id`, nothing for the added __typename");
        assert_eq!(through_interface, through_object);
    }
}
