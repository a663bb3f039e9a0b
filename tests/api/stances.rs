//! Support and dispute: a fact that one source states and another denies is contested, lists
//! both claims with their stances, and counts only its support towards corroboration. The two
//! real texts do not contradict each other, so these tests read the tiny dataset with a third
//! text on top, a rebuttal (`tests/fixtures/contested`), on SQLite and PostgreSQL.

use axum::{body::Body, http::Request};
use serde_json::{Value, json};

use crate::harness::{TestApp, body_json, body_text, contested_dataset, fixture_test};

/// The fact the tiny report states and the rebuttal disputes.
const CLOSED: &str = "border-closed-january-2020";

/// The rebuttal's own fact, which no claim disputes.
const PATROLLED: &str = "guards-patrol-the-border";

const FACT: &str = r#"
query Fact($slug: String!) {
  fact(slug: $slug) {
    contested
    sourceCount
    sources { slug }
    claims { slug stance source { slug } }
    supporting: claims(stance: SUPPORTS) { slug }
    mentioning: claims(stance: MENTIONS) { slug }
    disputing: claims(stance: DISPUTES) { slug quote }
    support { source { slug } }
    disputes { source { slug } quotes }
  }
}"#;

fn slugs(values: &Value, pointer: &str) -> Vec<String> {
    values
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {values:#}"))
        .iter()
        .map(|value| {
            value
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no {pointer} in {value:#}"))
                .to_owned()
        })
        .collect()
}

/// The facts a filtered `facts` list holds, by slug.
async fn facts_where(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .query(
            r#"query Facts($filter: FactFilter) { facts(first: 100, filter: $filter) { totalCount nodes { slug } } }"#,
            json!({ "filter": filter }),
        )
        .await;
    let facts = &data["facts"];
    assert_eq!(
        facts["totalCount"].as_u64(),
        Some(facts["nodes"].as_array().unwrap().len() as u64)
    );
    slugs(&facts["nodes"], "/slug")
}

/// The records of the JSON export `file`.
async fn export(app: &TestApp, file: &str) -> Vec<Value> {
    let response = app
        .request(
            Request::get(format!("/export/{file}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        response.status().is_success(),
        "GET /export/{file}: {}",
        response.status()
    );
    match body_json(response).await {
        Value::Array(records) => records,
        other => panic!("the export is not a list: {other:#}"),
    }
}

fn record<'a>(records: &'a [Value], slug: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["slug"] == slug)
        .unwrap_or_else(|| panic!("no record {slug}"))
}

fixture_test! {
    contested_dataset(),
    async fn a_fact_one_source_states_and_another_disputes_is_contested_with_both_claims(app) {
        let data = app.query(FACT, json!({ "slug": CLOSED })).await;

        let fact = &data["fact"];
        assert_eq!(fact["contested"], true);
        assert_eq!(slugs(&fact["supporting"], "/slug"), ["tiny-closure"]);
        assert_eq!(slugs(&fact["disputing"], "/slug"), ["rebuttal-border-not-closed"]);
        assert_eq!(fact["disputing"][0]["quote"], "The border was not closed in January 2020.");
        assert_eq!(slugs(&fact["mentioning"], "/slug"), ["rebuttal-trade-under-the-closure"]);
        let mut all = slugs(&fact["claims"], "/slug");
        all.sort();
        assert_eq!(all, ["rebuttal-border-not-closed", "rebuttal-trade-under-the-closure", "tiny-closure"]);
        let stances: Vec<(String, String)> = fact["claims"].as_array().unwrap().iter()
            .map(|c| (c["slug"].as_str().unwrap().to_owned(), c["stance"].as_str().unwrap().to_owned()))
            .collect();
        assert!(stances.contains(&("tiny-closure".into(), "SUPPORTS".into())), "{stances:?}");
        assert!(stances.contains(&("rebuttal-border-not-closed".into(), "DISPUTES".into())), "{stances:?}");
        assert_eq!(slugs(&fact["support"], "/source/slug"), ["tiny-report"]);
        assert_eq!(slugs(&fact["disputes"], "/source/slug"), ["tiny-rebuttal"]);
        assert_eq!(fact["disputes"][0]["quotes"], json!(["The border was not closed in January 2020."]));
    }
}

fixture_test! {
    contested_dataset(),
    async fn min_sources_counts_only_the_sources_that_support_a_fact(app) {
        let data = app.query(FACT, json!({ "slug": CLOSED })).await;
        let corroborated = facts_where(&app, json!({ "minSources": 2 })).await;
        let supported = facts_where(&app, json!({ "minSources": 1 })).await;

        // Two sources have claims linked to the fact, but only the report supports it.
        assert_eq!(data["fact"]["sourceCount"], 1);
        assert_eq!(slugs(&data["fact"]["sources"], "/slug"), ["tiny-report"]);
        assert_eq!(corroborated, Vec::<String>::new());
        assert_eq!(supported, [CLOSED, PATROLLED]);
    }
}

fixture_test! {
    contested_dataset(),
    async fn the_contested_filter_keeps_the_disputed_facts_or_the_others(app) {
        let contested = facts_where(&app, json!({ "contested": true })).await;
        let uncontested = facts_where(&app, json!({ "contested": false })).await;
        let patrolled = app.query(FACT, json!({ "slug": PATROLLED })).await;

        assert_eq!(contested, [CLOSED]);
        assert_eq!(uncontested, [PATROLLED]);
        assert_eq!(patrolled["fact"]["contested"], false);
        assert_eq!(patrolled["fact"]["disputes"], json!([]));
    }
}

fixture_test! {
    contested_dataset(),
    async fn a_claim_without_a_fact_has_no_stance(app) {
        let data = app.query(r#"{ claim(slug: "tiny-traders") { fact { slug } stance } }"#, json!({})).await;

        assert_eq!(data["claim"], json!({ "fact": null, "stance": null }));
    }
}

fixture_test! {
    contested_dataset(),
    async fn the_exports_carry_each_claims_stance_and_whether_a_fact_is_contested(app) {
        let claims = export(&app, "claims.json").await;
        let facts = export(&app, "facts.json").await;
        let csv = {
            let response = app.request(Request::get("/export/claims.csv").body(Body::empty()).unwrap()).await;
            body_text(response).await
        };

        assert_eq!(record(&claims, "tiny-closure")["stance"], "SUPPORTS");
        assert_eq!(record(&claims, "rebuttal-border-not-closed")["stance"], "DISPUTES");
        assert_eq!(record(&claims, "rebuttal-trade-under-the-closure")["stance"], "MENTIONS");
        assert_eq!(record(&claims, "tiny-traders")["stance"], Value::Null);
        let closed = record(&facts, CLOSED);
        assert_eq!(closed["contested"], true);
        assert_eq!(closed["sources"], json!(["tiny-report"]));
        assert_eq!(closed["source_count"], 1);
        assert_eq!(record(&facts, PATROLLED)["contested"], false);
        let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap_or_default().to_owned();
        assert!(header.split(',').any(|column| column == "stance"), "{header}");
        assert!(csv.contains("DISPUTES"), "{csv}");
    }
}

fixture_test! {
    contested_dataset(),
    async fn a_source_says_when_it_was_written_in_the_api_and_the_exports(app) {
        let data = app.query(r#"{ source(slug: "tiny-rebuttal") { published { value } writtenFrom { value precision } writtenUntil { value precision } writtenNote } report: source(slug: "tiny-report") { writtenFrom { value } writtenUntil { value } writtenNote } }"#, json!({})).await;
        let sources = export(&app, "sources.json").await;

        let source = &data["source"];
        assert_eq!(source["published"]["value"], "2022-05-01");
        assert_eq!(source["writtenFrom"], json!({ "value": "2021", "precision": "YEAR" }));
        assert_eq!(source["writtenUntil"], json!({ "value": "2022-04", "precision": "MONTH" }));
        assert!(source["writtenNote"].as_str().is_some_and(|note| !note.is_empty()));
        assert_eq!(data["report"], json!({ "writtenFrom": null, "writtenUntil": null, "writtenNote": null }));
        let exported = record(&sources, "tiny-rebuttal");
        assert_eq!(exported["written_from"], "2021");
        assert_eq!(exported["written_from_precision"], "YEAR");
        assert_eq!(exported["written_until"], "2022-04");
        assert_eq!(exported["written_until_precision"], "MONTH");
        assert_eq!(exported["written_note"], source["writtenNote"]);
    }
}
