//! The full-text search index: one row per searchable record (claim, entity, source), with
//! its words in two weighted fields, `title` and `body`.
//!
//! The two databases index text differently, so the table differs too: SQLite gets an FTS5
//! virtual table, PostgreSQL a plain table with a generated `tsvector` and a GIN index over
//! it. What goes into either is the same: the sync writes text that nkhr has already split
//! into lower-case words (see `nkhr::store::search`), so that both engines see the same words
//! and a query finds the same records on both. The `simple` configuration and the
//! `unicode61` tokenizer with `remove_diacritics 0` neither stem nor drop stop words, and
//! agree on that already-split text.
//!
//! The migration creates the table only; the sync fills it, in the same transaction as the
//! rest of the dataset.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &str = "CREATE VIRTUAL TABLE search_index USING fts5(\
    kind UNINDEXED, slug UNINDEXED, title, body, \
    tokenize = 'unicode61 remove_diacritics 0')";

const POSTGRES_UP: [&str; 2] = [
    "CREATE TABLE search_index (
        kind text COLLATE \"C\" NOT NULL,
        slug text COLLATE \"C\" NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title), 'A')
            || setweight(to_tsvector('simple'::regconfig, body), 'B')
        ) STORED,
        PRIMARY KEY (kind, slug)
    )",
    "CREATE INDEX search_index_document ON search_index USING GIN (document)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                for statement in POSTGRES_UP {
                    db.execute_unprepared(statement).await?;
                }
            }
            _ => {
                db.execute_unprepared(SQLITE_UP).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS search_index")
            .await?;
        Ok(())
    }
}
