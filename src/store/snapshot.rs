//! One request's view of the dataset.
//!
//! A sync may commit a new dataset version while a request is being answered. Were each of
//! the request's statements to take its own connection from the pool, an answer could mix
//! the two versions: `dataset.version` read before the sync, `totalCount` after it. A
//! [`Snapshot`] runs all of one request's reads in one read-only transaction instead —
//! `REPEATABLE READ, READ ONLY` on PostgreSQL, a deferred transaction on SQLite, whose
//! write-ahead log gives the transaction the database as it was at its first read — so every
//! read sees the version the first one saw.
//!
//! The transaction begins at the first read, not when the request arrives: a request that
//! reads nothing (`{ __typename }`, a refused document) never takes a connection.

use sea_orm::{
    AccessMode, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, IsolationLevel,
    TransactionTrait,
};
use tokio::sync::OnceCell;

/// The read-only transaction one request reads through, begun on first use.
pub struct Snapshot {
    db: DatabaseConnection,
    transaction: OnceCell<DatabaseTransaction>,
}

impl Snapshot {
    /// A snapshot over `db` that has not read anything yet.
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            transaction: OnceCell::new(),
        }
    }

    /// The transaction every read of the request goes through, begun by the first caller.
    pub async fn reader(&self) -> Result<&DatabaseTransaction, DbErr> {
        self.transaction.get_or_try_init(|| begin(&self.db)).await
    }

    /// Whether any read has begun the transaction.
    pub fn has_begun(&self) -> bool {
        self.transaction.initialized()
    }

    /// Ends the transaction, if one began. Nothing was written, so ending it only returns
    /// its connection to the pool; a failure to end it is logged, not the request's concern.
    pub async fn finish(self) {
        if let Some(transaction) = self.transaction.into_inner()
            && let Err(error) = transaction.commit().await
        {
            tracing::warn!(%error, "a request's read transaction did not end cleanly");
        }
    }
}

/// Begins a read-only transaction that sees one version of the database throughout.
async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        // SQLite has no isolation levels to ask for: a transaction is serializable, and in
        // write-ahead-log mode a reading one sees the database as of its first read.
        _ => db.begin().await,
    }
}
