//! Syncing the dataset into the database: idempotent, complete, and all or nothing.

use nkhr::{
    dataset::{self, DatasetFiles},
    server::{self, Prepared},
    store::{self, sync::sync},
};

use crate::harness::{count_rows, database_test, tiny_dataset, tiny_dataset_edited};

const TABLES: [&str; 12] = [
    "source",
    "source_actor",
    "entity",
    "entity_alias",
    "fact",
    "claim",
    "claim_subject",
    "claim_asserter",
    "law_provision",
    "law_penalty",
    "relation",
    "relation_evidence",
];

async fn row_counts(db: &sea_orm::DatabaseConnection) -> Vec<(String, i64)> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push((table.to_owned(), count_rows(db, table).await));
    }
    counts
}

database_test! {
    async fn syncing_twice_changes_nothing_the_second_time(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        let dataset = dataset::load(&DatasetFiles::embedded()).unwrap();

        let first = sync(&db, &dataset).await.unwrap();
        let after_first = row_counts(&db).await;
        let second = sync(&db, &dataset).await.unwrap();

        assert!(first.inserted > 500, "the first sync inserts the whole dataset, not {}", first.inserted);
        assert_eq!((second.inserted, second.updated, second.deleted), (0, 0, 0));
        assert_eq!(second.version, first.version, "an unchanged dataset keeps its version");
        assert_eq!(row_counts(&db).await, after_first);
        assert_eq!(count_rows(&db, "claim").await, dataset.claims.len() as i64);
        assert_eq!(count_rows(&db, "relation").await, dataset.relations.len() as i64);
    }
}

database_test! {
    async fn a_record_removed_from_the_files_is_removed_from_the_database(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        sync(&db, &dataset::load(&tiny_dataset()).unwrap()).await.unwrap();
        let without_relation = tiny_dataset_edited(
            "claims.toml",
            "[[relation]]\nsubject = \"border-closure\"\ntype = \"imposed_by\"\nobject = \"ministry\"\nevidence = [\"tiny-closure\"]\n",
            "",
        );

        let report = sync(&db, &dataset::load(&without_relation).unwrap()).await.unwrap();

        assert_eq!((report.inserted, report.updated, report.deleted), (0, 0, 2), "the relation and its evidence link go");
        assert_eq!(count_rows(&db, "relation").await, 1);
        assert_eq!(count_rows(&db, "relation_evidence").await, 1);
    }
}

database_test! {
    async fn a_changed_record_is_updated_in_place_and_raises_the_version(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        let before = sync(&db, &dataset::load(&tiny_dataset()).unwrap()).await.unwrap();
        let renamed = tiny_dataset_edited("entities.toml", "name = \"Watchdog\"", "name = \"The Watchdog Group\"");

        let report = sync(&db, &dataset::load(&renamed).unwrap()).await.unwrap();

        assert_eq!((report.inserted, report.updated, report.deleted), (0, 1, 0));
        assert_eq!(report.version, before.version + 1);
        let names: Vec<String> = <nkhr::store::entities::entity::Entity as sea_orm::EntityTrait>::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert!(names.contains(&"The Watchdog Group".to_owned()), "{names:?}");
    }
}

database_test! {
    async fn a_failed_sync_leaves_the_database_as_it_was(database) {
        let db = database.connect().await;
        store::migrate(&db).await.unwrap();
        sync(&db, &dataset::load(&tiny_dataset()).unwrap()).await.unwrap();
        let before = row_counts(&db).await;
        // A dataset that slipped past the checks: its new relation points at an entity that
        // does not exist, so the database refuses it half-way through the sync.
        let mut broken = dataset::load(&DatasetFiles::embedded()).unwrap();
        let mut dangling = broken.relations[0].clone();
        dangling.key = "dangling".to_owned();
        dangling.record.object = "no-such-entity".to_owned();
        broken.relations.push(dangling);

        let result = sync(&db, &broken).await;

        assert!(result.is_err(), "the sync should fail");
        assert_eq!(row_counts(&db).await, before, "nothing of the failed sync remains");
    }
}

database_test! {
    async fn preparing_an_up_to_date_database_loads_nothing(database) {
        let db = database.connect().await;
        let files = DatasetFiles::embedded();

        let first = server::prepare(&db, &files).await.unwrap();
        let second = server::prepare(&db, &files).await.unwrap();

        assert!(matches!(first, Prepared::Synced(ref report) if report.inserted > 0), "{first:?}");
        assert_eq!(second, Prepared::UpToDate { version: 1 });
    }
}
