//! When a source was written, and how a claim bears on its fact.
//!
//! A source records the period its text was written in (`written_from`, `written_until`),
//! read off the text itself, with the reasoning (`written_note`): a statement written before
//! the November 2020 election and published in March 2021 speaks of 2020 as "current". A
//! claim linked to a fact records its stance: it `supports` the fact (states it itself),
//! `mentions` it in passing, or `disputes` it. The stance column defaults to `supports`, so
//! rows already there read as they did before; the import then writes what the files say.
//!
//! SQLite alters one column per statement, so each column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Source {
    Table,
    WrittenFrom,
    WrittenUntil,
    WrittenNote,
}

#[derive(DeriveIden)]
enum Claim {
    Table,
    Stance,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            (
                Source::Table.into_iden(),
                string_null(Source::WrittenFrom).to_owned(),
            ),
            (
                Source::Table.into_iden(),
                string_null(Source::WrittenUntil).to_owned(),
            ),
            (
                Source::Table.into_iden(),
                text_null(Source::WrittenNote).to_owned(),
            ),
            (
                Claim::Table.into_iden(),
                string(Claim::Stance).default("supports").to_owned(),
            ),
        ];
        for (table, mut column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            (Source::Table.into_iden(), Source::WrittenFrom.into_iden()),
            (Source::Table.into_iden(), Source::WrittenUntil.into_iden()),
            (Source::Table.into_iden(), Source::WrittenNote.into_iden()),
            (Claim::Table.into_iden(), Claim::Stance.into_iden()),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
