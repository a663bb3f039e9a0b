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
/// its file, and every occurrence is replaced. A file that does not exist yet is created
/// from `to` when `from` is empty.
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
        if from.is_empty() && files.get(file).is_none() {
            out.push(((*file).to_owned(), to.as_bytes().to_vec()));
        }
    }
    DatasetFiles::from_files("seeds (edited)", out)
}

/// The edits that rename the Kim regime: its slug, every reference to it, and the former
/// slug that keeps the old one resolving.
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
        let changelog = "[[change]]\nrecord = \"claim:dhrwg-2021-no-civil-liberties\"\nreason = \"The sentence restates the one before it.\"\nretracted = true\n";

        let report = import(&db, &seeds_edited(&[REMOVE_CLAIM, ("changelog.toml", "", changelog)])).await;

        assert_eq!((report.revisions, report.retracted), (1, 1), "{report:?}");
        assert_eq!(count_rows(&db, "claim").await, 129, "the claim leaves the dataset tables");
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
    assert!(text.contains("change #1"), "{text}");
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
        assert_eq!(
            (report.inserted, report.updated, report.deleted),
            (0, 0, 0),
            "the rows 0.1 stored are the rows this release stores"
        );
        assert_eq!(report.revisions, before.len(), "the history begins with one revision per record");
        assert_eq!(report.version, 2, "after the version 0.1 recorded");
        assert_eq!(strings(&db, "SELECT id FROM record ORDER BY 1").await, before);
        let again = import(&db, &DatasetFiles::embedded()).await;
        assert_eq!(again.revisions, 0);
    }
}
