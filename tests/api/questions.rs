//! The questions a journalist would ask of each source, asked through the GraphQL API, with
//! the answers the texts give: who, what, when and how much, how firmly it is asserted and by
//! whom, and the verbatim quote to cite. A wrong answer here is a wrong record in `seeds/` (or
//! a wrong resolver), so each test pins concrete values, not just that something came back.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::harness::{TestApp, api_test};

const FAHY: &str = "fahy-2025-a-new-low";
const DHRWG: &str = "dhrwg-2021-continue-to-decline";

/// The fields of a claim every question below may look at.
macro_rules! claim_fields {
    () => {
        "slug quote statement certainty kind attributed note
         assertedBy { slug name }
         date { value precision earliest latest }
         until { value precision earliest latest }
         quantity { value unit }
         source { slug }
         fact { slug }
         about { slug }"
    };
}

/// Claims matching a filter.
const CLAIMS: &str = concat!(
    "query Claims($filter: ClaimFilter) { claims(first: 100, filter: $filter) { totalCount nodes { ",
    claim_fields!(),
    " } } }"
);

/// An entity's relations, with their evidence.
const RELATIONS: &str = r#"
query Relations($slug: String!, $direction: RelationDirection!, $types: [RelationType!]) {
  entity(slug: $slug) {
    relations(direction: $direction, types: $types) {
      type
      description
      subject { slug name }
      object { slug name }
      start { value precision }
      evidence { slug quote certainty source { slug } }
    }
  }
}"#;

/// A measure, with its dates and status.
const MEASURE: &str = r#"
query Measure($slug: String!) {
  measure(slug: $slug) { name status start { value precision } end { value precision } }
}"#;

/// An event, with its dates.
const EVENT: &str = r#"
query Event($slug: String!) {
  event(slug: $slug) { name start { value precision earliest latest } end { value precision } }
}"#;

/// A source, its authors and the recommendations it makes, with their authors and addressees.
const SOURCE_RECOMMENDATIONS: &str = r#"
query SourceRecommendations($slug: String!) {
  source(slug: $slug) {
    title
    published { value precision }
    authors { slug name }
    recommendations {
      slug
      name
      relations(direction: OUTGOING, types: [AUTHORED_BY, ADDRESSED_TO, CONCERNS]) {
        type
        object { slug name }
        evidence { slug quote kind source { slug } }
      }
    }
  }
}"#;

/// A fact and the claims, from every source, that state it.
const FACT: &str = r#"
query Fact($slug: String!) {
  fact(slug: $slug) {
    statement
    sourceCount
    sources { slug }
    claims { slug quote certainty date { value precision } source { slug } }
  }
}"#;

/// The claims of `source` whose quote contains `phrase`, found the way a journalist would:
/// by searching the source's claims for the words.
async fn claims_quoting(app: &TestApp, source: &str, phrase: &str) -> Vec<Value> {
    let data = app
        .query(
            CLAIMS,
            json!({ "filter": { "source": source, "text": phrase } }),
        )
        .await;
    let found: Vec<Value> = data["claims"]["nodes"]
        .as_array()
        .expect("a list of claims")
        .iter()
        .filter(|c| c["quote"].as_str().expect("a quote").contains(phrase))
        .cloned()
        .collect();
    assert!(!found.is_empty(), "no claim of {source} quotes {phrase:?}");
    found
}

/// The one claim of `source` whose quote contains `phrase`.
async fn claim_quoting(app: &TestApp, source: &str, phrase: &str) -> Value {
    let mut found = claims_quoting(app, source, phrase).await;
    assert_eq!(
        found.len(),
        1,
        "more than one claim of {source} quotes {phrase:?}: {found:#?}"
    );
    found.remove(0)
}

/// The relations of the entity `slug` in `direction`, of `types`.
async fn relations(app: &TestApp, slug: &str, direction: &str, types: &[&str]) -> Vec<Value> {
    let data = app
        .query(
            RELATIONS,
            json!({ "slug": slug, "direction": direction, "types": types }),
        )
        .await;
    data["entity"]["relations"]
        .as_array()
        .unwrap_or_else(|| panic!("no entity {slug}"))
        .clone()
}

/// The strings at `pointer` in each of `values`.
fn strings(values: &[Value], pointer: &str) -> BTreeSet<String> {
    values
        .iter()
        .map(|v| {
            v.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no string at {pointer} in {v:#}"))
                .to_owned()
        })
        .collect()
}

/// A set of strings, to compare with [`strings`].
fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The slugs of the entities a claim is about.
fn about(claim: &Value) -> BTreeSet<String> {
    strings(claim["about"].as_array().expect("about"), "/slug")
}

/// The quotes of a relation's evidence.
fn evidence_quotes(relation: &Value) -> Vec<String> {
    relation["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|c| c["quote"].as_str().expect("a quote").to_owned())
        .collect()
}

/// The one relation of `relations` of `kind` to (or from) the entity `other`.
fn relation_with<'a>(relations: &'a [Value], kind: &str, other: &str) -> &'a Value {
    relations
        .iter()
        .find(|r| {
            r["type"] == kind && (r["object"]["slug"] == other || r["subject"]["slug"] == other)
        })
        .unwrap_or_else(|| panic!("no {kind} relation with {other} in {relations:#?}"))
}

/// A quantity's value and unit.
fn quantity(claim: &Value) -> (f64, &str) {
    (
        claim["quantity"]["value"].as_f64().expect("a quantity"),
        claim["quantity"]["unit"].as_str().expect("a unit"),
    )
}

// -------------------------------------------------------------------------------------------
// Sandra Fahy, “A New Low for North Korean Human Rights” (2025)

api_test! {
    async fn north_korea_was_the_first_nation_to_close_its_borders_in_january_2020(app) {
        let claim = claim_quoting(&app, FAHY, "first among nations").await;
        assert_eq!(claim["quote"], "being the first among nations to close its borders in January 2020");
        assert_eq!(claim["certainty"], "STATED");
        assert_eq!(claim["date"], json!({ "value": "2020-01", "precision": "MONTH", "earliest": "2020-01-01", "latest": "2020-01-31" }));
        assert_eq!(claim["fact"]["slug"], "dprk-closed-borders-january-2020");
        assert!(about(&claim).contains("dprk-border-closure-2020"));

        let measure = app.query(MEASURE, json!({ "slug": "dprk-border-closure-2020" })).await;
        assert_eq!(measure["measure"]["start"], json!({ "value": "2020-01", "precision": "MONTH" }));
        assert_eq!(measure["measure"]["status"], "REIMPOSED", "the border at Rason opened for a few days, and is closed again at the time of writing");

        let imposed = relations(&app, "dprk-border-closure-2020", "OUTGOING", &["IMPOSED_BY"]).await;
        let by_dprk = relation_with(&imposed, "IMPOSED_BY", "dprk");
        assert_eq!(by_dprk["object"]["name"], "North Korea");
        assert_eq!(evidence_quotes(by_dprk), ["being the first among nations to close its borders in January 2020"]);
    }
}

api_test! {
    async fn the_buffer_zone_on_the_china_border_is_two_kilometres_wide(app) {
        let claims = claims_quoting(&app, FAHY, "two-kilometer buffer zone").await;
        let measured: Vec<&Value> = claims.iter().filter(|c| !c["quantity"].is_null()).collect();
        assert_eq!(measured.len(), 1, "one claim states the width: {claims:#?}");
        let claim = measured[0];
        assert_eq!(quantity(claim), (2.0, "kilometres"));
        assert_eq!(claim["quote"], "North Korea created a two-kilometer buffer zone along its border with China");
        assert_eq!(claim["source"]["slug"], FAHY);
        assert_eq!(claim["date"]["value"], "early 2020", "as the text dates it");
        assert_eq!(claim["date"]["precision"], "YEAR", "“early 2020” is not a day");
        assert_eq!((claim["date"]["earliest"].as_str(), claim["date"]["latest"].as_str()), (Some("2020-01-01"), Some("2020-04-30")));
        assert!(claim["note"].as_str().unwrap().contains("early 2020"));

        let imposed = relations(&app, "dprk-china-border-buffer-zone", "OUTGOING", &["IMPOSED_BY"]).await;
        assert_eq!(strings(&imposed, "/object/slug"), set(&["dprk"]));
        let blocked = relations(&app, "dprk-china-border-buffer-zone", "OUTGOING", &["AFFECTS"]).await;
        let lifeline = relation_with(&blocked, "AFFECTS", "cross-border-smuggling-economy");
        assert!(evidence_quotes(lifeline)[0].starts_with("Yet, this lifeline has been blocked since early 2020"));
    }
}

api_test! {
    async fn human_rights_watch_is_who_says_soldiers_were_ordered_to_shoot_on_sight(app) {
        let claim = claim_quoting(&app, FAHY, "shoot on sight").await;
        assert_eq!(claim["quote"], "According to Human Rights Watch, soldiers were ordered to shoot on sight anyone entering the area without permission.");
        assert_eq!(claim["certainty"], "REPORTED");
        assert_eq!(claim["attributed"], true);
        assert_eq!(claim["assertedBy"], json!([{ "slug": "human-rights-watch", "name": "Human Rights Watch" }]));
        assert!(about(&claim).is_superset(&set(&["border-shoot-on-sight-order", "north-korean-military", "dprk-china-border-buffer-zone"])));

        let by_hrw = app.query(CLAIMS, json!({ "filter": { "assertedBy": "human-rights-watch" } })).await;
        assert_eq!(strings(by_hrw["claims"]["nodes"].as_array().unwrap(), "/slug"), set(&["fahy-2025-hrw-shoot-on-sight"]));

        let order = app.query(MEASURE, json!({ "slug": "border-shoot-on-sight-order" })).await;
        assert_eq!(order["measure"]["start"], Value::Null, "the text does not date the order");
    }
}

api_test! {
    async fn only_63_defectors_reached_south_korea_the_fewest_since_the_famine_of_the_1990s(app) {
        let claim = claim_quoting(&app, FAHY, "63 defectors").await;
        assert_eq!(claim["quote"], "After these extremes went into effect, only 63 defectors arrived in South Korea");
        assert_eq!(quantity(&claim), (63.0, "people"));
        assert_eq!(claim["certainty"], "STATED");
        assert!(about(&claim).is_superset(&set(&["north-korean-defectors", "south-korea"])));

        let lowest = claim_quoting(&app, FAHY, "lowest number since the famine").await;
        assert_eq!(lowest["quote"], "which is the lowest number since the famine of the 1990s");
        assert!(about(&lowest).contains("famine-of-the-1990s"));

        let famine = app.query(EVENT, json!({ "slug": "famine-of-the-1990s" })).await;
        assert_eq!(famine["event"]["end"], Value::Null, "“the 1990s” is a decade, not the span 1990–1999");

        // “After these extremes went into effect” is a sequence, not a cause: no border
        // control is said to have affected the defectors.
        let affected_by = relations(&app, "north-korean-defectors", "INCOMING", &["AFFECTS"]).await;
        assert!(affected_by.is_empty(), "{affected_by:#?}");

        let arrived = relations(&app, "north-korean-defectors", "OUTGOING", &["LOCATED_IN"]).await;
        let south_korea = relation_with(&arrived, "LOCATED_IN", "south-korea");
        assert_eq!(evidence_quotes(south_korea), ["After these extremes went into effect, only 63 defectors arrived in South Korea"]);
    }
}

const LAWS: &str = r#"
{
  laws(first: 100) {
    nodes {
      slug
      name
      jurisdiction { slug }
      enacted { value precision }
      deathPenalty
      penalties { kind appliesTo evidence { slug quote } }
      relations(direction: OUTGOING, types: [ENACTED_BY]) { object { slug } start { value precision } }
    }
  }
}"#;

api_test! {
    async fn five_laws_allow_the_death_penalty_three_of_them_for_the_first_time_since_2020(app) {
        let data = app.query(LAWS, json!({})).await;
        let laws = data["laws"]["nodes"].as_array().unwrap();
        let law = |slug: &str| laws.iter().find(|l| l["slug"] == slug).unwrap_or_else(|| panic!("no law {slug}"));

        let deadly: BTreeSet<String> = laws.iter().filter(|l| l["deathPenalty"] == true).map(|l| l["slug"].as_str().unwrap().to_owned()).collect();
        assert_eq!(deadly, set(&[
            "law-on-rejecting-reactionary-thought-and-culture",
            "youth-education-guarantee-law",
            "law-on-protecting-the-pyongyang-cultural-language",
            "law-on-the-prevention-of-drug-related-crimes",
            "law-on-emergency-anti-epidemic-work",
        ]));
        assert!(laws.iter().all(|l| l["jurisdiction"]["slug"] == "dprk"));

        for (slug, year) in [
            ("law-on-rejecting-reactionary-thought-and-culture", "2020"),
            ("youth-education-guarantee-law", "2021"),
            ("law-on-protecting-the-pyongyang-cultural-language", "2023"),
        ] {
            let law = law(slug);
            assert_eq!(law["enacted"], json!({ "value": year, "precision": "YEAR" }), "{slug}");
            assert_eq!(law["relations"], json!([{ "object": { "slug": "kim-regime" }, "start": { "value": year, "precision": "YEAR" } }]), "{slug}");
            let penalty = &law["penalties"][0];
            assert_eq!(penalty["kind"], "DEATH");
            assert_eq!(penalty["evidence"]["quote"], "For the first time, these laws impose the death penalty if violated.");
        }

        assert_eq!(law("law-on-emergency-anti-epidemic-work")["enacted"], json!({ "value": "2020", "precision": "YEAR" }));
        assert_eq!(law("law-on-the-prevention-of-drug-related-crimes")["enacted"], Value::Null, "the text leaves its date ambiguous");
        assert_eq!(
            law("law-on-the-prevention-of-drug-related-crimes")["penalties"][0]["evidence"]["quote"],
            "Other new laws also allow for the death penalty: the Law on the Prevention of Drug-Related Crimes and the Law on Emergency Anti-epidemic Work"
        );

        let executions = claim_quoting(&app, FAHY, "Public executions").await;
        assert_eq!(executions["quote"], "Public executions have increased following their implementation.");
        assert!(about(&executions).contains("rise-in-public-executions"));
    }
}

const ANTI_EPIDEMIC_LAW: &str = r#"
{
  law(slug: "law-on-emergency-anti-epidemic-work") {
    name
    provisions { article summary evidence { quote note } }
    penalties { kind appliesTo evidence { slug } }
  }
}"#;

api_test! {
    async fn article_8_equates_quarantine_with_wartime_and_article_65_authorizes_the_death_penalty(app) {
        let data = app.query(ANTI_EPIDEMIC_LAW, json!({})).await;
        let law = &data["law"];
        assert_eq!(law["name"], "Law on Emergency Anti-epidemic Work");
        let provisions = law["provisions"].as_array().unwrap();
        assert_eq!(strings(provisions, "/article"), set(&["8", "65"]));
        let article = |n: &str| provisions.iter().find(|p| p["article"] == n).unwrap();

        let summary = article("8")["summary"].as_str().unwrap();
        assert!(summary.starts_with("Equates the emergency quarantine period with wartime."), "{summary}");
        for n in ["8", "65"] {
            let summary = article(n)["summary"].as_str().unwrap();
            assert!(summary.contains("the editors’ inference"), "the attribution to this law is labelled: {summary}");
        }
        assert_eq!(article("8")["evidence"]["quote"], "equate the emergency quarantine period with wartime (article 8)");
        assert_eq!(article("65")["evidence"]["quote"], "authorize the death penalty for violations of orders or instructions related to emergency quarantine operations (article 65)");
        assert!(article("65")["summary"].as_str().unwrap().contains("death penalty"));
        for n in ["8", "65"] {
            let note = article(n)["evidence"]["note"].as_str().expect("a note on the ambiguity");
            assert!(note.starts_with("Ambiguous"), "{note}");
            assert!(note.contains("which law article"), "the note says the text does not say which law: {note}");
        }
        assert_eq!(law["penalties"], json!([{
            "kind": "DEATH",
            "appliesTo": "violations of orders or instructions related to emergency quarantine operations (article 65, which the text gives for both laws it names; recorded here as the editors’ inference)",
            "evidence": { "slug": "fahy-2025-article-65-death-penalty" },
        }]));

        let enacted = claim_quoting(&app, FAHY, "enacted in 2020").await;
        assert_eq!(enacted["date"]["value"], "2020");
        assert!(enacted["note"].as_str().unwrap().contains("Law on the Prevention of Drug-Related Crimes"));
    }
}

api_test! {
    async fn seven_un_agencies_including_unicef_the_fao_and_the_who_want_their_staff_back(app) {
        let claim = claim_quoting(&app, FAHY, "Seven of the UN agencies").await;
        assert_eq!(quantity(&claim), (7.0, "agencies"));
        assert!(claim["quote"].as_str().unwrap().ends_with("have expressed interest in their international staff returning"));
        assert!(about(&claim).is_superset(&set(&["unicef", "food-and-agriculture-organization", "world-health-organization", "un-agencies-operating-in-north-korea"])));

        let members = relations(&app, "un-agencies-operating-in-north-korea", "INCOMING", &["MEMBER_OF"]).await;
        assert_eq!(strings(&members, "/subject/name"), set(&["UNICEF", "Food and Agriculture Organization", "World Health Organization"]));

        let unanswered = relations(&app, "dprk", "OUTGOING", &["REFUSES_TO_COOPERATE_WITH"]).await;
        for agency in ["unicef", "food-and-agriculture-organization", "world-health-organization", "un-agencies-operating-in-north-korea"] {
            let relation = relation_with(&unanswered, "REFUSES_TO_COOPERATE_WITH", agency);
            assert_eq!(evidence_quotes(relation), ["but they have not heard back from the DPRK"]);
        }
    }
}

api_test! {
    async fn that_landmines_are_part_of_the_border_controls_is_inferred_not_stated(app) {
        let inference = claim_quoting(&app, FAHY, "strongly suggesting").await;
        assert_eq!(inference["quote"], "strongly suggesting that landmines are part of the new robust controls");
        assert_eq!(inference["certainty"], "INFERRED");
        assert_eq!(inference["kind"], "ASSESSMENT");

        let stated = app.query(CLAIMS, json!({ "filter": { "source": FAHY, "text": "landmines are part of", "certainties": ["STATED"] } })).await;
        assert_eq!(stated["claims"]["totalCount"], 0, "the inference is nowhere recorded as a stated fact");

        let deaths = claim_quoting(&app, FAHY, "killed by detonated landmines").await;
        assert_eq!(deaths["certainty"], "STATED", "the deaths themselves are stated");
        assert_eq!(deaths["date"]["value"], "2023");
        assert_eq!(deaths["date"]["precision"], "YEAR");
    }
}

api_test! {
    async fn the_crypto_heist_north_korea_laundered_money_from_was_1_5_billion_dollars(app) {
        let claim = claim_quoting(&app, FAHY, "crypto heist").await;
        assert_eq!(claim["quote"], "laundered money from a historic crypto heist of $1.5 billion");
        assert_eq!(quantity(&claim), (1_500_000_000.0, "usd"));
        assert!(claim["note"].as_str().unwrap().contains("does not say how much North Korea laundered"));

        let laundering = relations(&app, "laundering-of-crypto-heist-proceeds", "BOTH", &["CARRIED_OUT", "CAUSED_BY"]).await;
        assert_eq!(relation_with(&laundering, "CARRIED_OUT", "dprk")["subject"]["slug"], "dprk");
        assert_eq!(relation_with(&laundering, "CAUSED_BY", "crypto-heist-1-5-billion")["object"]["slug"], "crypto-heist-1-5-billion");
    }
}

api_test! {
    async fn north_korea_sent_soldiers_to_fight_with_russia_against_ukraine(app) {
        let sent = relations(&app, "dprk", "OUTGOING", &["SENT_TROOPS_TO", "FOUGHT_AGAINST", "CARRIED_OUT"]).await;
        let quote = "The DPRK, for example, has sent soldiers to fight with Russia against Ukraine";
        for (kind, other) in [("SENT_TROOPS_TO", "russia"), ("FOUGHT_AGAINST", "ukraine"), ("CARRIED_OUT", "dprk-soldiers-sent-to-fight-with-russia")] {
            assert_eq!(evidence_quotes(relation_with(&sent, kind, other)), [quote], "{kind} {other}");
        }
        let event = app.query(EVENT, json!({ "slug": "dprk-soldiers-sent-to-fight-with-russia" })).await;
        assert_eq!(event["event"]["name"], "North Korean soldiers sent to fight with Russia against Ukraine");
        assert_eq!(event["event"]["start"], Value::Null, "the text does not date it");
    }
}

api_test! {
    async fn the_un_special_rapporteur_on_human_rights_in_the_dprk_is_elizabeth_salmon(app) {
        let holders = relations(&app, "un-special-rapporteur-on-human-rights-in-the-dprk", "INCOMING", &["HOLDS"]).await;
        assert_eq!(strings(&holders, "/subject/name"), set(&["Elizabeth Salmón"]));
        assert_eq!(evidence_quotes(&holders[0]), ["The UN special rapporteur on human rights in the DPRK, Elizabeth Salmón"]);

        let issued = relations(&app, "elizabeth-salmon", "OUTGOING", &["ISSUED"]).await;
        let statement = relation_with(&issued, "ISSUED", "salmon-statement-on-civil-society-funding");
        assert!(evidence_quotes(statement)[0].contains("dire financial situation of civil society actors"));

        let part_of = relations(&app, "un-special-rapporteur-on-human-rights-in-the-dprk", "OUTGOING", &["PART_OF"]).await;
        assert_eq!(strings(&part_of, "/object/slug"), set(&["united-nations"]));
    }
}

api_test! {
    async fn fahy_recommends_reinstating_funding_and_pressing_for_aid_workers_and_says_to_whom(app) {
        let data = app.query(SOURCE_RECOMMENDATIONS, json!({ "slug": FAHY })).await;
        let recommendations = data["source"]["recommendations"].as_array().unwrap();
        assert_eq!(strings(recommendations, "/slug"), set(&[
            "fahy-2025-reinstate-funding-for-human-rights-organizations",
            "fahy-2025-press-for-entry-of-international-aid-workers",
        ]));
        for recommendation in recommendations {
            let relations = recommendation["relations"].as_array().unwrap();
            let of = |kind: &str| strings(&relations.iter().filter(|r| r["type"] == kind).cloned().collect::<Vec<_>>(), "/object/slug");
            assert_eq!(of("AUTHORED_BY"), set(&["sandra-fahy"]), "{recommendation:#}");
            let addressees = of("ADDRESSED_TO");
            if recommendation["slug"] == "fahy-2025-reinstate-funding-for-human-rights-organizations" {
                assert_eq!(addressees, set(&["trump-administration", "united-states"]));
                let to_trump = relation_with(relations, "ADDRESSED_TO", "trump-administration");
                assert_eq!(evidence_quotes(to_trump), ["To begin with, funding for organizations working on DPRK human rights on the Korean Peninsula must be reinstated."]);
                assert_eq!(to_trump["evidence"][0]["kind"], "RECOMMENDATION");
            } else {
                assert!(addressees.is_empty(), "the text does not name its “we”: {recommendation:#}");
            }
        }

        let imperative = claim_quoting(&app, FAHY, "policy steps are imperative").await;
        assert_eq!(imperative["kind"], "RECOMMENDATION");
        assert_eq!(imperative["assertedBy"], json!([{ "slug": "sandra-fahy", "name": "Sandra Fahy" }]));
    }
}

api_test! {
    async fn congress_established_the_national_endowment_for_democracy_and_the_drl(app) {
        let established = relations(&app, "us-congress", "INCOMING", &["ESTABLISHED_BY"]).await;
        for body in ["national-endowment-for-democracy", "bureau-of-democracy-human-rights-and-labor"] {
            let relation = relation_with(&established, "ESTABLISHED_BY", body);
            assert_eq!(relation["object"]["name"], "United States Congress");
            assert_eq!(relation["evidence"][0]["source"]["slug"], FAHY);
            assert!(evidence_quotes(relation)[0].ends_with("—both established by Congress"), "{relation:#}");
        }

        for funder in ["national-endowment-for-democracy", "bureau-of-democracy-human-rights-and-labor"] {
            let funds = relations(&app, funder, "OUTGOING", &["FUNDS"]).await;
            assert!(strings(&funds, "/object/slug").is_superset(&set(&[
                "citizens-alliance-for-north-korean-human-rights",
                "database-center-for-north-korean-human-rights",
            ])), "{funder}: {funds:#?}");
            assert!(funds.iter().all(|r| r["description"].as_str().unwrap().contains("in part")));
        }
        let drl = relations(&app, "bureau-of-democracy-human-rights-and-labor", "OUTGOING", &["PART_OF"]).await;
        assert_eq!(strings(&drl, "/object/slug"), set(&["us-state-department"]));
    }
}

api_test! {
    async fn the_trump_administration_froze_state_department_grants_in_2025_with_no_dprk_exception(app) {
        let freeze = app.query(MEASURE, json!({ "slug": "us-state-department-grant-freeze" })).await;
        assert_eq!(freeze["measure"]["start"], json!({ "value": "2025", "precision": "YEAR" }));
        assert_eq!(freeze["measure"]["status"], "IN_EFFECT");

        let imposed = relations(&app, "us-state-department-grant-freeze", "OUTGOING", &["IMPOSED_BY"]).await;
        assert_eq!(strings(&imposed, "/object/name"), set(&["Trump administration (2025)"]));

        let exception = claims_quoting(&app, FAHY, "with exceptions that do not include the DPRK").await;
        let own = exception.iter().find(|c| c["quote"] == "with exceptions that do not include the DPRK").expect("a claim of its own");
        assert_eq!(own["date"]["value"], "2025");
        assert!(about(own).is_superset(&set(&["us-state-department-grant-freeze", "dprk"])));

        let survival = claim_quoting(&app, FAHY, "“survival mode.”").await;
        assert_eq!(survival["until"]["value"], "2025-03", "“now” is the text’s own time, March 2025");
    }
}

api_test! {
    async fn the_border_at_rason_opened_in_january_2025_and_was_closed_again_at_the_time_of_writing(app) {
        let opening = app.query(EVENT, json!({ "slug": "rason-border-opening-2025" })).await;
        assert_eq!(opening["event"]["start"], json!({ "value": "2025-01", "precision": "MONTH", "earliest": "2025-01-01", "latest": "2025-01-31" }));

        let opened = claim_quoting(&app, FAHY, "the border at Rason opened").await;
        assert_eq!(opened["quote"], "Although the border at Rason opened for a few days in January 2025");

        let closed = claim_quoting(&app, FAHY, "closed again at the time of writing").await;
        assert_eq!(closed["date"], json!({ "value": "2025-03", "precision": "MONTH", "earliest": "2025-03-01", "latest": "2025-03-31" }));
    }
}

api_test! {
    async fn kim_jong_un_ordered_walls_and_fences_the_year_after_the_buffer_zone(app) {
        let claim = claim_quoting(&app, FAHY, "concrete walls").await;
        assert_eq!(claim["quote"], "The following year Kim-Jong-un ordered the construction of concrete walls and high-voltage wire fences.");
        assert_eq!(claim["date"]["value"], "2021");
        assert_eq!(claim["date"]["precision"], "YEAR");
        assert!(claim["note"].as_str().unwrap().contains("“The following year”"));

        let walls = app.query(MEASURE, json!({ "slug": "dprk-border-walls-and-fences" })).await;
        assert_eq!(walls["measure"]["start"], json!({ "value": "2021", "precision": "YEAR" }));
        let ordered = relations(&app, "dprk-border-walls-and-fences", "OUTGOING", &["IMPOSED_BY"]).await;
        assert_eq!(strings(&ordered, "/object/name"), set(&["Kim Jong-un"]));
    }
}

api_test! {
    async fn aid_groups_diplomats_and_tourists_were_forced_out_and_aid_groups_have_yet_to_return(app) {
        let departure = relations(&app, "forced-departure-of-foreigners-2020", "OUTGOING", &["AFFECTS", "CAUSED_BY"]).await;
        let affected: BTreeSet<String> = strings(&departure.iter().filter(|r| r["type"] == "AFFECTS").cloned().collect::<Vec<_>>(), "/object/slug");
        assert_eq!(affected, set(&["international-aid-groups", "foreign-diplomatic-workers", "foreign-tourists"]));
        let cause = relation_with(&departure, "CAUSED_BY", "dprk-border-closure-2020");
        assert_eq!(evidence_quotes(cause), ["At the start of the pandemic, these border restrictions forced international aid groups, foreign diplomatic workers, and tourists to leave North Korea."]);

        let not_back = claim_quoting(&app, FAHY, "have yet to return").await;
        assert_eq!(not_back["date"]["value"], "2025-03", "“yet to” is as of the text’s writing");
        let halted = claim_quoting(&app, FAHY, "temporarily halted their activities in 2020").await;
        assert_eq!(halted["date"]["value"], "2020");
    }
}

api_test! {
    async fn the_pre_pandemic_health_gains_are_stated_but_their_loss_only_likely(app) {
        let claims = claims_quoting(&app, FAHY, "infant and maternal mortality").await;
        let certainties: BTreeSet<String> = strings(&claims, "/certainty");
        assert_eq!(certainties, set(&["STATED", "LIKELY"]));
        for claim in &claims {
            let hedged = claim["quote"].as_str().unwrap().contains("have likely been lost");
            assert_eq!(claim["certainty"], if hedged { "LIKELY" } else { "STATED" }, "{claim:#}");
        }
    }
}

api_test! {
    async fn sandra_fahy_is_an_associate_professor_at_carleton_university_in_ottawa(app) {
        let data = app.query(SOURCE_RECOMMENDATIONS, json!({ "slug": FAHY })).await;
        assert_eq!(data["source"]["title"], "A New Low for North Korean Human Rights");
        assert_eq!(data["source"]["authors"], json!([{ "slug": "sandra-fahy", "name": "Sandra Fahy" }]));
        assert_eq!(data["source"]["published"], json!({ "value": "2025-03-26", "precision": "DAY" }));

        let affiliations = relations(&app, "sandra-fahy", "OUTGOING", &["AFFILIATED_WITH"]).await;
        assert_eq!(strings(&affiliations, "/object/slug"), set(&["carleton-university", "carleton-global-and-international-studies-program"]));
        assert!(affiliations.iter().all(|r| r["description"] == "Associate Professor"));
        let located = relations(&app, "carleton-university", "OUTGOING", &["LOCATED_IN"]).await;
        assert_eq!(located[0]["object"]["slug"], "canada");
        assert_eq!(located[0]["description"], "in Ottawa");
    }
}

// -------------------------------------------------------------------------------------------
// Democracy & Human Rights Working Group, “Human Rights In North Korea Continue To Decline” (2021)

api_test! {
    async fn trump_met_kim_jong_un_three_times_after_taking_office_in_2017(app) {
        let claim = claim_quoting(&app, DHRWG, "three times").await;
        assert_eq!(claim["quote"], "he has met with Kim Jong-un three times");
        assert_eq!(quantity(&claim), (3.0, "meetings"));
        assert_eq!(claim["date"]["value"], "2017");
        assert_eq!(claim["until"]["value"], "2020");
        assert!(about(&claim).is_superset(&set(&["donald-trump", "kim-jong-un", "trump-kim-meetings"])));

        let took_office = claim_quoting(&app, DHRWG, "took office in 2017").await;
        assert_eq!(took_office["date"], json!({ "value": "2017", "precision": "YEAR", "earliest": "2017-01-01", "latest": "2017-12-31" }));

        let met = relations(&app, "donald-trump", "OUTGOING", &["MET_WITH"]).await;
        let kim = relation_with(&met, "MET_WITH", "kim-jong-un");
        assert_eq!(kim["start"], json!({ "value": "2017", "precision": "YEAR" }));
        assert!(kim["description"].as_str().unwrap().starts_with("three times"));
    }
}

api_test! {
    async fn the_regime_admitted_the_virus_was_present_only_in_august_2020(app) {
        let claim = claim_quoting(&app, DHRWG, "finally admitted").await;
        assert_eq!(claim["quote"], "the regime in August 2020 finally admitted to the presence of the virus");
        assert_eq!(claim["certainty"], "STATED");
        assert_eq!(claim["date"], json!({ "value": "2020-08", "precision": "MONTH", "earliest": "2020-08-01", "latest": "2020-08-31" }));

        let event = app.query(EVENT, json!({ "slug": "dprk-admits-covid-presence-2020" })).await;
        assert_eq!(event["event"]["start"]["value"], "2020-08");
        assert_eq!(event["event"]["start"]["precision"], "MONTH");
        let issued = relations(&app, "dprk-admits-covid-presence-2020", "INCOMING", &["ISSUED"]).await;
        assert_eq!(strings(&issued, "/subject/slug"), set(&["kim-regime"]));
    }
}

api_test! {
    async fn radio_free_asia_and_others_are_who_reported_deaths_from_covid_symptoms(app) {
        let claim = claim_quoting(&app, DHRWG, "Radio Free Asia").await;
        assert_eq!(claim["quote"], "after a number of reports from Radio Free Asia and others pointed to numerous cases of deaths from COVID-19 related symptoms");
        assert_eq!(claim["certainty"], "REPORTED");
        assert_eq!(claim["attributed"], true);
        assert_eq!(claim["assertedBy"], json!([{ "slug": "radio-free-asia", "name": "Radio Free Asia" }]));
        assert!(claim["note"].as_str().unwrap().contains("“others”"), "the unnamed others are noted");

        let reports = relations(&app, "radio-free-asia-covid-death-reports", "OUTGOING", &["AUTHORED_BY"]).await;
        assert_eq!(strings(&reports, "/object/slug"), set(&["radio-free-asia"]));
    }
}

api_test! {
    async fn how_widespread_covid_is_in_north_korea_is_recorded_as_unknown(app) {
        let unknown = claim_quoting(&app, DHRWG, "impossible to know").await;
        assert_eq!(unknown["quote"], "though it is impossible to know how widespread the disease is");
        assert_eq!(unknown["certainty"], "UNKNOWN");

        let testing = claim_quoting(&app, DHRWG, "test and diagnose").await;
        assert_eq!(testing["quote"], "since the ability to test and diagnose is minimal");
        assert_eq!(testing["certainty"], "STATED");

        let unknowable = app.query(CLAIMS, json!({ "filter": { "certainties": ["UNKNOWN"] } })).await;
        assert_eq!(strings(unknowable["claims"]["nodes"].as_array().unwrap(), "/slug"), set(&["dhrwg-2021-spread-impossible-to-know"]));
    }
}

api_test! {
    async fn zero_confirmed_cases_is_the_regimes_claim_not_the_working_groups(app) {
        let claim = claim_quoting(&app, DHRWG, "zero confirmed cases").await;
        assert_eq!(claim["quote"], "maintain that they have had zero confirmed cases of coronavirus");
        assert_eq!(claim["certainty"], "REPORTED");
        assert_eq!(claim["attributed"], true);
        assert_eq!(strings(claim["assertedBy"].as_array().unwrap(), "/slug"), set(&["kim-regime"]));
        assert_eq!(quantity(&claim), (0.0, "cases"));
    }
}

api_test! {
    async fn each_of_the_eight_recommendations_is_addressed_as_the_preamble_says_unless_it_would_influence_congress(app) {
        let data = app.query(SOURCE_RECOMMENDATIONS, json!({ "slug": DHRWG })).await;
        let recommendations = data["source"]["recommendations"].as_array().unwrap();
        assert_eq!(recommendations.len(), 8);
        let preamble = "Recommendations for the U.S. administration, Congress, and the 2020 presidential candidates for supporting democracy, human rights and rule of law in North Korea include:";
        for recommendation in recommendations {
            let relations = recommendation["relations"].as_array().unwrap();
            let of = |kind: &str| relations.iter().filter(|r| r["type"] == kind).cloned().collect::<Vec<_>>();
            assert_eq!(strings(&of("AUTHORED_BY"), "/object/slug"), set(&["democracy-and-human-rights-working-group"]), "{recommendation:#}");
            let addressed = of("ADDRESSED_TO");
            // In items 5 and 8 Congress is the body to be influenced, not an addressee.
            let influences_congress = ["dhrwg-2021-foster-congressional-support-for-a-deal", "dhrwg-2021-congressional-hearings-on-north-korea-strategy"]
                .contains(&recommendation["slug"].as_str().unwrap());
            let mut expected = vec!["Trump administration (from 2017)", "2020 U.S. presidential candidates"];
            if influences_congress {
                assert_eq!(strings(&of("CONCERNS"), "/object/slug"), set(&["us-congress"]), "{recommendation:#}");
            } else {
                expected.push("United States Congress");
            }
            assert_eq!(strings(&addressed, "/object/name"), set(&expected), "{recommendation:#}");
            for relation in &addressed {
                assert!(evidence_quotes(relation).contains(&preamble.to_owned()), "{relation:#}");
            }
        }
        let hearings = recommendations.iter().find(|r| r["slug"] == "dhrwg-2021-congressional-hearings-on-north-korea-strategy").unwrap();
        let congress = relation_with(hearings["relations"].as_array().unwrap(), "CONCERNS", "us-congress");
        assert!(evidence_quotes(congress).iter().any(|q| q.starts_with("Encouraging Congress to hold hearings")));
    }
}

api_test! {
    async fn the_current_administration_is_dated_from_2017_to_the_texts_writing_in_2020(app) {
        let claim = claim_quoting(&app, DHRWG, "vacant during the current administration").await;
        assert_eq!(claim["date"]["value"], "2017", "{claim:#}");
        assert_eq!(claim["until"]["value"], "2020", "the text, written in 2020, cannot vouch for 2021: {claim:#}");
        assert!(about(&claim).is_superset(&set(&["trump-administration-from-2017", "special-envoy-for-north-korean-human-rights"])));

        let actors = app.query(r#"{ actors(filter: { name: "current administration" }) { nodes { slug name } } }"#, json!({})).await;
        assert_eq!(actors["actors"]["nodes"], json!([{ "slug": "trump-administration-from-2017", "name": "Trump administration (from 2017)" }]));
    }
}

api_test! {
    async fn the_special_envoy_for_north_korea_post_has_been_vacant_since_late_2019(app) {
        let claim = claim_quoting(&app, DHRWG, "vacant since late 2019").await;
        assert_eq!(claim["quote"], "as the position has been vacant since late 2019");
        assert_eq!(claim["date"], json!({ "value": "late 2019", "precision": "YEAR", "earliest": "2019-09-01", "latest": "2019-12-31" }));
        assert!(about(&claim).contains("special-envoy-for-north-korea"));
        assert!(claim["note"].as_str().unwrap().contains("“late 2019”"));

        let post = relations(&app, "special-envoy-for-north-korea", "OUTGOING", &["PART_OF"]).await;
        assert_eq!(strings(&post, "/object/slug"), set(&["us-state-department"]));
        let mandated = relations(&app, "special-envoy-for-north-korean-human-rights", "OUTGOING", &["ESTABLISHED_BY"]).await;
        assert_eq!(strings(&mandated, "/object/slug"), set(&["us-congress"]));
        assert!(evidence_quotes(&mandated[0])[0].contains("congressionally-mandated"));
    }
}

api_test! {
    async fn north_korea_denied_ebola_and_mers_cases_in_2015_as_it_denied_covid(app) {
        let claim = claim_quoting(&app, DHRWG, "Middle East Respiratory Syndrome").await;
        assert_eq!(claim["quote"], "This denial of cases is the same approach North Korea took when it was faced with the Ebola virus and Middle East Respiratory Syndrome (MERS) in 2015.");
        assert_eq!(claim["date"]["value"], "2015");
        assert_eq!(claim["date"]["precision"], "YEAR");
        assert!(about(&claim).is_superset(&set(&["dprk-ebola-mers-denial-2015", "dprk-covid-case-denial"])));

        let found = app.query(r#"{ events(filter: { name: "MERS" }) { nodes { slug start { value precision } } } }"#, json!({})).await;
        assert_eq!(found["events"]["nodes"], json!([{ "slug": "dprk-ebola-mers-denial-2015", "start": { "value": "2015", "precision": "YEAR" } }]));
    }
}

api_test! {
    async fn the_working_group_is_convened_by_the_mccain_institute_of_arizona_state_university(app) {
        let convened = relations(&app, "democracy-and-human-rights-working-group", "OUTGOING", &["CONVENED_BY"]).await;
        assert_eq!(strings(&convened, "/object/name"), set(&["McCain Institute for International Leadership"]));
        assert_eq!(evidence_quotes(&convened[0]), ["It is convened by Arizona State University’s McCain Institute for International Leadership."]);
        let institute = relations(&app, "mccain-institute-for-international-leadership", "OUTGOING", &["PART_OF"]).await;
        assert_eq!(strings(&institute, "/object/name"), set(&["Arizona State University"]));

        let data = app.query(SOURCE_RECOMMENDATIONS, json!({ "slug": DHRWG })).await;
        assert_eq!(data["source"]["authors"], json!([{ "slug": "democracy-and-human-rights-working-group", "name": "Democracy & Human Rights Working Group" }]));
        assert_eq!(data["source"]["published"], json!({ "value": "2021-03-10", "precision": "DAY" }));
    }
}

api_test! {
    async fn kim_jong_un_became_supreme_leader_after_his_fathers_death_in_2011(app) {
        let claim = claim_quoting(&app, DHRWG, "supreme leader").await;
        assert_eq!(claim["quote"], "After his father’s death in 2011, Kim Jong-un became North Korea’s supreme leader");
        assert_eq!(claim["date"], Value::Null, "“in 2011” dates the father’s death, not the succession");
        assert!(claim["note"].as_str().unwrap().contains("dates the father’s death"));

        let leads = relations(&app, "kim-jong-un", "OUTGOING", &["LEADS"]).await;
        let dprk = relation_with(&leads, "LEADS", "dprk");
        assert_eq!(dprk["start"], Value::Null);
        assert_eq!(dprk["description"], "supreme leader, after his father’s death in 2011");

        let event = app.query(EVENT, json!({ "slug": "kim-jong-un-becomes-supreme-leader" })).await;
        assert_eq!(event["event"]["start"], Value::Null);
    }
}

api_test! {
    async fn the_authorities_closed_the_borders_and_quarantined_foreigners_in_january_2020(app) {
        let claim = claim_quoting(&app, DHRWG, "quarantined foreigners in January").await;
        assert_eq!(claim["quote"], "who closed their borders and quarantined foreigners in January");
        assert_eq!(claim["date"], json!({ "value": "2020-01", "precision": "MONTH", "earliest": "2020-01-01", "latest": "2020-01-31" }));
        assert!(claim["note"].as_str().unwrap().contains("January 2020"), "the note says which January");

        let quarantine = relations(&app, "dprk-quarantine-of-foreigners-2020", "OUTGOING", &["IMPOSED_BY", "AFFECTS"]).await;
        assert_eq!(relation_with(&quarantine, "IMPOSED_BY", "kim-regime")["start"]["value"], "2020-01");
        assert_eq!(relation_with(&quarantine, "AFFECTS", "foreigners-in-north-korea")["description"], "quarantined");
    }
}

api_test! {
    async fn hedged_readings_of_the_diplomacy_are_likely_or_possible_never_stated(app) {
        for (phrase, certainty) in [
            ("seems to have passed", "LIKELY"),
            ("appears to be waiting", "LIKELY"),
            ("could open entry points", "POSSIBLE"),
        ] {
            let claim = claim_quoting(&app, DHRWG, phrase).await;
            assert_eq!(claim["certainty"], certainty, "{phrase}");
        }
        let channels = claim_quoting(&app, DHRWG, "channels of communication between the two governments").await;
        assert_eq!(channels["certainty"], "STATED", "the fact beside the hedge stays stated");
    }
}

api_test! {
    async fn north_korea_refuses_the_us_condition_of_full_denuclearization(app) {
        let condition = relations(&app, "us-full-denuclearization-condition", "BOTH", &["IMPOSED_BY", "REFUSES_TO_COOPERATE_WITH"]).await;
        assert_eq!(relation_with(&condition, "IMPOSED_BY", "united-states")["subject"]["slug"], "us-full-denuclearization-condition");
        let refusal = relation_with(&condition, "REFUSES_TO_COOPERATE_WITH", "dprk");
        assert_eq!(refusal["subject"]["slug"], "dprk");
        assert_eq!(evidence_quotes(refusal), ["as North Korea refuses to agree to the United States’ condition of full denuclearization in return for concessions on economic sanctions"]);

        let steps = relations(&app, "dhrwg-2021-phased-in-reversible-steps", "OUTGOING", &["CONCERNS"]).await;
        assert_eq!(strings(&steps, "/object/slug"), set(&["us-full-denuclearization-condition"]));
    }
}

// -------------------------------------------------------------------------------------------
// Both sources

api_test! {
    async fn both_sources_say_north_korea_closed_its_borders_in_january_2020_each_in_its_own_words(app) {
        let data = app.query(FACT, json!({ "slug": "dprk-closed-borders-january-2020" })).await;
        let fact = &data["fact"];
        assert_eq!(fact["sourceCount"], 2);
        assert_eq!(strings(fact["sources"].as_array().unwrap(), "/slug"), set(&[FAHY, DHRWG]));
        let claims = fact["claims"].as_array().unwrap();
        let quote_of = |source: &str| claims.iter().find(|c| c["source"]["slug"] == source).unwrap_or_else(|| panic!("no claim from {source}"));
        assert_eq!(quote_of(FAHY)["quote"], "being the first among nations to close its borders in January 2020");
        assert_eq!(quote_of(DHRWG)["quote"], "who closed their borders and quarantined foreigners in January");
        for claim in claims {
            assert_eq!(claim["date"], json!({ "value": "2020-01", "precision": "MONTH" }), "{claim:#}");
            assert_eq!(claim["certainty"], "STATED");
        }
    }
}

api_test! {
    async fn every_corroborated_fact_carries_a_quote_from_each_source(app) {
        let data = app.query(r#"{ facts(first: 100, filter: { minSources: 2 }) { totalCount nodes { slug sourceCount claims(stance: SUPPORTS) { quote source { slug } } } } }"#, json!({})).await;
        let facts = data["facts"]["nodes"].as_array().unwrap();
        assert!(strings(facts, "/slug").is_superset(&set(&[
            "dprk-closed-borders-january-2020",
            "north-korean-human-rights-are-declining",
            "north-korean-regime-commits-widespread-human-rights-abuses",
        ])), "{facts:#?}");
        for fact in facts {
            assert_eq!(fact["sourceCount"], 2, "{fact:#}");
            let claims = fact["claims"].as_array().unwrap();
            assert_eq!(strings(claims, "/source/slug"), set(&[FAHY, DHRWG]), "{fact:#}");
            assert!(claims.iter().all(|c| !c["quote"].as_str().unwrap().trim().is_empty()));
        }

        let declining = app.query(FACT, json!({ "slug": "north-korean-human-rights-are-declining" })).await;
        let quotes = strings(declining["fact"]["claims"].as_array().unwrap(), "/quote");
        assert!(quotes.contains("Human Rights In North Korea Continue To Decline"), "{quotes:?}");
        assert!(quotes.contains("This commentary argues that North Korean human rights have reached a new low"), "{quotes:?}");
    }
}

api_test! {
    async fn a_passing_mention_does_not_corroborate_kim_jong_uns_rule(app) {
        let data = app.query(r#"{ fact(slug: "kim-jong-un-rules-north-korea") { sourceCount sources { slug } claims { slug stance source { slug } } } corroborated: facts(first: 100, filter: { minSources: 2 }) { nodes { slug } } }"#, json!({})).await;

        let fact = &data["fact"];
        assert_eq!(fact["sourceCount"], 1, "{fact:#}");
        assert_eq!(strings(fact["sources"].as_array().unwrap(), "/slug"), set(&[DHRWG]));
        let stance_of = |slug: &str| fact["claims"].as_array().unwrap().iter().find(|c| c["slug"] == slug).unwrap_or_else(|| panic!("no claim {slug}"))["stance"].clone();
        assert_eq!(stance_of("dhrwg-2021-kim-jong-un-rules-dictatorship"), "SUPPORTS");
        assert_eq!(stance_of("fahy-2025-kim-jong-un-regime"), "MENTIONS");
        let corroborated = strings(data["corroborated"]["nodes"].as_array().unwrap(), "/slug");
        assert!(!corroborated.contains("kim-jong-un-rules-north-korea"), "{corroborated:?}");
        assert!(corroborated.contains("dprk-closed-borders-january-2020"), "{corroborated:?}");
    }
}

api_test! {
    async fn the_2021_statement_was_written_in_2020_before_the_election(app) {
        let data = app.query(r#"{ source(slug: "dhrwg-2021-continue-to-decline") { published { value } writtenFrom { value precision } writtenUntil { value precision } writtenNote publisher { slug } url } }"#, json!({})).await;

        let source = &data["source"];
        assert_eq!(source["published"]["value"], "2021-03-10");
        assert_eq!(source["writtenFrom"], json!({ "value": "2020-08", "precision": "MONTH" }));
        assert_eq!(source["writtenUntil"], json!({ "value": "2020-11", "precision": "MONTH" }));
        let note = source["writtenNote"].as_str().unwrap();
        assert!(note.contains("the November 2020 presidential election"), "{note}");
        assert_eq!(source["publisher"], Value::Null, "the text names no publisher");
        assert_eq!(source["url"], Value::Null, "the text gives no URL");
        // No claim of it is dated after its writing: each date can fall by November 2020.
        let claims = app.query(r#"{ claims(first: 100, filter: { source: "dhrwg-2021-continue-to-decline" }) { nodes { slug date { earliest } until { earliest } } } }"#, json!({})).await;
        let dated: Vec<&str> = claims["claims"]["nodes"].as_array().unwrap().iter()
            .flat_map(|claim| [&claim["date"]["earliest"], &claim["until"]["earliest"]])
            .filter_map(Value::as_str)
            .collect();
        assert!(!dated.is_empty());
        assert!(dated.iter().all(|earliest| *earliest <= "2020-11-30"), "{dated:?}");
    }
}

api_test! {
    async fn both_sources_back_kim_jong_un_leading_the_regime(app) {
        let data = app.query(r#"{ relation(key: "kim-jong-un/leads/kim-regime") { evidence { quote source { slug } } } }"#, json!({})).await;
        let evidence = data["relation"]["evidence"].as_array().unwrap();
        assert_eq!(strings(evidence, "/source/slug"), set(&[FAHY, DHRWG]));
        assert!(evidence.iter().any(|c| c["quote"] == "continues to rule the country as a one-party totalitarian dictatorship"));
        assert!(evidence.iter().any(|c| c["quote"] == "the Kim Jong-un regime"));
    }
}
