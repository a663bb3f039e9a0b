//! Identities that never change, and the history of every record.
//!
//! Until this migration a record's identity was its slug: the primary key, every foreign key
//! and the global ID (`base64url("Type:slug")`) were built from it, so a rename was a new
//! record. From here on every record has an immutable identity, stored with it in an `id`
//! column and minted once. Its value is exactly what the global ID always encoded,
//! `"<Type>:<slug at creation>"` (a relation's: `"Relation:<key at creation>"`), so every ID a
//! client already holds keeps its value, and a database loaded by the earlier release keeps
//! every record's ID: the backfill below writes that value for every row already there.
//!
//! Three tables carry the history:
//! - `record`: one row per identity ever minted, live or retracted, with its current slug,
//!   its latest revision number, its state after that revision (`snapshot`, JSON as the API
//!   describes it) and, once retracted, when and why, with the last row it had;
//! - `former_slug`: every slug a record had before its current one, reserved forever, so a
//!   lookup by an old slug still finds the record;
//! - `revision`: every change to every record: its number, the dataset version, when, who,
//!   why, what changed (field, before, after), the operation and the record's state after it.
//!   Its `id` orders the change feed, gapless within and across versions.
//!
//! The dataset tables keep their slug keys: a rename inserts the row under its new slug and
//! drops the old one in the same transaction (the import keeps the identity), which needs no
//! rebuild of the tables' foreign keys on SQLite.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Record {
    Table,
    Id,
    Kind,
    Slug,
    Revision,
    CreatedVersion,
    RetractedVersion,
    RetractionReason,
    Snapshot,
    RetractedRow,
}

#[derive(DeriveIden)]
enum FormerSlug {
    Table,
    Kind,
    Slug,
    RecordId,
}

#[derive(DeriveIden)]
enum Revision {
    Table,
    Id,
    RecordId,
    Number,
    Version,
    At,
    NodeType,
    Slug,
    Author,
    Reason,
    Changes,
    Operation,
    Correction,
    Snapshot,
    ChangelogDigest,
}

/// The dataset tables that get an identity, with the SQL expression that computes the
/// identity every existing row already had as its global ID.
const BACKFILL: [(&str, &str); 5] = [
    ("source", "'Source:' || slug"),
    ("fact", "'Fact:' || slug"),
    ("claim", "'Claim:' || slug"),
    ("relation", "'Relation:' || key"),
    (
        "entity",
        "CASE kind WHEN 'actor' THEN 'Actor:' WHEN 'law' THEN 'Law:' \
         WHEN 'measure' THEN 'Measure:' WHEN 'event' THEN 'Event:' \
         ELSE 'Recommendation:' END || slug",
    ),
];

/// See `m20261122_000001`: text that sorts by code point on both databases.
fn c(mut column: ColumnDef, backend: sea_orm::DatabaseBackend) -> ColumnDef {
    if backend == sea_orm::DatabaseBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        let collate = if backend == sea_orm::DatabaseBackend::Postgres {
            " COLLATE \"C\""
        } else {
            ""
        };
        for (table, identity) in BACKFILL {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN id text{collate} NOT NULL DEFAULT ''"
            ))
            .await?;
            db.execute_unprepared(&format!("UPDATE {table} SET id = {identity}"))
                .await?;
            // Not unique: a rename briefly holds the row under both slugs in one transaction.
            db.execute_unprepared(&format!("CREATE INDEX {table}_id ON {table} (id)"))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Record::Table)
                    .col(c(text(Record::Id), backend).primary_key())
                    .col(c(text(Record::Kind), backend))
                    .col(c(text(Record::Slug), backend))
                    .col(integer(Record::Revision))
                    .col(integer(Record::CreatedVersion))
                    .col(integer_null(Record::RetractedVersion))
                    .col(text_null(Record::RetractionReason))
                    .col(text(Record::Snapshot))
                    .col(text_null(Record::RetractedRow))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("record_kind_slug")
                    .table(Record::Table)
                    .col(Record::Kind)
                    .col(Record::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FormerSlug::Table)
                    .col(c(text(FormerSlug::Kind), backend))
                    .col(c(text(FormerSlug::Slug), backend))
                    .col(c(text(FormerSlug::RecordId), backend))
                    .primary_key(Index::create().col(FormerSlug::Kind).col(FormerSlug::Slug))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FormerSlug::Table, FormerSlug::RecordId)
                            .to(Record::Table, Record::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("former_slug_record")
                    .table(FormerSlug::Table)
                    .col(FormerSlug::RecordId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Revision::Table)
                    .col(pk_auto(Revision::Id))
                    .col(c(text(Revision::RecordId), backend))
                    .col(integer(Revision::Number))
                    .col(integer(Revision::Version))
                    .col(timestamp_with_time_zone(Revision::At))
                    .col(c(text(Revision::NodeType), backend))
                    .col(c(text(Revision::Slug), backend))
                    .col(text(Revision::Author))
                    .col(text_null(Revision::Reason))
                    .col(text(Revision::Changes))
                    .col(c(text(Revision::Operation), backend))
                    .col(boolean(Revision::Correction))
                    .col(text(Revision::Snapshot))
                    .col(c(text_null(Revision::ChangelogDigest), backend))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Revision::Table, Revision::RecordId)
                            .to(Record::Table, Record::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("revision_record_number")
                    .table(Revision::Table)
                    .col(Revision::RecordId)
                    .col(Revision::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("revision_version")
                    .table(Revision::Table)
                    .col(Revision::Version)
                    .col(Revision::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("revision_changelog_digest")
                    .table(Revision::Table)
                    .col(Revision::ChangelogDigest)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Revision::Table.into_iden(),
            FormerSlug::Table.into_iden(),
            Record::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let db = manager.get_connection();
        for (table, _) in BACKFILL {
            db.execute_unprepared(&format!("DROP INDEX {table}_id"))
                .await?;
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN id"))
                .await?;
        }
        Ok(())
    }
}
