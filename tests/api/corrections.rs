//! Corrections where readers look for them: the `/corrections` page, each claim's permalink
//! page, and retracted records in the lists that are asked to include them.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    harness::{TestApp, api_test, body_json, body_text, count_where},
    living::{REMOVE_CLAIM, reimport, seeds_edited},
};

const CORRECTED_SLUG: &str = "dhrwg-2021-dissent-not-tolerated";
const BEFORE: &str = "Dissent is not tolerated in North Korea.";
const AFTER: &str = "North Korea does not tolerate dissent.";
const REASON: &str = "The statement said more than the quote.";

/// Imports the dataset with one claim's statement corrected, and its reason in the changelog.
async fn correct_one_claim(app: &TestApp) {
    let changelog = format!(
        "[[change]]\nrecord = \"claim:{CORRECTED_SLUG}\"\nreason = \"{REASON}\"\ncorrection = true\n"
    );
    let edits = [
        (
            "claims/dhrwg-2021-continue-to-decline.toml",
            "statement = \"Dissent is not tolerated in North Korea.\"",
            "statement = \"North Korea does not tolerate dissent.\"",
        ),
        ("changelog.toml", "", changelog.as_str()),
    ];
    reimport(app, &seeds_edited(&edits)).await;
}

const RETRACTION_REASON: &str = "The sentence restates the one before it.";

/// Imports the dataset without the claim that North Koreans have no civil liberties.
async fn retract_one_claim(app: &TestApp) {
    let changelog = format!(
        "[[change]]\nrecord = \"claim:dhrwg-2021-no-civil-liberties\"\nreason = \"{RETRACTION_REASON}\"\nretracted = true\n"
    );
    reimport(
        app,
        &seeds_edited(&[REMOVE_CLAIM, ("changelog.toml", "", changelog.as_str())]),
    )
    .await;
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

api_test! {
    async fn the_corrections_page_shows_the_newest_correction_first_with_its_reason_and_earlier_wording(app) {
        correct_one_claim(&app).await;

        let page = app.request(get("/corrections")).await;

        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        let etag = page.headers()[header::ETAG].clone();
        let html = body_text(page).await;
        let first = html.split("<article class=\"correction\"").nth(1).expect("a correction is listed");
        assert!(first.contains(&format!("href=\"/claims/{CORRECTED_SLUG}\"")), "{first}");
        assert!(first.contains(REASON), "{first}");
        assert!(first.contains(&format!("<del>{BEFORE}</del>")), "{first}");
        assert!(first.contains(&format!("<ins>{AFTER}</ins>")), "{first}");
        assert!(first.contains("version 2"), "{first}");

        let again = app
            .request(Request::get("/corrections").header(header::IF_NONE_MATCH, etag).body(Body::empty()).unwrap())
            .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
}

api_test! {
    async fn the_corrections_page_as_json_pages_through_every_correction_once(app) {
        correct_one_claim(&app).await;
        let all = app.query("{ corrections(first: 1) { totalCount } }", json!({})).await;
        let total = all["corrections"]["totalCount"].as_u64().unwrap();

        let mut seen = Vec::new();
        let mut next = Some("/corrections?format=json".to_owned());
        while let Some(uri) = next {
            let page = body_json(app.request(get(&uri)).await).await;
            seen.extend(page["corrections"].as_array().unwrap().iter().cloned());
            next = page["next"].as_str().map(|path| format!("{path}&format=json"));
        }

        assert_eq!(seen.len() as u64, total);
        assert_eq!(seen[0]["slug"], CORRECTED_SLUG, "the newest first");
        assert_eq!(seen[0]["reason"], REASON);
        assert_eq!(seen[0]["changes"], json!([{ "field": "statement", "before": BEFORE, "after": AFTER }]));
        assert_eq!(seen[0]["permalink"], format!("/claims/{CORRECTED_SLUG}"));
        let versions: Vec<i64> = seen.iter().map(|c| c["version"].as_i64().unwrap()).collect();
        assert!(versions.windows(2).all(|w| w[0] >= w[1]), "newest first: {versions:?}");
    }
}

api_test! {
    async fn a_corrections_page_that_is_not_a_page_number_or_past_the_last_is_refused(app) {
        let zero = app.request(get("/corrections?page=0")).await;
        let word = app.request(get("/corrections?page=last")).await;
        let past = app.request(get("/corrections?page=100000")).await;

        assert_eq!(zero.status(), StatusCode::BAD_REQUEST);
        assert!(body_text(zero).await.contains("INVALID_ARGUMENT"));
        assert_eq!(word.status(), StatusCode::BAD_REQUEST);
        assert_eq!(past.status(), StatusCode::NOT_FOUND);
    }
}

api_test! {
    async fn a_claims_permalink_page_lists_its_corrections_in_html_and_json(app) {
        correct_one_claim(&app).await;

        let html = body_text(app.request(get(&format!("/claims/{CORRECTED_SLUG}"))).await).await;
        let json = body_json(app.request(get(&format!("/claims/{CORRECTED_SLUG}?format=json"))).await).await;

        let section = html.split("<section id=\"corrections\">").nth(1).expect("a corrections section");
        assert!(section.contains(REASON), "{section}");
        assert!(section.contains(&format!("<del>{BEFORE}</del>")), "{section}");
        assert!(html.contains("href=\"/corrections\""));
        assert_eq!(json["statement"], AFTER);
        assert_eq!(json["retraction"], Value::Null);
        assert_eq!(json["corrections"].as_array().unwrap().len(), 1);
        assert_eq!(json["corrections"][0]["reason"], REASON);
        assert_eq!(json["corrections"][0]["changes"][0]["before"], BEFORE);
    }
}

api_test! {
    async fn a_retracted_claims_permalink_page_shows_it_under_its_retraction_and_reason(app) {
        let live = app.request(get("/claims/dhrwg-2021-no-civil-liberties")).await;
        assert_eq!(live.status(), StatusCode::OK);
        assert!(!body_text(live).await.contains("id=\"retraction\""));

        retract_one_claim(&app).await;

        let page = app.request(get("/claims/dhrwg-2021-no-civil-liberties")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = body_text(page).await;
        let retraction = html.split("<section class=\"retraction\" id=\"retraction\">").nth(1).expect("the retraction");
        assert!(retraction.contains(RETRACTION_REASON), "{retraction}");
        assert!(html.contains("There are no civil liberties"), "the quote as it last stood");
        let json = body_json(app.request(get("/claims/dhrwg-2021-no-civil-liberties?format=json")).await).await;
        assert_eq!(json["retraction"]["reason"], RETRACTION_REASON);
        assert_eq!(json["retraction"]["version"], 2);
        assert_eq!(app.request(get("/claims/no-such-claim")).await.status(), StatusCode::NOT_FOUND);
    }
}

const CLAIM_PAGE: &str = r#"
query ($after: String, $include: Boolean!) {
  claims(first: 40, after: $after, includeRetracted: $include) {
    totalCount
    edges { cursor node { slug retraction { version reason } } }
    pageInfo { hasNextPage endCursor }
  }
}"#;

/// Every claim of the list, walked page by page, with its retraction.
async fn every_claim(app: &TestApp, include: bool) -> (u64, Vec<Value>) {
    let mut after = Value::Null;
    let mut claims = Vec::new();
    loop {
        let page = app
            .query(CLAIM_PAGE, json!({ "after": after, "include": include }))
            .await;
        let list = &page["claims"];
        claims.extend(
            list["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone()),
        );
        if list["pageInfo"]["hasNextPage"] != true {
            return (list["totalCount"].as_u64().unwrap(), claims);
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
}

api_test! {
    async fn include_retracted_lists_retracted_claims_in_their_place_and_nothing_changes_without_it(app) {
        let (live_before, _) = every_claim(&app, false).await;

        retract_one_claim(&app).await;

        let (live, without) = every_claim(&app, false).await;
        let (total, with) = every_claim(&app, true).await;
        assert_eq!(live, live_before - 1);
        assert_eq!(without.len() as u64, live);
        assert!(without.iter().all(|c| c["retraction"].is_null()));
        assert_eq!(with.len() as u64, total, "every page together holds the whole list");
        let slugs: std::collections::BTreeSet<&str> = with.iter().map(|c| c["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs.len(), with.len(), "no claim twice");
        let retracted: Vec<&Value> = with.iter().filter(|c| !c["retraction"].is_null()).collect();
        assert_eq!(total, live + retracted.len() as u64);
        let removed = retracted.iter().find(|c| c["slug"] == "dhrwg-2021-no-civil-liberties").expect("the retracted claim is listed");
        assert_eq!(removed["retraction"]["reason"], RETRACTION_REASON);
        // In its place: the list without the retracted claims is the default list.
        let kept: Vec<&Value> = with.iter().filter(|c| c["retraction"].is_null()).collect();
        assert_eq!(kept, without.iter().collect::<Vec<_>>());
        // Paging backwards from the end gives the same last claims.
        let tail = app.query(
            "{ claims(last: 5, includeRetracted: true) { nodes { slug } pageInfo { hasPreviousPage } } }",
            json!({}),
        ).await;
        let tail: Vec<&Value> = tail["claims"]["nodes"].as_array().unwrap().iter().map(|n| &n["slug"]).collect();
        let expected: Vec<&Value> = with[with.len() - 5..].iter().map(|c| &c["slug"]).collect();
        assert_eq!(tail, expected);
    }
}

api_test! {
    async fn include_retracted_reaches_sources_facts_entities_and_relations_and_refuses_a_filter_it_cannot_test(app) {
        let relation = (
            "claims/fahy-2025-a-new-low.toml",
            concat!(
                "[[relation]]\nsubject = \"covid-19-pandemic\"\ntype = \"affects\"\nobject = \"dprk\"\n",
                "description = \"the responses to contain the virus caused significant changes in North Korea\"\n",
                "basis = \"inferred\"\n",
                "inference = \"The text names the government responses to contain the virus, and the recessions that followed, as what caused significant changes in the DPRK, not the pandemic itself.\"\n",
                "evidence = [\"fahy-2025-developments-changed-dprk\"]\n",
            ),
            "",
        );
        let changelog = "[[change]]\nrecord = \"relation:covid-19-pandemic/affects/dprk\"\nreason = \"Removed to test the lists.\"\nretracted = true\n";
        // The relation's own correction goes with it: an entry names a record of the files.
        let correction = (
            "changelog.toml",
            "[[change]]\nrecord = \"relation:covid-19-pandemic/affects/dprk\"\nreason = \"The relation said the pandemic affects North Korea; the text names the responses to contain the virus and the recessions as the cause of the changes. It is now marked as the editors’ inference.\"\ncorrection = true\n",
            "",
        );
        reimport(&app, &seeds_edited(&[relation, correction, ("changelog.toml", "", changelog)])).await;

        let answer = app.query(
            r#"{
              sources(includeRetracted: true) { totalCount }
              liveSources: sources { totalCount }
              facts(includeRetracted: true) { totalCount }
              liveFacts: facts { totalCount }
              entities(includeRetracted: true) { totalCount }
              liveEntities: entities { totalCount }
              relations(includeRetracted: true) { totalCount }
              liveRelations: relations { totalCount }
              actors(includeRetracted: true, first: 100) { nodes { slug } }
            }"#,
            json!({}),
        ).await;
        let code = app.error_code(
            r#"{ claims(includeRetracted: true, filter: { source: "fahy-2025-a-new-low" }) { totalCount } }"#,
            json!({}),
        ).await;

        for (list, kind) in [("sources", "source"), ("facts", "fact"), ("entities", "entity"), ("relations", "relation")] {
            let live_name = format!("live{}{}", list[..1].to_uppercase(), &list[1..]);
            let retracted = count_where(&app.db, "record", &format!("kind = '{kind}' AND retracted_version IS NOT NULL")).await;
            assert_eq!(
                answer[list]["totalCount"].as_i64().unwrap(),
                answer[live_name.as_str()]["totalCount"].as_i64().unwrap() + retracted,
                "{list}"
            );
        }
        assert_eq!(
            count_where(&app.db, "record", "kind = 'relation' AND retracted_version IS NOT NULL").await,
            1,
            "the removed relation is retracted"
        );
        let mut listed = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = app.query(
                "query ($after: String) { relations(first: 100, after: $after, includeRetracted: true) { nodes { key retraction { reason } } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            ).await;
            listed.extend(page["relations"]["nodes"].as_array().unwrap().iter().cloned());
            if page["relations"]["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["relations"]["pageInfo"]["endCursor"].clone();
        }
        let removed = listed.iter()
            .find(|r| r["key"] == "covid-19-pandemic/affects/dprk")
            .expect("the retracted relation is listed");
        assert_eq!(removed["retraction"]["reason"], "Removed to test the lists.");
        assert!(answer["actors"]["nodes"].as_array().unwrap().iter().any(|a| a["slug"] == "kim-regime"));
        assert_eq!(code, "INVALID_ARGUMENT");
    }
}
