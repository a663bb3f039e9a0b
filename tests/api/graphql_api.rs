//! The GraphQL read API over the real dataset, on SQLite and PostgreSQL.

use nkhr::http::graphiql::FLAGSHIP_QUERY;
use serde_json::{Value, json};

use crate::harness::{api_test, real_dataset};

/// The names of a list of nodes.
fn names(nodes: &Value) -> Vec<String> {
    nodes
        .as_array()
        .expect("a list")
        .iter()
        .map(|n| n["name"].as_str().expect("a name").to_owned())
        .collect()
}

api_test! {
    async fn the_flagship_query_names_the_organizations_the_freeze_hit_with_quote_and_source(app) {
        let data = app.query(FLAGSHIP_QUERY, json!({})).await;

        let affected = data["measure"]["affected"].as_array().expect("the affected list");
        let organizations: Vec<&str> = affected.iter().map(|r| r["organization"]["name"].as_str().unwrap()).collect();
        assert!(organizations.contains(&"Citizens’ Alliance for North Korean Human Rights"), "{organizations:?}");
        assert!(organizations.contains(&"Database Center for North Korean Human Rights"), "{organizations:?}");
        for relation in affected {
            let evidence = relation["evidence"].as_array().expect("evidence");
            assert!(!evidence.is_empty(), "every edge has evidence: {relation:#}");
            for claim in evidence {
                assert_eq!(claim["source"]["title"], "A New Low for North Korean Human Rights");
                assert!(claim["quote"].as_str().unwrap().len() > 20);
            }
        }
        insta::assert_json_snapshot!("flagship", data);
    }
}

const ACTOR_LOOKUP: &str = r#"
query Lookup($slug: String, $id: ID) {
  actor(slug: $slug, id: $id) { id slug name actorKind aliases }
}"#;

api_test! {
    async fn an_actor_is_the_same_by_slug_and_by_id(app) {
        let by_slug = app.query(ACTOR_LOOKUP, json!({ "slug": "human-rights-watch" })).await;
        let id = by_slug["actor"]["id"].as_str().expect("an id").to_owned();

        let by_id = app.query(ACTOR_LOOKUP, json!({ "id": id })).await;

        assert_eq!(by_slug, by_id);
        assert_eq!(by_slug["actor"]["name"], "Human Rights Watch");
        assert_eq!(by_slug["actor"]["actorKind"], "NGO");
    }
}

api_test! {
    async fn global_ids_are_the_same_on_every_database(app) {
        let data = app.query(ACTOR_LOOKUP, json!({ "slug": "kim-jong-un" })).await;
        // base64url("Actor:kim-jong-un"): the ID depends on the slug only.
        assert_eq!(data["actor"]["id"], "QWN0b3I6a2ltLWpvbmctdW4");
    }
}

api_test! {
    async fn an_unknown_slug_returns_null(app) {
        let data = app.query(ACTOR_LOOKUP, json!({ "slug": "no-such-actor" })).await;
        assert_eq!(data["actor"], Value::Null);
    }
}

api_test! {
    async fn a_slug_of_another_kind_returns_null(app) {
        let data = app.query(ACTOR_LOOKUP, json!({ "slug": "us-state-department-grant-freeze" })).await;
        assert_eq!(data["actor"], Value::Null);
    }
}

api_test! {
    async fn giving_both_or_neither_of_id_and_slug_is_an_invalid_argument(app) {
        assert_eq!(app.error_code(ACTOR_LOOKUP, json!({})).await, "INVALID_ARGUMENT");
        let both = json!({ "slug": "kim-jong-un", "id": "QWN0b3I6a2ltLWpvbmctdW4" });
        assert_eq!(app.error_code(ACTOR_LOOKUP, both).await, "INVALID_ARGUMENT");
    }
}

api_test! {
    async fn a_malformed_id_is_an_invalid_id(app) {
        assert_eq!(app.error_code("{ node(id: \"not-an-id\") { id } }", json!({})).await, "INVALID_ID");
        let claim_id_as_actor = json!({ "id": "Q2xhaW06eA" });
        assert_eq!(app.error_code(ACTOR_LOOKUP, claim_id_as_actor).await, "INVALID_ID");
    }
}

api_test! {
    async fn node_fetches_every_type_by_its_id(app) {
        let data = app.query(r#"{
          source(slug: "fahy-2025-a-new-low") { id }
          actor(slug: "kim-jong-un") { id }
          law(slug: "law-on-rejecting-reactionary-thought-and-culture") { id }
          measure(slug: "us-state-department-grant-freeze") { id }
          recommendations(first: 1) { nodes { id } }
          events(first: 1) { nodes { id } }
          claim(slug: "fahy-2025-grant-freeze-survival-mode") { id }
          relations(first: 1) { nodes { id } }
          facts(first: 1) { nodes { id } }
        }"#, json!({})).await;
        let ids: Vec<String> = [
            &data["source"]["id"], &data["actor"]["id"], &data["law"]["id"], &data["measure"]["id"],
            &data["recommendations"]["nodes"][0]["id"], &data["events"]["nodes"][0]["id"],
            &data["claim"]["id"], &data["relations"]["nodes"][0]["id"], &data["facts"]["nodes"][0]["id"],
        ]
        .iter()
        .map(|id| id.as_str().expect("an id").to_owned())
        .collect();

        let found = app.query("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", json!({ "ids": ids })).await;

        let types: Vec<&str> = found["nodes"].as_array().unwrap().iter().map(|n| n["__typename"].as_str().unwrap()).collect();
        assert_eq!(types, ["Source", "Actor", "Law", "Measure", "Recommendation", "Event", "Claim", "Relation", "Fact"]);
        let returned: Vec<&str> = found["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
        assert_eq!(returned, ids);
    }
}

const ACTOR_PAGE: &str = r#"
query Page($first: Int, $after: String, $last: Int, $before: String) {
  actors(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { slug name }
  }
}"#;

api_test! {
    async fn paging_forwards_and_backwards_visits_every_actor_once_in_order(app) {
        let all = app.query(ACTOR_PAGE, json!({ "first": 100 })).await;
        let expected: Vec<String> = all["actors"]["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap().to_owned()).collect();
        assert_eq!(all["actors"]["totalCount"], expected.len());
        assert!(expected.len() > 20, "the dataset has more actors than one default page");

        let mut forwards = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = app.query(ACTOR_PAGE, json!({ "first": 7, "after": after })).await;
            forwards.extend(page["actors"]["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap().to_owned()));
            if !page["actors"]["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                break;
            }
            after = page["actors"]["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(forwards, expected);

        let mut backwards = Vec::new();
        let mut before = Value::Null;
        loop {
            let page = app.query(ACTOR_PAGE, json!({ "last": 7, "before": before })).await;
            let mut slugs: Vec<String> = page["actors"]["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap().to_owned()).collect();
            slugs.append(&mut backwards);
            backwards = slugs;
            if !page["actors"]["pageInfo"]["hasPreviousPage"].as_bool().unwrap() {
                break;
            }
            before = page["actors"]["pageInfo"]["startCursor"].clone();
        }
        assert_eq!(backwards, expected);
    }
}

const ENTITIES_BY_DATE: &str = r#"
query ByDate($after: String) {
  entities(first: 9, after: $after, orderBy: { field: DATE }) {
    pageInfo { hasNextPage endCursor }
    nodes { slug }
  }
}"#;

api_test! {
    async fn pages_never_skip_or_repeat_entities_that_sort_equal(app) {
        // Most entities are undated, so they tie on the sort key; the slug breaks the tie.
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = app.query(ENTITIES_BY_DATE, json!({ "after": after })).await;
            seen.extend(page["entities"]["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap().to_owned()));
            if !page["entities"]["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                break;
            }
            after = page["entities"]["pageInfo"]["endCursor"].clone();
        }
        let dataset = real_dataset();
        let total = dataset.actors.len() + dataset.laws.len() + dataset.measures.len() + dataset.events.len() + dataset.recommendations.len();
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "a page repeated an entity");
        assert_eq!(seen.len(), total, "a page skipped an entity");
    }
}

api_test! {
    async fn a_page_holds_twenty_items_unless_asked_and_at_most_a_hundred(app) {
        let data = app.query(ACTOR_PAGE, json!({})).await;
        assert_eq!(data["actors"]["nodes"].as_array().unwrap().len(), 20);
        assert_eq!(app.error_code(ACTOR_PAGE, json!({ "first": 101 })).await, "PAGE_SIZE_EXCEEDED");
        assert_eq!(app.error_code(ACTOR_PAGE, json!({ "first": -1 })).await, "INVALID_ARGUMENT");
        assert_eq!(app.error_code(ACTOR_PAGE, json!({ "first": 5, "last": 5 })).await, "INVALID_ARGUMENT");
    }
}

api_test! {
    async fn a_cursor_from_elsewhere_is_an_invalid_cursor(app) {
        assert_eq!(app.error_code(ACTOR_PAGE, json!({ "first": 5, "after": "garbage" })).await, "INVALID_CURSOR");
        let by_date = app.query(ENTITIES_BY_DATE, json!({})).await;
        let date_cursor = by_date["entities"]["pageInfo"]["endCursor"].clone();
        assert_eq!(app.error_code(ACTOR_PAGE, json!({ "first": 5, "after": date_cursor })).await, "INVALID_CURSOR");
    }
}

api_test! {
    async fn actors_filter_by_kind(app) {
        let data = app.query(r#"{ actors(first: 100, filter: { kinds: [NGO] }) { totalCount nodes { name actorKind } } }"#, json!({})).await;
        let nodes = data["actors"]["nodes"].as_array().unwrap();
        assert!(nodes.iter().all(|n| n["actorKind"] == "NGO"));
        let found = names(&data["actors"]["nodes"]);
        assert!(found.contains(&"Human Rights Watch".to_owned()), "{found:?}");
        let expected = real_dataset().actors.iter().filter(|a| a.kind == nkhr::domain::ActorKind::Ngo).count();
        assert_eq!(data["actors"]["totalCount"], expected);
    }
}

api_test! {
    async fn entities_filter_by_kind_and_answer_through_the_interface(app) {
        let data = app.query(r#"{
          entities(first: 100, filter: { kinds: [LAW] }) { totalCount nodes { __typename kind name ... on Law { deathPenalty } } }
        }"#, json!({})).await;
        let nodes = data["entities"]["nodes"].as_array().unwrap();
        assert_eq!(data["entities"]["totalCount"], real_dataset().laws.len());
        assert!(nodes.iter().all(|n| n["__typename"] == "Law" && n["kind"] == "LAW"));
        assert!(nodes.iter().any(|n| n["deathPenalty"] == true));
    }
}

api_test! {
    async fn entities_filter_by_name_including_aliases(app) {
        let data = app.query(r#"{ entities(first: 100, filter: { name: "unicef" }) { nodes { slug name aliases } } }"#, json!({})).await;
        let nodes = data["entities"]["nodes"].as_array().unwrap();
        assert!(!nodes.is_empty());
        for node in nodes {
            let text = format!("{} {}", node["name"], node["aliases"]).to_lowercase();
            assert!(text.contains("unicef"), "{node:#}");
        }
    }
}

api_test! {
    async fn entities_filter_by_what_they_relate_to(app) {
        let data = app.query(r#"{ entities(first: 100, filter: { relatedTo: "us-state-department-grant-freeze" }) { nodes { slug } } }"#, json!({})).await;
        let slugs: Vec<&str> = data["entities"]["nodes"].as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap()).collect();
        assert!(slugs.contains(&"citizens-alliance-for-north-korean-human-rights"), "{slugs:?}");
        assert!(slugs.contains(&"trump-administration"), "{slugs:?}");
    }
}

api_test! {
    async fn claims_filter_by_source_entity_certainty_and_date(app) {
        let dataset = real_dataset();
        let by_source = app.query(r#"{ claims(filter: { source: "dhrwg-2021-continue-to-decline" }) { totalCount } }"#, json!({})).await;
        let expected = dataset.claims.iter().filter(|c| c.record.source == "dhrwg-2021-continue-to-decline").count();
        assert_eq!(by_source["claims"]["totalCount"], expected);

        let about = app.query(r#"{ claims(first: 100, filter: { about: "human-rights-watch" }) { nodes { quote about { slug } } } }"#, json!({})).await;
        let nodes = about["claims"]["nodes"].as_array().unwrap();
        assert!(!nodes.is_empty());
        assert!(nodes.iter().all(|c| c["about"].as_array().unwrap().iter().any(|e| e["slug"] == "human-rights-watch")));

        let hedged = app.query(r#"{ claims(first: 100, filter: { certainties: [LIKELY, INFERRED] }) { nodes { certainty quote } } }"#, json!({})).await;
        let hedged = hedged["claims"]["nodes"].as_array().unwrap();
        assert!(hedged.iter().any(|c| c["quote"].as_str().unwrap().contains("have likely been lost")), "{hedged:#?}");
        assert!(hedged.iter().all(|c| c["certainty"] == "LIKELY" || c["certainty"] == "INFERRED"));

        let dated = app.query(r#"{ claims(first: 100, filter: { from: "2023", to: "2023" }) { nodes { date { earliest latest } until { latest } } } }"#, json!({})).await;
        let dated = dated["claims"]["nodes"].as_array().unwrap();
        assert!(!dated.is_empty());
        for claim in dated {
            let start = claim["date"]["earliest"].as_str().unwrap();
            let end = claim["until"]["latest"].as_str().or(claim["date"]["latest"].as_str()).unwrap();
            assert!(start <= "2023-12-31" && end >= "2023-01-01", "{claim:#} does not overlap 2023");
        }
    }
}

api_test! {
    async fn a_malformed_date_filter_is_refused_before_it_runs(app) {
        let code = app.error_code(r#"{ claims(filter: { from: "March 2020" }) { totalCount } }"#, json!({})).await;
        assert_eq!(code, "BAD_USER_INPUT");
    }
}

api_test! {
    async fn relations_go_both_ways_with_their_evidence(app) {
        let data = app.query(r#"{
          actor(slug: "citizens-alliance-for-north-korean-human-rights") {
            incoming: relations(direction: INCOMING, types: [AFFECTS]) { subject { slug } object { slug } evidence { quote start end source { slug } } }
            outgoing: relations(direction: OUTGOING) { subject { slug } }
          }
        }"#, json!({})).await;
        let incoming = data["actor"]["incoming"].as_array().unwrap();
        assert!(incoming.iter().any(|r| r["subject"]["slug"] == "us-state-department-grant-freeze"));
        assert!(incoming.iter().all(|r| r["object"]["slug"] == "citizens-alliance-for-north-korean-human-rights"));
        assert!(data["actor"]["outgoing"].as_array().unwrap().iter().all(|r| r["subject"]["slug"] == "citizens-alliance-for-north-korean-human-rights"));
        let dataset = real_dataset();
        let source = dataset.sources.iter().find(|s| s.record.slug == "fahy-2025-a-new-low").unwrap();
        let text: Vec<char> = source.text.chars().collect();
        for claim in incoming.iter().flat_map(|r| r["evidence"].as_array().unwrap()) {
            let (start, end) = (claim["start"].as_u64().unwrap() as usize, claim["end"].as_u64().unwrap() as usize);
            let located: String = text[start..end].iter().collect();
            assert_eq!(located, claim["quote"].as_str().unwrap(), "the offsets point at the quote");
        }
    }
}

api_test! {
    async fn laws_carry_provisions_and_penalties_with_evidence(app) {
        let data = app.query(r#"{
          laws(first: 100) { nodes { slug name enacted { value precision earliest latest } deathPenalty
            provisions { article summary evidence { quote } }
            penalties { kind appliesTo evidence { quote } } } }
        }"#, json!({})).await;
        let laws = data["laws"]["nodes"].as_array().unwrap();
        let reactionary = laws.iter().find(|l| l["slug"] == "law-on-rejecting-reactionary-thought-and-culture").expect("the law");
        assert_eq!(reactionary["enacted"], json!({ "value": "2020", "precision": "YEAR", "earliest": "2020-01-01", "latest": "2020-12-31" }));
        assert_eq!(reactionary["deathPenalty"], true);
        let articles: Vec<&str> = laws.iter().flat_map(|l| l["provisions"].as_array().unwrap()).filter_map(|p| p["article"].as_str()).collect();
        assert!(articles.contains(&"8") && articles.contains(&"65"), "{articles:?}");
        for penalty in laws.iter().flat_map(|l| l["penalties"].as_array().unwrap()) {
            assert!(!penalty["evidence"]["quote"].as_str().unwrap().is_empty());
        }
    }
}

api_test! {
    async fn attributed_claims_name_who_asserts_them(app) {
        let data = app.query(r#"{ claims(first: 100, filter: { text: "According to Human Rights Watch" }) { nodes { attributed certainty assertedBy { slug } } } }"#, json!({})).await;
        let claims = data["claims"]["nodes"].as_array().unwrap();
        assert!(!claims.is_empty());
        for claim in claims {
            assert_eq!(claim["attributed"], true);
            assert_eq!(claim["certainty"], "REPORTED");
            assert_eq!(claim["assertedBy"][0]["slug"], "human-rights-watch");
        }
        let own = app.query(r#"{ claim(slug: "fahy-2025-grant-freeze-survival-mode") { attributed assertedBy { slug } } }"#, json!({})).await;
        assert_eq!(own["claim"], json!({ "attributed": false, "assertedBy": [{ "slug": "sandra-fahy" }] }));
    }
}

api_test! {
    async fn the_dataset_reports_its_version_and_counts(app) {
        let data = app.query("{ dataset { version digest loadedTime counts { sources actors laws measures events recommendations claims relations facts } } }", json!({})).await;
        let dataset = real_dataset();
        assert_eq!(data["dataset"]["version"], 1);
        assert_eq!(data["dataset"]["digest"], dataset.version);
        assert_eq!(data["dataset"]["counts"], json!({
            "sources": dataset.sources.len(), "actors": dataset.actors.len(), "laws": dataset.laws.len(),
            "measures": dataset.measures.len(), "events": dataset.events.len(),
            "recommendations": dataset.recommendations.len(), "claims": dataset.claims.len(),
            "relations": dataset.relations.len(), "facts": dataset.facts.len(),
        }));
    }
}

api_test! {
    async fn the_flagship_question_runs_three_statements(app) {
        let statements = app.statements_of(FLAGSHIP_QUERY, json!({})).await;

        // The measure; its AFFECTS relations with the entities at their ends, their evidence
        // and each claim's source, the filter applied in SQL; the sources' authors.
        assert_eq!(statements.len(), 3, "{statements:#?}");
    }
}

/// Whether `sql` reads a source's `text` column.
fn reads_source_text(sql: &str) -> bool {
    sql.contains(r#"."text""#)
        || sql.contains(r#""text","#)
        || sql.contains(r#""text" "#)
        || sql.contains("SELECT *")
}

api_test! {
    async fn a_source_read_for_its_title_does_not_read_its_text(app) {
        let by_slug = app.statements_of(r#"{ source(slug: "fahy-2025-a-new-low") { title authors { name } } }"#, json!({})).await;
        let as_evidence = app.statements_of(r#"{ claim(slug: "fahy-2025-title-new-low") { source { title citation { text } } } }"#, json!({})).await;
        let with_text = app.statements_of(r#"{ source(slug: "fahy-2025-a-new-low") { title text } }"#, json!({})).await;

        for sql in by_slug.iter().chain(&as_evidence) {
            assert!(!reads_source_text(sql), "a title read selects the text: {sql}");
        }
        assert_eq!(with_text.iter().filter(|sql| reads_source_text(sql)).count(), 1, "the text is read once when asked for: {with_text:#?}");
    }
}

api_test! {
    async fn relation_filters_run_in_sql(app) {
        let affects = app.statements_of(r#"{ measure(slug: "us-state-department-grant-freeze") { relations(direction: OUTGOING, types: [AFFECTS]) { type } } }"#, json!({})).await;
        let data = app.query(r#"{ measure(slug: "us-state-department-grant-freeze") { all: relations { type } affects: relations(direction: OUTGOING, types: [AFFECTS]) { type subject { slug } } } }"#, json!({})).await;

        assert_eq!(affects.len(), 2, "{affects:#?}");
        assert!(affects[1].contains("relation_type"), "the type filter is in the statement: {}", affects[1]);
        let all = data["measure"]["all"].as_array().unwrap();
        let filtered = data["measure"]["affects"].as_array().unwrap();
        assert!(!filtered.is_empty() && filtered.len() < all.len(), "{data:#}");
        for relation in filtered {
            assert_eq!(relation["type"], "AFFECTS");
            assert_eq!(relation["subject"]["slug"], "us-state-department-grant-freeze");
        }
    }
}

/// A nested query over a list: actors, their relations both ways, the entities at the
/// other end, the evidence and its sources. Each question appears at one depth only, so the
/// count is exact: the actors page; the relations both ways, joined with their ends, their
/// evidence and its sources; the aliases.
const NESTED: &str = r#"
query Nested($first: Int!) {
  actors(first: $first) {
    nodes {
      name
      aliases
      relations(first: 25) {
        type
        subject { name }
        object { name }
        evidence { quote start end source { title } }
      }
    }
  }
}"#;

api_test! {
    async fn the_statements_a_request_runs_do_not_grow_with_its_rows(app) {
        let small = app.count_statements(NESTED, json!({ "first": 2 })).await;
        let large = app.count_statements(NESTED, json!({ "first": 40 })).await;
        let largest = app.count_statements(NESTED, json!({ "first": 100 })).await;
        eprintln!("{:?}: {small} statements for 2 actors, {large} for 40, {largest} for 100", app.backend);
        assert_eq!(small, large);
        assert_eq!(large, largest);
        assert_eq!(small, 3, "one statement per question: the page; the relations both ways with the entities at their ends, their evidence and its sources; the aliases");
    }
}

api_test! {
    async fn a_query_nested_too_deep_is_refused_with_a_code(app) {
        let mut deep = String::from("name");
        for _ in 0..8 {
            deep = format!("relations {{ subject {{ {deep} }} }}");
        }
        let deep = format!("{{ actor(slug: \"kim-jong-un\") {{ {deep} }} }}");
        assert_eq!(app.error_code(&deep, json!({})).await, "QUERY_TOO_DEEP");
    }
}

api_test! {
    async fn a_query_that_costs_too_much_is_refused_with_a_code(app) {
        // Each aliased page of 100 claims, their entities, relations and evidence costs some
        // 100 × 20 × 50 × 10 points: far past the node limit.
        let page = "claims(first: 100) { nodes { about { relations { evidence { about { name } } } } } }";
        let costly = format!("{{ {} }}", (0..20).map(|i| format!("a{i}: {page}")).collect::<Vec<_>>().join(" "));
        assert_eq!(app.error_code(&costly, json!({})).await, "QUERY_TOO_COMPLEX");
    }
}

api_test! {
    async fn a_database_failure_reaches_the_client_as_a_generic_internal_error(app) {
        use sea_orm::ConnectionTrait;
        app.db.execute_unprepared("DROP TABLE relation_evidence").await.unwrap();

        let (_, body) = app.post_graphql("{ relations(first: 1) { nodes { evidence { quote } } } }", json!({})).await;

        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR");
        let message = error["message"].as_str().unwrap();
        assert!(!message.to_lowercase().contains("relation_evidence"), "the message leaks the database error: {message}");
        assert!(message.contains("internal"), "{message}");
    }
}

api_test! {
    async fn a_relation_is_as_certain_as_its_firmest_evidence(app) {
        let data = app.query(r#"{ relations(first: 100, filter: { types: [AFFECTS, IMPOSED_BY, CAUSED_BY] }) { nodes { key certainty evidence { certainty } } } }"#, json!({})).await;
        let relations = data["relations"]["nodes"].as_array().unwrap();
        assert!(relations.iter().any(|r| r["certainty"] == "STATED"));
        for relation in relations {
            let order = ["STATED", "REPORTED", "INFERRED", "LIKELY", "POSSIBLE", "UNKNOWN"];
            let rank = |c: &Value| order.iter().position(|o| c == o).unwrap();
            let firmest = relation["evidence"].as_array().unwrap().iter().map(|c| rank(&c["certainty"])).min().unwrap();
            assert_eq!(rank(&relation["certainty"]), firmest, "{relation:#}");
        }
        // Human Rights Watch, not the author, says soldiers were ordered to shoot on sight.
        let reported = app.query(r#"{ relation(key: "border-shoot-on-sight-order/part_of/dprk-china-border-buffer-zone") { certainty } }"#, json!({})).await;
        assert_eq!(reported["relation"]["certainty"], "REPORTED");
    }
}

const HOW_RELATIONS_ARE_KNOWN: &str = r#"query ($stated: String!, $inferred: String!) {
  stated: relation(key: $stated) { basis inference asserter { slug name } }
  inferred: relation(key: $inferred) { basis inference asserter { slug } }
  actor(slug: "us-congress") { descriptionBasis }
}"#;

api_test! {
    async fn a_relation_says_how_it_is_known_and_who_asserts_it(app) {
        let data = app.query(HOW_RELATIONS_ARE_KNOWN, json!({
            "stated": "border-shoot-on-sight-order/part_of/dprk-china-border-buffer-zone",
            "inferred": "dhrwg-2021-appoint-special-envoys/addressed_to/us-congress",
        })).await;

        assert_eq!(data["stated"], json!({
            "basis": "STATED",
            "inference": null,
            "asserter": { "slug": "human-rights-watch", "name": "Human Rights Watch" },
        }));
        assert_eq!(data["inferred"]["basis"], "INFERRED");
        assert_eq!(data["inferred"]["asserter"], Value::Null);
        let inference = data["inferred"]["inference"].as_str().expect("an inference");
        assert!(inference.contains("The preamble addresses the list as a whole"), "{inference}");
        assert!(inference.contains("is read from its place in the list"), "{inference}");
        assert_eq!(data["actor"]["descriptionBasis"], "CLAIMS");
    }
}
