//! Persistence: connecting to SQLite or PostgreSQL, migrating, syncing the dataset into the
//! tables, and the queries the API runs.
//!
//! Everything here goes through sea-orm, so the same code serves both databases; where the
//! two differ (full-text search, say), the difference is confined to one function.

pub mod aggregates;
pub mod api_keys;
pub mod entities;
pub mod graph;
pub mod history;
pub mod identity;
pub mod page;
pub mod queries;
pub mod search;
pub mod snapshot;
pub mod sql;
pub mod sync;
pub mod timeline;

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// The database used when none is configured: a SQLite file in the working directory,
/// created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://nkhr.sqlite3?mode=rwc";

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// A `sqlite://` or `postgres://` URL.
    pub url: String,
    /// The most connections the pool opens.
    pub max_connections: u32,
    /// How long a statement may run before the database cancels it (PostgreSQL; SQLite's
    /// statements on this dataset are bounded by the API's own limits).
    pub statement_timeout: Duration,
}

impl DatabaseSettings {
    /// Settings for `url` with the default pool size and statement timeout.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 10,
            statement_timeout: Duration::from_secs(5),
        }
    }
}

/// Opens a connection pool.
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .statement_timeout(settings.statement_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|options| {
            options
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    Database::connect(options)
        .await
        .with_context(|| format!("connecting to the database at {}", redact(&settings.url)))
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("migrating the database schema")
}

/// A database URL with any password replaced, safe to log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact("postgres://nkhr:secret@db:5432/nkhr"),
            "postgres://nkhr:***@db:5432/nkhr"
        );
        assert_eq!(redact("postgres://nkhr@db/nkhr"), "postgres://nkhr@db/nkhr");
        assert_eq!(
            redact("sqlite://nkhr.sqlite3?mode=rwc"),
            "sqlite://nkhr.sqlite3?mode=rwc"
        );
    }
}
