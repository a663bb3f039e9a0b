//! The quote locator, asked as a curator would: a passage copied verbatim is found where the
//! claim that quotes it lies; one copied with straight quotes or a changed word is not, and
//! the answer gives the text's own characters and names each difference.

use serde_json::{Value, json};

use crate::harness::{TestApp, api_test};

const LOCATE: &str = r#"
query Locate($slug: String, $id: ID, $passage: String!) {
  locateQuote(sourceSlug: $slug, source: $id, passage: $passage) {
    found exhaustive
    occurrences { occurrence span { start end } sentence }
    closest { text span { start end } edits differences { kind at passage text } }
  }
}"#;

async fn locate(app: &TestApp, passage: &str) -> Value {
    let answer = app
        .query(
            LOCATE,
            json!({ "slug": "fahy-2025-a-new-low", "passage": passage }),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["locateQuote"].clone()
}

api_test! {
    async fn a_verbatim_passage_is_found_where_the_claim_quoting_it_lies(app) {
        let claim = app
            .query(r#"{ claim(slug: "fahy-2025-hrw-shoot-on-sight") { quote quoteSpan { start end } } }"#, json!({}))
            .await;
        let quote = claim["claim"]["quote"].as_str().expect("the claim's quote").to_owned();

        let found = locate(&app, &quote).await;

        assert_eq!(found["found"], true);
        assert_eq!(found["occurrences"].as_array().map(Vec::len), Some(1));
        assert_eq!(found["occurrences"][0]["occurrence"], 1);
        assert_eq!(found["occurrences"][0]["span"], claim["claim"]["quoteSpan"]);
        assert_eq!(found["occurrences"][0]["sentence"], quote.as_str());
        assert_eq!(found["closest"], json!([]));
    }
}

api_test! {
    async fn a_passage_copied_with_straight_quotes_gets_the_texts_own_characters(app) {
        let found = locate(&app, "the Kim regime's human rights violations have become more widespread").await;

        assert_eq!(found["found"], false);
        let best = &found["closest"][0];
        assert_eq!(best["text"], "the Kim regime’s human rights violations have become more widespread");
        assert_eq!(best["edits"], 1);
        assert_eq!(
            best["differences"],
            json!([{ "kind": "APOSTROPHE", "at": best["span"]["start"].as_i64().unwrap() + 14, "passage": "'", "text": "’" }])
        );
    }
}

api_test! {
    async fn a_passage_with_a_changed_word_finds_the_nearest_passage_and_names_the_change(app) {
        let found = locate(&app, "only 36 defectors arrived in South Korea").await;

        assert_eq!(found["found"], false);
        assert_eq!(found["exhaustive"], true);
        let best = &found["closest"][0];
        assert_eq!(best["text"], "only 63 defectors arrived in South Korea");
        let kinds: Vec<&str> = best["differences"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert!(kinds.iter().all(|k| *k == "TEXT"), "{best:#}");
    }
}

api_test! {
    async fn the_locator_refuses_a_passage_past_its_bound_and_a_missing_source(app) {
        let long = "a".repeat(2_001);
        let code = app.error_code(LOCATE, json!({ "slug": "fahy-2025-a-new-low", "passage": long })).await;
        assert_eq!(code, "INVALID_ARGUMENT");
        let code = app.error_code(LOCATE, json!({ "passage": "words" })).await;
        assert_eq!(code, "INVALID_ARGUMENT");
        let missing = app.query(LOCATE, json!({ "slug": "no-such-source", "passage": "words" })).await;
        assert_eq!(missing["locateQuote"], Value::Null, "{missing:#}");
    }
}
