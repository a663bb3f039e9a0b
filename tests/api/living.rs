//! The living dataset: identities that never change, a revision for every change, retraction
//! instead of deletion, the changelog, and upgrading a database the first release loaded.
//!
//! Each test imports the real dataset, then a copy of `seeds/` edited as a data editor would,
//! and looks at what the import recorded.

use migration::{Migrator, MigratorTrait};
use nkhr::{
    dataset::{self, DatasetFiles},
    store::{self, sync::sync},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::harness::{count_rows, database_test};

/// The built-in dataset with every `(file, from, to)` edit applied: each `from` must occur in
/// its file, and every occurrence is replaced. When `from` is empty, `to` is appended to the
/// file, which is created if it does not exist yet.
pub fn seeds_edited(edits: &[(&str, &str, &str)]) -> DatasetFiles {
    let files = DatasetFiles::embedded();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in files.iter() {
        let mut text = String::from_utf8(bytes.to_vec()).unwrap_or_default();
        for (file, from, to) in edits {
            if *file == path && !from.is_empty() {
                assert!(text.contains(from), "{file} does not contain {from:?}");
                text = text.replace(from, to);
            }
        }
        if path.ends_with(".txt") {
            out.push((path.to_owned(), bytes.to_vec()));
        } else {
            out.push((path.to_owned(), text.into_bytes()));
        }
    }
    for (file, from, to) in edits {
        if !from.is_empty() {
            continue;
        }
        match out.iter_mut().find(|(path, _)| path == file) {
            Some((_, bytes)) => {
                bytes.push(b'\n');
                bytes.extend_from_slice(to.as_bytes());
            }
            None => out.push(((*file).to_owned(), to.as_bytes().to_vec())),
        }
    }
    DatasetFiles::from_files("seeds (edited)", out)
}

/// The edits that rename the Kim regime: its slug, every reference to it, and the former slug
/// that keeps the old one resolving. The changelog is left as it was written: its entries
/// name the actor, and relations keyed by their ends, by the slug it had then.
pub const RENAME_KIM_REGIME: [(&str, &str, &str); 3] = [
    (
        "actors.toml",
        "slug = \"kim-regime\"\n",
        "slug = \"kim-jong-un-regime\"\nformer_slugs = [\"kim-regime\"]\n",
    ),
    (
        "claims/fahy-2025-a-new-low.toml",
        "\"kim-regime\"",
        "\"kim-jong-un-regime\"",
    ),
    (
        "claims/dhrwg-2021-continue-to-decline.toml",
        "\"kim-regime\"",
        "\"kim-jong-un-regime\"",
    ),
];

async fn import(db: &DatabaseConnection, files: &DatasetFiles) -> store::sync::SyncReport {
    sync(
        db,
        &dataset::load(files).expect("the edited dataset is valid"),
    )
    .await
    .expect("the import succeeds")
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect("the query runs")
    .into_iter()
    .map(|row| row.try_get_by_index::<String>(0).expect("a text column"))
    .collect()
}

async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("the query runs")
        .expect("a row");
    row.try_get_by_index::<i64>(0)
        .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
        .expect("a number")
}

database_test! {
    async fn importing_the_same_files_twice_writes_nothing_and_keeps_the_version(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        let files = DatasetFiles::embedded();

        let first = import(&db, &files).await;
        let revisions = count_rows(&db, "revision").await;
        let second = import(&db, &files).await;

        assert_eq!(first.revisions as i64, revisions);
        assert_eq!(revisions, count_rows(&db, "record").await, "one revision per record");
        assert_eq!((second.revisions, second.inserted, second.updated, second.deleted), (0, 0, 0, 0));
        assert_eq!(second.version, first.version);
        assert_eq!(count_rows(&db, "revision").await, revisions);
        assert_eq!(count_rows(&db, "dataset_version").await, 1);
    }
}

database_test! {
    async fn renaming_an_entity_keeps_its_identity_and_writes_one_revision(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        import(&db, &DatasetFiles::embedded()).await;
        let relations_before = strings(&db, "SELECT id FROM relation ORDER BY id").await;

        let report = import(&db, &seeds_edited(&RENAME_KIM_REGIME)).await;

        assert_eq!(report.revisions, 1, "only the renamed actor changes: {report:?}");
        assert_eq!(
            strings(&db, "SELECT id FROM entity WHERE slug = 'kim-jong-un-regime'").await,
            ["Actor:kim-regime"]
        );
        assert_eq!(
            strings(&db, "SELECT record_id FROM former_slug WHERE slug = 'kim-regime'").await,
            ["Actor:kim-regime"]
        );
        let changes = strings(&db, "SELECT changes FROM revision WHERE record_id = 'Actor:kim-regime' AND number = 2").await;
        let changes: serde_json::Value = serde_json::from_str(&changes[0]).unwrap();
        assert!(
            changes.as_array().unwrap().iter().any(|c| c["field"] == "slug"
                && c["before"] == "kim-regime"
                && c["after"] == "kim-jong-un-regime"),
            "{changes}"
        );
        assert_eq!(
            strings(&db, "SELECT id FROM relation ORDER BY id").await,
            relations_before,
            "relations keyed by their ends keep their identities"
        );
        assert_eq!(
            number(&db, "SELECT COUNT(*) FROM claim_subject WHERE entity_slug = 'kim-regime'").await,
            0,
            "the claims about it now name its new slug"
        );
        let again = import(&db, &seeds_edited(&RENAME_KIM_REGIME)).await;
        assert_eq!(again.revisions, 0);
    }
}

database_test! {
    async fn a_database_loaded_after_a_rename_holds_the_identities_of_one_that_lived_through_it(database) {
        let renamed = seeds_edited(&RENAME_KIM_REGIME);
        let lived = database.connect().await;
        store::migrate(&lived).await.unwrap();
        import(&lived, &DatasetFiles::embedded()).await;
        import(&lived, &renamed).await;

        let other = crate::harness::TestDatabase::create(database.backend()).await.unwrap();
        let fresh = other.connect().await;
        store::migrate(&fresh).await.unwrap();
        import(&fresh, &renamed).await;

        for table in ["entity", "relation", "claim"] {
            let sql = format!("SELECT id FROM {table} ORDER BY id");
            let ids = strings(&fresh, &sql).await;
            assert!(!ids.is_empty());
            assert_eq!(ids, strings(&lived, &sql).await, "{table}");
        }
        assert!(
            strings(&fresh, "SELECT id FROM relation").await.iter().any(|id| id.ends_with("/kim-regime")),
            "a relation keyed by its ends is minted from the slugs they first had"
        );
        // The changelog names relations by the key they had when it was written.
        let reasons = number(
            &fresh,
            "SELECT COUNT(*) FROM revision WHERE record_id LIKE 'Relation:%kim-regime%' AND reason IS NOT NULL",
        )
        .await;
        assert!(reasons > 0, "the changelog's reasons reach the renamed actor's relations");
    }
}

database_test! {
    async fn changing_a_relation_type_keeps_its_identity(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        import(&db, &DatasetFiles::embedded()).await;
        let edit = [(
            "claims/fahy-2025-a-new-low.toml",
            "subject = \"covid-19-pandemic\"\ntype = \"affects\"\nobject = \"dprk\"\n",
            "subject = \"covid-19-pandemic\"\ntype = \"funds\"\nobject = \"dprk\"\nformer_slugs = [\"covid-19-pandemic/affects/dprk\"]\n",
        )];

        let report = import(&db, &seeds_edited(&edit)).await;

        assert_eq!(report.revisions, 1, "{report:?}");
        assert_eq!(
            strings(&db, "SELECT id FROM relation WHERE key = 'covid-19-pandemic/funds/dprk'").await,
            ["Relation:covid-19-pandemic/affects/dprk"]
        );
        assert_eq!(
            number(&db, "SELECT revision FROM record WHERE id = 'Relation:covid-19-pandemic/affects/dprk'").await,
            2
        );
    }
}

/// Removes the claim that North Koreans have no civil liberties, which nothing else cites.
pub const REMOVE_CLAIM: (&str, &str, &str) = (
    "claims/dhrwg-2021-continue-to-decline.toml",
    "[[claim]]\nslug = \"dhrwg-2021-no-civil-liberties\"\nsource = \"dhrwg-2021-continue-to-decline\"\nquote = \"There are no civil liberties, including freedom of speech, association, or assembly\"\nstatement = \"North Koreans have no civil liberties: no freedom of speech, association or assembly.\"\nabout = [\"dprk\", \"north-korean-people\"]\ncertainty = \"stated\"\nkind = \"fact\"\n",
    "",
);

database_test! {
    async fn removing_a_claim_retracts_it_with_the_changelog_reason_and_restoring_keeps_its_id(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        import(&db, &DatasetFiles::embedded()).await;
        let claims = count_rows(&db, "claim").await;
        let changelog = "[[change]]\nrecord = \"claim:dhrwg-2021-no-civil-liberties\"\nreason = \"The sentence restates the one before it.\"\nretracted = true\n";

        let report = import(&db, &seeds_edited(&[REMOVE_CLAIM, ("changelog.toml", "", changelog)])).await;

        assert_eq!((report.revisions, report.retracted), (1, 1), "{report:?}");
        assert_eq!(count_rows(&db, "claim").await, claims - 1, "the claim leaves the dataset tables");
        assert_eq!(
            strings(&db, "SELECT reason FROM revision WHERE record_id = 'Claim:dhrwg-2021-no-civil-liberties' AND operation = 'RETRACT'").await,
            ["The sentence restates the one before it."]
        );
        assert_eq!(
            number(&db, "SELECT COUNT(*) FROM search_index WHERE slug = 'dhrwg-2021-no-civil-liberties'").await,
            0,
            "nor is it searchable"
        );
        assert_eq!(
            strings(&db, "SELECT retraction_reason FROM record WHERE id = 'Claim:dhrwg-2021-no-civil-liberties'").await,
            ["The sentence restates the one before it."]
        );

        let restored = import(&db, &DatasetFiles::embedded()).await;

        assert_eq!(restored.revisions, 1);
        assert_eq!(
            strings(&db, "SELECT id FROM claim WHERE slug = 'dhrwg-2021-no-civil-liberties'").await,
            ["Claim:dhrwg-2021-no-civil-liberties"]
        );
        assert_eq!(
            number(&db, "SELECT COUNT(*) FROM search_index WHERE slug = 'dhrwg-2021-no-civil-liberties'").await,
            1
        );
        assert_eq!(
            number(&db, "SELECT revision FROM record WHERE id = 'Claim:dhrwg-2021-no-civil-liberties'").await,
            3
        );
    }
}

database_test! {
    async fn a_changelog_reason_reaches_the_revision_once(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        import(&db, &DatasetFiles::embedded()).await;
        let changelog = "[[change]]\nrecord = \"claim:dhrwg-2021-dissent-not-tolerated\"\nreason = \"The statement said more than the quote.\"\ncorrection = true\n";
        let corrected = [
            ("claims/dhrwg-2021-continue-to-decline.toml", "statement = \"Dissent is not tolerated in North Korea.\"", "statement = \"North Korea does not tolerate dissent.\""),
            ("changelog.toml", "", changelog),
        ];

        import(&db, &seeds_edited(&corrected)).await;
        // A later edit of the same claim, with the entry still in the changelog.
        let later = [
            ("claims/dhrwg-2021-continue-to-decline.toml", "statement = \"Dissent is not tolerated in North Korea.\"", "statement = \"North Korea’s regime does not tolerate dissent.\""),
            corrected[1],
        ];
        import(&db, &seeds_edited(&later)).await;

        let reasons = strings(&db, "SELECT COALESCE(reason, '(none)') || ' ' || CASE WHEN correction THEN 'correction' ELSE 'change' END FROM revision WHERE record_id = 'Claim:dhrwg-2021-dissent-not-tolerated' ORDER BY number").await;
        assert_eq!(
            reasons,
            ["(none) change", "The statement said more than the quote. correction", "(none) change"],
            "the entry is attached to the change it explains, and not reused"
        );
    }
}

#[test]
fn a_changelog_entry_naming_no_record_is_refused() {
    let files = seeds_edited(&[(
        "changelog.toml",
        "",
        "[[change]]\nrecord = \"claim:no-such-claim\"\nreason = \"A typo.\"\n",
    )]);

    let error = dataset::load(&files).expect_err("the entry names no record");

    let text = error.to_string();
    assert!(text.contains("changelog.toml"), "{text}");
    assert!(text.contains("claim:no-such-claim"), "{text}");
    assert!(text.contains("changelog-names-record"), "{text}");
}

/// Loads the rows a database created and loaded by nkhr 0.1 held, captured by
/// `tests/fixtures/dump_release_database.py`, into a database migrated as 0.1 migrated it.
async fn release_database(db: &DatabaseConnection) {
    Migrator::up(db, Some(3))
        .await
        .expect("the first release's migrations");
    let sql = include_str!("../fixtures/release-0.1.sql");
    for (index, statement) in sql.split(";\nINSERT INTO ").enumerate() {
        let statement = if index == 0 {
            statement.to_owned()
        } else {
            format!("INSERT INTO {statement}")
        };
        let statement = statement.trim_end().trim_end_matches(';');
        let statement: String = statement
            .lines()
            .filter(|line| !line.starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        db.execute_unprepared(&statement)
            .await
            .unwrap_or_else(|error| panic!("loading the fixture: {error}"));
    }
}

database_test! {
    async fn a_database_loaded_by_the_first_release_keeps_every_id_after_upgrading(database) {
        let db = database.connect().await;
        release_database(&db).await;
        let before: Vec<String> = strings(
            &db,
            "SELECT 'Source:' || slug FROM source UNION ALL SELECT 'Claim:' || slug FROM claim \
             UNION ALL SELECT 'Fact:' || slug FROM fact UNION ALL SELECT 'Relation:' || key FROM relation \
             UNION ALL SELECT CASE kind WHEN 'actor' THEN 'Actor:' WHEN 'law' THEN 'Law:' WHEN 'measure' THEN 'Measure:' \
             WHEN 'event' THEN 'Event:' ELSE 'Recommendation:' END || slug FROM entity ORDER BY 1",
        )
        .await;

        store::migrate(&db).await.unwrap();
        let after_migration = strings(
            &db,
            "SELECT id FROM source UNION ALL SELECT id FROM claim UNION ALL SELECT id FROM fact \
             UNION ALL SELECT id FROM relation UNION ALL SELECT id FROM entity ORDER BY 1",
        )
        .await;
        let report = import(&db, &DatasetFiles::embedded()).await;

        assert_eq!(before.len(), 439, "the fixture holds the 439 records 0.1 stored");
        assert_eq!(after_migration, before, "the migration gives every row the identity its ID encoded");
        assert_eq!(report.version, 2, "after the version 0.1 recorded");
        let registered = strings(&db, "SELECT id FROM record ORDER BY 1").await;
        // The corrections since 0.1 removed some records, each with a changelog entry that
        // says so: they are registered and retracted with that reason, so every ID 0.1 handed
        // out still resolves.
        let changelog: toml::Table = toml::from_str(
            std::str::from_utf8(DatasetFiles::embedded().get("changelog.toml").expect("the changelog")).unwrap(),
        )
        .expect("the changelog parses");
        let mut removed: Vec<(String, String)> = changelog["change"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|change| change.get("retracted").and_then(|r| r.as_bool()) == Some(true))
            .map(|change| {
                let (kind, slug) = change["record"].as_str().unwrap().split_once(':').unwrap();
                let mut kind = kind.to_owned();
                kind[..1].make_ascii_uppercase();
                (format!("{kind}:{slug}"), change["reason"].as_str().unwrap().to_owned())
            })
            .filter(|(id, _)| before.contains(id))
            .collect();
        removed.sort();
        assert!(!removed.is_empty(), "the changelog removes records 0.1 held");
        let gone: Vec<String> = before.iter().filter(|id| !registered.contains(id)).cloned().collect();
        assert_eq!(gone, Vec::<String>::new(), "every record 0.1 held keeps its identity");
        let retracted = strings(
            &db,
            "SELECT id || ' ' || retraction_reason FROM record WHERE retracted_version IS NOT NULL ORDER BY id",
        )
        .await;
        let expected: Vec<String> = removed.iter().map(|(id, reason)| format!("{id} {reason}")).collect();
        assert_eq!(retracted, expected, "what the files no longer hold is retracted with the changelog's reason");
        assert_eq!(report.revisions, registered.len(), "the history begins with one revision per record");
        assert_eq!(report.retracted, removed.len());
        let again = import(&db, &DatasetFiles::embedded()).await;
        assert_eq!(again.revisions, 0);
    }
}

// ---------------------------------------------------------------------------------------
// Through the public API

use serde_json::{Value, json};

use crate::harness::{api_test, body_text};

/// Imports `files` into the app's database, as `nkhr seed` or a restart with them would.
pub async fn reimport(app: &crate::harness::TestApp, files: &DatasetFiles) {
    nkhr::server::prepare(&app.db, files)
        .await
        .expect("importing the edited files");
}

const ACTOR_HISTORY: &str = r#"
query ($id: ID!, $slug: String!) {
  node(id: $id) {
    id
    ... on Actor { slug formerSlugs revision revisions { totalCount nodes { number reason operation changes { field before after } } } }
  }
  actor(slug: $slug) { id slug }
}"#;

const FEED: &str = r#"
query ($after: String) {
  changes(first: 100, after: $after) {
    edges { cursor node { position version operation id recordType slug revision reason correction snapshot } }
    pageInfo { hasNextPage endCursor }
  }
}"#;

/// Walks the feed from `after` to its end, applying each change to `state`; returns the
/// last cursor and every change seen.
async fn walk(
    app: &crate::harness::TestApp,
    mut after: Option<String>,
    state: &mut std::collections::BTreeMap<String, Value>,
) -> (Option<String>, Vec<Value>) {
    let mut seen = Vec::new();
    loop {
        let page = app.query(FEED, json!({ "after": after })).await;
        for edge in page["changes"]["edges"].as_array().unwrap() {
            let change = &edge["node"];
            let id = change["id"].as_str().unwrap().to_owned();
            if change["operation"] == "RETRACT" {
                state.remove(&id);
            } else {
                state.insert(id, change["snapshot"].clone());
            }
            seen.push(change.clone());
        }
        let info = &page["changes"]["pageInfo"];
        if info["endCursor"].is_string() {
            after = info["endCursor"].as_str().map(str::to_owned);
        }
        if info["hasNextPage"] != true {
            return (after, seen);
        }
    }
}

/// The ID of every record of the NDJSON export, with the statement where it has one.
async fn exported(app: &crate::harness::TestApp) -> std::collections::BTreeMap<String, Value> {
    let response = app
        .request(
            axum::http::Request::get("/export/dataset.ndjson")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    body_text(response)
        .await
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|row| Some((row["id"].as_str()?.to_owned(), row["statement"].clone())))
        .collect()
}

/// The first line of `dataset.ndjson` with the query string `query`, and every record after it
/// by ID.
async fn exported_at(
    app: &crate::harness::TestApp,
    query: &str,
) -> (Value, std::collections::BTreeMap<String, Value>) {
    let response = app
        .request(
            axum::http::Request::get(format!("/export/dataset.ndjson{query}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), axum::http::StatusCode::OK);
    let text = body_text(response).await;
    let mut lines = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap());
    let first = lines.next().unwrap();
    let records = lines
        .map(|row| (row["id"].as_str().unwrap().to_owned(), row))
        .collect();
    (first, records)
}

fn statements(
    state: &std::collections::BTreeMap<String, Value>,
) -> std::collections::BTreeMap<String, Value> {
    state
        .iter()
        .map(|(id, snapshot)| (id.clone(), snapshot["statement"].clone()))
        .collect()
}

api_test! {
    async fn renaming_an_entity_keeps_its_id_the_old_slug_resolves_and_the_feed_has_one_upsert(app) {
        let before = app.query(ACTOR_HISTORY, json!({ "id": "QWN0b3I6a2ltLXJlZ2ltZQ", "slug": "kim-regime" })).await;
        let (cursor, _) = walk(&app, None, &mut Default::default()).await;

        reimport(&app, &seeds_edited(&RENAME_KIM_REGIME)).await;

        let after = app.query(ACTOR_HISTORY, json!({ "id": "QWN0b3I6a2ltLXJlZ2ltZQ", "slug": "kim-regime" })).await;
        assert_eq!(before["node"]["id"], "QWN0b3I6a2ltLXJlZ2ltZQ");
        assert_eq!(after["node"]["id"], before["node"]["id"], "same ID");
        assert_eq!(after["node"]["slug"], "kim-jong-un-regime");
        assert_eq!(after["node"]["formerSlugs"], json!(["kim-regime"]));
        assert_eq!(after["actor"], json!({ "id": "QWN0b3I6a2ltLXJlZ2ltZQ", "slug": "kim-jong-un-regime" }), "the old slug resolves");
        assert_eq!(after["node"]["revision"], 2);
        let latest = &after["node"]["revisions"]["nodes"][1];
        assert_eq!(latest["operation"], "UPSERT");
        assert_eq!(latest["reason"], Value::Null, "no changelog entry: no reason");
        assert!(latest["changes"].as_array().unwrap().contains(&json!({ "field": "slug", "before": "kim-regime", "after": "kim-jong-un-regime" })), "{latest:#}");
        let (_, changes) = walk(&app, cursor, &mut Default::default()).await;
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0]["operation"], "UPSERT");
        assert_eq!(changes[0]["id"], "QWN0b3I6a2ltLXJlZ2ltZQ");
    }
}

api_test! {
    async fn changing_a_relation_type_keeps_the_relation_id_and_adds_a_revision(app) {
        let query = r#"query ($id: ID!) { node(id: $id) { id ... on Relation { type revision } } }"#;
        let id = nkhr::store::identity::global_id("Relation:covid-19-pandemic/affects/dprk");
        let edit = [(
            "claims/fahy-2025-a-new-low.toml",
            "subject = \"covid-19-pandemic\"\ntype = \"affects\"\nobject = \"dprk\"\n",
            "subject = \"covid-19-pandemic\"\ntype = \"funds\"\nobject = \"dprk\"\nformer_slugs = [\"covid-19-pandemic/affects/dprk\"]\n",
        )];

        reimport(&app, &seeds_edited(&edit)).await;

        let after = app.query(query, json!({ "id": id })).await;
        assert_eq!(after["node"], json!({ "id": id, "type": "FUNDS", "revision": 2 }));
    }
}

api_test! {
    async fn a_removed_claim_leaves_lists_search_and_exports_but_resolves_by_id_and_slug_with_its_retraction(app) {
        let id = nkhr::store::identity::global_id("Claim:dhrwg-2021-no-civil-liberties");
        let lists = r#"{ claims { totalCount } search(query: "\"no civil liberties\"", kinds: [CLAIM]) { totalCount } }"#;
        let before = app.query(lists, json!({})).await;
        let (cursor, _) = walk(&app, None, &mut Default::default()).await;
        let changelog = "[[change]]\nrecord = \"claim:dhrwg-2021-no-civil-liberties\"\nreason = \"The sentence restates the one before it.\"\nretracted = true\n";

        reimport(&app, &seeds_edited(&[REMOVE_CLAIM, ("changelog.toml", "", changelog)])).await;

        let after = app.query(lists, json!({})).await;
        assert_eq!(after["claims"]["totalCount"], before["claims"]["totalCount"].as_u64().unwrap() - 1);
        assert_eq!(before["search"]["totalCount"], 1);
        assert_eq!(after["search"]["totalCount"], 0);
        assert!(!exported(&app).await.contains_key(&id), "the export leaves it out");
        let node = app.query(
            r#"query ($id: ID!) { node(id: $id) { id ... on Claim { slug statement retraction { version reason } } } }"#,
            json!({ "id": id }),
        ).await;
        assert_eq!(node["node"]["slug"], "dhrwg-2021-no-civil-liberties");
        assert_eq!(node["node"]["retraction"]["reason"], "The sentence restates the one before it.");
        let by_slug = app.query(
            r#"{ claim(slug: "dhrwg-2021-no-civil-liberties") { id statement retraction { version reason } }
                 fact(slug: "dhrwg-2021-no-civil-liberties") { id } }"#,
            json!({}),
        ).await;
        assert_eq!(by_slug["claim"]["id"], id.as_str(), "the slug still names the retracted claim");
        assert_eq!(by_slug["claim"]["statement"], node["node"]["statement"]);
        assert_eq!(by_slug["claim"]["retraction"], node["node"]["retraction"]);
        assert_eq!(by_slug["fact"], Value::Null, "a claim's slug names no fact");
        let (_, changes) = walk(&app, cursor, &mut Default::default()).await;
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0]["operation"], "RETRACT");
        assert_eq!(changes[0]["reason"], "The sentence restates the one before it.");
        assert_eq!(changes[0]["version"], node["node"]["retraction"]["version"]);
    }
}

api_test! {
    async fn a_changelog_reason_reaches_the_revision_the_feed_and_the_corrections(app) {
        let changelog = "[[change]]\nrecord = \"claim:dhrwg-2021-dissent-not-tolerated\"\nreason = \"The statement said more than the quote.\"\ncorrection = true\n";
        let corrected = [
            ("claims/dhrwg-2021-continue-to-decline.toml", "statement = \"Dissent is not tolerated in North Korea.\"", "statement = \"North Korea does not tolerate dissent.\""),
            ("changelog.toml", "", changelog),
        ];

        reimport(&app, &seeds_edited(&corrected)).await;

        let answer = app.query(
            r#"{ claim(slug: "dhrwg-2021-dissent-not-tolerated") { revision revisions { nodes { reason correction } } }
                 corrections(first: 100) { pageInfo { endCursor } nodes { id reason correction changes { field before after } } }
                 changes(first: 1, kinds: ["Claim"], after: null) { nodes { recordType } } }"#,
            json!({}),
        ).await;
        assert_eq!(answer["claim"]["revisions"]["nodes"][1], json!({ "reason": "The statement said more than the quote.", "correction": true }));
        let id = nkhr::store::identity::global_id("Claim:dhrwg-2021-dissent-not-tolerated");
        let mut all: Vec<Value> = answer["corrections"]["nodes"].as_array().unwrap().clone();
        let after = answer["corrections"]["pageInfo"]["endCursor"].clone();
        let more = app.query(
            r#"query ($after: String) { corrections(first: 100, after: $after) { nodes { id reason correction changes { field before after } } } }"#,
            json!({ "after": after }),
        ).await;
        all.extend(more["corrections"]["nodes"].as_array().unwrap().iter().cloned());
        let corrections: Vec<&Value> = all.iter().filter(|c| c["id"] == id).collect();
        assert_eq!(corrections.len(), 1);
        assert_eq!(corrections[0]["changes"], json!([{ "field": "statement", "before": "Dissent is not tolerated in North Korea.", "after": "North Korea does not tolerate dissent." }]));
        assert_eq!(answer["changes"]["nodes"][0]["recordType"], "Claim");
    }
}

api_test! {
    async fn walking_the_feed_from_the_start_or_from_a_version_ends_equal_to_the_export(app) {
        let mut from_start = Default::default();
        let (cursor, _) = walk(&app, None, &mut from_start).await;
        let mut resumed = from_start.clone();
        let changelog = "[[change]]\nrecord = \"claim:dhrwg-2021-no-civil-liberties\"\nreason = \"Restated.\"\nretracted = true\n";
        reimport(&app, &seeds_edited(&[REMOVE_CLAIM, ("changelog.toml", "", changelog)])).await;
        reimport(&app, &seeds_edited(&[RENAME_KIM_REGIME[0], RENAME_KIM_REGIME[1], RENAME_KIM_REGIME[2], REMOVE_CLAIM, ("changelog.toml", "", changelog)])).await;

        walk(&app, cursor, &mut resumed).await;
        let mut fresh = Default::default();
        walk(&app, None, &mut fresh).await;

        let export = exported(&app).await;
        let live = number(&app.db, "SELECT COUNT(*) FROM record WHERE retracted_version IS NULL").await;
        assert_eq!(export.len() as i64, live, "the export holds every live record");
        assert_eq!(statements(&fresh), export, "walked from the start");
        assert_eq!(statements(&resumed), export, "walked on from version 1");
        let versions = app.query("{ dataset { version versions { totalCount nodes { version changeCount } } } }", json!({})).await;
        assert_eq!(versions["dataset"]["version"], 3);
        assert_eq!(versions["dataset"]["versions"]["totalCount"], 3);

        // The export of version 1 holds the dataset as the feed stood at version 1's end.
        let (first, records) = exported_at(&app, "?version=1").await;
        assert_eq!(first["version"], 1);
        assert_eq!(records.len(), from_start.len());
        assert_eq!(records, from_start, "the export of version 1 is the feed walked to version 1");
        let (latest, records) = exported_at(&app, "?version=3").await;
        assert_eq!(latest["version"], 3);
        assert_eq!(records, fresh, "the export of the latest version is the whole feed walked");
        let missing = app
            .request(axum::http::Request::get("/export/dataset.ndjson?version=4").body(axum::body::Body::empty()).unwrap())
            .await;
        assert_eq!(missing.status(), axum::http::StatusCode::BAD_REQUEST);
        assert!(body_text(missing).await.contains("INVALID_ARGUMENT"));
        assert_eq!(versions["dataset"]["versions"]["nodes"][1], json!({ "version": 2, "changeCount": 1 }));
        assert_eq!(versions["dataset"]["versions"]["nodes"][2], json!({ "version": 3, "changeCount": 1 }));
    }
}

api_test! {
    async fn reimporting_unchanged_files_writes_nothing_and_keeps_the_version(app) {
        let query = "{ dataset { version } changes(first: 100) { pageInfo { endCursor } } }";
        let before = app.query(query, json!({})).await;

        reimport(&app, &DatasetFiles::embedded()).await;
        let db = &app.db;
        let report = sync(db, &crate::harness::real_dataset()).await.unwrap();

        assert_eq!(report.revisions, 0);
        assert_eq!(app.query(query, json!({})).await, before);
    }
}

/// The `graphql` and `json` blocks of the README's "Keeping in sync" section, in pairs: the
/// queries, and the subscriptions (whose answer is their first event's message).
pub fn keeping_in_sync_examples() -> Vec<(String, Value)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let section = readme
        .split("\n## Keeping in sync")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the README has a Keeping in sync section")
        .to_owned();
    let block = |kind: &str| -> Vec<String> {
        section
            .split(&format!("```{kind}\n"))
            .skip(1)
            .map(|rest| rest.split("\n```").next().unwrap_or_default().to_owned())
            .collect()
    };
    block("graphql")
        .into_iter()
        .zip(block("json"))
        .map(|(query, answer)| {
            (
                query,
                serde_json::from_str(&answer).expect("the README's answer is JSON"),
            )
        })
        .collect()
}

api_test! {
    async fn the_readme_keeping_in_sync_examples_give_the_answers_it_shows(app) {
        let examples: Vec<(String, Value)> = keeping_in_sync_examples()
            .into_iter()
            .filter(|(query, _)| !query.trim_start().starts_with("subscription"))
            .collect();
        assert_eq!(examples.len(), 3);
        for (query, answer) in examples {
            assert_eq!(app.query(&query, json!({})).await, answer, "{query}");
        }
    }
}

/// The built-in dataset as it was before relations said how they are known: no `basis`,
/// `inference` or relation `asserted_by`, Congress's former description, and none of the
/// changelog entries that explain those changes. Today's rules refuse it, so it is built from
/// the checked dataset rather than loaded from files.
fn seeds_before_relation_basis() -> dataset::Dataset {
    let mut dataset =
        dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");
    for relation in &mut dataset.relations {
        relation.record.basis = nkhr::domain::RelationBasis::Stated;
        relation.record.inference = None;
        relation.record.asserted_by = None;
    }
    for actor in &mut dataset.actors {
        actor.description = actor.description.replace(
            "The United States Congress. It established",
            "The U.S. legislature. It established",
        );
    }
    dataset.changelog.retain(|entry| {
        entry.slug != "us-congress"
            && !entry.record.reason.contains("inferred")
            && !entry
                .record
                .reason
                .contains("Human Rights Watch as its asserter")
    });
    dataset
}

database_test! {
    async fn marking_relations_inferred_revises_only_the_relations_it_changes_with_their_reasons(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        let before = sync(&db, &seeds_before_relation_basis()).await.expect("the import succeeds");
        let inferred = number(&db, "SELECT COUNT(*) FROM relation WHERE basis = 'inferred'").await;
        assert_eq!(inferred, 0, "{before:?}");

        let report = import(&db, &DatasetFiles::embedded()).await;

        // The relations marked inferred or given their asserter, and Congress's description:
        // every other record, relations included, says what it said and gets no revision.
        let current = dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");
        let inferred = current
            .relations
            .iter()
            .filter(|r| r.record.basis == nkhr::domain::RelationBasis::Inferred)
            .count();
        let changed = current
            .relations
            .iter()
            .filter(|r| r.record.basis == nkhr::domain::RelationBasis::Inferred || r.record.asserted_by.is_some())
            .count();
        assert!(inferred >= 26, "the built-in dataset has {inferred} inferred relations");
        assert_eq!(report.revisions, changed + 1, "{report:?}");
        assert_eq!(number(&db, "SELECT COUNT(*) FROM relation WHERE basis = 'inferred'").await as usize, inferred);
        let shoot = "Relation:border-shoot-on-sight-order/part_of/dprk-china-border-buffer-zone";
        let revision = strings(&db, &format!("SELECT reason FROM revision WHERE record_id = '{shoot}' AND number = 2")).await;
        assert_eq!(revision.len(), 1);
        assert!(revision[0].contains("Human Rights Watch"), "{revision:?}");
        let changes = strings(&db, &format!("SELECT changes FROM revision WHERE record_id = '{shoot}' AND number = 2")).await;
        assert!(changes[0].contains("assertedBy"), "{changes:?}");
        assert_eq!(
            strings(&db, "SELECT asserted_by FROM relation WHERE key = 'border-shoot-on-sight-order/part_of/dprk-china-border-buffer-zone'").await,
            ["human-rights-watch"]
        );
        let again = import(&db, &DatasetFiles::embedded()).await;
        assert_eq!(again.revisions, 0);
    }
}

/// Toggles the government's description, so that each import makes a new dataset version
/// and the version's parity says which description it holds.
const REWORD_KIM_REGIME: [(&str, &str, &str); 1] = [(
    "actors.toml",
    "a one-party totalitarian dictatorship ruled by Kim Jong-un",
    "a one-party dictatorship ruled by Kim Jong-un",
)];

/// The number of the latest dataset version `db` sees.
async fn latest_version(db: &impl ConnectionTrait) -> i32 {
    nkhr::store::queries::latest_version(db)
        .await
        .unwrap()
        .expect("a loaded dataset has a version")
        .id
}

const VERSION_AND_DESCRIPTION: &str =
    r#"{ dataset { version } actor(slug: "kim-regime") { description } }"#;

api_test! {
    async fn a_snapshot_reads_the_version_it_began_with_while_a_sync_commits_the_next(app) {
        let snapshot = nkhr::store::snapshot::Snapshot::new(app.db.clone());
        assert!(!snapshot.has_begun(), "nothing read yet, no transaction");
        let reader = snapshot.reader().await.unwrap();
        let before = latest_version(reader).await;

        reimport(&app, &seeds_edited(&REWORD_KIM_REGIME)).await;

        assert_eq!(latest_version(reader).await, before, "the snapshot still reads the version it began with");
        assert_eq!(latest_version(&app.db).await, before + 1, "a fresh read sees the new version");
        snapshot.finish().await;
    }
}

api_test! {
    async fn answers_never_mix_two_dataset_versions_while_syncs_commit(app) {
        let first = app.query(VERSION_AND_DESCRIPTION, json!({})).await;
        let first_version = first["dataset"]["version"].as_i64().unwrap();
        let original = first["actor"]["description"].as_str().unwrap().to_owned();
        let reworded = original.replace("one-party totalitarian", "one-party");
        assert_ne!(original, reworded);
        let edited = seeds_edited(&REWORD_KIM_REGIME);
        let unedited = seeds_edited(&[]);

        let readers = async {
            let mut answers = Vec::new();
            for _ in 0..300 {
                answers.push(app.query(VERSION_AND_DESCRIPTION, json!({})).await);
                tokio::task::yield_now().await;
            }
            answers
        };
        let writer = async {
            for round in 0..6 {
                reimport(&app, if round % 2 == 0 { &edited } else { &unedited }).await;
            }
        };
        let (answers, ()) = tokio::join!(readers, writer);

        let last = app.query(VERSION_AND_DESCRIPTION, json!({})).await;
        assert_eq!(last["dataset"]["version"].as_i64().unwrap(), first_version + 6, "each import made a version");
        for answer in answers {
            let version = answer["dataset"]["version"].as_i64().unwrap();
            let expected = if (version - first_version) % 2 == 0 { &original } else { &reworded };
            assert_eq!(answer["actor"]["description"].as_str(), Some(expected.as_str()), "version {version} with another version's description");
        }
    }
}

/// The built-in dataset as it was before sources carried their time and claims their stance:
/// no writing time, the commentary's passing mention counted as support, the isolation fact's
/// former statement, and none of the changelog entries that explain those changes.
fn seeds_before_source_time_and_stance() -> dataset::Dataset {
    let mut dataset =
        dataset::load(&DatasetFiles::embedded()).expect("the built-in dataset is valid");
    for source in &mut dataset.sources {
        source.record.written_from = None;
        source.record.written_until = None;
        source.record.written_note = None;
    }
    for claim in &mut dataset.claims {
        claim.record.stance = None;
    }
    for fact in &mut dataset.facts {
        if fact.slug == "north-korea-more-isolated-than-ever" {
            fact.statement = "North Korea is more isolated than ever.".to_owned();
        }
    }
    let explained = [
        "source:dhrwg-2021-continue-to-decline",
        "source:fahy-2025-a-new-low",
        "claim:fahy-2025-kim-jong-un-regime",
        "claim:fahy-2025-coi-report-crimes-against-humanity",
    ];
    dataset.changelog.retain(|entry| {
        !explained.contains(&entry.record.record.as_str())
            && !entry
                .record
                .reason
                .contains("self-isolating than ever” (isolating itself")
    });
    dataset
}

database_test! {
    async fn giving_sources_their_time_and_claims_their_stance_revises_only_those_records_with_their_reasons(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        sync(&db, &seeds_before_source_time_and_stance()).await.expect("the import succeeds");
        assert_eq!(number(&db, "SELECT COUNT(*) FROM claim WHERE stance <> 'supports'").await, 0);

        let report = import(&db, &DatasetFiles::embedded()).await;

        // The two sources, the two claims that now mention their facts, and the reworded fact:
        // the claims that support their facts say what they said and get no revision.
        assert_eq!(report.revisions, 5, "{report:?}");
        assert_eq!(
            strings(&db, "SELECT stance FROM claim WHERE slug = 'fahy-2025-kim-jong-un-regime'").await,
            ["mentions"]
        );
        assert_eq!(
            strings(&db, "SELECT written_until FROM source WHERE slug = 'dhrwg-2021-continue-to-decline'").await,
            ["2020-11"]
        );
        for id in [
            "Source:dhrwg-2021-continue-to-decline",
            "Source:fahy-2025-a-new-low",
            "Claim:fahy-2025-kim-jong-un-regime",
            "Fact:north-korea-is-cut-off-from-the-world",
        ] {
            let reasons = strings(&db, &format!("SELECT reason FROM revision WHERE record_id = '{id}' AND number = 2")).await;
            assert_eq!(reasons.len(), 1, "{id}: {reasons:?}");
            assert!(!reasons[0].is_empty(), "{id}");
        }
        let changes = strings(&db, "SELECT changes FROM revision WHERE record_id = 'Claim:fahy-2025-kim-jong-un-regime' AND number = 2").await;
        assert!(changes[0].contains("stance") && changes[0].contains("mentions"), "{changes:?}");
        let again = import(&db, &DatasetFiles::embedded()).await;
        assert_eq!(again.revisions, 0);
    }
}
