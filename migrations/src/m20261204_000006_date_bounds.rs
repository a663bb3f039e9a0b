//! The days a date can mean, stored beside the date as the text gives it.
//!
//! A date is stored as the dataset writes it (`2020`, `1990s`, `early 2020`, `1995~`). Those
//! strings no longer sort by the first day they can mean, and a range filter cannot read a
//! decade or a qualifier out of them, so every date the API sorts or filters on gets three
//! more columns: its first day (`*_earliest`) and last day (`*_latest`) as `YYYY-MM-DD`, and a
//! sort key (`*_sort`), the first day followed by the last day with each digit `d` written
//! `9 − d`, so that text order puts the date that spans longer first among those that start
//! on the same day ("2020" before "2020-01"). A measure's or event's "as of" date (known to
//! hold then, its end unknown) gets a column and its last day, which a range filter reads as
//! the end of what is known.
//!
//! The alternative, sorting on `earliest` ascending and `latest` descending, would need keyset
//! pagination over mixed directions; one key keeps every ordering a single direction.
//!
//! The columns are null until the next import fills them from the dataset files, as every
//! import rewrites the rows that differ from the files. SQLite alters one column per
//! statement, so each column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Entity {
    Table,
    StartsOnEarliest,
    StartsOnLatest,
    StartsOnSort,
    EndsOnEarliest,
    EndsOnLatest,
    EndsOnSort,
    AsOf,
    AsOfLatest,
}

#[derive(DeriveIden)]
enum Claim {
    Table,
    HoldsFromEarliest,
    HoldsFromLatest,
    HoldsFromSort,
    HoldsUntilEarliest,
    HoldsUntilLatest,
    HoldsUntilSort,
}

/// Every column this migration adds, by table.
fn columns() -> Vec<(DynIden, DynIden)> {
    let entity = |column: Entity| (Entity::Table.into_iden(), column.into_iden());
    let claim = |column: Claim| (Claim::Table.into_iden(), column.into_iden());
    vec![
        entity(Entity::StartsOnEarliest),
        entity(Entity::StartsOnLatest),
        entity(Entity::StartsOnSort),
        entity(Entity::EndsOnEarliest),
        entity(Entity::EndsOnLatest),
        entity(Entity::EndsOnSort),
        entity(Entity::AsOf),
        entity(Entity::AsOfLatest),
        claim(Claim::HoldsFromEarliest),
        claim(Claim::HoldsFromLatest),
        claim(Claim::HoldsFromSort),
        claim(Claim::HoldsUntilEarliest),
        claim(Claim::HoldsUntilLatest),
        claim(Claim::HoldsUntilSort),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        for (table, column) in columns() {
            let mut column = text_null(column);
            // Sorted as text: byte order on both databases, as the first migration's columns.
            if backend == sea_orm::DatabaseBackend::Postgres {
                column.extra("COLLATE \"C\"");
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("claim_holds_from_sort")
                    .table(Claim::Table)
                    .col(Claim::HoldsFromSort)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("claim_holds_from_sort")
                    .table(Claim::Table)
                    .to_owned(),
            )
            .await?;
        for (table, column) in columns() {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
