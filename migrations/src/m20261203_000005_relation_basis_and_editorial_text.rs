//! How a relation is known, and what an entity's description rests on.
//!
//! A relation records its basis (`stated` by a quote, or `inferred` by the editors, with the
//! inference written down) and, when its evidence attributes it, the actor who asserts it. An
//! entity records whether its description rests on claims or is editorial. The columns get
//! defaults (`stated`, `claims`) so that rows already there read as they did before; the
//! import then writes what the files say.
//!
//! SQLite alters one column per statement, so each column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Relation {
    Table,
    Basis,
    Inference,
    AssertedBy,
}

#[derive(DeriveIden)]
enum Entity {
    Table,
    DescriptionBasis,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            (
                Relation::Table.into_iden(),
                string(Relation::Basis).default("stated").to_owned(),
            ),
            (
                Relation::Table.into_iden(),
                text_null(Relation::Inference).to_owned(),
            ),
            (
                Relation::Table.into_iden(),
                string_null(Relation::AssertedBy).to_owned(),
            ),
            (
                Entity::Table.into_iden(),
                string(Entity::DescriptionBasis)
                    .default("claims")
                    .to_owned(),
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
            (Relation::Table.into_iden(), Relation::Basis.into_iden()),
            (Relation::Table.into_iden(), Relation::Inference.into_iden()),
            (
                Relation::Table.into_iden(),
                Relation::AssertedBy.into_iden(),
            ),
            (
                Entity::Table.into_iden(),
                Entity::DescriptionBasis.into_iden(),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
