//! The database schema of nkhr, as sea-orm migrations.
//!
//! The same migrations run on SQLite and PostgreSQL. They create tables and indexes only:
//! the data comes from the dataset files, synced by `nkhr seed`, never from a migration.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_dataset_tables;
mod m20261122_000002_search;
mod m20261122_000003_api_keys;
mod m20261202_000004_identity_and_history;
mod m20261203_000005_relation_basis_and_editorial_text;
mod m20261204_000006_date_bounds;
mod m20261204_000007_source_time_and_fact_stance;

/// Every migration, in the order they apply.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_dataset_tables::Migration),
            Box::new(m20261122_000002_search::Migration),
            Box::new(m20261122_000003_api_keys::Migration),
            Box::new(m20261202_000004_identity_and_history::Migration),
            Box::new(m20261203_000005_relation_basis_and_editorial_text::Migration),
            Box::new(m20261204_000006_date_bounds::Migration),
            Box::new(m20261204_000007_source_time_and_fact_stance::Migration),
        ]
    }
}
